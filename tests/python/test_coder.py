"""test_coder.py: dyad.Coder codes as `dyad code` does (the same events, field
for field and byte for byte), reports errors as DyadError with the library's
message, frees its C objects, and dyad.to_dataframe."""
import io
import json
import logging
import os
import sys

import pytest

import dyad
from conftest import SHARED, run_dyad

PUTIN_XI = ("Russian President Vladimir Putin spoke by telephone with "
            "Chinese President Xi Jinping on Monday. The two leaders "
            "discussed trade and energy.")


def cli_events(dyad_bin, *args):
    out, _err, _rc = run_dyad(dyad_bin, "code", *args, check=False)
    return [json.loads(line) for line in out.decode().splitlines()]


def test_code_same_events_as_cli(dyad_bin, tmp_path):
    art = tmp_path / "putin-xi.txt"
    art.write_text("date 2021-08-25\n" + PUTIN_XI + "\n")
    want = cli_events(dyad_bin, str(art))
    assert want, "the CLI found no event: the case tests nothing"
    with dyad.Coder() as c:
        got = c.code(PUTIN_XI + "\n", date="2021-08-25", doc_id="putin-xi")
    assert got == want


def test_fields_are_the_cli_fields(dyad_bin, tmp_path):
    art = tmp_path / "a.txt"
    art.write_text("date 2021-08-25\n" + PUTIN_XI)
    out, _, _ = run_dyad(dyad_bin, "code", str(art))
    cli_keys = list(json.loads(out.decode().splitlines()[0]))
    assert cli_keys == list(dyad.FIELDS)
    with dyad.Coder(default_date="2021-08-25") as c:
        ev = c.code(PUTIN_XI)[0]
    assert list(ev) == list(dyad.FIELDS)
    assert (ev["source"], ev["target"], ev["code"], ev["date"]) == \
        ("RUSGOV", "CHNGOV", "041", "2021-08-23")
    assert isinstance(ev["sentence"], int) and isinstance(ev["quad"], int)
    assert isinstance(ev["goldstein"], float)


def test_code_file_same_as_cli_jsonl(dyad_bin, corpus):
    want = cli_events(dyad_bin, corpus)
    assert len(want) > 100
    with dyad.Coder() as c:
        assert list(c.code_file(corpus)) == want


def test_code_each_article_same_as_cli(dyad_bin, corpus):
    """code() on each JSON Lines article's text, date and id."""
    want = cli_events(dyad_bin, corpus)
    got = []
    with dyad.Coder() as c:
        for line in open(corpus, encoding="utf-8"):
            a = json.loads(line)
            got += c.code(a["text"], date=a.get("date"), doc_id=a["id"],
                          title=a.get("title"))
    assert got == want


def test_code_file_directory_of_seeds(dyad_bin, seeds):
    want = cli_events(dyad_bin, "--date", "2021-08-25", seeds)
    with dyad.Coder(default_date="2021-08-25") as c:
        assert list(c.code_file(seeds)) == want


def test_write_jsonl_byte_for_byte(dyad_bin, corpus, tmp_path):
    want, _, _ = run_dyad(dyad_bin, "code", corpus)
    buf = io.BytesIO()
    with dyad.Coder() as c:
        n = c.write_jsonl(corpus, buf)
        assert buf.getvalue() == want
        assert n.articles == sum(1 for _ in open(corpus))
        assert n.events == want.count(b"\n") and n.errors == 0
        assert n.sentences > n.articles
        c.write_jsonl([corpus], str(tmp_path / "ev.jsonl"))
    assert (tmp_path / "ev.jsonl").read_bytes() == want


def test_dictionaries_like_cli(dyad_bin, seeds):
    phoenix = os.path.join(SHARED, "dictionaries", "phoenix")
    if not os.path.isdir(phoenix):
        pytest.skip("no Phoenix dictionaries")
    want = cli_events(dyad_bin, "--no-builtin", "--dict", phoenix, "--date",
                      "2021-08-25", seeds)
    assert want
    with dyad.Coder(dicts=[phoenix], builtin=False,
                    default_date="2021-08-25") as c:
        assert list(c.code_file(seeds)) == want


def test_small_buffer_grows():
    """The snprintf-style call is made again with a big enough buffer."""
    with dyad.Coder(default_date="2021-08-25") as c:
        want = c.code(PUTIN_XI)
        c._buf = dyad._Buf(8)
        assert c.code(PUTIN_XI) == want


def test_bad_dictionary_path(tmp_path):
    missing = str(tmp_path / "no-such-dict.txt")
    with pytest.raises(dyad.DyadError) as e:
        dyad.Coder(dicts=[missing])
    assert missing in str(e.value)
    assert "no such file or directory" in str(e.value)
    assert e.value.rc == -6


@pytest.mark.parametrize("bad", ["2021-02-30", "25/08/2021", "yesterday", ""])
def test_bad_dates(bad):
    with pytest.raises(dyad.DyadError) as e:
        dyad.Coder(default_date=bad)
    assert "unknown date format" in str(e.value) and repr(bad)[1:-1] in str(e.value)
    assert e.value.rc == -7
    with dyad.Coder() as c:
        with pytest.raises(dyad.DyadError, match="unknown date format"):
            c.code(PUTIN_XI, date=bad)
        assert c.code(PUTIN_XI, date="2021-08-25")  # the coder still works


