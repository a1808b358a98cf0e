#include "backends/vulkan/pipelines.h"

#include <cstring>

#include "backends/vulkan/shader_table.h"
#include "core/error.h"

namespace lq::vulkan {
namespace {

const ShaderBlob *find_shader(const std::string &name) {
    for (size_t i = 0; i < kShaderCount; ++i)
        if (name == kShaders[i].name) return &kShaders[i];
    return nullptr;
}

}  // namespace

Pipelines &Pipelines::of(Device &device) {
    // One device per process (Device::get), hence one set of pipelines.
    static Pipelines *pipelines = new Pipelines(device);
    return *pipelines;
}

bool Pipelines::has_shader(const std::string &shader) { return find_shader(shader) != nullptr; }

VkDescriptorSetLayout Pipelines::set_layout(uint32_t n_bindings) {
    auto it = set_layouts_.find(n_bindings);
    if (it != set_layouts_.end()) return it->second;
    std::vector<VkDescriptorSetLayoutBinding> bindings(n_bindings);
    for (uint32_t i = 0; i < n_bindings; ++i) {
        bindings[i].binding = i;
        bindings[i].descriptorType = VK_DESCRIPTOR_TYPE_STORAGE_BUFFER;
        bindings[i].descriptorCount = 1;
        bindings[i].stageFlags = VK_SHADER_STAGE_COMPUTE_BIT;
    }
    auto info = make<VkDescriptorSetLayoutCreateInfo>(VK_STRUCTURE_TYPE_DESCRIPTOR_SET_LAYOUT_CREATE_INFO);
    info.bindingCount = n_bindings;
    info.pBindings = bindings.data();
    VkDescriptorSetLayout layout;
    check(vk().vkCreateDescriptorSetLayout(device_.handle(), &info, nullptr, &layout), "vkCreateDescriptorSetLayout");
    set_layouts_[n_bindings] = layout;
    return layout;
}

const Pipeline &Pipelines::get(const std::string &shader, uint32_t n_bindings, std::initializer_list<uint32_t> spec) {
    std::string key = shader + "/" + std::to_string(n_bindings);
    for (uint32_t v : spec) key += "/" + std::to_string(v);
    std::lock_guard<std::mutex> lock(mutex_);
    auto it = pipelines_.find(key);
    if (it != pipelines_.end()) return *it->second;

    const ShaderBlob *blob = find_shader(shader);
    if (!blob) fail(LQ_ERR_INTERNAL, "vulkan backend: no embedded shader named %s", shader.c_str());
    VkDevice dev = device_.handle();
    auto p = std::make_unique<Pipeline>();
    p->n_bindings = n_bindings;
    p->set_layout = set_layout(n_bindings);

    VkPushConstantRange push{VK_SHADER_STAGE_COMPUTE_BIT, 0, kMaxPushBytes};
    auto layout = make<VkPipelineLayoutCreateInfo>(VK_STRUCTURE_TYPE_PIPELINE_LAYOUT_CREATE_INFO);
    layout.setLayoutCount = 1;
    layout.pSetLayouts = &p->set_layout;
    layout.pushConstantRangeCount = 1;
    layout.pPushConstantRanges = &push;
    check(vk().vkCreatePipelineLayout(dev, &layout, nullptr, &p->layout), "vkCreatePipelineLayout");

    auto module_info = make<VkShaderModuleCreateInfo>(VK_STRUCTURE_TYPE_SHADER_MODULE_CREATE_INFO);
    module_info.codeSize = *blob->n_words * sizeof(uint32_t);
    module_info.pCode = blob->words;
    VkShaderModule module;
    const VkResult made = vk().vkCreateShaderModule(dev, &module_info, nullptr, &module);
    if (made != VK_SUCCESS) vk().vkDestroyPipelineLayout(dev, p->layout, nullptr);
    check(made, "vkCreateShaderModule");

    std::vector<uint32_t> values(spec);
    std::vector<VkSpecializationMapEntry> entries(values.size());
    for (uint32_t i = 0; i < values.size(); ++i) entries[i] = {i, i * 4u, 4u};
    VkSpecializationInfo spec_info{static_cast<uint32_t>(entries.size()), entries.data(), values.size() * 4u,
                                   values.data()};
    auto info = make<VkComputePipelineCreateInfo>(VK_STRUCTURE_TYPE_COMPUTE_PIPELINE_CREATE_INFO);
    info.stage.sType = VK_STRUCTURE_TYPE_PIPELINE_SHADER_STAGE_CREATE_INFO;
    info.stage.stage = VK_SHADER_STAGE_COMPUTE_BIT;
    info.stage.module = module;
    info.stage.pName = "main";
    info.stage.pSpecializationInfo = values.empty() ? nullptr : &spec_info;
    info.layout = p->layout;
    const VkResult r = vk().vkCreateComputePipelines(dev, VK_NULL_HANDLE, 1, &info, nullptr, &p->pipeline);
    vk().vkDestroyShaderModule(dev, module, nullptr);
    if (r != VK_SUCCESS) vk().vkDestroyPipelineLayout(dev, p->layout, nullptr);
    check(r, "vkCreateComputePipelines");
    return *(pipelines_[key] = std::move(p));
}

}  // namespace lq::vulkan
