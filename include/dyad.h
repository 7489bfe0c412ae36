/* dyad.h: the one public header of libdyad, a political event coder.
 *
 * News articles in, CAMEO events out. The command-line tool and the server use
 * nothing but this header.
 *
 * Ownership, stated once: every pointer a function returns is owned by the
 * object it came from (the dictionary, the reader, the document) and stays
 * valid until that object is freed or, for a reader, until the next call to
 * dyad_reader_next(). Nothing returned is freed by the caller except objects
 * made by a dyad_*_new() or dyad_code_article(), each with its own _free().
 *
 * Threads: a dyad_dict is read-only once dyad_dict_finish() returned, and may
 * then be shared by any number of coders in any number of threads. A coder,
 * a reader and a document belong to one thread at a time.
 */
#ifndef DYAD_H
#define DYAD_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#ifdef __cplusplus
extern "C" {
#endif

#if defined(__GNUC__)
#define DYAD_API __attribute__((visibility("default")))
#else
#define DYAD_API
#endif

#define DYAD_VERSION "0.1.0"

/* ---------------------------------------------------------------- errors */

/* One list makes both the enum and dyad_strerror() (libuv's UV_ERRNO_MAP). */
#define DYAD_RC_MAP(X)                                              \
    X(OK, 0, "success")                                            \
    X(ENOMEM, -1, "out of memory")                                 \
    X(EIO, -2, "input/output error")                               \
    X(EPARSE, -3, "malformed input")                               \
    X(ETOOBIG, -4, "input exceeds a size limit")                   \
    X(EINVAL, -5, "invalid argument")                              \
    X(ENOENT, -6, "no such file or directory")                     \
    X(EDATE, -7, "unknown date format")                            \
    X(EDISCARD, -8, "discarded by a discard phrase")                \
    X(ETIMEOUT, -9, "time limit exceeded")

typedef enum {
#define DYAD_RC_ENUM(name, val, msg) DYAD_##name = val,
    DYAD_RC_MAP(DYAD_RC_ENUM)
#undef DYAD_RC_ENUM
} dyad_rc;

/* A static English message for a dyad_rc; never NULL. */
DYAD_API const char *dyad_strerror(int rc);

/* Diagnostics: every problem with an input (a dictionary line, an article, a
 * JSON field) is reported through one of these, naming the file and line
 * (line 0 when there is none), and processing goes on with the next item. */
typedef enum { DYAD_DIAG_WARNING = 1, DYAD_DIAG_ERROR = 2 } dyad_severity;
typedef void (*dyad_diag_fn)(void *ud, dyad_severity sev, const char *file,
                             long line, const char *msg);

/* ---------------------------------------------------------- dictionaries */

typedef struct dyad_dict dyad_dict;

/* Kinds of dictionary file. DYAD_DICT_AUTO recognizes the kind from the
 * content and the file name (docs/dictionaries.md says how). */
typedef enum {
    DYAD_DICT_AUTO = 0,
    DYAD_DICT_ACTORS,
    DYAD_DICT_AGENTS,
    DYAD_DICT_VERBS,
    DYAD_DICT_DISCARDS,
    DYAD_DICT_IGNORED /* recognized but not used (issues, prepositions, config) */
} dyad_dict_kind;

/* A new, empty dictionary set. NULL when out of memory. */
DYAD_API dyad_dict *dyad_dict_new(void);
DYAD_API void dyad_dict_free(dyad_dict *d);
/* Where malformed entries are reported (default: stderr). */
DYAD_API void dyad_dict_set_diag(dyad_dict *d, dyad_diag_fn fn, void *ud);
/* Load a file, or every dictionary file of a directory (sorted by name).
 * Malformed entries are reported and skipped; DYAD_OK unless the path
 * cannot be read at all. */
DYAD_API int dyad_dict_load_path(dyad_dict *d, const char *path);
/* Load one dictionary held in memory; name is used in messages and in the
 * `pattern` field of events. The buffer is copied. */
DYAD_API int dyad_dict_load_buffer(dyad_dict *d, const char *name,
                                   const char *buf, size_t n,
                                   dyad_dict_kind kind);
/* Load the dictionaries shipped inside libdyad (the team's own, data/). */
DYAD_API int dyad_dict_load_builtin(dyad_dict *d);
/* Build the indexes. Required once, after the last load and before coding. */
DYAD_API int dyad_dict_finish(dyad_dict *d);
/* Compiled dictionaries: call before the first load. Loads are then recorded
 * and done by dyad_dict_finish, which memory-maps the compiled image of the
 * same sources from dir (NULL: $DYAD_CACHE_DIR, else $XDG_CACHE_HOME/dyad,
 * else ~/.cache/dyad) when there is one, and otherwise parses them and writes
 * the image for next time. An image is remade whenever a source file's size
 * or modification time, or a built-in text, changes. Diagnostics of the parse
 * are replayed on every load. DYAD_EINVAL after a load. */
DYAD_API int dyad_dict_set_cache(dyad_dict *d, const char *dir);

typedef struct dyad_dict_stats {
    size_t actor_phrases; /* phrases, synonyms included */
    size_t actor_codes;   /* dated and undated code entries */
    size_t agent_phrases;
    size_t verbs;         /* verb forms, inflections included */
    size_t patterns;
    size_t synsets;
    size_t discards;
    size_t errors;        /* malformed entries skipped */
} dyad_dict_stats;
DYAD_API void dyad_dict_get_stats(const dyad_dict *d, dyad_dict_stats *out);

/* -------------------------------------------------------------- articles */

/* One article to code. Strings are NUL-terminated UTF-8; text may contain
 * anything (it is normalized when coded). Fields the input lacks are NULL. */
typedef struct dyad_article {
    const char *id;     /* file base name or the JSON "id" */
    const char *date;   /* "YYYY-MM-DD", or NULL when the input has none */
    const char *title;
    const char *text;
    size_t text_len;
    const char *source; /* publisher */
    const char *url;
    const char *origin; /* file the article came from ("-" for stdin) */
    long line;          /* line in origin where it starts (1-based) */
} dyad_article;

/* Reads plain-text files (optional leading `date YYYY-MM-DD`), directories
 * (recursively, sorted), JSON Lines (.jsonl, .ndjson: id, date, title, text,
 * source, url) and "-" for standard input. A broken article is reported
 * through the diag callback and skipped; the rest is read. */
typedef struct dyad_reader dyad_reader;

DYAD_API dyad_reader *dyad_reader_new(dyad_diag_fn fn, void *ud);
/* Queue an input path; read in the order added. */
DYAD_API int dyad_reader_add(dyad_reader *r, const char *path);
/* Next article: 1 and *out filled (valid until the next call), 0 at the end,
 * DYAD_ENOMEM on out of memory. */
DYAD_API int dyad_reader_next(dyad_reader *r, dyad_article *out);
/* How many inputs or articles were skipped or damaged (reported errors). */
DYAD_API size_t dyad_reader_errors(const dyad_reader *r);
DYAD_API void dyad_reader_free(dyad_reader *r);

/* ---------------------------------------------------------------- coding */

typedef struct dyad_coder dyad_coder;
typedef struct dyad_doc dyad_doc;

/* A byte span in the event's sentence text. */
typedef struct dyad_span {
    uint32_t off, len;
} dyad_span;

/* One coded event. All strings are owned by the document. */
typedef struct dyad_event {
    const char *doc;            /* document id */
    int sentence;               /* 0-based sentence index in the document */
    const char *date;           /* "YYYY-MM-DD" or NULL */
    const char *source;         /* CAMEO actor code: "RUSGOV" */
    const char *source_name;    /* the words that were the source */
    const char *source_country; /* "RUS", or NULL where none */
    const char *target;
    const char *target_name;
    const char *target_country;
    const char *code;           /* CAMEO event code: "041" */
    char root[3];               /* "04" ("" for a code outside CAMEO) */
    int quad;                   /* 1-4, 0 when unknown */
    double goldstein;           /* 0 when unknown */
    int has_goldstein;
    const char *plover;         /* PLOVER event type, or NULL */
    const char *text;           /* the sentence */
    const char *pattern;        /* "pattern text (file:line)" */
    const char *place;          /* dateline place, or NULL */
    dyad_span source_span, target_span, verb_span; /* in text; len 0 = none */
} dyad_event;

/* A coder holds the settings for coding with one finished dictionary. */
DYAD_API dyad_coder *dyad_coder_new(const dyad_dict *d);
DYAD_API void dyad_coder_free(dyad_coder *c);
/* Default date for articles that carry none ("YYYY-MM-DD"; NULL clears).
 * DYAD_EDATE if malformed. */
DYAD_API int dyad_coder_set_default_date(dyad_coder *c, const char *ymd);
DYAD_API void dyad_coder_set_diag(dyad_coder *c, dyad_diag_fn fn, void *ud);

/* Code one article. Returns a document (free with dyad_doc_free) or NULL with
 * *rc set. Problems with the article (no date, invalid UTF-8, a discard) are
 * reported through the coder's diag callback and do not fail the call. */
DYAD_API dyad_doc *dyad_code_article(dyad_coder *c, const dyad_article *a,
                                     int *rc);
DYAD_API size_t dyad_doc_event_count(const dyad_doc *doc);
DYAD_API const dyad_event *dyad_doc_event(const dyad_doc *doc, size_t i);
DYAD_API size_t dyad_doc_sentence_count(const dyad_doc *doc);
DYAD_API const char *dyad_doc_date(const dyad_doc *doc); /* NULL if none */
/* 0: nothing discarded; 1: at least one sentence was dropped by a sentence
 * discard phrase; 2: the whole story was dropped by a story discard (+). */
DYAD_API int dyad_doc_discarded(const dyad_doc *doc);
/* The dateline's place ("MOSCOW"), or NULL when the article has none. */
DYAD_API const char *dyad_doc_place(const dyad_doc *doc);
DYAD_API void dyad_doc_free(dyad_doc *doc);

/* ---------------------------------------------------------------- output */

typedef enum { DYAD_FMT_JSONL = 0, DYAD_FMT_CSV, DYAD_FMT_TSV } dyad_format;

/* Parse "jsonl", "csv", "tsv"; -1 when unknown. */
DYAD_API int dyad_format_parse(const char *name);
/* The header line of a format (CSV only; nothing for the others). */
DYAD_API int dyad_write_header(FILE *f, dyad_format fmt);
/* One event as one line. DYAD_EIO on a write error. */
DYAD_API int dyad_write_event(FILE *f, dyad_format fmt, const dyad_event *e);
/* Every event of doc: the same bytes and result as dyad_write_event for
 * each in turn, stopping at the first error, but JSON Lines go through one
 * buffer (one fwrite for some 3 KiB of lines instead of one a line). */
DYAD_API int dyad_write_doc(FILE *f, dyad_format fmt, const dyad_doc *doc);

/* ----------------------------------------------------------------- CAMEO */

typedef struct dyad_cameo {
    const char *code;      /* "041" */
    const char *name;      /* "Praise or endorse" */
    const char *root;      /* "04" */
    double goldstein;      /* GDELT variant */
    int quad;              /* 1 verbal coop, 2 material coop, 3 verbal conflict, 4 material conflict */
    const char *plover;    /* PLOVER event type or NULL */
    const char *plover_mode;
    const char *plover_context;
} dyad_cameo;

/* The codebook entry for an event code, or NULL if the code is not CAMEO. */
DYAD_API const dyad_cameo *dyad_cameo_lookup(const char *code);
DYAD_API size_t dyad_cameo_count(void);
DYAD_API const dyad_cameo *dyad_cameo_at(size_t i);

/* ------------------------------------------------------------ validation */

typedef struct dyad_validate_result {
    size_t records, passed, failed;
    size_t events_expected, events_found, events_spurious;
} dyad_validate_result;

/* Run PETRARCH unit-test records (XML) with the dictionaries named in their
 * <Environment> (paths relative to the records file). Writes a line per failed
 * record and the summary to out. */
DYAD_API int dyad_validate_file(const char *records_path, FILE *out,
                                int verbose, dyad_validate_result *res);

/* ----------------------------------------------------------- event store */
/* The event store (docs/store.md): articles, their sentences' events
 * (mentions) and merged events in SQLite (a file name) or PostgreSQL (a
 * "postgresql://..." or "postgres://..." connection string). Mentions of one
 * event, from any number of articles, merge into one event: same source and
 * target (country and sector), same CAMEO base code, dates within the
 * window; reciprocal codes (root 04, 036, 057, root 06) merge whatever the
 * direction. Merging does not depend on the order articles arrive in.
 * A store belongs to one thread at a time. */
typedef struct dyad_store dyad_store;

#define DYAD_STORE_READONLY 1 /* open for queries only; nothing is written */

/* Open (and, unless read-only, create or migrate) a store. DYAD_OK and *out
 * set, or an error with a message in err: DYAD_ENOENT (no such file, read-only
 * open), DYAD_EPARSE (not a dyad database, or a newer schema; the file is
 * left untouched), DYAD_EIO (cannot open, read-only file, server error). */
DYAD_API int dyad_store_open(const char *where, int flags,
                             dyad_store **out, char *err, size_t errsz);
/* Rolls back a batch that was not committed. */
DYAD_API void dyad_store_close(dyad_store *s);
/* The message of the store's last failure ("" when none). */
DYAD_API const char *dyad_store_errmsg(const dyad_store *s);
/* The merge window in days (default 1; 0..365). When it differs from the
 * window the store was merged with, every event is merged again. */
DYAD_API int dyad_store_set_window(dyad_store *s, int days);
DYAD_API int dyad_store_window(const dyad_store *s);

/* Outcome of dyad_store_add for one article. */
typedef enum {
    DYAD_STORE_SKIPPED = 0,  /* same id and content already stored */
    DYAD_STORE_ADDED = 1,    /* new article */
    DYAD_STORE_REPLACED = 2  /* same id, changed content: mentions replaced */
} dyad_store_outcome;

/* Store an article and its coded document (from dyad_code_article) in the
 * current batch; the first call of a batch starts its transaction. The
 * article's date is the document's. OUT: *outcome. */
DYAD_API int dyad_store_add(dyad_store *s, const dyad_article *a,
                            const dyad_doc *doc, dyad_store_outcome *outcome);
/* Merge the batch's mentions into events and commit the batch (one
 * transaction). Nothing of a batch is visible before, all of it after. */
DYAD_API int dyad_store_commit(dyad_store *s);

/* Query filter; NULL fields do not filter. Actor values match an actor code
 * (RUSGOV) or a country (RUS). */
typedef struct dyad_store_filter {
    const char *actor;   /* source or target */
    const char *dyad_a;  /* source (either side for reciprocal events) */
    const char *dyad_b;  /* target */
    const char *code;    /* "041", or a prefix with '*': "04*" */
    const char *root;    /* "04" */
    const char *since;   /* first-seen date >= YYYY-MM-DD */
    const char *until;   /* first-seen date <= YYYY-MM-DD */
    const char *doc;     /* events with a mention in this article */
} dyad_store_filter;
/* DYAD_OK, or DYAD_EINVAL with a message naming the bad field in err. */
DYAD_API int dyad_store_filter_check(const dyad_store_filter *f, char *err,
                                     size_t errsz);

/* One mention of a merged event. */
typedef struct dyad_store_mention {
    const char *doc;
    int sentence;
    const char *date;       /* NULL when undated */
    const char *source, *target, *code;
    const char *text, *pattern;
    const char *publisher;  /* the article's source, or NULL */
    const char *url;        /* the article's url, or NULL */
    const char *source_name, *target_name; /* the words that named them */
    /* In text, as in dyad_event; len 0 = unknown (stores from before
     * schema 2 kept no spans). */
    dyad_span source_span, target_span, verb_span;
} dyad_store_mention;

/* One merged event: ev holds the fields of its first mention (by date,
 * document id and position), with ev.date the first-seen date, and its
 * spans (ev.source_span...; len 0 when unknown). Valid only during the
 * callback. */
typedef struct dyad_store_event {
    int64_t id;            /* positive; a hash of the merge key and first day */
    dyad_event ev;
    const char *last_date; /* last-seen date */
    int num_mentions, num_articles, num_sources;
    int reciprocal;
    const char *url;       /* url of ev.doc's article, or NULL */
    size_t nmentions;      /* 0 unless asked for */
    const dyad_store_mention *mentions;
} dyad_store_event;
/* Returns 0 to go on, non-zero to stop (returned by the query). */
typedef int (*dyad_store_event_fn)(void *ud, const dyad_store_event *e);

/* The merged events matching f (NULL: all), by first-seen date and id.
 * with_mentions: fill e->mentions. */
DYAD_API int dyad_store_query(dyad_store *s, const dyad_store_filter *f,
                              int with_mentions, dyad_store_event_fn fn,
                              void *ud);

/* Export formats of merged events. */
typedef enum {
    DYAD_STORE_FMT_JSONL = 0, /* dyad code's fields + id, counts, mentions */
    DYAD_STORE_FMT_CSV,       /* one row per event, header row */
    DYAD_STORE_FMT_GDELT,     /* GDELT 2.0 events table: 61 columns, tabs */
    DYAD_STORE_FMT_PLOVER     /* PLOVER JSON records, one per line */
} dyad_store_format;
/* "jsonl", "csv", "gdelt", "plover"; -1 when unknown. */
DYAD_API int dyad_store_format_parse(const char *name);
DYAD_API int dyad_store_write_header(FILE *f, dyad_store_format fmt);
/* One event. PLOVER skips events without a PLOVER type (returns DYAD_OK). */
DYAD_API int dyad_store_write_event(FILE *f, dyad_store_format fmt,
                                    const dyad_store_event *e);
/* The event's rows of the GDELT 2.0 mentions table (16 columns, tabs);
 * needs the event queried with_mentions. */
DYAD_API int dyad_store_write_gdelt_mentions(FILE *f,
                                             const dyad_store_event *e);

/* A row of the summary tables: table is "dyad", "day", "root" or "quad". */
typedef struct dyad_store_stat {
    const char *table;
    const char *key;       /* "RUS:CHN", "2021-08-25", "04", "1" */
    long events, mentions;
    double goldstein_sum;  /* over events */
} dyad_store_stat;
typedef int (*dyad_store_stat_fn)(void *ud, const dyad_store_stat *row);
DYAD_API int dyad_store_stats(dyad_store *s, const dyad_store_filter *f,
                              dyad_store_stat_fn fn, void *ud);

/* A stored article. */
typedef struct dyad_store_article {
    const char *id, *date, *title, *source, *url;
} dyad_store_article;
typedef int (*dyad_store_article_fn)(void *ud, const dyad_store_article *a);
/* Full-text search over titles and texts (SQLite: FTS5 query syntax;
 * PostgreSQL: plain words). At most limit articles, best first.
 * DYAD_EINVAL with errmsg for a malformed query. */
DYAD_API int dyad_store_search(dyad_store *s, const char *query, long limit,
                               dyad_store_article_fn fn, void *ud);

/* --------------------------------------- event store: paging (dyad serve) */
/* What a server needs of the store (docs/serve.md): pages of events with
 * their total, one event by id, the summary tables one at a time, a
 * timeline, totals, and a time limit per query. Every function here is
 * read-only and takes the filters of dyad_store_query (checked the same way:
 * DYAD_EINVAL with errmsg naming the field). */

/* The events of dyad_store_query's order (first-seen date, id) from offset
 * (0-based) on, at most limit of them (1..1000000). */
DYAD_API int dyad_store_query_page(dyad_store *s, const dyad_store_filter *f,
                                   int with_mentions, long offset, long limit,
                                   dyad_store_event_fn fn, void *ud);
/* OUT: *n, the number of events matching f (NULL: all). A count is kept
 * until the store changes (SQLite: another connection commits), so paging
 * through one filter counts once. */
DYAD_API int dyad_store_count(dyad_store *s, const dyad_store_filter *f,
                              long *n);
/* The event with this id, with its mentions when asked; DYAD_ENOENT when
 * there is none. */
DYAD_API int dyad_store_event_get(dyad_store *s, int64_t id, int with_mentions,
                                  dyad_store_event_fn fn, void *ud);
/* OUT: the numbers of merged events and of articles in the store. */
DYAD_API int dyad_store_totals(dyad_store *s, long *events, long *articles);
/* One of dyad_store_stats' tables ("dyad", "day", "root" or "quad"), in its
 * order (dyad: most events first), at most limit rows (0: all).
 * DYAD_EINVAL for another table name. */
DYAD_API int dyad_store_stats_table(dyad_store *s, const dyad_store_filter *f,
                                    const char *table, long limit,
                                    dyad_store_stat_fn fn, void *ud);

/* One day of the timeline: dated events by first-seen date. */
typedef struct dyad_store_day {
    const char *date;     /* "YYYY-MM-DD" */
    long events, mentions;
    long quad[5];         /* quad[1..4]: events per quad class; quad[0]: none */
    double goldstein_sum;
} dyad_store_day;
typedef int (*dyad_store_day_fn)(void *ud, const dyad_store_day *d);
/* The days with events matching f, in date order (undated events are left
 * out). */
DYAD_API int dyad_store_timeline(dyad_store *s, const dyad_store_filter *f,
                                 dyad_store_day_fn fn, void *ud);

/* A time limit for each query function call from now on, in milliseconds
 * (0: none, the default). A call that runs longer stops and returns
 * DYAD_ETIMEOUT (SQLite: a progress handler; PostgreSQL: statement_timeout,
 * per statement); the callback's own time counts on SQLite. */
DYAD_API int dyad_store_set_time_limit(dyad_store *s, long ms);

/* ------------------------------------------------- dictionary tools */
/* Tools to keep dictionaries right (docs/dictionaries.md, "Tools"): lint,
 * lookup of a phrase on a date, coverage figures, and the capitalized phrases
 * of articles that matched no actor. All take a finished dictionary. */

/* Check the loaded dictionaries: the same phrase in two entries (or twice in
 * one), dated codes of one actor whose ranges overlap with different codes,
 * event codes not in the CAMEO codebook ("---" allowed), actor codes that are
 * not letters in groups of three, verb forms in two blocks with different
 * codes, and patterns that can never match (an empty synset, a word next to
 * '*' that is a form of the verb itself, a duplicate of another pattern of
 * the block, a block without verbs). Each problem goes to fn (may be NULL)
 * as an error with the entry's file and line; returns how many there were.
 * Entries the loader rejected (e.g. an inverted date range) were reported
 * by the loader's diag callback, not here. */
DYAD_API size_t dyad_dict_lint(const dyad_dict *d, dyad_diag_fn fn, void *ud);

/* One dictionary entry a looked-up phrase matched. Valid during the call. */
typedef struct dyad_dict_match {
    const char *words;     /* the words of the phrase it covers */
    const char *kind;      /* "actor", "agent" or "verb" */
    const char *code;      /* code on the date (actors), NULL when none
                            * applies; "~GOV"/"GOV~" (agents); event code */
    const char *all_codes; /* actors: every code with its dates
                            * "[RUSGOV 2004-03-09..] [RUSELI undated]";
                            * verbs: the block's name */
    const char *entry;     /* the entry as written */
    const char *file;
    long line;
} dyad_dict_match;
typedef void (*dyad_dict_match_fn)(void *ud, const dyad_dict_match *m);
/* The entries a phrase gets, read left to right with the longest entry at
 * each word (as the coder reads), and the codes in force on date
 * ("YYYY-MM-DD"; NULL: the undated default, else the latest). Returns the
 * number of matches (0: none), DYAD_EDATE for a bad date. */
DYAD_API int dyad_dict_lookup(const dyad_dict *d, const char *phrase,
                              const char *date, dyad_dict_match_fn fn,
                              void *ud);

/* Coverage figures of the loaded dictionaries. */
typedef struct dyad_dict_coverage_t {
    size_t actors, actor_phrases;
    size_t countries;    /* distinct 3-letter state codes with an undated entry */
    size_t dated_roles;  /* dated actor code entries */
    size_t igos;         /* actors with an IGO... code */
    size_t armed_groups; /* actors with a REB, INS, UAF, IMG or SEP code */
    size_t agents, agent_phrases;
    size_t verb_blocks, verb_forms, patterns, synsets, discards;
    size_t cameo_covered; /* codebook codes given by some verb, block or pattern */
    size_t cameo_total;   /* event codes (3 or 4 digits) in the codebook */
    size_t roots_covered; /* of the 20 roots */
} dyad_dict_coverage_t;
DYAD_API void dyad_dict_coverage(const dyad_dict *d, dyad_dict_coverage_t *out);
/* 1 if some verb, block or pattern gives the event code. */
DYAD_API int dyad_dict_code_covered(const dyad_dict *d, const char *code);

/* Capitalized phrases of articles that no actor or agent phrase covers,
 * counted (`dyad code --unknown`). */
typedef struct dyad_unknown dyad_unknown;
typedef struct dyad_unknown_phrase {
    const char *phrase;  /* as first seen: "Abdel Fattah al-Sisi" */
    size_t count;
    const char *example; /* the sentence it was first seen in */
    const char *doc;     /* and its document id */
} dyad_unknown_phrase;
DYAD_API dyad_unknown *dyad_unknown_new(const dyad_dict *d);
/* Count the unknown phrases of one article. DYAD_OK or DYAD_ENOMEM. */
DYAD_API int dyad_unknown_add(dyad_unknown *u, const dyad_article *a);
DYAD_API size_t dyad_unknown_count(const dyad_unknown *u);
/* The i-th phrase, most frequent first (ties by phrase); owned by u. */
DYAD_API const dyad_unknown_phrase *dyad_unknown_at(dyad_unknown *u, size_t i);
DYAD_API void dyad_unknown_free(dyad_unknown *u);

/* ------------------------------------------------------------ splitting */
/* The benchmark's floor (`dyad split`, BENCHMARKS.md): what every coding run
 * does before matching anything. */

/* Normalize an article's text and split it into sentences and tokens, as
 * dyad_code_article does first, and nothing else: no date, no dictionary, no
 * events. OUT: *n_sentences and *n_tokens (either may be NULL). DYAD_OK,
 * DYAD_ENOMEM, DYAD_ETOOBIG or DYAD_EINVAL (a NULL). Thread-safe. */
DYAD_API int dyad_split_article(const dyad_article *a, size_t *n_sentences,
                                size_t *n_tokens);

/* ------------------------------------------------------------- bindings */
/* For language bindings (python/dyad, docs/python.md): events as the exact
 * JSON text the tools write, into the caller's buffer, so that a binding
 * neither mirrors dyad_event nor re-implements the fields. Both work as
 * snprintf: they return the text's length in bytes (without the NUL) and
 * fill buf (NUL-terminated) only when that length is below cap; otherwise
 * call again with a buffer of at least length + 1. buf may be NULL when cap
 * is 0. A negative dyad_rc on error (DYAD_EINVAL, DYAD_ENOMEM). Thread-safe
 * on distinct objects. (src/lib/event_json.c) */

/* Every event of a document as `dyad code` writes it (JSON Lines, one line
 * per event, each ending in a newline); "" for a document without events. */
DYAD_API long dyad_doc_jsonl(const dyad_doc *doc, char *buf, size_t cap);
/* One merged event as `dyad events --format jsonl` writes it (one line,
 * ending in a newline); mentions included when it was queried with them. */
DYAD_API long dyad_store_event_json(const dyad_store_event *e, char *buf,
                                    size_t cap);

/* -------------------------------------------------------------- versions */

/* Date helpers shared by the tools: "YYYY-MM-DD" is a valid calendar date. */
DYAD_API int dyad_date_valid(const char *ymd);

#ifdef __cplusplus
}
#endif
#endif /* DYAD_H */
