import ctypes
import os
import subprocess
import sys

import libquant
from libquant import _structs


def test_version_and_abi():
    assert libquant.version() == libquant.__version__
    assert libquant.load_library().lq_abi_version() == libquant.ABI_VERSION


def test_struct_layouts_match_the_header(c_layout):
    for mirror, c_name in _structs.C_NAMES.items():
        assert ctypes.sizeof(mirror) == c_layout[c_name], c_name
        for field, _type in mirror._fields_:
            descriptor = getattr(mirror, field)
            assert (descriptor.offset, descriptor.size) == c_layout[f"{c_name}.{field}"], f"{c_name}.{field}"
        c_fields = [key for key in c_layout if key.startswith(c_name + ".")]
        assert len(c_fields) == len(mirror._fields_), f"{c_name} has fields the mirror lacks"


def test_a_missing_library_lists_the_paths_tried(tmp_path):
    script = "import libquant\ntry:\n    libquant.load_library()\nexcept libquant.LibraryNotFoundError as e:\n" \
             "    print(e)\n    raise SystemExit(3)\n"
    env = dict(os.environ, LIBQUANT_LIBRARY=str(tmp_path / "nowhere" / "libquant.so.1"),
               LD_LIBRARY_PATH="", PYTHONPATH=os.pathsep.join(sys.path))
    done = subprocess.run([sys.executable, "-c", script], env=env, capture_output=True, text=True)
    if done.returncode == 0:
        # A libquant is installed system-wide; the search fell through to it.
        return
    assert done.returncode == 3, done.stderr
    assert str(tmp_path / "nowhere" / "libquant.so.1") in done.stdout
    assert "no such file" in done.stdout
    assert "libquant.so.1:" in done.stdout


def test_an_explicit_path_is_used_before_the_environment(tmp_path):
    script = "import libquant, sys\nlibquant.load_library(sys.argv[1])\nprint(libquant.version())\n"
    env = dict(os.environ, LIBQUANT_LIBRARY=str(tmp_path / "wrong.so"), PYTHONPATH=os.pathsep.join(sys.path))
    done = subprocess.run([sys.executable, "-c", script, os.environ["LIBQUANT_LIBRARY"]], env=env,
                          capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == libquant.__version__