def test_closed_coder(corpus):
    c = dyad.Coder()
    c.close()
    assert c.closed
    c.close()  # twice is fine
    with pytest.raises(dyad.DyadError, match="coder is closed"):
        c.code(PUTIN_XI)
    with pytest.raises(dyad.DyadError, match="coder is closed"):
        list(c.code_file(corpus))
    with dyad.Coder() as c2:
        pass
    with pytest.raises(dyad.DyadError, match="closed"):
        c2.code(PUTIN_XI)


def test_closed_while_iterating(corpus):
    c = dyad.Coder()
    it = c.code_file(corpus)
    next(it)
    c.close()
    with pytest.raises(dyad.DyadError, match="coder is closed"):
        list(it)


def test_shared_dictionary_outlives_close(corpus):
    d = dyad.Dictionary()
    c1, c2 = dyad.Coder(d), dyad.Coder(d)
    d.close()  # deferred: coders still use it
    with pytest.raises(dyad.DyadError, match="dictionary is closed"):
        dyad.Coder(d)
    assert c1.code(PUTIN_XI, date="2021-08-25") == \
        c2.code(PUTIN_XI, date="2021-08-25")
    c1.close()
    assert d._d is not None
    c2.close()
    assert d._d is None


def test_diagnostics_go_to_on_diag(tmp_path):
    bad = tmp_path / "bad.jsonl"
    bad.write_text('{"id": "a", "date": "2021-08-25", "text": "%s"}\n'
                   '{"id": "b", "text": broken\n'
                   '{"id": "c", "text": "%s"}\n' % (PUTIN_XI, PUTIN_XI))
    seen = []
    with dyad.Coder(on_diag=lambda *m: seen.append(m)) as c:
        docs = [e["doc"] for e in c.code_file(str(bad))]
        n = c.write_jsonl(str(bad), io.BytesIO())
    assert "a" in docs and "c" in docs and "b" not in docs
    errors = [m for m in seen if m[0] == "error"]
    assert errors and errors[0][1] == str(bad) and errors[0][2] == 2
    # c has no date: a warning naming its line
    assert any(m[0] == "warning" and m[2] == 3 for m in seen)
    assert n.errors == 1 and n.articles == 2


def test_diagnostics_default_to_logging(caplog):
    with caplog.at_level(logging.WARNING, logger="dyad"):
        with dyad.Coder() as c:
            c.code(PUTIN_XI, doc_id="undated")
    assert any("undated" in r.getMessage() or "date" in r.getMessage()
               for r in caplog.records if r.name == "dyad")


def test_missing_input_is_reported(tmp_path):
    seen = []
    with dyad.Coder(on_diag=lambda *m: seen.append(m)) as c:
        n = c.write_jsonl([str(tmp_path / "nope.jsonl")], io.BytesIO())
    assert n.errors == 1 and n.articles == 0
    assert seen[0][0] == "error" and "nope.jsonl" in seen[0][1]


def test_no_events_and_non_ascii():
    with dyad.Coder(default_date="2024-01-02") as c:
        assert c.code("The weather was fine.") == []
        evs = c.code("Der russische Präsident Wladimir Putin traf Xi. "
                     "Russian President Vladimir Putin met Chinese President "
                     "Xi Jinping in Moscow.", doc_id="ü")
        assert evs and evs[0]["doc"] == "ü"
        assert c.code(b"Russian President Vladimir Putin met Chinese "
                      b"President Xi Jinping.\xff") != []


def test_dataframe():
    pd = pytest.importorskip("pandas")
    with dyad.Coder(default_date="2021-08-25") as c:
        evs = c.code(PUTIN_XI, doc_id="d")
    df = dyad.to_dataframe(evs)
    assert list(df.columns) == list(dyad.FIELDS)
    assert len(df) == len(evs) and df.loc[0, "code"] == "041"
    assert df["quad"].dtype.kind == "i"
    empty = dyad.to_dataframe([])
    assert list(empty.columns) == list(dyad.FIELDS) and len(empty) == 0
    assert isinstance(df, pd.DataFrame)


def test_dataframe_without_pandas(monkeypatch):
    monkeypatch.setitem(sys.modules, "pandas", None)  # import fails
    with pytest.raises(ImportError, match="needs pandas.*python3-pandas"):
        dyad.to_dataframe([])


def test_error_pickles():
    import pickle
    e = pickle.loads(pickle.dumps(dyad.DyadError("x: out of memory", -1)))
    assert str(e) == "x: out of memory" and e.rc == -1


def test_struct_mirrors_match_header():
    """The ctypes structs mirror include/dyad.h field by field."""
    import re
    from dyad import _lib
    from conftest import ROOT
    h = open(os.path.join(ROOT, "include", "dyad.h")).read()
    for cname, py in (("dyad_article", _lib.Article),
                      ("dyad_store_filter", _lib.StoreFilter),
                      ("dyad_store_stat", _lib.StoreStat),
                      ("dyad_store_article", _lib.StoreArticle)):
        body = re.search(r"typedef struct %s \{(.*?)\} %s;" % (cname, cname),
                         h, re.S).group(1)
        body = re.sub(r"/\*.*?\*/", "", body, flags=re.S)
        names = []
        for decl in body.split(";"):
            decl = decl.strip()
            if decl:
                names += [re.sub(r"[^\w]", "", v.split()[-1])
                          for v in decl.split(",")]
        assert [f[0] for f in py._fields_[:len(names)]] == names, cname
