import os
import subprocess

import pytest

import libquant


def _required(name):
    value = os.environ.get(name)
    if not value:
        pytest.exit(f"{name} is not set (the CTest environment sets it)", returncode=2)
    return value


@pytest.fixture(scope="session")
def model_path():
    return _required("LQ_TEST_MODEL")


@pytest.fixture(scope="session")
def model(model_path):
    with libquant.Model(model_path) as loaded:
        yield loaded


@pytest.fixture()
def context(model):
    with libquant.Context(model, n_ctx=128, n_threads=1) as made:
        yield made


@pytest.fixture(scope="session")
def c_layout():
    """{"lq_x": size, "lq_x.field": (offset, size)} as the C compiler lays them out."""
    output = subprocess.run([_required("LQ_LAYOUT_TOOL")], check=True, capture_output=True, text=True).stdout
    layout = {}
    for line in output.splitlines():
        parts = line.split()
        layout[parts[0]] = int(parts[1]) if len(parts) == 2 else (int(parts[1]), int(parts[2]))
    return layout


GREEDY = dict(max_tokens=48, temperature=0.0, seed=42)
PROMPT = "Once upon a time"
