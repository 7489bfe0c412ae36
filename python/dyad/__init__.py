"""dyad: Python binding of libdyad, the political event coder (docs/python.md).

    import dyad
    with dyad.Coder(default_date="2021-08-25") as coder:
        for ev in coder.code("Putin spoke by telephone with Xi Jinping."):
            print(ev["source"], ev["target"], ev["code"])

Events are dicts with exactly the fields `dyad code` writes as JSON Lines
(the library formats them: dyad_doc_jsonl), stores are those of `dyad ingest`
(SQLite file or postgresql://...). Every C object is freed by close() or at
the end of a `with` block; the GIL is released while C works (_lib.py).
"""
import json
import logging
import os
import threading
from ctypes import byref, c_int, c_void_p, create_string_buffer, string_at

from . import _lib
from ._lib import lib

__version__ = "0.1.0"
__all__ = ["Coder", "Dictionary", "Store", "Counts", "DyadError", "FIELDS",
           "to_dataframe", "date_valid", "library_path"]

# The fields of one event, in the order `dyad code` writes them.
FIELDS = ("doc", "sentence", "date", "source", "source_name",
          "source_country", "target", "target_name", "target_country",
          "code", "root", "quad", "goldstein", "plover", "text", "pattern",
          "place")

library_path = _lib.path
log = logging.getLogger("dyad")

_EDATE, _ENOMEM, _EINVAL = -7, -1, -5


class DyadError(Exception):
    """A failure reported by libdyad; str() is the library's message and
    .rc its dyad_rc code (negative; 0 when the error is the binding's own,
    such as a closed object)."""

    def __init__(self, message, rc=0):
        super().__init__(message)
        self.rc = rc

    def __reduce__(self):  # rc survives pickling (Dask sends errors back)
        return (DyadError, (str(self), self.rc))


def _strerror(rc):
    return lib.dyad_strerror(rc).decode()


def _b(s):
    """str to NUL-terminated UTF-8 (None stays None)."""
    if s is None:
        return None
    if isinstance(s, bytes):
        return s
    return os.fsencode(s) if isinstance(s, os.PathLike) else str(s).encode()


def _s(b):
    return None if b is None else b.decode("utf-8", "replace")


def date_valid(ymd):
    """True when ymd is a calendar date written YYYY-MM-DD."""
    return ymd is not None and bool(lib.dyad_date_valid(_b(ymd)))


def _check_date(ymd, what):
    if ymd is not None and not date_valid(ymd):
        raise DyadError(f"bad {what} '{ymd}': {_strerror(_EDATE)} "
                        "(expected YYYY-MM-DD)", _EDATE)


class Counts:
    """What a run over files did: articles coded, their sentences and
    events, errors reported (damaged or skipped input), and for a store
    the articles added, replaced and unchanged."""
    __slots__ = ("articles", "sentences", "events", "errors", "added",
                 "replaced", "unchanged")

    def __init__(self):
        for k in self.__slots__:
            setattr(self, k, 0)

    def as_dict(self):
        return {k: getattr(self, k) for k in self.__slots__}

    def __repr__(self):
        return "Counts(" + ", ".join(f"{k}={v}" for k, v in
                                     self.as_dict().items()) + ")"


class _Diag:
    """The C diag callback of one object: passes each message to on_diag
    (severity "warning" or "error", file, line, message), by default the
    "dyad" logger, and counts the errors. Kept alive as long as the C object
    that holds it."""

    def __init__(self, on_diag):
        self.errors = 0
        self.on_diag = on_diag
        self.fn = _lib.DIAG_FN(self._call)

    def _call(self, _ud, sev, file, line, msg):
        error = sev == 2
        if error:
            self.errors += 1
        file, msg = _s(file) or "", _s(msg) or ""
        try:
            if self.on_diag is not None:
                self.on_diag("error" if error else "warning", file, line, msg)
            elif line > 0:
                log.log(logging.ERROR if error else logging.WARNING,
                        "%s:%d: %s", file, line, msg)
            else:
                log.log(logging.ERROR if error else logging.WARNING,
                        "%s: %s", file, msg)
        except Exception:  # an exception cannot cross the C frames
            log.exception("dyad: on_diag raised")


