"""conftest.py: fixtures of the Python binding's tests (run by
tests/cli/python.sh, or `/usr/bin/python3 -m pytest tests/python`): the dyad
CLI to compare with ($DYAD, default build/dyad), the generated bench corpus,
the seed articles, and a throwaway PostgreSQL server on 127.0.0.1, started
as tests/cli/store_pg.sh starts one."""
import glob
import os
import shutil
import socket
import subprocess
import sys
import tempfile

import pytest

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(
    __file__))))
sys.path.insert(0, os.path.join(ROOT, "python"))
SHARED = os.environ.get("DYAD_SHARED", os.path.join(ROOT, "..", "shared"))

# Compiled dictionary images of the tests stay out of the user's cache.
os.environ.setdefault("DYAD_CACHE_DIR",
                      tempfile.mkdtemp(prefix="dyad-pytest-cache."))


@pytest.fixture(scope="session")
def dyad_bin():
    """The CLI whose output the binding must reproduce."""
    b = os.environ.get("DYAD", os.path.join(ROOT, "build", "dyad"))
    if not os.access(b, os.X_OK):
        pytest.skip(f"no dyad binary at {b} (make)")
    return b


def cli_env():
    """The CLI's environment: without the sanitizer runtime that
    tests/cli/python.sh preloads into Python (the CLI links its own), and
    with the leak checker that Python's run has off."""
    env = dict(os.environ)
    env.pop("LD_PRELOAD", None)
    if "DYAD_CLI_ASAN_OPTIONS" in env:
        env["ASAN_OPTIONS"] = env["DYAD_CLI_ASAN_OPTIONS"]
    return env


def run_dyad(dyad_bin, *args, check=True):
    """Runs the CLI; (stdout bytes, stderr text, exit status)."""
    p = subprocess.run([dyad_bin, *args], capture_output=True, env=cli_env())
    err = p.stderr.decode("utf-8", "replace")
    if check and p.returncode != 0:
        raise AssertionError(f"dyad {' '.join(args)}: exit {p.returncode}: "
                             f"{err[-2000:]}")
    return p.stdout, err, p.returncode


@pytest.fixture(scope="session")
def gen(tmp_path_factory):
    """bench/gen.c built as bench/run.sh builds it."""
    out = tmp_path_factory.mktemp("gen") / "gen"
    subprocess.run(["cc", "-std=c11", "-O2", "-D_POSIX_C_SOURCE=200809L",
                    "-D_DEFAULT_SOURCE", os.path.join(ROOT, "bench", "gen.c"),
                    "-o", str(out)], check=True)
    return str(out)


def make_corpus(gen, path, sentences, seed=None):
    args = [gen, "--sentences", str(sentences), "-o", str(path)]
    if seed is not None:
        args[1:1] = ["--seed", str(seed)]
    subprocess.run(args, check=True, capture_output=True)
    return str(path)


@pytest.fixture(scope="session")
def corpus(gen, tmp_path_factory):
    """A small generated corpus (JSON Lines, about 120 articles)."""
    return make_corpus(gen, tmp_path_factory.mktemp("corpus") / "c.jsonl",
                       3000, seed=7)


@pytest.fixture(scope="session")
def seeds():
    d = os.path.join(SHARED, "seeds")
    if not os.path.isdir(d):
        pytest.skip(f"no seed articles in {d}")
    return d


@pytest.fixture(scope="session")
def postgres(tmp_path_factory):
    """A PostgreSQL server for the session: initdb in a temporary folder,
    trust authentication, user dyad, a free port on 127.0.0.1 (as
    tests/cli/store_pg.sh). Yields a function that makes a new database
    and returns its postgresql:// URL."""
    bins = sorted(glob.glob("/usr/lib/postgresql/*/bin"),
                  key=lambda p: [int(x) if x.isdigit() else x
                                 for x in p.split("/")])
    if not bins or not os.access(os.path.join(bins[-1], "initdb"), os.X_OK):
        pytest.skip("no PostgreSQL server installed "
                    "(tools/install-deps.sh installs it)")
    pgbin = bins[-1]
    pgdir = tempfile.mkdtemp(prefix="dyad-pytest-pg.")
    as_pg = []
    if os.getuid() == 0:  # the server refuses to run as root
        shutil.chown(pgdir, "postgres")
        as_pg = ["runuser", "-u", "postgres", "--"]
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    port = s.getsockname()[1]
    s.close()
    data = os.path.join(pgdir, "data")
    env = cli_env()  # the server is not ours to sanitize
    subprocess.run(as_pg + [f"{pgbin}/initdb", "-D", data, "-A", "trust",
                            "-U", "dyad"], check=True, capture_output=True,
                   env=env)
    start = subprocess.run(
        as_pg + [f"{pgbin}/pg_ctl", "-D", data, "-l",
                 os.path.join(pgdir, "server.log"), "-w", "-t", "60", "-o",
                 f"-h 127.0.0.1 -p {port} -k {pgdir} -c fsync=off "
                 "-c max_connections=50", "start"],
        capture_output=True, env=env)
    if start.returncode != 0:
        log = open(os.path.join(pgdir, "server.log"), errors="replace").read()
        shutil.rmtree(pgdir, ignore_errors=True)
        raise RuntimeError("cannot start PostgreSQL: " + log[-2000:])
    url = f"postgresql://dyad@127.0.0.1:{port}"
    n = [0]

    def newdb():
        n[0] += 1
        subprocess.run([f"{pgbin}/createdb", "-h", "127.0.0.1", "-p",
                        str(port), "-U", "dyad", f"db{n[0]}"], check=True,
                       capture_output=True, env=env)
        return f"{url}/db{n[0]}"

    try:
        yield newdb
    finally:
        subprocess.run(as_pg + [f"{pgbin}/pg_ctl", "-D", data, "-m",
                                "immediate", "stop"], capture_output=True,
                       env=env)
        shutil.rmtree(pgdir, ignore_errors=True)
