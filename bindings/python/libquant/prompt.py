"""Prompt formats: fill-in-the-middle options and chat messages."""

import ctypes as C

from . import _structs as S

INFILL_SUFFIX_FIRST = 1 << 0
CHAT_ADD_ASSISTANT = 1 << 0


def _utf8(text):
    return text.encode("utf-8") if isinstance(text, str) else bytes(text)


def infill_options(prefix, suffix, files=None, repo_name=None, file_name=None, max_prompt_tokens=0,
                   suffix_first=False):
    """The ``lq_infill_options`` of the arguments, and the objects that must outlive the call."""
    keep = []
    options = S.InfillOptions(max_prompt_tokens=max_prompt_tokens,
                              flags=INFILL_SUFFIX_FIRST if suffix_first else 0)
    for name in ("prefix", "suffix"):
        data = _utf8(prefix if name == "prefix" else suffix)
        keep.append(data)
        setattr(options, name, data)
        setattr(options, name + "_len", len(data))
    if files:
        items = list(files.items()) if isinstance(files, dict) else list(files)
        names = (C.c_char_p * len(items))(*[_utf8(n) for n, _ in items])
        texts = (C.c_char_p * len(items))(*[_utf8(t) for _, t in items])
        keep.extend([names, texts])
        options.file_names = names
        options.file_texts = texts
        options.n_files = len(items)
    if repo_name is not None:
        options.repo_name = _utf8(repo_name)
    if file_name is not None:
        options.file_name = _utf8(file_name)
    return options, keep


def chat_messages(messages):
    """An ``lq_chat_message`` array of ``[(role, content)]`` or ``[{"role":..., "content":...}]``."""
    pairs = [(m["role"], m["content"]) if isinstance(m, dict) else tuple(m) for m in messages]
    array = (S.ChatMessage * len(pairs))()
    for i, (role, content) in enumerate(pairs):
        array[i].role = _utf8(role)
        array[i].content = _utf8(content)
    return array
