"""test_install.py: `pip install ./python` works offline with the standard
tools (pip, setuptools; no package from an index) into a virtual
environment and into a --target folder, and the installed package finds its
own copy of libdyad.so and its dyad-dask command. pip builds in the source
folder, so the package is copied first: the repository stays clean."""
import os
import shutil
import subprocess
import sys

import pytest

from conftest import ROOT

PIP = ["--no-build-isolation", "--no-index", "--disable-pip-version-check",
       "-q"]


@pytest.fixture()
def src(tmp_path):
    """A copy of the repository's python/ with build/libdyad.so beside it,
    as in the repository, so setup.py's default path is the one tested."""
    from dyad import _lib
    repo = tmp_path / "repo"
    shutil.copytree(os.path.join(ROOT, "python"), repo / "python",
                    ignore=shutil.ignore_patterns("build", "*.egg-info",
                                                  "__pycache__", "*.so"))
    (repo / "build").mkdir()
    shutil.copyfile(_lib.path, repo / "build" / "libdyad.so")
    return repo / "python"


def env_without_lib():
    env = dict(os.environ)
    for k in ("DYAD_LIB", "PYTHONPATH"):
        env.pop(k, None)
    return env


def check_import(python, where, tmp_path, extra_env=None):
    env = env_without_lib()
    env.update(extra_env or {})
    p = subprocess.run([python, "-c", "import dyad, sys; "
                        "print(dyad.library_path); "
                        "c = dyad.Coder(default_date='2021-08-25'); "
                        "print(c.code('Russian President Vladimir Putin met "
                        "Chinese President Xi Jinping.')[0]['code'])"],
                       capture_output=True, text=True, env=env, cwd=tmp_path,
                       timeout=120)
    assert p.returncode == 0, p.stderr[-2000:]
    lib, code = p.stdout.split()
    assert lib.startswith(str(where)) and lib.endswith("dyad/libdyad.so")
    assert code.startswith("0")


def test_pip_install_into_venv(src, tmp_path):
    venv = tmp_path / "venv"
    subprocess.run([sys.executable, "-m", "venv", "--system-site-packages",
                    str(venv)], check=True, timeout=120)
    py = str(venv / "bin" / "python")
    p = subprocess.run([py, "-m", "pip", "install", *PIP, str(src)],
                       capture_output=True, text=True, env=env_without_lib(),
                       timeout=300)
    assert p.returncode == 0, p.stdout[-2000:] + p.stderr[-2000:]
    check_import(py, venv, tmp_path)
    h = subprocess.run([str(venv / "bin" / "dyad-dask"), "--help"],
                       capture_output=True, text=True, env=env_without_lib(),
                       timeout=120)
    assert h.returncode == 0 and "--scheduler" in h.stdout


def test_pip_install_target(src, tmp_path):
    target = tmp_path / "target"
    p = subprocess.run([sys.executable, "-m", "pip", "install", *PIP,
                        "--target", str(target), str(src)],
                       capture_output=True, text=True, env=env_without_lib(),
                       timeout=300)
    assert p.returncode == 0, p.stdout[-2000:] + p.stderr[-2000:]
    check_import(sys.executable, target, tmp_path,
                 {"PYTHONPATH": str(target)})


def test_install_without_library_says_how(src, tmp_path):
    os.unlink(src.parent / "build" / "libdyad.so")
    p = subprocess.run([sys.executable, "-m", "pip", "install", *PIP,
                        "--target", str(tmp_path / "t"), str(src)],
                       capture_output=True, text=True, env=env_without_lib(),
                       timeout=300)
    assert p.returncode != 0
    assert "run `make`" in p.stdout + p.stderr


def test_library_not_found_message(tmp_path):
    env = env_without_lib()
    env["DYAD_LIB"] = str(tmp_path / "nope.so")
    env["PYTHONPATH"] = os.path.join(ROOT, "python")
    p = subprocess.run([sys.executable, "-c", "import dyad"],
                       capture_output=True, text=True, env=env, timeout=60)
    assert p.returncode != 0
    assert "libdyad.so not found" in p.stderr and "DYAD_LIB" in p.stderr
