import pytest

import libquant
from libquant import Status

from conftest import GREEDY, PROMPT


def test_a_session_round_trip_through_a_file_and_bytes(model, tmp_path):
    with libquant.Context(model, n_ctx=128, n_threads=1) as first, \
            libquant.Context(model, n_ctx=128, n_threads=1) as second:
        first.generate(PROMPT, max_tokens=0)  # warm-up: the prompt only
        path = tmp_path / "prompt.lqsession"
        first.save_session(path)
        image = first.save_session()
        assert image[:8] == b"LQSESSN\0"
        expected = first.generate(PROMPT, **GREEDY)
        second.load_session(path)
        restored = second.generate(PROMPT, **GREEDY)
        assert restored.text == expected.text
        assert restored.n_reused_tokens == restored.n_prompt_tokens - 1
        second.reset()
        second.load_session(image)
        assert second.info().n_past == len(model.tokenize(PROMPT))


def test_a_bad_session_leaves_the_context_as_it_was(model):
    with libquant.Context(model, n_ctx=128, n_threads=1) as context:
        context.generate(PROMPT, max_tokens=0)
        image = context.save_session()
        context.reset()
        context.generate("Lily", max_tokens=0)
        before = context.info().n_past
        for bad, status in ((image[:-1], Status.MODEL_FORMAT), (b"junk" * 20, Status.MODEL_FORMAT),
                            (image[:30] + bytes([image[30] ^ 1]) + image[31:], Status.MODEL_FORMAT)):
            with pytest.raises(libquant.LibquantError) as caught:
                context.load_session(bad)
            assert caught.value.status == status
            assert context.info().n_past == before
    with libquant.Context(model, n_ctx=128, n_threads=1, kv_type=libquant.TYPE_F32) as other:
        with pytest.raises(libquant.LibquantError) as caught:
            other.load_session(image)
        assert caught.value.status == Status.TYPE_MISMATCH
