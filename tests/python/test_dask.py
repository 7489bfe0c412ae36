"""test_dask.py: dyad.dask on a real LocalCluster of 2 worker processes codes
the generated bench corpus split into 8 shards; the workers ingest into one
PostgreSQL store at once, and the merged events equal those of a single
`dyad ingest` of the whole corpus, every field (ids included). The event
shards, in shard order, are `dyad code`'s output byte for byte."""
import json
import os
import subprocess
import sys

import pytest

import dyad
import dyad.dask as dd
from conftest import ROOT, make_corpus, run_dyad

distributed = pytest.importorskip("distributed")

SENTENCES = int(os.environ.get("DYAD_DASK_SENTENCES", "8000"))
SHARDS = 8


@pytest.fixture(scope="module")
def shards(gen, tmp_path_factory):
    d = tmp_path_factory.mktemp("dask")
    corpus = make_corpus(gen, d / "corpus.jsonl", SENTENCES)
    lines = open(corpus, "rb").read().splitlines(keepends=True)
    assert len(lines) >= SHARDS * 10
    paths = []
    for i in range(SHARDS):  # contiguous, so their events concatenate
        p = d / f"shard-{i}.jsonl"
        p.write_bytes(b"".join(lines[i * len(lines) // SHARDS:
                                     (i + 1) * len(lines) // SHARDS]))
        paths.append(str(p))
    return corpus, paths, len(lines)


@pytest.fixture(scope="module")
def client():
    from distributed import Client, LocalCluster
    cluster = LocalCluster(n_workers=2, threads_per_worker=1, processes=True,
                           dashboard_address=None)
    c = Client(cluster)
    yield c
    c.close()
    cluster.close()


def sorted_lines(raw):
    return sorted(raw.decode().splitlines())


def test_dask_shards_into_postgres_equal_one_ingest(
        dyad_bin, postgres, shards, client, tmp_path):
    corpus, paths, narticles = shards
    db, ref = postgres(), postgres()

    results = dd.code_shards(client, paths, tmp_path / "events", db=db)
    assert [r["shard"] for r in results] == paths
    tot = dd.summary(results, 1.0)
    assert tot["articles"] == tot["added"] == narticles
    assert tot["errors"] == tot["replaced"] == tot["unchanged"] == 0
    print(f"\n# dask: {tot['workers']} workers, {tot['articles']} articles, "
          f"{tot['sentences']} sentences, task seconds "
          f"{tot['task_seconds']:.2f}")

    # One `dyad ingest` of the whole corpus into another database.
    _, err, _ = run_dyad(dyad_bin, "ingest", "--db", ref, corpus)
    assert f"{narticles} added" in err
    got, _, _ = run_dyad(dyad_bin, "events", "--db", db, "--format", "jsonl")
    want, _, _ = run_dyad(dyad_bin, "events", "--db", ref, "--format",
                          "jsonl")
    assert want.count(b"\n") > 100
    assert sorted_lines(got) == sorted_lines(want)
    # field by field too (the text comparison above is the strict one)
    key = lambda e: e["id"]  # noqa: E731
    assert sorted(map(json.loads, got.decode().splitlines()), key=key) == \
        sorted(map(json.loads, want.decode().splitlines()), key=key)
    with dyad.Store(db, readonly=True) as s:
        assert s.events() == [json.loads(x) for x in
                              want.decode().splitlines()]

    # The event shards: `dyad code` of the corpus, in shard order.
    code, _, _ = run_dyad(dyad_bin, "code", corpus)
    shard_events = b"".join(open(r["events_file"], "rb").read()
                            for r in results)
    assert shard_events == code
    assert sum(r["events"] for r in results) == code.count(b"\n")
    assert not [f for f in os.listdir(tmp_path / "events") if ".tmp" in f]

    # Run again: every article is already stored; nothing changes.
    again = dd.code_shards(client, paths, tmp_path / "events", db=db)
    assert sum(r["unchanged"] for r in again) == narticles
    got2, _, _ = run_dyad(dyad_bin, "events", "--db", db)
    assert got2 == got


def test_dask_without_store(client, shards, dyad_bin, tmp_path):
    corpus, paths, _ = shards
    results = dd.code_shards(client, paths[:3], tmp_path, default_date=None)
    code, _, _ = run_dyad(dyad_bin, "code", *paths[:3])
    assert b"".join(open(r["events_file"], "rb").read()
                    for r in results) == code
    assert all(r["added"] == 0 for r in results)


def test_dask_errors(client, tmp_path, shards):
    _corpus, paths, _ = shards
    with pytest.raises(dyad.DyadError, match="same name"):
        dd.code_shards(client, [paths[0], paths[0]], tmp_path)
    with pytest.raises(dyad.DyadError, match="no-such-dict"):
        dd.code_shards(client, paths[:1], tmp_path,
                       dicts=[str(tmp_path / "no-such-dict")])
    missing = str(tmp_path / "missing.jsonl")
    (r,) = dd.code_shards(client, [missing], tmp_path / "out")
    assert r["errors"] == 1 and r["articles"] == 0


def test_dyad_dask_command(shards, tmp_path):
    """python3 -m dyad.dask with a local cluster of 2 workers, into SQLite."""
    _corpus, paths, _n = shards
    env = dict(os.environ)
    env["PYTHONPATH"] = os.path.join(ROOT, "python") + os.pathsep + \
        env.get("PYTHONPATH", "")
    db = str(tmp_path / "cmd.db")
    p = subprocess.run([sys.executable, "-m", "dyad.dask", "--workers", "2",
                        "-q", "-o", str(tmp_path / "ev"), "--db", db,
                        *paths[:4]], capture_output=True, text=True, env=env,
                       timeout=300)
    assert p.returncode == 0, p.stderr[-3000:]
    assert "8 shards" not in p.stderr and "4 shards on" in p.stderr
    assert "articles/s" in p.stderr
    assert len(os.listdir(tmp_path / "ev")) == 4
    with dyad.Store(db, readonly=True) as s:
        assert s.events()
    bad = subprocess.run([sys.executable, "-m", "dyad.dask", "--batch", "0",
                          "-o", str(tmp_path), paths[0]], capture_output=True,
                         text=True, env=env, timeout=120)
    assert bad.returncode == 2 and "--batch" in bad.stderr
    bad = subprocess.run([sys.executable, "-m", "dyad.dask", "--date",
                          "2021-02-30", "-o", str(tmp_path), paths[0]],
                         capture_output=True, text=True, env=env, timeout=120)
    assert bad.returncode == 2 and "--date" in bad.stderr
