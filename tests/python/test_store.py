"""test_store.py: dyad.Store ingests as `dyad ingest` does and queries as
`dyad events`, `stats` and `search` do (SQLite; PostgreSQL in test_dask.py),
with errors as DyadError carrying the store's message."""
import io
import json
import os
import sqlite3

import pytest

import dyad
from conftest import run_dyad


def cli_store_events(dyad_bin, db, *args):
    out, _, _ = run_dyad(dyad_bin, "events", "--db", db, *args)
    return [json.loads(line) for line in out.decode().splitlines()]


@pytest.fixture(scope="module")
def ref_db(dyad_bin, corpus, tmp_path_factory):
    """The corpus ingested by the CLI."""
    db = str(tmp_path_factory.mktemp("ref") / "ref.db")
    run_dyad(dyad_bin, "ingest", "--db", db, corpus)
    return db


def test_ingest_same_events_as_cli(dyad_bin, corpus, ref_db, tmp_path):
    db = str(tmp_path / "py.db")
    out = io.BytesIO()
    with dyad.Coder() as c, dyad.Store(db) as s:
        n = s.ingest(c, corpus, batch=17, out=out)
        assert n.added == n.articles == sum(1 for _ in open(corpus))
        assert n.replaced == n.unchanged == n.errors == 0
        again = s.ingest(c, [corpus])
        assert again.unchanged == n.articles and again.added == 0
        got = s.events()
    want = cli_store_events(dyad_bin, ref_db)
    assert len(want) > 50
    assert got == want
    assert cli_store_events(dyad_bin, db) == want
    cli_code, _, _ = run_dyad(dyad_bin, "code", corpus)
    assert out.getvalue() == cli_code


def test_queries_like_cli(dyad_bin, ref_db):
    with dyad.Store(ref_db, readonly=True) as s:
        assert s.events(root="04", since="2020-01-01") == \
            cli_store_events(dyad_bin, ref_db, "--root", "04", "--since",
                             "2020-01-01")
        assert s.events(dyad="RUS:CHN") == \
            cli_store_events(dyad_bin, ref_db, "--dyad", "RUS:CHN")
        assert s.events(code="19*", actor="RUS") == \
            cli_store_events(dyad_bin, ref_db, "--code", "19*", "--actor",
                             "RUS")
        lean = s.events(mentions=False)
        full = s.events()
        assert [e["id"] for e in lean] == [e["id"] for e in full]
        assert all(e["mentions"] == [] for e in lean)
        assert all(len(e["mentions"]) == e["num_mentions"] for e in full)
        stats = s.stats()
        out, _, _ = run_dyad(dyad_bin, "stats", "--db", ref_db, "--format",
                             "csv")
        rows = out.decode().splitlines()[1:]
        assert [f"{r['table']},{r['key']},{r['events']},{r['mentions']},"
                f"{r['goldstein_sum']:.1f}" for r in stats] == rows
        assert s.window == 1


def test_search(dyad_bin, seeds, tmp_path):
    db = str(tmp_path / "s.db")
    with dyad.Coder(default_date="2021-08-25") as c, dyad.Store(db) as s:
        s.ingest(c, seeds)
        hits = s.search("embassy Kabul", limit=5)
        assert hits and any(h["id"].startswith("001_") for h in hits)
        assert set(hits[0]) == {"id", "date", "title", "source", "url"}
        assert s.search("zzyzzyva") == []


def test_store_errors(tmp_path, corpus):
    with pytest.raises(dyad.DyadError) as e:
        dyad.Store(str(tmp_path / "none.db"), readonly=True)
    assert "none.db" in str(e.value) and e.value.rc < 0
    other = str(tmp_path / "other.db")
    con = sqlite3.connect(other)
    con.execute("CREATE TABLE t (x int)")
    con.commit()
    con.close()
    with pytest.raises(dyad.DyadError, match="not a dyad database"):
        dyad.Store(other)
    s = dyad.Store(str(tmp_path / "ok.db"))
    with pytest.raises(dyad.DyadError, match="--since|since"):
        s.events(since="2021-13-45")
    with pytest.raises(dyad.DyadError, match="dyad"):
        s.events(dyad="RUS")
    with pytest.raises(dyad.DyadError, match="code"):
        s.events(code="0x'; DROP TABLE events; --")
    with pytest.raises(dyad.DyadError):
        s.window = 400
    s.close()
    s.close()
    with pytest.raises(dyad.DyadError, match="store is closed"):
        s.events()
    with dyad.Coder() as c, pytest.raises(dyad.DyadError, match="closed"):
        s.ingest(c, corpus)


def test_callback_exception_stops_query(ref_db, monkeypatch):
    with dyad.Store(ref_db, readonly=True) as s:
        calls = []

        def boom(_raw):
            calls.append(1)
            raise ValueError("stop here")
        monkeypatch.setattr(dyad.json, "loads", boom)
        with pytest.raises(ValueError, match="stop here"):
            s.events()
        assert calls == [1]


def test_window_rewrites(dyad_bin, tmp_path):
    d1, d2 = tmp_path / "d1.txt", tmp_path / "d2.txt"
    body = ("Russian President Vladimir Putin held talks with Chinese "
            "President Xi Jinping in Moscow.\n")
    d1.write_text("date 2024-05-07\n" + body)
    d2.write_text("date 2024-05-08\n" + body)
    db = str(tmp_path / "w.db")
    with dyad.Coder() as c, dyad.Store(db) as s:
        s.ingest(c, [str(d1), str(d2)])
        assert len(s.events(dyad="RUS:CHN")) == 1
        s.window = 0
        assert s.window == 0 and len(s.events(dyad="RUS:CHN")) == 2
    assert os.path.exists(db)
