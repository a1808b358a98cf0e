import os

import jinja2
import pytest

import libquant
from libquant import Status


def vocab(name):
    path = os.path.join(os.environ["LQ_SHARED_DIR"], "tokenizer-tests", f"ggml-vocab-{name}.gguf")
    return libquant.Model(path, vocab_only=True)


def control(model, text):
    ids = model.tokenize(text, add_special=False, parse_special=True)
    assert len(ids) == 1, text
    return ids[0]


def test_infill_prompt_in_the_repository_layout():
    with vocab("starcoder") as model:
        pre, suf, mid = (control(model, t) for t in ("<fim_prefix>", "<fim_suffix>", "<fim_middle>"))
        rep, sep = control(model, "<repo_name>"), control(model, "<file_sep>")
        plain = lambda text: model.tokenize(text, add_special=False)  # noqa: E731
        ids = model.infill_prompt("def f(x):\n    ", "\n    return y\n", files={"util.py": "X = 1\n"},
                                  repo_name="calc", file_name="main.py")
        expected = [rep] + plain("calc\n") + [sep] + plain("util.py\nX = 1\n") + [sep] + plain("main.py\n") + \
            [pre] + plain("def f(x):\n    ") + [suf] + plain("\n    return y\n") + [mid]
        assert ids[-len(expected):] == expected
        spm = model.infill_prompt("a", "b", suffix_first=True)
        expected_spm = [pre, suf] + plain("b") + [mid] + plain("a")
        assert spm[-len(expected_spm):] == expected_spm
        budget = model.infill_prompt("x = 1\n" * 100, "y = 2\n" * 100, max_prompt_tokens=50)
        assert len(budget) == 50


def test_infill_needs_a_code_model(model, context):
    with pytest.raises(libquant.LibquantError) as caught:
        model.infill_prompt("a", "b")
    assert caught.value.status == Status.UNSUPPORTED
    with pytest.raises(libquant.LibquantError) as caught:
        context.infill("a", "b")
    assert caught.value.status == Status.UNSUPPORTED


def test_chat_templates(model):
    assert model.chat_template() is None
    with pytest.raises(libquant.LibquantError) as caught:
        model.apply_chat_template([("user", "Hi")])
    assert caught.value.status == Status.NOT_FOUND
    text = model.apply_chat_template([{"role": "user", "content": "Hi"}], template="chatml")
    assert text == "<|im_start|>user\nHi<|im_end|>\n<|im_start|>assistant\n"
    with pytest.raises(libquant.LibquantError) as caught:
        model.apply_chat_template([("user", "Hi")], template="vicuna")
    assert caught.value.status == Status.INVALID_ARGUMENT and "chatml" in caught.value.message


def test_the_phi3_rendering_equals_the_models_own_template():
    # The vocabulary file carries Phi-3's real Jinja template: rendering it
    # with Jinja must give what libquant renders (less the BOS it adds).
    with vocab("phi-3") as model:
        assert model.chat_template() == "phi3"
        template = jinja2.Environment().from_string(model.metadata("tokenizer.chat_template"))
        conversations = [
            [("user", "Hello")],
            [("user", "Hello"), ("assistant", "Hi there."), ("user", "Tell me a joke\nabout cats.")],
        ]
        for turns in conversations:
            messages = [{"role": r, "content": c} for r, c in turns]
            expected = template.render(messages=messages, bos_token="<s>", eos_token="</s>",
                                       add_generation_prompt=True)
            assert expected.startswith("<s>")
            assert model.apply_chat_template(turns) == expected[len("<s>"):]


def test_a_chat_turn_reuses_the_cache(model):
    with libquant.Context(model, n_ctx=256, n_threads=1) as context:
        turns = [("user", "Hello")]
        first = context.generate(model.apply_chat_template(turns, template="chatml"), parse_special=True,
                                 max_tokens=8, temperature=0)
        turns += [("assistant", first.text), ("user", "Again")]
        second = context.generate(model.apply_chat_template(turns, template="chatml"), parse_special=True,
                                  max_tokens=8, temperature=0)
        assert second.n_reused_tokens >= first.n_prompt_tokens
