import pytest

import libquant
from libquant import Status


def test_info(model):
    info = model.info()
    assert info.architecture == "llama"
    assert info.n_vocab == 512
    assert info.n_layer > 0 and info.n_head >= info.n_head_kv > 0
    assert model.metadata("general.architecture") == "llama"
    assert model.metadata("no.such.key") is None


def test_a_missing_file_is_an_io_error(tmp_path):
    path = tmp_path / "absent.gguf"
    with pytest.raises(libquant.LibquantError) as caught:
        libquant.Model(path)
    assert caught.value.status == Status.IO
    assert str(path) in caught.value.message


def test_a_file_that_is_not_gguf_is_a_format_error(tmp_path):
    path = tmp_path / "text.gguf"
    path.write_bytes(b"this is not a model file at all, just some text" * 4)
    with pytest.raises(libquant.LibquantError) as caught:
        libquant.Model(path)
    assert caught.value.status == Status.MODEL_FORMAT
    assert caught.value.message


def test_load_progress_can_cancel(model_path):
    seen = []
    with libquant.Model(model_path, progress=lambda f: seen.append(f) is None):
        pass
    assert seen and all(0.0 <= f <= 1.0 for f in seen)
    with pytest.raises(libquant.LibquantError) as caught:
        libquant.Model(model_path, progress=lambda f: False)
    assert caught.value.status == Status.CANCELLED


def test_tokenize_round_trip(model):
    text = "Once upon a time, there was a little girl."
    ids = model.tokenize(text)
    assert ids[0] == 1  # BOS
    assert model.detokenize(ids) == text
    assert model.tokenize(text, add_special=False) == ids[1:]
    assert model.detokenize([]) == ""


def test_an_invalid_token_is_an_error(model):
    with pytest.raises(libquant.LibquantError) as caught:
        model.detokenize([100000])
    assert caught.value.status == Status.INVALID_ARGUMENT
    assert "100000" in caught.value.message


def test_a_closed_model_refuses_work(model_path):
    model = libquant.Model(model_path)
    model.close()
    with pytest.raises(libquant.LibquantError):
        model.tokenize("x")


def test_a_context_keeps_its_model_alive(model_path):
    model = libquant.Model(model_path)
    context = libquant.Context(model, n_threads=1)
    model.close()  # deferred until the context goes
    assert context.generate("Once", max_tokens=4, temperature=0).n_generated_tokens > 0
    context.close()
    with pytest.raises(libquant.LibquantError):
        model.info()
