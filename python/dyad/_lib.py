"""_lib.py: finds and loads libdyad.so with ctypes and declares the C
functions of include/dyad.h that the package calls (argument and result
types, and the structs it fills or reads).

The GIL: a library loaded with ctypes.CDLL (not ctypes.PyDLL) releases the
GIL for the whole of every foreign call and takes it back on return (and
inside a callback into Python), so while one thread codes in C, other
Python threads run, and several threads with separate Coders code at once.
tests/python/test_threads.py checks it with a call that blocks in C.
"""
import ctypes
import os
from ctypes import (CFUNCTYPE, POINTER, Structure, c_char_p, c_double,
                    c_int, c_long, c_size_t, c_void_p)

_HERE = os.path.dirname(os.path.abspath(__file__))


def candidates():
    """Where libdyad.so is looked for, in order: $DYAD_LIB, the copy put
    into the package when it was installed, the repository's build/."""
    env = os.environ.get("DYAD_LIB")
    if env:
        return [env]
    return [os.path.join(_HERE, "libdyad.so"),
            os.path.normpath(os.path.join(_HERE, "..", "..", "build",
                                          "libdyad.so"))]


def _load():
    paths = candidates()
    for p in paths:
        if os.path.exists(p):
            try:
                return ctypes.CDLL(p), p
            except OSError as e:
                raise ImportError(f"dyad: cannot load {p}: {e}") from None
    raise ImportError("dyad: libdyad.so not found (looked at "
                      + ", ".join(paths)
                      + "); build it with `make` in the repository, or set "
                        "DYAD_LIB to its path")


lib, path = _load()

# ----------------------------------------------------------------- structs


class Article(Structure):
    """dyad_article (dyad.h)."""
    _fields_ = [("id", c_char_p), ("date", c_char_p), ("title", c_char_p),
                ("text", c_char_p), ("text_len", c_size_t),
                ("source", c_char_p), ("url", c_char_p),
                ("origin", c_char_p), ("line", c_long)]


class StoreFilter(Structure):
    """dyad_store_filter, and zeroed room after it: a field added at its end
    (a filter not set) reads as NULL or 0 rather than past the struct, until
    it is mirrored here (tests/python/test_coder.py compares with dyad.h)."""
    _fields_ = [(n, c_char_p) for n in
                ("actor", "dyad_a", "dyad_b", "code", "root", "since",
                 "until", "doc")] + [("_room", c_void_p * 16)]


class StoreStat(Structure):
    """dyad_store_stat."""
    _fields_ = [("table", c_char_p), ("key", c_char_p), ("events", c_long),
                ("mentions", c_long), ("goldstein_sum", c_double)]


class StoreArticle(Structure):
    """dyad_store_article."""
    _fields_ = [(n, c_char_p) for n in ("id", "date", "title", "source",
                                        "url")]


# void (*)(void *ud, dyad_severity, const char *file, long line, const char *msg)
DIAG_FN = CFUNCTYPE(None, c_void_p, c_int, c_char_p, c_long, c_char_p)
# Store callbacks take a pointer to the C struct and return 0 to go on.
STORE_EVENT_FN = CFUNCTYPE(c_int, c_void_p, c_void_p)
STORE_STAT_FN = CFUNCTYPE(c_int, c_void_p, POINTER(StoreStat))
STORE_ARTICLE_FN = CFUNCTYPE(c_int, c_void_p, POINTER(StoreArticle))

DIAG_WARNING, DIAG_ERROR = 1, 2
STORE_READONLY = 1
STORE_SKIPPED, STORE_ADDED, STORE_REPLACED = 0, 1, 2


def _decl(name, restype, *argtypes):
    f = getattr(lib, name)
    f.restype = restype
    f.argtypes = list(argtypes)


_decl("dyad_strerror", c_char_p, c_int)
_decl("dyad_date_valid", c_int, c_char_p)
# dictionaries
_decl("dyad_dict_new", c_void_p)
_decl("dyad_dict_free", None, c_void_p)
_decl("dyad_dict_set_diag", None, c_void_p, DIAG_FN, c_void_p)
_decl("dyad_dict_set_cache", c_int, c_void_p, c_char_p)
_decl("dyad_dict_load_path", c_int, c_void_p, c_char_p)
_decl("dyad_dict_load_builtin", c_int, c_void_p)
_decl("dyad_dict_finish", c_int, c_void_p)
# reader
_decl("dyad_reader_new", c_void_p, DIAG_FN, c_void_p)
_decl("dyad_reader_add", c_int, c_void_p, c_char_p)
_decl("dyad_reader_next", c_int, c_void_p, POINTER(Article))
_decl("dyad_reader_errors", c_size_t, c_void_p)
_decl("dyad_reader_free", None, c_void_p)
# coding
_decl("dyad_coder_new", c_void_p, c_void_p)
_decl("dyad_coder_free", None, c_void_p)
_decl("dyad_coder_set_default_date", c_int, c_void_p, c_char_p)
_decl("dyad_coder_set_diag", None, c_void_p, DIAG_FN, c_void_p)
_decl("dyad_code_article", c_void_p, c_void_p, POINTER(Article),
      POINTER(c_int))
_decl("dyad_doc_event_count", c_size_t, c_void_p)
_decl("dyad_doc_sentence_count", c_size_t, c_void_p)
_decl("dyad_doc_free", None, c_void_p)
_decl("dyad_doc_jsonl", c_long, c_void_p, c_void_p, c_size_t)
# store
_decl("dyad_store_open", c_int, c_char_p, c_int, POINTER(c_void_p),
      c_char_p, c_size_t)
_decl("dyad_store_close", None, c_void_p)
_decl("dyad_store_errmsg", c_char_p, c_void_p)
_decl("dyad_store_set_window", c_int, c_void_p, c_int)
_decl("dyad_store_window", c_int, c_void_p)
_decl("dyad_store_add", c_int, c_void_p, POINTER(Article), c_void_p,
      POINTER(c_int))
_decl("dyad_store_commit", c_int, c_void_p)
_decl("dyad_store_filter_check", c_int, POINTER(StoreFilter), c_char_p,
      c_size_t)
_decl("dyad_store_query", c_int, c_void_p, POINTER(StoreFilter), c_int,
      STORE_EVENT_FN, c_void_p)
_decl("dyad_store_event_json", c_long, c_void_p, c_void_p, c_size_t)
_decl("dyad_store_stats", c_int, c_void_p, POINTER(StoreFilter),
      STORE_STAT_FN, c_void_p)
_decl("dyad_store_search", c_int, c_void_p, c_char_p, c_long,
      STORE_ARTICLE_FN, c_void_p)

__all__ = ["lib", "path", "candidates", "Article", "StoreFilter",
           "StoreStat", "StoreArticle", "DIAG_FN", "STORE_EVENT_FN",
           "STORE_STAT_FN", "STORE_ARTICLE_FN"]
