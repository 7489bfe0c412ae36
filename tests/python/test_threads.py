"""test_threads.py: the GIL is released while libdyad works (ctypes.CDLL),
and threads with separate Coders code at the same time with the results of
one thread. No timing: the GIL check is a rendezvous that cannot complete
unless a Python thread runs while another is inside a C call."""
import faulthandler
import json
import os
import sys
import threading

import dyad
from dyad import _lib

ARTICLE = ("date 2021-08-25\nRussian President Vladimir Putin spoke by "
           "telephone with Chinese President Xi Jinping on Monday.\n")


def code_line(c, line):
    """code() one JSON Lines article."""
    a = json.loads(line)
    return c.code(a["text"], date=a.get("date"), doc_id=a["id"])


def test_library_loaded_with_cdll():
    # CDLL releases the GIL around foreign calls; PyDLL would keep it.
    assert type(_lib.lib) is __import__("ctypes").CDLL


def test_gil_released_during_c_call(tmp_path):
    """Thread A codes a FIFO: the library's reader blocks in C (fopen and
    read) until someone writes the article. This thread then runs Python
    code and writes it. Were the GIL held during the C call, this thread
    could not run and both would wait forever; a watchdog (a C thread of
    faulthandler, GIL-free) ends the process then instead of hanging."""
    fifo = str(tmp_path / "article.txt")
    os.mkfifo(fifo)
    coder = dyad.Coder()
    got, errors = [], []
    entered = threading.Event()

    def code():
        try:
            entered.set()
            got.extend(coder.code_file(fifo))  # blocks inside C
        except BaseException as e:  # reported below
            errors.append(e)

    faulthandler.dump_traceback_later(120, exit=True, file=sys.stderr)
    try:
        a = threading.Thread(target=code)
        a.start()
        assert entered.wait(60)
        # Python work on this thread while A is (or soon will be) in C.
        text = "".join(ch for ch in ARTICLE)  # bytecode, needs the GIL
        with open(fifo, "w") as w:  # rendezvous with A's fopen
            w.write(text)
        a.join()
    finally:
        faulthandler.cancel_dump_traceback_later()
        coder.close()
    assert not errors, errors
    assert [(e["source"], e["target"], e["code"]) for e in got] == \
        [("RUSGOV", "CHNGOV", "041"), ("CHNGOV", "RUSGOV", "041")]
    assert got[0]["doc"] == "article"


def test_threads_with_separate_coders(corpus):
    """Two threads, each its own Coder over one shared Dictionary, code the
    two halves of the corpus at once: each gets what one thread gets."""
    lines = open(corpus, "rb").read().splitlines(keepends=True)
    halves = [lines[: len(lines) // 2], lines[len(lines) // 2:]]
    d = dyad.Dictionary()
    with dyad.Coder(d) as c:
        serial = [[ev for line in h for ev in
                   code_line(c, line)] for h in halves]
    results = [None, None]
    start = threading.Barrier(2)

    def work(i):
        with dyad.Coder(d) as c:
            start.wait()
            results[i] = [ev for line in halves[i] for ev in
                          code_line(c, line)]

    ts = [threading.Thread(target=work, args=(i,)) for i in range(2)]
    for t in ts:
        t.start()
    for t in ts:
        t.join()
    d.close()
    assert results == serial
    assert all(len(r) > 50 for r in results)


def test_one_coder_shared_by_threads_is_serialized(corpus):
    """A Coder used from two threads at once stays correct (a lock)."""
    with dyad.Coder() as c:
        want = list(c.code_file(corpus))
        out = [None, None]

        def work(i):
            out[i] = list(c.code_file(corpus))

        ts = [threading.Thread(target=work, args=(i,)) for i in range(2)]
        for t in ts:
            t.start()
        for t in ts:
            t.join()
    assert out == [want, want]