class _Buf:
    """A growable buffer for the snprintf-style text functions."""

    def __init__(self, size=1 << 16):
        self.b = create_string_buffer(size)

    def text(self, fn, obj):
        n = fn(obj, self.b, len(self.b))
        if n >= len(self.b):
            self.b = create_string_buffer(n + 1 + n // 4)
            n = fn(obj, self.b, len(self.b))
        if n < 0:
            raise DyadError(_strerror(n), n)
        return string_at(self.b, n)


def _lines(raw):
    return [json.loads(line) for line in raw.splitlines()]


class Dictionary:
    """A finished set of dictionaries: the built-in ones (unless
    builtin=False), then each path of dicts (a file, or every dictionary
    file of a directory), in order. Read-only once made, so any number of
    Coders in any number of threads may share one. cache: None uses the
    compiled images under ~/.cache/dyad as `dyad code` does (not when
    DYAD_NO_CACHE is set), False parses every time, a str names the cache
    folder. Malformed entries go to on_diag (default: the "dyad" logger)."""

    def __init__(self, dicts=(), builtin=True, cache=None, on_diag=None):
        if isinstance(dicts, (str, bytes, os.PathLike)):
            dicts = [dicts]
        self._diag = _Diag(on_diag)
        self._users = 0
        self._closing = False
        self._d = lib.dyad_dict_new()
        if not self._d:
            raise DyadError(_strerror(_ENOMEM), _ENOMEM)
        try:
            lib.dyad_dict_set_diag(self._d, self._diag.fn, None)
            if cache is None and not os.environ.get("DYAD_NO_CACHE"):
                lib.dyad_dict_set_cache(self._d, None)
            elif cache:
                lib.dyad_dict_set_cache(self._d, _b(cache))
            if builtin:
                rc = lib.dyad_dict_load_builtin(self._d)
                if rc:
                    raise DyadError("cannot load the built-in dictionaries: "
                                    + _strerror(rc), rc)
            for p in dicts:
                rc = lib.dyad_dict_load_path(self._d, _b(p))
                if rc:
                    raise DyadError(f"cannot load dictionary {os.fsdecode(p)}: "
                                    + _strerror(rc), rc)
            rc = lib.dyad_dict_finish(self._d)
            if rc:
                raise DyadError("cannot build the dictionary indexes: "
                                + _strerror(rc), rc)
        except BaseException:
            self._free()
            raise

    @property
    def errors(self):
        """How many malformed entries were reported as errors."""
        return self._diag.errors

    @property
    def closed(self):
        return self._d is None or self._closing

    def _free(self):
        if self._d:
            lib.dyad_dict_free(self._d)
            self._d = None

    def _acquire(self):
        if self.closed:
            raise DyadError("dictionary is closed")
        self._users += 1
        return self._d

    def _release(self):
        self._users -= 1
        if self._closing and self._users == 0:
            self._free()

    def close(self):
        """Free the C dictionary (once the Coders using it are closed)."""
        self._closing = True
        if self._users == 0:
            self._free()

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()

    def __del__(self):
        try:
            self.close()
        except Exception:
            pass


class Coder:
    """Codes articles into events. dicts: dictionary paths (loaded after the
    built-in ones unless builtin=False), or a Dictionary to share;
    default_date: the date (YYYY-MM-DD) of articles that carry none.
    Messages about the input (no date, a discard, a damaged file) go to
    on_diag(severity, file, line, message), by default the "dyad" logger.

    A Coder belongs to one thread at a time (calls from several threads are
    serialized by a lock); use one Coder per thread to code in parallel."""

    def __init__(self, dicts=None, default_date=None, *, builtin=True,
                 cache=None, on_diag=None):
        self._c = None
        self._dict = None
        self._acquired = False
        self._lock = threading.Lock()
        self._diag = _Diag(on_diag)
        _check_date(default_date, "default date")
        if isinstance(dicts, Dictionary):
            self._dict, self._own_dict = dicts, False
        else:
            self._dict = Dictionary(dicts or (), builtin=builtin,
                                    cache=cache, on_diag=on_diag)
            self._own_dict = True
        d = self._dict._acquire()
        self._acquired = True
        self._c = lib.dyad_coder_new(d)
        if not self._c:
            self.close()
            raise DyadError(_strerror(_ENOMEM), _ENOMEM)
        lib.dyad_coder_set_diag(self._c, self._diag.fn, None)
        if default_date is not None:
            lib.dyad_coder_set_default_date(self._c, _b(default_date))
        self._buf = _Buf()

    @property
    def dictionary(self):
        return self._dict

    @property
    def closed(self):
        return self._c is None

    def close(self):
        """Free the C coder (and its dictionary unless it was shared)."""
        with self._lock:
            if self._c:
                lib.dyad_coder_free(self._c)
                self._c = None
            if self._dict is not None:
                if self._acquired:
                    self._dict._release()
                    self._acquired = False
                if self._own_dict:
                    self._dict.close()
                self._dict = None

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()

    def __del__(self):
        try:
            self.close()
        except Exception:
            pass

    def _need(self):
        if self._c is None:
            raise DyadError("coder is closed")
        return self._c

    def _code(self, art):
        """dyad_code_article: (doc or None, rc); the GIL is released."""
        rc = c_int(0)
        with self._lock:
            doc = lib.dyad_code_article(self._need(), byref(art), byref(rc))
        return doc, rc.value

    def _doc_jsonl(self, doc):
        with self._lock:  # one buffer per coder
            return self._buf.text(lib.dyad_doc_jsonl, doc)

    def code(self, text, date=None, doc_id=None, title=None, source=None,
             url=None):
        """Code one article; its events as a list of dicts (FIELDS)."""
        _check_date(date, "date")
        raw = text.encode("utf-8", "surrogateescape") \
            if isinstance(text, str) else bytes(text)
        art = _lib.Article(id=_b(doc_id), date=_b(date), title=_b(title),
                           text=raw, text_len=len(raw), source=_b(source),
                           url=_b(url))
        doc, rc = self._code(art)
        if not doc:
            raise DyadError(f"cannot code article {doc_id or ''}: "
                            + _strerror(rc), rc)
        try:
            return _lines(self._doc_jsonl(doc))
        finally:
            lib.dyad_doc_free(doc)

    def _docs(self, paths, counts):
        """(article, doc) for every article of paths, read by the library's
        reader (files, directories, JSON Lines, "-"); doc is freed when the
        caller comes back."""
        if isinstance(paths, (str, bytes, os.PathLike)):
            paths = [paths]
        self._need()
        err0 = self._diag.errors
        reader = lib.dyad_reader_new(self._diag.fn, None)
        if not reader:
            raise DyadError(_strerror(_ENOMEM), _ENOMEM)
        try:
            for p in paths:
                rc = lib.dyad_reader_add(reader, _b(p))
                if rc:
                    raise DyadError(f"{os.fsdecode(p)}: {_strerror(rc)}", rc)
            art = _lib.Article()
            while True:
                self._need()
                rc = lib.dyad_reader_next(reader, byref(art))
                if rc == 0:
                    break
                if rc < 0:
                    raise DyadError("reading input: " + _strerror(rc), rc)
                doc, rc = self._code(art)
                if not doc:
                    self._diag._call(None, 2, art.origin, art.line,
                                     f"cannot code article {_s(art.id)}: "
                                     f"{_strerror(rc)}".encode())
                    continue
                try:
                    counts.articles += 1
                    counts.sentences += lib.dyad_doc_sentence_count(doc)
                    counts.events += lib.dyad_doc_event_count(doc)
                    yield art, doc
                finally:
                    lib.dyad_doc_free(doc)
        finally:
            counts.errors += self._diag.errors - err0
            lib.dyad_reader_free(reader)

    def code_file(self, path):
        """Iterator over the events (dicts) of every article of a file, a
        directory (recursively, sorted), a JSON Lines file, or a list of
        them. Damaged articles are reported to on_diag and skipped."""
        for _art, doc in self._docs(path, Counts()):
            yield from _lines(self._doc_jsonl(doc))

    def write_jsonl(self, paths, out):
        """Code paths and write their events to out (a binary file object
        or a file name) as `dyad code` writes them, byte for byte. Counts."""
        counts = Counts()
        if isinstance(out, (str, os.PathLike)):
            with open(out, "wb") as f:
                return self.write_jsonl(paths, f)
        for _art, doc in self._docs(paths, counts):
            out.write(self._doc_jsonl(doc))
        return counts


class Store:
    """An event store (docs/store.md): a SQLite file or a postgresql://...
    connection string, as `dyad ingest --db`. readonly opens it for queries
    only; window sets the merge window in days. A Store belongs to one
    thread at a time (calls are serialized by a lock)."""

    def __init__(self, where="dyad.db", readonly=False, window=None):
        self._s = None
        self._lock = threading.Lock()
        self.where = os.fsdecode(where)
        out = c_void_p()
        err = create_string_buffer(600)
        rc = lib.dyad_store_open(_b(where), _lib.STORE_READONLY if readonly
                                 else 0, byref(out), err, len(err))
        if rc:
            raise DyadError(err.value.decode("utf-8", "replace")
                            or _strerror(rc), rc)
        self._s = out.value
        self._buf = _Buf()
        if window is not None:
            self.window = window

    def _need(self):
        if self._s is None:
            raise DyadError("store is closed")
        return self._s

    def _fail(self, rc, what=""):
        msg = _s(lib.dyad_store_errmsg(self._s)) or _strerror(rc)
        raise DyadError(f"{self.where}: {what}{msg}", rc)

    @property
    def window(self):
        """The merge window in days; setting a new one merges again."""
        return lib.dyad_store_window(self._need())

    @window.setter
    def window(self, days):
        with self._lock:
            rc = lib.dyad_store_set_window(self._need(), int(days))
            if rc:
                self._fail(rc)

    @property
    def closed(self):
        return self._s is None

    def close(self):
        """Close the store; a batch not committed is rolled back."""
        with self._lock:
            if self._s:
                lib.dyad_store_close(self._s)
                self._s = None

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()

    def __del__(self):
        try:
            self.close()
        except Exception:
            pass

    def commit(self):
        """Merge the batch's mentions into events and commit it."""
        with self._lock:
            rc = lib.dyad_store_commit(self._need())
            if rc:
                self._fail(rc, "cannot commit: ")

    def ingest(self, coder, paths, batch=500, out=None):
        """Code every article of paths with coder and store them, as `dyad
        ingest` does: committed every batch articles and at the end. out: a
        binary file object that also gets the events as `dyad code` writes
        them. Counts (added, replaced, unchanged included). A store error
        raises DyadError; the batch in progress is rolled back, earlier ones
        stay."""
        counts = Counts()
        outcome = c_int(0)
        in_batch = 0
        self._need()
        for art, doc in coder._docs(paths, counts):
            if out is not None:
                out.write(coder._doc_jsonl(doc))
            with self._lock:
                rc = lib.dyad_store_add(self._need(), byref(art), doc,
                                        byref(outcome))
                if rc:
                    self._fail(rc, f"cannot store article {_s(art.id)}: ")
            if outcome.value == _lib.STORE_ADDED:
                counts.added += 1
            elif outcome.value == _lib.STORE_REPLACED:
                counts.replaced += 1
            else:
                counts.unchanged += 1
            in_batch += 1
            if in_batch >= batch:
                self.commit()
                in_batch = 0
        self.commit()
        return counts

    def _filter(self, actor, dyad, code, root, since, until, doc):
        a = b = None
        if dyad is not None:
            a, sep, b = str(dyad).partition(":")
            if not sep or ":" in b:
                raise DyadError(f"bad dyad '{dyad}' (want A:B, e.g. RUS:CHN)",
                                _EINVAL)
        f = _lib.StoreFilter(actor=_b(actor), dyad_a=_b(a), dyad_b=_b(b),
                             code=_b(code), root=_b(root), since=_b(since),
                             until=_b(until), doc=_b(doc))
        err = create_string_buffer(300)
        rc = lib.dyad_store_filter_check(byref(f), err, len(err))
        if rc:
            raise DyadError(err.value.decode("utf-8", "replace"), rc)
        return f

    def _query(self, c_call, make_cb, convert):
        """Runs a callback query and returns the converted rows; an
        exception in the callback stops the query and is raised here."""
        rows, failure = [], []

        def cb(_ud, row):
            try:
                rows.append(convert(row))
                return 0
            except BaseException as e:  # cannot cross the C frames
                failure.append(e)
                return 1

        fn = make_cb(cb)
        with self._lock:
            rc = c_call(self._need(), fn)
            if failure:
                raise failure[0]
            if rc < 0:
                self._fail(rc)
        return rows

    def events(self, actor=None, dyad=None, code=None, root=None, since=None,
               until=None, doc=None, mentions=True):
        """The merged events matching the filters (as `dyad events`: actor
        code or country, dyad "A:B", code "041" or "04*", root "04",
        first-seen date bounds, an article id), by first-seen date and id;
        dicts with the fields of `dyad events --format jsonl`."""
        f = self._filter(actor, dyad, code, root, since, until, doc)
        return self._query(
            lambda s, fn: lib.dyad_store_query(s, byref(f), int(bool(mentions)),
                                               fn, None),
            _lib.STORE_EVENT_FN,
            lambda e: json.loads(self._buf.text(lib.dyad_store_event_json, e)))

    def stats(self, actor=None, dyad=None, code=None, root=None, since=None,
              until=None, doc=None):
        """Rows of the summary tables (as `dyad stats --format csv`):
        dicts with table ("dyad", "day", "root", "quad"), key, events,
        mentions and goldstein_sum."""
        f = self._filter(actor, dyad, code, root, since, until, doc)
        return self._query(
            lambda s, fn: lib.dyad_store_stats(s, byref(f), fn, None),
            _lib.STORE_STAT_FN,
            lambda r: {"table": _s(r.contents.table), "key": _s(r.contents.key),
                       "events": r.contents.events,
                       "mentions": r.contents.mentions,
                       "goldstein_sum": r.contents.goldstein_sum})

    def search(self, query, limit=20):
        """Full-text search of stored articles, best first: dicts with id,
        date, title, source and url."""
        return self._query(
            lambda s, fn: lib.dyad_store_search(s, _b(query), int(limit), fn,
                                                None),
            _lib.STORE_ARTICLE_FN,
            lambda a: {k: _s(getattr(a.contents, k))
                       for k in ("id", "date", "title", "source", "url")})


def to_dataframe(events):
    """A pandas DataFrame of events (any iterable of event dicts), one row
    per event, the columns in the order of the fields (FIELDS for coded
    events). Needs pandas."""
    try:
        import pandas
    except ImportError:
        raise ImportError("dyad.to_dataframe needs pandas, which is not "
                          "installed (Debian: apt-get install python3-pandas)"
                          ) from None
    rows = list(events)
    if not rows:
        return pandas.DataFrame(columns=list(FIELDS))
    return pandas.DataFrame.from_records(rows, columns=list(rows[0]))
