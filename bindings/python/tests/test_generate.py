import threading

import pytest

import libquant
from libquant import Status, StopReason

from conftest import GREEDY, PROMPT


@pytest.fixture(scope="module")
def greedy(model):
    with libquant.Context(model, n_ctx=128, n_threads=1) as context:
        return context.generate(PROMPT, **GREEDY)


def test_greedy_generation_is_deterministic_and_streams(context, greedy):
    pieces = []
    result = context.generate(PROMPT, on_text=pieces.append, **GREEDY)
    assert result.n_generated_tokens > 0
    assert result.n_prompt_tokens == len(context.model.tokenize(PROMPT))
    assert "".join(pieces) == result.text
    assert result.text == greedy.text
    assert result.stop_reason in (StopReason.MAX_TOKENS, StopReason.END_OF_GENERATION)


def test_the_iterator_yields_the_same_text(context, greedy):
    stream = context.stream(PROMPT, **GREEDY)
    assert "".join(stream) == greedy.text
    assert stream.result.text == greedy.text


def test_leaving_the_iterator_early_stops_the_generation(context, greedy):
    stream = context.stream(PROMPT, **GREEDY)
    first = next(stream)
    stream.close()
    assert greedy.text.startswith(first)
    assert stream.result.stop_reason == StopReason.CALLBACK
    assert context.generate(PROMPT, **GREEDY).text == greedy.text


def test_a_stop_string_ends_the_text_before_it(context, greedy):
    words = greedy.text.split()
    word = words[len(words) // 2]
    result = context.generate(PROMPT, stop=[word], **GREEDY)
    assert result.stop_reason == StopReason.STRING
    assert result.text == greedy.text[:greedy.text.index(word)]


def test_the_callback_can_stop(context, greedy):
    pieces = []

    def three(piece):
        pieces.append(piece)
        return len(pieces) < 3

    result = context.generate(PROMPT, on_text=three, **GREEDY)
    assert result.stop_reason == StopReason.CALLBACK
    assert len(pieces) == 3
    assert greedy.text.startswith(result.text)


def test_cancel_from_another_thread(context, greedy):
    asked, done = threading.Event(), threading.Event()

    def canceller():
        asked.wait()
        context.cancel()
        done.set()

    thread = threading.Thread(target=canceller)
    thread.start()
    count = [0]

    def on_text(_piece):
        count[0] += 1
        if count[0] == 5:
            asked.set()
            assert done.wait(10)
        return True

    result = context.generate(PROMPT, on_text=on_text, **GREEDY)
    thread.join()
    assert result.stop_reason == StopReason.CANCELLED
    assert greedy.text.startswith(result.text) and len(result.text) < len(greedy.text)
    assert 0 < result.n_generated_tokens < greedy.n_generated_tokens
    # The request was consumed: the context works normally again.
    assert context.generate(PROMPT, **GREEDY).text == greedy.text


def test_an_exception_in_the_callback_reaches_the_caller(context, greedy):
    def boom(_piece):
        raise KeyError("from the callback")

    with pytest.raises(KeyError, match="from the callback"):
        context.generate(PROMPT, on_text=boom, **GREEDY)
    assert context.generate(PROMPT, **GREEDY).text == greedy.text


def test_an_error_in_the_stream_is_raised_by_the_iteration(context):
    with pytest.raises(libquant.LibquantError) as caught:
        list(context.stream(list(range(1000)), max_tokens=4))
    assert caught.value.status in (Status.CONTEXT_FULL, Status.INVALID_ARGUMENT)


def test_a_prompt_longer_than_the_context_is_refused(context):
    with pytest.raises(libquant.LibquantError) as caught:
        context.generate("once upon a time " * 200, max_tokens=4)
    assert caught.value.status == Status.CONTEXT_FULL
    assert caught.value.message


def test_bad_options_are_errors(model):
    with pytest.raises(libquant.LibquantError) as caught:
        libquant.Context(model, kv_type=12345)
    assert caught.value.status in (Status.INVALID_ARGUMENT, Status.UNSUPPORTED)
    assert caught.value.message
    with pytest.raises(libquant.LibquantError):
        libquant.Context(model, backend="tpu")
    with libquant.Context(model, n_threads=1) as context:
        with pytest.raises(TypeError):
            context.generate(PROMPT, temprature=0.0)


def test_contexts_on_one_model_in_parallel(model, greedy):
    texts = [None] * 4

    def run(i):
        with libquant.Context(model, n_ctx=128, n_threads=1) as context:
            texts[i] = context.generate(PROMPT, **GREEDY).text

    threads = [threading.Thread(target=run, args=(i,)) for i in range(len(texts))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert texts == [greedy.text] * len(texts)


def test_context_info_and_reset(context):
    context.generate(PROMPT, max_tokens=4, temperature=0)
    info = context.info()
    assert info.n_ctx == 128 and info.n_past > 0 and info.n_vocab == 512
    context.reset()
    assert context.info().n_past == 0
