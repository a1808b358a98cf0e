// Chat templates: a conversation rendered in the text format a chat model
// was trained on. The common families are built in and recognised from the
// model's `tokenizer.chat_template` (a Jinja text that is not executed).
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace lq {

enum class ChatFamily { ChatML, Llama2, Llama3, Mistral, Phi3, Gemma, Zephyr, DeepSeek, DeepSeek3 };

struct ChatMessage {
    std::string_view role;     // "system", "user", "assistant" (ChatML and Llama 3 take any role)
    std::string_view content;
};

/// The family's name as users write it ("chatml", "llama3", ...).
const char *chat_family_name(ChatFamily family);
/// The family of a name, or nullopt.
std::optional<ChatFamily> chat_family_from_name(std::string_view name);
/// Every family's name, comma-separated, for messages.
std::string chat_family_names();
/// The family whose markers the template text contains, or nullopt.
std::optional<ChatFamily> detect_chat_family(std::string_view template_text);

/// Renders the conversation. The text leaves out the leading BOS token
/// (tokenizing with special tokens adds it) and is meant to be tokenized
/// with special-token parsing. With @p add_assistant it ends with the
/// header of the assistant's turn. Fails with LQ_ERR_INVALID_ARGUMENT on a
/// role the family cannot express.
std::string apply_chat_template(ChatFamily family, const std::vector<ChatMessage> &messages, bool add_assistant);

}  // namespace lq
