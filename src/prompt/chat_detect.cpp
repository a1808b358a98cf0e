// Names of the chat families and their recognition from template text.
#include <cstring>

#include "prompt/chat.h"

namespace lq {
namespace {

struct Named {
    ChatFamily family;
    const char *name;
};

const Named kFamilies[] = {
    {ChatFamily::ChatML, "chatml"}, {ChatFamily::Llama2, "llama2"},       {ChatFamily::Llama3, "llama3"},
    {ChatFamily::Mistral, "mistral"}, {ChatFamily::Phi3, "phi3"},         {ChatFamily::Gemma, "gemma"},
    {ChatFamily::Zephyr, "zephyr"},   {ChatFamily::DeepSeek, "deepseek"}, {ChatFamily::DeepSeek3, "deepseek3"},
};

bool contains(std::string_view text, const char *marker) { return text.find(marker) != std::string_view::npos; }

}  // namespace

const char *chat_family_name(ChatFamily family) {
    for (const Named &n : kFamilies)
        if (n.family == family) return n.name;
    return "unknown";
}

std::optional<ChatFamily> chat_family_from_name(std::string_view name) {
    for (const Named &n : kFamilies)
        if (name == n.name) return n.family;
    return std::nullopt;
}

std::string chat_family_names() {
    std::string out;
    for (const Named &n : kFamilies) {
        if (!out.empty()) out += ", ";
        out += n.name;
    }
    return out;
}

std::optional<ChatFamily> detect_chat_family(std::string_view t) {
    // Most specific markers first: several families share "<|user|>" or "[INST]".
    if (contains(t, "<|im_start|>")) return ChatFamily::ChatML;
    if (contains(t, "<|start_header_id|>")) return ChatFamily::Llama3;
    if (contains(t, "<start_of_turn>")) return ChatFamily::Gemma;
    if (contains(t, "<\xEF\xBD\x9CUser\xEF\xBD\x9C>")) return ChatFamily::DeepSeek3;  // <｜User｜>
    if (contains(t, "### Instruction:")) return ChatFamily::DeepSeek;
    if (contains(t, "<|user|>")) return contains(t, "<|end|>") ? ChatFamily::Phi3 : ChatFamily::Zephyr;
    if (contains(t, "[INST]")) return contains(t, "<<SYS>>") ? ChatFamily::Llama2 : ChatFamily::Mistral;
    return std::nullopt;
}

}  // namespace lq
