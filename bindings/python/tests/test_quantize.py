import pytest

import libquant
from libquant import Status

from conftest import PROMPT


def test_quantize_with_progress(model_path, tmp_path):
    out = tmp_path / "q8.gguf"
    seen, lines = [], []
    libquant.quantize(model_path, out, "q8_0", progress=seen.append, on_message=lines.append)
    assert seen and all(0.0 <= f <= 1.0 for f in seen)
    assert seen == sorted(seen)
    assert lines
    with libquant.Model(out) as model, libquant.Context(model, n_threads=1) as context:
        assert model.info().n_vocab == 512
        assert context.generate(PROMPT, max_tokens=16, temperature=0).n_generated_tokens > 0


def test_a_cancelled_quantization_leaves_no_file(model_path, tmp_path):
    out = tmp_path / "never.gguf"
    with pytest.raises(libquant.LibquantError) as caught:
        libquant.quantize(model_path, out, "q8_0", progress=lambda f: f < 0.3)
    assert caught.value.status == Status.CANCELLED
    assert list(tmp_path.iterdir()) == []


def test_an_unknown_target_is_an_error(model_path, tmp_path):
    with pytest.raises(libquant.LibquantError) as caught:
        libquant.quantize(model_path, tmp_path / "x.gguf", "q9_9")
    assert caught.value.status == Status.INVALID_ARGUMENT
    assert "q9_9" in caught.value.message
