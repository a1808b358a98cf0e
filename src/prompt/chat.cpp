// Rendering of a conversation per chat family. The formats follow each
// family's published template for the usual system/user/assistant turns.
#include "prompt/chat.h"

#include "core/error.h"

namespace lq {
namespace {

std::string_view trim(std::string_view s) {
    const char *space = " \t\r\n";
    const size_t begin = s.find_first_not_of(space);
    if (begin == std::string_view::npos) return {};
    return s.substr(begin, s.find_last_not_of(space) - begin + 1);
}

enum class Role { System, User, Assistant, Other };

Role role_of(std::string_view role) {
    if (role == "system") return Role::System;
    if (role == "user") return Role::User;
    if (role == "assistant") return Role::Assistant;
    return Role::Other;
}

[[noreturn]] void unsupported_role(ChatFamily family, std::string_view role) {
    fail(LQ_ERR_INVALID_ARGUMENT, "the %s chat template has no role \"%.*s\" (system, user and assistant only)",
         chat_family_name(family), static_cast<int>(role.size()), role.data());
}

// Families without a system turn put the system text in front of the first
// user message, separated by a blank line.
std::vector<ChatMessage> fold_system(ChatFamily family, const std::vector<ChatMessage> &messages,
                                     std::vector<std::string> &storage) {
    std::vector<ChatMessage> out;
    std::string system;
    for (const ChatMessage &m : messages) {
        const Role role = role_of(m.role);
        if (role == Role::Other) unsupported_role(family, m.role);
        if (role == Role::System) {
            if (!system.empty()) system += "\n\n";
            system += m.content;
            continue;
        }
        if (role == Role::User && !system.empty()) {
            storage.push_back(system + "\n\n" + std::string(m.content));
            out.push_back({m.role, storage.back()});
            system.clear();
            continue;
        }
        out.push_back(m);
    }
    return out;
}

std::string chatml(const std::vector<ChatMessage> &messages, bool add_assistant) {
    std::string out;
    for (const ChatMessage &m : messages) {
        out += "<|im_start|>";
        out += m.role;
        out += '\n';
        out += m.content;
        out += "<|im_end|>\n";
    }
    if (add_assistant) out += "<|im_start|>assistant\n";
    return out;
}

std::string llama3(const std::vector<ChatMessage> &messages, bool add_assistant) {
    std::string out;
    for (const ChatMessage &m : messages) {
        out += "<|start_header_id|>";
        out += m.role;
        out += "<|end_header_id|>\n\n";
        out += trim(m.content);
        out += "<|eot_id|>";
    }
    if (add_assistant) out += "<|start_header_id|>assistant<|end_header_id|>\n\n";
    return out;
}

// [INST] <<SYS>>\nsystem\n<</SYS>>\n\nuser [/INST] answer </s><s>[INST] user [/INST]
std::string llama2(const std::vector<ChatMessage> &messages) {
    std::string out;
    std::string system;
    bool first = true;
    for (const ChatMessage &m : messages) {
        switch (role_of(m.role)) {
        case Role::System: system = std::string(trim(m.content)); break;
        case Role::User:
            if (!first) out += "<s>";
            out += "[INST] ";
            if (!system.empty()) {
                out += "<<SYS>>\n" + system + "\n<</SYS>>\n\n";
                system.clear();
            }
            out += trim(m.content);
            out += " [/INST]";
            first = false;
            break;
        case Role::Assistant:
            out += ' ';
            out += trim(m.content);
            out += " </s>";
            first = false;
            break;
        case Role::Other: unsupported_role(ChatFamily::Llama2, m.role);
        }
    }
    return out;
}

// [INST] user [/INST]answer</s>[INST] user [/INST]
std::string mistral(const std::vector<ChatMessage> &messages) {
    std::string out;
    for (const ChatMessage &m : messages) {
        if (role_of(m.role) == Role::User) {
            out += "[INST] ";
            out += m.content;
            out += " [/INST]";
        } else {
            out += m.content;
            out += "</s>";
        }
    }
    return out;
}

std::string tagged(ChatFamily family, const std::vector<ChatMessage> &messages, bool add_assistant, const char *end) {
    std::string out;
    for (const ChatMessage &m : messages) {
        const Role role = role_of(m.role);
        if (role == Role::Other) unsupported_role(family, m.role);
        out += role == Role::System ? "<|system|>\n" : role == Role::User ? "<|user|>\n" : "<|assistant|>\n";
        out += m.content;
        out += end;
        out += '\n';
    }
    if (add_assistant) out += "<|assistant|>\n";
    return out;
}

std::string gemma(const std::vector<ChatMessage> &messages, bool add_assistant) {
    std::string out;
    for (const ChatMessage &m : messages) {
        out += role_of(m.role) == Role::User ? "<start_of_turn>user\n" : "<start_of_turn>model\n";
        out += trim(m.content);
        out += "<end_of_turn>\n";
    }
    if (add_assistant) out += "<start_of_turn>model\n";
    return out;
}

std::string deepseek(const std::vector<ChatMessage> &messages, bool add_assistant) {
    std::string out;
    for (const ChatMessage &m : messages) {
        switch (role_of(m.role)) {
        case Role::System: out += std::string(m.content) + "\n"; break;
        case Role::User: out += "### Instruction:\n" + std::string(m.content) + "\n"; break;
        case Role::Assistant: out += "### Response:\n" + std::string(m.content) + "\n<|EOT|>\n"; break;
        case Role::Other: unsupported_role(ChatFamily::DeepSeek, m.role);
        }
    }
    if (add_assistant) out += "### Response:\n";
    return out;
}

std::string deepseek3(const std::vector<ChatMessage> &messages, bool add_assistant) {
    static const char *kUser = "<\xEF\xBD\x9CUser\xEF\xBD\x9C>";
    static const char *kAssistant = "<\xEF\xBD\x9C" "Assistant\xEF\xBD\x9C>";
    static const char *kEnd = "<\xEF\xBD\x9C" "end\xE2\x96\x81of\xE2\x96\x81sentence\xEF\xBD\x9C>";
    std::string out;
    for (const ChatMessage &m : messages) {
        switch (role_of(m.role)) {
        case Role::System: out += m.content; break;
        case Role::User: out += std::string(kUser) + std::string(m.content); break;
        case Role::Assistant: out += std::string(kAssistant) + std::string(m.content) + kEnd; break;
        case Role::Other: unsupported_role(ChatFamily::DeepSeek3, m.role);
        }
    }
    if (add_assistant) out += kAssistant;
    return out;
}

}  // namespace

std::string apply_chat_template(ChatFamily family, const std::vector<ChatMessage> &messages, bool add_assistant) {
    std::vector<std::string> storage;
    switch (family) {
    case ChatFamily::ChatML: return chatml(messages, add_assistant);
    case ChatFamily::Llama3: return llama3(messages, add_assistant);
    case ChatFamily::Llama2: return llama2(messages);  // the open [/INST] is the assistant's cue
    case ChatFamily::Mistral: return mistral(fold_system(family, messages, storage));
    case ChatFamily::Phi3: return tagged(family, messages, add_assistant, "<|end|>");
    case ChatFamily::Zephyr: return tagged(family, messages, add_assistant, "</s>");
    case ChatFamily::Gemma: return gemma(fold_system(family, messages, storage), add_assistant);
    case ChatFamily::DeepSeek: return deepseek(messages, add_assistant);
    case ChatFamily::DeepSeek3: return deepseek3(messages, add_assistant);
    }
    fail(LQ_ERR_INTERNAL, "unknown chat family");
}

}  // namespace lq
