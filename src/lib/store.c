/* store.c: the event store's backend-neutral part: opening and migrating the
 * schema (data/schema/), storing articles and mentions, merging mentions into
 * events (docs/store.md), queries, pages, summary tables, the timeline and
 * full-text search. */
#include "dyad.h"

#include "builtin.h"
#include "store.h"

#include <errno.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* The schema files, embedded from data/schema/ (build/gen/schema_sql.c). */
extern const dyad_builtin_file dyad__schema_files[];

#define MSG_MAX 512
#define WINDOW_MAX 365

enum {
    ST_ART_GET, ST_ART_DEL, ST_FTS_DEL, ST_MEN_OLD, ST_MEN_DEL, ST_ART_INS,
    ST_FTS_INS, ST_TOUCH_CLEAR, ST_CHAIN_CLEAR, ST_WIDEN, ST_EV_DELSET, ST_WALK,
    ST_EV_INSSET, ST_MEN_SETSET, ST_META_GET, ST_META_SET, ST_EV_MENTIONS,
    ST_COUNT
};

/* Multi-row INSERTs (merging below): mentions, touched keys, new events. */
enum { MULTI_MENTION, MULTI_TOUCH, MULTI_CHAIN, MULTI_COUNT };
#define MULTI_MAX 100

#define MENTION_INS_COLS "doc, seq, sentence, day, ekey, recip, publisher, "  \
    "date, source, source_name, source_country, target, target_name, "       \
    "target_country, code, root, quad, goldstein, plover, text, pattern, "   \
    "place, " SPAN_COLS
/* The representative mention's columns, read from mentions m. */
#define REP_COLS_M "m.doc, m.sentence, m.date, m.source, m.source_name, "    \
    "m.source_country, m.target, m.target_name, m.target_country, m.code, "  \
    "m.root, m.quad, m.goldstein, m.plover, m.text, m.pattern, m.place, "    \
    "m.source_off, m.source_len, m.target_off, m.target_len, m.verb_off, "   \
    "m.verb_len"

#define REP_COLS "doc, sentence, date, source, source_name, source_country, " \
    "target, target_name, target_country, code, root, quad, goldstein, "     \
    "plover, text, pattern, place, " SPAN_COLS
/* The spans (schema 2): offset and length of source, target and verb. */
#define SPAN_COLS "source_off, source_len, target_off, target_len, verb_off, " \
    "verb_len"
#define NO_SPANS "NULL, NULL, NULL, NULL, NULL, NULL"
#define MENTION_COLS "m.doc, m.sentence, m.date, m.source, m.target, m.code, " \
    "m.text, m.pattern, a.source, a.url, m.source_name, m.target_name, "

/* Statements, by number; NULL where a backend has none (FTS5 rows). */
static const char *const sql_text[ST_COUNT] = {
    "SELECT hash FROM articles WHERE id = $1",
    "DELETE FROM articles WHERE id = $1",
    "DELETE FROM articles_fts WHERE id = $1",
    "SELECT ekey, day FROM mentions WHERE doc = $1",
    "DELETE FROM mentions WHERE doc = $1",
    "INSERT INTO articles (id, hash, date, title, source, url, origin, body) "
    "VALUES ($1, $2, $3, $4, $5, $6, $7, $8) ON CONFLICT (id) DO NOTHING "
    "RETURNING id",
    "INSERT INTO articles_fts (id, title, body) VALUES ($1, $2, $3)",
    "DELETE FROM dyad_touch",
    "DELETE FROM dyad_chain",
    /* Each range widened to the events within the window of it. A key's
     * events are apart by more than the window, so only the last event
     * starting before lo and the last one starting by hi + window can
     * reach the range: four index probes. */
    "UPDATE dyad_touch SET lo = CASE WHEN (SELECT e.day_last FROM events e "
    "WHERE e.ekey = dyad_touch.ekey AND e.day_first < dyad_touch.lo ORDER BY "
    "e.day_first DESC LIMIT 1) >= dyad_touch.lo - $1 THEN (SELECT e.day_first "
    "FROM events e WHERE e.ekey = dyad_touch.ekey AND e.day_first < "
    "dyad_touch.lo ORDER BY e.day_first DESC LIMIT 1) ELSE lo END, hi = CASE "
    "WHEN (SELECT e.day_last FROM events e WHERE e.ekey = dyad_touch.ekey AND "
    "e.day_first <= dyad_touch.hi + $1 ORDER BY e.day_first DESC LIMIT 1) > "
    "dyad_touch.hi THEN (SELECT e.day_last FROM events e WHERE e.ekey = "
    "dyad_touch.ekey AND e.day_first <= dyad_touch.hi + $1 ORDER BY "
    "e.day_first DESC LIMIT 1) ELSE hi END",
    "DELETE FROM events WHERE id IN (SELECT e.id FROM dyad_touch t JOIN events "
    "e ON e.ekey = t.ekey AND e.day_first <= t.hi AND e.day_last >= t.lo)",
    "SELECT m.ekey, m.doc, m.seq, m.day, m.publisher FROM dyad_touch t JOIN "
    "mentions m ON m.ekey = t.ekey AND m.day >= t.lo AND m.day <= t.hi "
    "ORDER BY m.ekey, m.day, m.doc, m.seq",
    "INSERT INTO events (id, ekey, recip, day_first, day_last, last_date, "
    "num_mentions, num_articles, num_sources, " REP_COLS ") SELECT c.id, "
    "m.ekey, m.recip, c.day_first, c.day_last, c.last_date, c.num_mentions, "
    "c.num_articles, c.num_sources, " REP_COLS_M " FROM dyad_chain c JOIN "
    "mentions m ON m.doc = c.doc AND m.seq = c.seq",
    /* Only the mentions whose event changed are written. */
    "UPDATE mentions SET event_id = c.id FROM dyad_chain c WHERE "
    "mentions.ekey = c.ekey AND mentions.day >= c.day_first AND mentions.day "
    "<= c.day_last AND (mentions.event_id IS NULL OR mentions.event_id <> c.id)",
    "SELECT value FROM dyad_meta WHERE key = $1",
    "UPDATE dyad_meta SET value = $2 WHERE key = $1",
    "SELECT " MENTION_COLS "m." "source_off, m.source_len, m.target_off, "
    "m.target_len, m.verb_off, m.verb_len FROM mentions m LEFT JOIN articles "
    "a ON a.id = m.doc WHERE m.event_id = $1 ORDER BY m.day, m.doc, m.seq",
};
/* ST_EV_MENTIONS on a store of schema 1 opened read-only: no spans. */
static const char sql_mentions_v1[] =
    "SELECT " MENTION_COLS NO_SPANS " FROM mentions m LEFT JOIN articles a "
    "ON a.id = m.doc WHERE m.event_id = $1 ORDER BY m.day, m.doc, m.seq";

/* Counts kept until the store changes (dyad_store_count): a page of events
 * needs its total, and paging through one filter asks for it again. */
#define COUNT_CACHE 8
typedef struct count_entry {
    char *key;   /* the SQL and its parameters */
    int64_t version;
    long n;
} count_entry;

/* The ids of a filter's events in order, kept as counts are: a filtered
 * page then reads its rows by id, instead of finding and sorting every
 * matching row again. Filters matching more than IDS_MAX events are paged
 * by SQL, as unfiltered ones are (an index walk). */
#define IDS_CACHE 4
#define IDS_MAX 100000
typedef struct ids_entry {
    char *key;
    int64_t version;
    int64_t *id;
    size_t n;
} ids_entry;

/* Summary tables and timelines (dyad_store_stats_table, _timeline), kept
 * as counts are: unfiltered, they read every event (0.5-1.4 s on a million),
 * and dyad serve asks for the same ones again and again. Results of more
 * than ROWS_MAX rows are not kept. */
#define ROWS_CACHE 8
#define ROWS_MAX 100000
#define ROW_INTS 7
typedef struct rows_entry {
    char *key; /* the SQL and its parameters */
    int64_t version;
    size_t n;
    char **text;  /* first column, when text (summary tables) */
    int64_t *num; /* ROW_INTS per row */
    double *g;    /* the Goldstein sum */
} rows_entry;

typedef struct touched {
    char *key;
    int64_t day;
} touched;

struct dyad_store {
    const dyad__dbops *ops;
    dyad__db *db;
    int readonly, in_tx, window;
    int version;      /* schema version (read-only stores are not migrated) */
    long limit_ms;    /* dyad_store_set_time_limit */
    count_entry counts[COUNT_CACHE];
    unsigned next_count;
    ids_entry ids[IDS_CACHE];
    unsigned next_ids;
    rows_entry rows[ROWS_CACHE];
    unsigned next_rows;
    dyad__stmt *one; /* one event by id (the ids path) */
    dyad__stmt *st[ST_COUNT];
    dyad__stmt *multi[MULTI_COUNT][MULTI_MAX + 1]; /* by number of rows */
    int have_temp; /* the merge's temporary tables exist */
    touched *t;
    size_t nt, capt;
    char msg[MSG_MAX];
};

/* ------------------------------------------------------------- helpers */

static void free_rows_entry(rows_entry *r)
{
    size_t i;
    for (i = 0; r->text && i < r->n; i++)
        free(r->text[i]);
    free(r->text);
    free(r->num);
    free(r->g);
    free(r->key);
    memset(r, 0, sizeof *r);
}


static int fail(dyad_store *s, int rc, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(s->msg, sizeof s->msg, fmt, ap);
    va_end(ap);
    return rc;
}

static int dbfail(dyad_store *s, int rc)
{
    return fail(s, rc ? rc : DYAD_EIO, "%s", s->ops->errmsg(s->db));
}

static dyad__stmt *stmt(dyad_store *s, int which)
{
    if (!s->st[which])
        s->st[which] = s->ops->prepare(
            s->db, which == ST_EV_MENTIONS && s->version < 2 ? sql_mentions_v1
                                                             : sql_text[which]);
    return s->st[which];
}

int64_t dyad__ymd_day(const char *ymd)
{
    int y, m, d;
    unsigned yy, era, yoe, doy, doe;

    if (!ymd || !dyad_date_valid(ymd) || sscanf(ymd, "%d-%d-%d", &y, &m, &d) != 3)
        return DYAD__NODAY;
    /* days_from_civil (H. Hinnant). */
    y -= m <= 2;
    era = (unsigned)((y >= 0 ? y : y - 399) / 400);
    yy = (unsigned)(y - (int)era * 400);
    yoe = yy;
    doy = (unsigned)((153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1);
    doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return (int64_t)era * 146097 + (int64_t)doe - 719468;
}

static uint64_t fnv(uint64_t h, const char *p, size_t n)
{
    size_t i;
    for (i = 0; i < n; i++) {
        h ^= (unsigned char)p[i];
        h *= 0x100000001b3ull;
    }
    return h;
}

static uint64_t fnv_field(uint64_t h, const char *s)
{
    /* A field and its absence hash differently; a separator follows each. */
    h = s ? fnv(h, s, strlen(s)) : fnv(h, "\1", 1);
    return fnv(h, "\0", 1);
}

/* The merge key of an actor: country and sector ("RUS|GOV"). */
static void actor_key(const char *code, const char *country, char *out,
                      size_t n)
{
    const char *rest = code ? code : "";
    size_t cl = country ? strlen(country) : 0;

    if (country && code && strncmp(code, country, cl) == 0)
        rest = code + cl;
    snprintf(out, n, "%s|%.3s", country ? country : "", rest);
    if (!country) /* no country: the code is all we know */
        snprintf(out, n, "|%s", code ? code : "");
}

/* Codes whose two actors act together, so the direction does not matter:
 * consult (root 04), express intent to meet or negotiate (036), sign a
 * formal agreement (057), engage in material cooperation (root 06). */
static int reciprocal(const char *code)
{
    return strncmp(code, "04", 2) == 0 || strncmp(code, "06", 2) == 0 ||
           strncmp(code, "036", 3) == 0 || strncmp(code, "057", 3) == 0;
}

static int event_key(const dyad_event *e, char *out, size_t n)
{
    char a[96], b[96];
    int recip = reciprocal(e->code);

    actor_key(e->source, e->source_country, a, sizeof a);
    actor_key(e->target, e->target_country, b, sizeof b);
    if (recip && strcmp(a, b) > 0)
        snprintf(out, n, "%s=%s|%.3s", b, a, e->code);
    else
        snprintf(out, n, "%s%s%s|%.3s", a, recip ? "=" : ">", b, e->code);
    return recip;
}

static int64_t event_id(const char *key, int64_t day)
{
    char buf[32];
    uint64_t h = fnv(0xcbf29ce484222325ull, key, strlen(key));
    snprintf(buf, sizeof buf, "#%lld", (long long)day);
    h = fnv(h, buf, strlen(buf)) & 0x7fffffffffffffffull;
    return h ? (int64_t)h : 1;
}

/* ---------------------------------------------------------- open, schema */

static int meta_get(dyad_store *s, const char *key, char *out, size_t n)
{
    dyad__stmt *st = stmt(s, ST_META_GET);
    int rc;

    out[0] = '\0';
    if (!st)
        return dbfail(s, DYAD_EIO);
    s->ops->bind_text(st, 1, key);
    rc = s->ops->step(st);
    if (rc == 1 && s->ops->col_text(st, 0))
        snprintf(out, n, "%s", s->ops->col_text(st, 0));
    s->ops->reset(st);
    if (rc < 0)
        return dbfail(s, rc);
    return rc == 1 ? DYAD_OK : DYAD_ENOENT;
}

static int meta_set(dyad_store *s, const char *key, const char *value)
{
    dyad__stmt *st = stmt(s, ST_META_SET);
    int rc;

    if (!st)
        return dbfail(s, DYAD_EIO);
    s->ops->bind_text(st, 1, key);
    s->ops->bind_text(st, 2, value);
    rc = s->ops->step(st);
    s->ops->reset(st);
    return rc < 0 ? dbfail(s, rc) : DYAD_OK;
}

/* Runs one schema file: statements end with ';' at the end of a line; one
 * whose first line is --@sqlite or --@pg runs on that backend only. */
static int run_schema_file(dyad_store *s, const dyad_builtin_file *f)
{
    const char *p = f->text;
    char *sql;
    int rc = DYAD_OK;

    if (!(sql = malloc(f->len + 1)))
        return fail(s, DYAD_ENOMEM, "out of memory");
    while (*p && rc == DYAD_OK) {
        const char *end = strstr(p, ";\n"), *q;
        size_t n;
        int skip = 0;

        if (!end)
            end = p + strlen(p);
        n = (size_t)(end - p);
        memcpy(sql, p, n);
        sql[n] = '\0';
        p = *end ? end + 2 : end;
        for (q = sql; *q == ' ' || *q == '\n' || *q == '\t'; q++)
            ;
        if (strncmp(q, "--@sqlite", 9) == 0)
            skip = s->ops->kind != DYAD__DB_SQLITE;
        else if (strncmp(q, "--@pg", 5) == 0)
            skip = s->ops->kind != DYAD__DB_PG;
        if (skip || (!strstr(q, "CREATE") && !strstr(q, "INSERT") &&
                     !strstr(q, "ALTER") && !strstr(q, "DROP") &&
                     !strstr(q, "UPDATE")))
            continue;
        if ((rc = s->ops->exec(s->db, q)) != DYAD_OK)
            rc = fail(s, rc, "schema %s: %s", f->name, s->ops->errmsg(s->db));
    }
    free(sql);
    return rc;
}

static int latest_version(void)
{
    const dyad_builtin_file *f;
    int v = 0;
    for (f = dyad__schema_files; f->name; f++)
        if (atoi(f->name) > v)
            v = atoi(f->name);
    return v;
}

/* Looks at what the database holds: 0 empty, 1 a dyad store, -1 something
 * else (with a message). Reads only. */
static int inspect(dyad_store *s, const char *where)
{
    dyad__stmt *st;
    const char *sql = s->ops->kind == DYAD__DB_SQLITE
        ? "SELECT COUNT(*), SUM(CASE WHEN name = 'dyad_meta' THEN 1 ELSE 0 END) "
          "FROM sqlite_master"
        : "SELECT COUNT(*), SUM(CASE WHEN table_name = 'dyad_meta' THEN 1 ELSE 0 END) "
          "FROM information_schema.tables WHERE table_schema = current_schema()";
    int64_t n = 0, meta = 0;
    int rc;

    if (!(st = s->ops->prepare(s->db, sql))) {
        fail(s, DYAD_EPARSE, "%s: not a dyad database (%s)", where,
             s->ops->errmsg(s->db));
        return -1;
    }
    rc = s->ops->step(st);
    if (rc == 1) {
        n = s->ops->col_int(st, 0);
        meta = s->ops->col_int(st, 1);
    }
    s->ops->finalize(st);
    if (rc < 0) {
        fail(s, DYAD_EPARSE, "%s: not a dyad database (%s)", where,
             s->ops->errmsg(s->db));
        return -1;
    }
    if (n == 0)
        return 0;
    if (meta == 0) {
        fail(s, DYAD_EPARSE, "%s: not a dyad database (it holds other tables)",
             where);
        return -1;
    }
    return 1;
}

static int stored_version(dyad_store *s, const char *where, int *version)
{
    char buf[64];
    int rc;

    if ((rc = meta_get(s, "application", buf, sizeof buf)) != DYAD_OK ||
        strcmp(buf, "dyad") != 0)
        return fail(s, DYAD_EPARSE, "%s: not a dyad database", where);
    *version = 1;
    if (meta_get(s, "schema_version", buf, sizeof buf) == DYAD_OK)
        *version = atoi(buf);
    return DYAD_OK;
}

/* Creates or migrates the schema inside one write transaction; re-checks
 * there, as another process may have done it meanwhile. */
static int migrate(dyad_store *s, const char *where)
{
    const dyad_builtin_file *f;
    int rc, state, version = 0, latest = latest_version();
    char buf[32];

    /* The merge lock also keeps two processes from migrating at once. */
    if ((rc = s->ops->begin_write(s->db)) != DYAD_OK ||
        (rc = s->ops->lock_merge(s->db)) != DYAD_OK) {
        fail(s, rc, "%s: %s", where, s->ops->errmsg(s->db));
        s->ops->exec(s->db, "ROLLBACK");
        return rc;
    }
    if ((state = inspect(s, where)) < 0) {
        rc = DYAD_EPARSE;
        goto fail;
    }
    if (state == 1 && (rc = stored_version(s, where, &version)) != DYAD_OK)
        goto fail;
    for (f = dyad__schema_files; f->name; f++) {
        if (atoi(f->name) <= version)
            continue;
        if ((rc = run_schema_file(s, f)) != DYAD_OK)
            goto fail;
    }
    if (version < latest) {
        /* Statements cached before a migration may see an old schema. */
        snprintf(buf, sizeof buf, "%d", latest);
        if (meta_get(s, "schema_version", buf + 16, 16) == DYAD_ENOENT) {
            dyad__stmt *st = s->ops->prepare(
                s->db, "INSERT INTO dyad_meta (key, value) VALUES ('schema_version', $1)");
            if (!st) {
                rc = dbfail(s, DYAD_EIO);
                goto fail;
            }
            s->ops->bind_text(st, 1, buf);
            rc = s->ops->step(st);
            s->ops->finalize(st);
            if (rc < 0) {
                rc = dbfail(s, rc);
                goto fail;
            }
        } else if ((rc = meta_set(s, "schema_version", buf)) != DYAD_OK) {
            goto fail;
        }
    }
    if ((rc = s->ops->exec(s->db, "COMMIT")) != DYAD_OK) {
        rc = dbfail(s, rc);
        goto fail;
    }
    return DYAD_OK;
fail:
    s->ops->exec(s->db, "ROLLBACK");
    return rc;
}

int dyad_store_open(const char *where, int flags, dyad_store **out, char *err,
                    size_t errsz)
{
    dyad_store *s;
    int rc = DYAD_OK, state, version = 0, is_pg;
    char buf[32];

    *out = NULL;
    if (!where || !*where) {
        snprintf(err, errsz, "no database given");
        return DYAD_EINVAL;
    }
    if (!(s = calloc(1, sizeof *s))) {
        snprintf(err, errsz, "out of memory");
        return DYAD_ENOMEM;
    }
    s->readonly = (flags & DYAD_STORE_READONLY) != 0;
    s->window = 1;
    is_pg = strncmp(where, "postgresql://", 13) == 0 ||
            strncmp(where, "postgres://", 11) == 0;
    s->ops = is_pg ? &dyad__pg_ops : &dyad__sqlite_ops;
    s->db = is_pg ? dyad__pg_open(where, err, errsz)
                  : dyad__sqlite_open(where, s->readonly, 1, err, errsz);
    if (!s->db) {
        /* dyad.h: a missing SQLite file is DYAD_ENOENT (the message says
         * "no such database"). */
        int missing = !is_pg && access(where, F_OK) != 0 && errno == ENOENT;
        free(s);
        return missing ? DYAD_ENOENT : DYAD_EIO;
    }
    if (is_pg)
        where = "PostgreSQL database";
    if ((state = inspect(s, where)) < 0) {
        rc = DYAD_EPARSE;
        goto fail;
    }
    if (state == 1 && (rc = stored_version(s, where, &version)) != DYAD_OK)
        goto fail;
    if (version > latest_version()) {
        rc = fail(s, DYAD_EPARSE,
                  "%s: schema version %d is newer than this dyad's (%d)",
                  where, version, latest_version());
        goto fail;
    }
    if (s->readonly && state == 0) {
        rc = fail(s, DYAD_EPARSE, "%s: not a dyad database (empty)", where);
        goto fail;
    }
    if (!s->readonly && version < latest_version() &&
        (rc = migrate(s, where)) != DYAD_OK)
        goto fail;
    s->version = s->readonly ? version : latest_version();
    if (!is_pg && !s->readonly) {
        /* WAL: readers go on while a batch is written; NORMAL sync keeps
         * every committed batch through a crash of the process. */
        if ((rc = s->ops->exec(s->db, "PRAGMA journal_mode=WAL")) != DYAD_OK ||
            (rc = s->ops->exec(s->db, "PRAGMA synchronous=NORMAL")) != DYAD_OK) {
            rc = fail(s, rc, "%s: %s", where, s->ops->errmsg(s->db));
            goto fail;
        }
    }
    if (meta_get(s, "window", buf, sizeof buf) == DYAD_OK)
        s->window = atoi(buf);
    *out = s;
    return DYAD_OK;
fail:
    snprintf(err, errsz, "%s", s->msg);
    dyad_store_close(s);
    return rc;
}

void dyad_store_close(dyad_store *s)
{
    size_t i;

    if (!s)
        return;
    if (s->in_tx)
        s->ops->exec(s->db, "ROLLBACK");
    for (i = 0; i < ST_COUNT; i++)
        s->ops->finalize(s->st[i]);
    for (i = 0; i < MULTI_COUNT; i++)
        for (size_t r = 0; r <= MULTI_MAX; r++)
            s->ops->finalize(s->multi[i][r]);
    for (i = 0; i < COUNT_CACHE; i++)
        free(s->counts[i].key);
    for (i = 0; i < IDS_CACHE; i++) {
        free(s->ids[i].key);
        free(s->ids[i].id);
    }
    for (i = 0; i < ROWS_CACHE; i++)
        free_rows_entry(&s->rows[i]);
    s->ops->finalize(s->one);
    for (i = 0; i < s->nt; i++)
        free(s->t[i].key);
    free(s->t);
    s->ops->close(s->db);
    free(s);
}

const char *dyad_store_errmsg(const dyad_store *s)
{
    return s ? s->msg : "";
}

int dyad_store_window(const dyad_store *s) { return s->window; }

/* ---------------------------------------------------------------- merging */

/* A batch is merged set-wise: the keys it touched, each with the range of
 * days it touched, go into a temporary table; one statement widens the
 * ranges to the events they reach, one deletes those events, one reads their
 * mentions in order; the chains are cut here (the same rule and ids as
 * always); the new events go into a second temporary table, and two
 * statements write the events and the mentions' event ids from it. So a
 * batch costs a few round trips, not a few per key. Keys are merged
 * MERGE_KEYS at a time, which bounds the memory of a whole-store merge. */
#define MERGE_KEYS 4096

static const char sql_temp[] =
    "CREATE TEMP TABLE IF NOT EXISTS dyad_touch (ekey TEXT NOT NULL, "
    "lo BIGINT NOT NULL, hi BIGINT NOT NULL);"
    "CREATE TEMP TABLE IF NOT EXISTS dyad_chain (id BIGINT NOT NULL, "
    "ekey TEXT NOT NULL, day_first BIGINT NOT NULL, day_last BIGINT NOT NULL, "
    "last_date TEXT, num_mentions INTEGER NOT NULL, num_articles INTEGER "
    "NOT NULL, num_sources INTEGER NOT NULL, doc TEXT NOT NULL, "
    "seq BIGINT NOT NULL)";

/* Multi-row INSERTs, prepared once per number of rows. */
static const struct multi_def {
    const char *table, *cols;
    int ncols, max_rows;
} multi_def[MULTI_COUNT] = {
    {"mentions", MENTION_INS_COLS, 28, 32},
    {"dyad_touch", "ekey, lo, hi", 3, MULTI_MAX},
    {"dyad_chain", "id, ekey, day_first, day_last, last_date, num_mentions, "
                   "num_articles, num_sources, doc, seq", 10, 64},
};

static dyad__stmt *multi_stmt(dyad_store *s, int kind, int rows)
{
    const struct multi_def *d = &multi_def[kind];
    size_t cap, len;
    char *sql;
    int r, c, k = 0;

    if (s->multi[kind][rows])
        return s->multi[kind][rows];
    cap = 128 + strlen(d->cols) + (size_t)rows * (size_t)d->ncols * 8;
    if (!(sql = malloc(cap))) {
        fail(s, DYAD_ENOMEM, "out of memory");
        return NULL;
    }
    len = (size_t)snprintf(sql, cap, "INSERT INTO %s (%s) VALUES ", d->table,
                           d->cols);
    for (r = 0; r < rows; r++)
        for (c = 0; c < d->ncols; c++)
            len += (size_t)snprintf(sql + len, cap - len, "%s$%d%s",
                                    c ? "" : r ? ", (" : "(", ++k,
                                    c + 1 < d->ncols ? ", " : ")");
    s->multi[kind][rows] = s->ops->prepare(s->db, sql);
    free(sql);
    if (!s->multi[kind][rows])
        dbfail(s, DYAD_EIO);
    return s->multi[kind][rows];
}

typedef struct walk_row {
    char *key; /* owned by the first row of its key only */
    char *doc, *publisher;
    int64_t seq, day;
    int owns_key;
} walk_row;

/* A new event: rows[a..b) of one key. */
typedef struct chain {
    size_t a, b;
} chain;

static int cmp_str(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

static size_t count_distinct(char **v, size_t n)
{
    size_t i, k = 0;
    qsort(v, n, sizeof *v, cmp_str);
    for (i = 0; i < n; i++)
        if (i == 0 || strcmp(v[i], v[i - 1]) != 0)
            k++;
    return k;
}

static void day_ymd(int64_t day, char out[32])
{
    /* civil_from_days (H. Hinnant). */
    int64_t z = day + 719468, era = (z >= 0 ? z : z - 146096) / 146097;
    unsigned doe = (unsigned)(z - era * 146097);
    unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    int64_t y = (int64_t)yoe + era * 400;
    unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    unsigned mp = (5 * doy + 2) / 153, d = doy - (153 * mp + 2) / 5 + 1;
    unsigned m = mp < 10 ? mp + 3 : mp - 9;
    snprintf(out, 32, "%04lld-%02u-%02u", (long long)(y + (m <= 2)), m, d);
}

/* Binds the event of rows[a..b) (sorted by day, doc, seq; the first row is
 * the representative) at parameter base + 1.. of a dyad_chain insert. */
static void bind_chain(dyad_store *s, dyad__stmt *st, int base, walk_row *rows,
                       size_t a, size_t b, char **scratch)
{
    const dyad__dbops *o = s->ops;
    int64_t first = rows[a].day, last = rows[b - 1].day;
    size_t i, ndocs, npub;
    char ymd[32];

    for (i = a; i < b; i++)
        scratch[i - a] = rows[i].doc;
    ndocs = count_distinct(scratch, b - a);
    for (i = a; i < b; i++)
        scratch[i - a] = rows[i].publisher;
    npub = count_distinct(scratch, b - a);
    o->bind_int(st, base + 1, event_id(rows[a].key, first));
    o->bind_text(st, base + 2, rows[a].key);
    o->bind_int(st, base + 3, first);
    o->bind_int(st, base + 4, last);
    if (last == DYAD__NODAY) {
        o->bind_null(st, base + 5);
    } else {
        day_ymd(last, ymd);
        o->bind_text(st, base + 5, ymd);
    }
    o->bind_int(st, base + 6, (int64_t)(b - a));
    o->bind_int(st, base + 7, (int64_t)ndocs);
    o->bind_int(st, base + 8, (int64_t)npub);
    o->bind_text(st, base + 9, rows[a].doc);
    o->bind_int(st, base + 10, rows[a].seq);
}

static int step_done(dyad_store *s, dyad__stmt *st)
{
    int rc = s->ops->step(st);
    s->ops->reset(st);
    return rc < 0 ? dbfail(s, rc) : DYAD_OK;
}

/* Runs a statement without parameters (or with the window as $1). */
static int run_st(dyad_store *s, int which, int bind_window)
{
    dyad__stmt *st = stmt(s, which);
    int rc;
    if (!st)
        return dbfail(s, DYAD_EIO);
    if (bind_window)
        s->ops->bind_int(st, 1, s->window);
    rc = s->ops->step(st);
    s->ops->reset(st);
    return rc < 0 ? dbfail(s, rc) : DYAD_OK;
}

/* Reads the mentions of dyad_touch's ranges, ordered by key, day, doc and
 * seq, and cuts each key's into chains whose consecutive dates are at most
 * the window apart. */
static int walk_chains(dyad_store *s, walk_row **rows_out, size_t *nrows,
                       chain **chains_out, size_t *nchains)
{
    const dyad__dbops *o = s->ops;
    dyad__stmt *st = stmt(s, ST_WALK);
    walk_row *rows = NULL;
    chain *ch = NULL;
    size_t n = 0, cap = 0, nc = 0, capc = 0, i, start;
    int rc;

    if (!st)
        return dbfail(s, DYAD_EIO);
    while ((rc = o->step(st)) == 1) {
        const char *key = o->col_text(st, 0), *doc = o->col_text(st, 1);
        const char *pub = o->col_text(st, 4);
        walk_row *r;
        if (n == cap) {
            walk_row *nr;
            cap = cap ? cap * 2 : 256;
            if (!(nr = realloc(rows, cap * sizeof *rows))) {
                rc = fail(s, DYAD_ENOMEM, "out of memory");
                break;
            }
            rows = nr;
        }
        r = &rows[n++];
        memset(r, 0, sizeof *r);
        key = key ? key : "";
        if (n > 1 && strcmp(rows[n - 2].key, key) == 0) {
            r->key = rows[n - 2].key;
        } else {
            r->key = strdup(key);
            r->owns_key = 1;
        }
        r->doc = strdup(doc ? doc : "");
        r->publisher = strdup(pub ? pub : "");
        r->seq = o->col_int(st, 2);
        r->day = o->col_int(st, 3);
        if (!r->key || !r->doc || !r->publisher) {
            rc = fail(s, DYAD_ENOMEM, "out of memory");
            break;
        }
    }
    o->reset(st);
    if (rc < 0 && !s->msg[0])
        rc = dbfail(s, rc);
    for (i = 0, start = 0; rc == 0 && i < n; i++) {
        if (i + 1 == n || rows[i + 1].key != rows[i].key ||
            rows[i + 1].day - rows[i].day > s->window) {
            if (nc == capc) {
                chain *nch;
                capc = capc ? capc * 2 : 256;
                if (!(nch = realloc(ch, capc * sizeof *ch))) {
                    rc = fail(s, DYAD_ENOMEM, "out of memory");
                    break;
                }
                ch = nch;
            }
            ch[nc].a = start;
            ch[nc++].b = i + 1;
            start = i + 1;
        }
    }
    *rows_out = rows;
    *nrows = n;
    *chains_out = ch;
    *nchains = nc;
    return rc;
}

static void free_rows(walk_row *rows, size_t n)
{
    size_t i;
    for (i = 0; i < n; i++) {
        if (rows[i].owns_key)
            free(rows[i].key);
        free(rows[i].doc);
        free(rows[i].publisher);
    }
    free(rows);
}

/* Writes the chains into dyad_chain, many rows per statement. */
static int insert_chains(dyad_store *s, walk_row *rows, const chain *ch,
                         size_t nc)
{
    const int per = multi_def[MULTI_CHAIN].max_rows;
    char **scratch = NULL;
    size_t i = 0, most = 0, k;
    int rc = DYAD_OK;

    for (k = 0; k < nc; k++)
        if (ch[k].b - ch[k].a > most)
            most = ch[k].b - ch[k].a;
    if (nc > 0 && !(scratch = malloc(most * sizeof *scratch)))
        return fail(s, DYAD_ENOMEM, "out of memory");
    while (rc == DYAD_OK && i < nc) {
        int rows_now = nc - i < (size_t)per ? (int)(nc - i) : per, r;
        dyad__stmt *st = multi_stmt(s, MULTI_CHAIN, rows_now);
        if (!st) {
            rc = DYAD_EIO;
            break;
        }
        for (r = 0; r < rows_now; r++, i++)
            bind_chain(s, st, r * 10, rows, ch[i].a, ch[i].b, scratch);
        rc = step_done(s, st);
    }
    free(scratch);
    return rc;
}

/* Merges again keys[0..n) (sorted, distinct; lo[i]..hi[i] the days their
 * mentions were added or removed at): each range grows to cover every event
 * within the window of it, those events are deleted, and the mentions in
 * the ranges are cut into chains. The result depends only on the stored
 * mentions. */
static int merge_keys(dyad_store *s, char **keys, const int64_t *lo,
                      const int64_t *hi, size_t n)
{
    const dyad__dbops *o = s->ops;
    const int per = multi_def[MULTI_TOUCH].max_rows;
    walk_row *rows = NULL;
    chain *ch = NULL;
    size_t i = 0, nrows = 0, nc = 0;
    int rc;

    if ((rc = run_st(s, ST_TOUCH_CLEAR, 0)) != DYAD_OK ||
        (rc = run_st(s, ST_CHAIN_CLEAR, 0)) != DYAD_OK)
        return rc;
    while (i < n) {
        int rows_now = n - i < (size_t)per ? (int)(n - i) : per, r;
        dyad__stmt *st = multi_stmt(s, MULTI_TOUCH, rows_now);
        if (!st)
            return DYAD_EIO;
        for (r = 0; r < rows_now; r++, i++) {
            o->bind_text(st, r * 3 + 1, keys[i]);
            o->bind_int(st, r * 3 + 2, lo[i]);
            o->bind_int(st, r * 3 + 3, hi[i]);
        }
        if ((rc = step_done(s, st)) != DYAD_OK)
            return rc;
    }
    /* Only now other writers' merges wait: their inserts went on so far. */
    if ((rc = o->lock_merge(s->db)) != DYAD_OK)
        return dbfail(s, rc);
    /* One widening is enough: a key's stored events are apart by more
     * than the window, so the widened range reaches no further event. */
    if ((rc = run_st(s, ST_WIDEN, 1)) != DYAD_OK ||
        (rc = run_st(s, ST_EV_DELSET, 0)) != DYAD_OK)
        return rc;
    rc = walk_chains(s, &rows, &nrows, &ch, &nc);
    if (rc == DYAD_OK)
        rc = insert_chains(s, rows, ch, nc);
    free_rows(rows, nrows);
    free(ch);
    if (rc == DYAD_OK && (rc = run_st(s, ST_EV_INSSET, 0)) == DYAD_OK)
        rc = run_st(s, ST_MEN_SETSET, 0);
    return rc;
}

static int touch(dyad_store *s, const char *key, int64_t day)
{
    if (s->nt == s->capt) {
        size_t cap = s->capt ? s->capt * 2 : 256;
        touched *nt = realloc(s->t, cap * sizeof *nt);
        if (!nt)
            return fail(s, DYAD_ENOMEM, "out of memory");
        s->t = nt;
        s->capt = cap;
    }
    if (!(s->t[s->nt].key = strdup(key)))
        return fail(s, DYAD_ENOMEM, "out of memory");
    s->t[s->nt++].day = day;
    return DYAD_OK;
}

static int cmp_touched(const void *a, const void *b)
{
    const touched *x = a, *y = b;
    int c = strcmp(x->key, y->key);
    return c ? c : (x->day > y->day) - (x->day < y->day);
}

static void clear_touched(dyad_store *s)
{
    size_t i;
    for (i = 0; i < s->nt; i++)
        free(s->t[i].key);
    s->nt = 0;
}

static void forget_counts(dyad_store *s)
{
    size_t i;
    for (i = 0; i < ROWS_CACHE; i++)
        free_rows_entry(&s->rows[i]);
    for (i = 0; i < COUNT_CACHE; i++) {
        free(s->counts[i].key);
        s->counts[i].key = NULL;
    }
    for (i = 0; i < IDS_CACHE; i++) {
        free(s->ids[i].key);
        free(s->ids[i].id);
        s->ids[i].key = NULL;
        s->ids[i].id = NULL;
    }
}

static int begin(dyad_store *s)
{
    int rc;
    if (s->in_tx)
        return DYAD_OK;
    if (s->readonly)
        return fail(s, DYAD_EINVAL, "the store is open read-only");
    /* Outside the transaction, so that a rollback keeps them. */
    if (!s->have_temp) {
        if ((rc = s->ops->exec(s->db, sql_temp)) != DYAD_OK)
            return dbfail(s, rc);
        s->have_temp = 1;
    }
    if ((rc = s->ops->begin_write(s->db)) != DYAD_OK)
        return dbfail(s, rc);
    s->in_tx = 1;
    return DYAD_OK;
}

static void rollback(dyad_store *s)
{
    if (s->in_tx)
        s->ops->exec(s->db, "ROLLBACK");
    s->in_tx = 0;
    clear_touched(s);
}

int dyad_store_commit(dyad_store *s)
{
    size_t i, j, n = 0;
    char **keys = NULL;
    int64_t *lo = NULL, *hi = NULL;
    int rc = DYAD_OK;

    if (!s->in_tx)
        return DYAD_OK;
    if (s->nt > 0) {
        qsort(s->t, s->nt, sizeof *s->t, cmp_touched);
        keys = malloc(s->nt * sizeof *keys);
        lo = malloc(s->nt * sizeof *lo);
        hi = malloc(s->nt * sizeof *hi);
        if (!keys || !lo || !hi)
            rc = fail(s, DYAD_ENOMEM, "out of memory");
        for (i = 0; rc == DYAD_OK && i < s->nt; i = j) {
            for (j = i + 1; j < s->nt && strcmp(s->t[j].key, s->t[i].key) == 0; j++)
                ;
            keys[n] = s->t[i].key;
            lo[n] = s->t[i].day;
            hi[n++] = s->t[j - 1].day;
        }
        for (i = 0; rc == DYAD_OK && i < n; i += MERGE_KEYS)
            rc = merge_keys(s, keys + i, lo + i, hi + i,
                            n - i < MERGE_KEYS ? n - i : MERGE_KEYS);
        free(keys);
        free(lo);
        free(hi);
    }
    if (rc == DYAD_OK && (rc = s->ops->exec(s->db, "COMMIT")) != DYAD_OK)
        rc = dbfail(s, rc);
    if (rc != DYAD_OK) {
        char keep[MSG_MAX];
        memcpy(keep, s->msg, sizeof keep);
        rollback(s);
        memcpy(s->msg, keep, sizeof keep);
        return rc;
    }
    s->in_tx = 0;
    clear_touched(s);
    forget_counts(s); /* data_version changes only for other connections */
    return DYAD_OK;
}

int dyad_store_set_window(dyad_store *s, int days)
{
    dyad__stmt *st;
    char buf[32];
    int rc;

    if (days < 0 || days > WINDOW_MAX)
        return fail(s, DYAD_EINVAL, "window %d out of range (0..%d days)",
                    days, WINDOW_MAX);
    if (days == s->window)
        return DYAD_OK;
    if ((rc = dyad_store_commit(s)) != DYAD_OK || (rc = begin(s)) != DYAD_OK)
        return rc;
    /* Every key is merged again with the new window. */
    s->window = days;
    snprintf(buf, sizeof buf, "%d", days);
    if ((rc = meta_set(s, "window", buf)) != DYAD_OK ||
        (rc = s->ops->exec(s->db, "DELETE FROM events")) != DYAD_OK)
        goto fail;
    if (!(st = s->ops->prepare(s->db, "SELECT DISTINCT ekey FROM mentions")))
        goto fail;
    while ((rc = s->ops->step(st)) == 1)
        if ((rc = touch(s, s->ops->col_text(st, 0), DYAD__NODAY)) != DYAD_OK)
            break;
    s->ops->finalize(st);
    if (rc < 0)
        goto fail;
    /* The widest range: every mention of the key. */
    for (size_t i = 0, n = s->nt; i < n; i++)
        if ((rc = touch(s, s->t[i].key, INT64_C(1) << 40)) != DYAD_OK)
            goto fail;
    return dyad_store_commit(s);
fail:
    if (!s->msg[0] || rc >= 0)
        dbfail(s, rc < 0 ? rc : DYAD_EIO);
    rollback(s);
    return rc < 0 ? rc : DYAD_EIO;
}

/* ---------------------------------------------------------------- ingest */

/* Removes an article and its mentions; the mentions' keys are touched. */
static int remove_article(dyad_store *s, const char *id)
{
    const dyad__dbops *o = s->ops;
    dyad__stmt *st;
    int rc;

    /* Deleting stored mentions locks their rows, which another writer's
     * merge may update: take the merge lock first, so neither waits for the
     * other's rows while holding what the other needs. */
    if ((rc = o->lock_merge(s->db)) != DYAD_OK)
        return dbfail(s, rc);
    if (!(st = stmt(s, ST_MEN_OLD)))
        return dbfail(s, DYAD_EIO);
    o->bind_text(st, 1, id);
    while ((rc = o->step(st)) == 1)
        if ((rc = touch(s, o->col_text(st, 0), o->col_int(st, 1))) != DYAD_OK)
            break;
    o->reset(st);
    if (rc < 0)
        return s->msg[0] ? rc : dbfail(s, rc);
    if (!(st = stmt(s, ST_MEN_DEL)))
        return dbfail(s, DYAD_EIO);
    o->bind_text(st, 1, id);
    if ((rc = step_done(s, st)) != DYAD_OK)
        return rc;
    if (!(st = stmt(s, ST_ART_DEL)))
        return dbfail(s, DYAD_EIO);
    o->bind_text(st, 1, id);
    if ((rc = step_done(s, st)) != DYAD_OK)
        return rc;
    if (o->kind == DYAD__DB_SQLITE) {
        if (!(st = stmt(s, ST_FTS_DEL)))
            return dbfail(s, DYAD_EIO);
        o->bind_text(st, 1, id);
        return step_done(s, st);
    }
    return DYAD_OK;
}

/* A span as two columns; NULL for none. */
static void bind_span(dyad_store *s, dyad__stmt *st, int i, dyad_span sp)
{
    if (sp.len == 0) {
        s->ops->bind_null(st, i);
        s->ops->bind_null(st, i + 1);
    } else {
        s->ops->bind_int(st, i, sp.off);
        s->ops->bind_int(st, i + 1, sp.len);
    }
}

/* Binds a mention at parameters base + 1..base + 28 of a mentions insert
 * and touches its key. */
static int bind_mention(dyad_store *s, dyad__stmt *st, int base,
                        const dyad_event *e, size_t seq, const char *publisher)
{
    const dyad__dbops *o = s->ops;
    char key[256];
    int64_t day = dyad__ymd_day(e->date);
    int recip = event_key(e, key, sizeof key);

    o->bind_text(st, base + 1, e->doc);
    o->bind_int(st, base + 2, (int64_t)seq);
    o->bind_int(st, base + 3, e->sentence);
    o->bind_int(st, base + 4, day);
    o->bind_text(st, base + 5, key);
    o->bind_int(st, base + 6, recip);
    o->bind_text(st, base + 7, publisher);
    o->bind_text(st, base + 8, e->date);
    o->bind_text(st, base + 9, e->source);
    o->bind_text(st, base + 10, e->source_name);
    o->bind_text(st, base + 11, e->source_country);
    o->bind_text(st, base + 12, e->target);
    o->bind_text(st, base + 13, e->target_name);
    o->bind_text(st, base + 14, e->target_country);
    o->bind_text(st, base + 15, e->code);
    o->bind_text(st, base + 16, e->root[0] ? e->root : NULL);
    o->bind_int(st, base + 17, e->quad);
    if (e->has_goldstein)
        o->bind_double(st, base + 18, e->goldstein);
    else
        o->bind_null(st, base + 18);
    o->bind_text(st, base + 19, e->plover);
    o->bind_text(st, base + 20, e->text);
    o->bind_text(st, base + 21, e->pattern);
    o->bind_text(st, base + 22, e->place);
    bind_span(s, st, base + 23, e->source_span);
    bind_span(s, st, base + 25, e->target_span);
    bind_span(s, st, base + 27, e->verb_span);
    return touch(s, key, day);
}

/* The document's mentions, up to 32 rows per statement (one round trip to
 * a server for most articles). */
static int insert_mentions(dyad_store *s, const dyad_doc *doc,
                           const char *publisher)
{
    const int per = multi_def[MULTI_MENTION].max_rows;
    size_t i = 0, n = dyad_doc_event_count(doc);
    int rc = DYAD_OK;

    while (rc == DYAD_OK && i < n) {
        int rows = n - i < (size_t)per ? (int)(n - i) : per, r;
        dyad__stmt *st = multi_stmt(s, MULTI_MENTION, rows);
        if (!st)
            return DYAD_EIO;
        for (r = 0; rc == DYAD_OK && r < rows; r++, i++)
            rc = bind_mention(s, st, r * 28, dyad_doc_event(doc, i), i,
                              publisher);
        if (rc != DYAD_OK)
            s->ops->reset(st);
        else
            rc = step_done(s, st);
    }
    return rc;
}

int dyad_store_add(dyad_store *s, const dyad_article *a, const dyad_doc *doc,
                   dyad_store_outcome *outcome)
{
    const dyad__dbops *o = s->ops;
    dyad__stmt *st;
    const char *date = dyad_doc_date(doc);
    char hash[20], old[20] = "";
    uint64_t h = 0xcbf29ce484222325ull;
    int rc, found, tries, replaced = 0;

    *outcome = DYAD_STORE_SKIPPED;
    s->msg[0] = '\0';
    if (!a->id || !a->text)
        return fail(s, DYAD_EINVAL, "article without id or text");
    if ((rc = begin(s)) != DYAD_OK)
        return rc;
    h = fnv_field(h, date);
    h = fnv_field(h, a->title);
    h = fnv(h, a->text, a->text_len);
    h = fnv_field(h, "");
    h = fnv_field(h, a->source);
    h = fnv_field(h, a->url);
    snprintf(hash, sizeof hash, "%016llx", (unsigned long long)h);

    /* Another writer (PostgreSQL) may store the same id meanwhile: the
     * insert then waits for its commit and adds nothing, and the article
     * is looked at again. */
    for (tries = 0;; tries++) {
        if (!(st = stmt(s, ST_ART_GET)))
            return dbfail(s, DYAD_EIO);
        o->bind_text(st, 1, a->id);
        found = o->step(st);
        if (found == 1 && o->col_text(st, 0))
            snprintf(old, sizeof old, "%s", o->col_text(st, 0));
        o->reset(st);
        if (found < 0)
            return dbfail(s, found);
        if (found == 1 && strcmp(old, hash) == 0)
            return DYAD_OK;
        if (found == 1)
            replaced = 1;
        if (found == 1 && (rc = remove_article(s, a->id)) != DYAD_OK)
            return rc;

        if (!(st = stmt(s, ST_ART_INS)))
            return dbfail(s, DYAD_EIO);
        o->bind_text(st, 1, a->id);
        o->bind_text(st, 2, hash);
        o->bind_text(st, 3, date);
        o->bind_text(st, 4, a->title);
        o->bind_text(st, 5, a->source);
        o->bind_text(st, 6, a->url);
        o->bind_text(st, 7, a->origin);
        o->bind_text(st, 8, a->text);
        rc = o->step(st);
        o->reset(st);
        if (rc < 0)
            return dbfail(s, rc);
        if (rc == 1)
            break;
        if (tries == 3)
            return fail(s, DYAD_EIO, "article %s: stored by another writer "
                        "again and again", a->id);
    }
    if (o->kind == DYAD__DB_SQLITE) {
        if (!(st = stmt(s, ST_FTS_INS)))
            return dbfail(s, DYAD_EIO);
        o->bind_text(st, 1, a->id);
        o->bind_text(st, 2, a->title);
        o->bind_text(st, 3, a->text);
        if ((rc = step_done(s, st)) != DYAD_OK)
            return rc;
    }
    if ((rc = insert_mentions(s, doc, a->source)) != DYAD_OK)
        return rc;
    *outcome = replaced ? DYAD_STORE_REPLACED : DYAD_STORE_ADDED;
    return DYAD_OK;
}

/* ---------------------------------------------------------------- queries */

static int valid_actor(const char *v)
{
    size_t i, n = strlen(v);
    if (n == 0 || n > 64)
        return 0;
    /* '-' stands for a missing part (---GOV: a government, no country),
     * as in the codes and dyads the store returns. */
    for (i = 0; i < n; i++)
        if (!((v[i] >= 'A' && v[i] <= 'Z') || (v[i] >= '0' && v[i] <= '9') ||
              v[i] == '-' || v[i] == '_'))
            return 0;
    return 1;
}

static int valid_digits(const char *v, size_t min, size_t max, int star)
{
    size_t i, n = strlen(v);
    if (star && n > 0 && v[n - 1] == '*')
        n--;
    if (n < min || n > max)
        return 0;
    for (i = 0; i < n; i++)
        if (v[i] < '0' || v[i] > '9')
            return 0;
    return 1;
}

int dyad_store_filter_check(const dyad_store_filter *f, char *err, size_t errsz)
{
#define BAD(...) do { snprintf(err, errsz, __VA_ARGS__); return DYAD_EINVAL; } while (0)
    if (!f)
        return DYAD_OK;
    if (f->actor && !valid_actor(f->actor))
        BAD("bad --actor '%s' (want an actor code or country: RUSGOV, RUS)", f->actor);
    if (f->dyad_a && !valid_actor(f->dyad_a))
        BAD("bad --dyad source '%s' (want A:B, actor codes or countries)", f->dyad_a);
    if (f->dyad_b && !valid_actor(f->dyad_b))
        BAD("bad --dyad target '%s' (want A:B, actor codes or countries)", f->dyad_b);
    if (f->code && !valid_digits(f->code, 2, 4, 1))
        BAD("bad --code '%s' (want a CAMEO code such as 041, or a prefix with *: 04*)", f->code);
    if (f->code && f->code[strlen(f->code) - 1] != '*' && strlen(f->code) < 3)
        BAD("bad --code '%s' (want 3 or 4 digits, or a prefix with *: 04*)", f->code);
    if (f->root && !valid_digits(f->root, 2, 2, 0))
        BAD("bad --root '%s' (want two digits: 04)", f->root);
    if (f->since && !dyad_date_valid(f->since))
        BAD("bad --since '%s' (want YYYY-MM-DD)", f->since);
    if (f->until && !dyad_date_valid(f->until))
        BAD("bad --until '%s' (want YYYY-MM-DD)", f->until);
    if (f->since && f->until && strcmp(f->since, f->until) > 0)
        BAD("--since %s is after --until %s", f->since, f->until);
    return DYAD_OK;
#undef BAD
}

/* A WHERE clause with its parameters ($1.. in order); values are bound as
 * text except days. */
typedef struct where {
    char sql[1024];
    const char *text[16];
    int64_t num[16];
    int is_num[16];
    int n;
    char code[8];
} where;

static int param(where *w, const char *text, int64_t num, int is_num)
{
    w->text[w->n] = text;
    w->num[w->n] = num;
    w->is_num[w->n] = is_num;
    return ++w->n;
}

static void add(where *w, const char *fmt, ...)
{
    size_t used = strlen(w->sql);
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(w->sql + used, sizeof w->sql - used, fmt, ap);
    va_end(ap);
}

static void build_where(const dyad_store *s, const dyad_store_filter *f,
                        where *w)
{
    int a, b;

    (void)s;
    memset(w, 0, sizeof *w);
    add(w, " WHERE 1 = 1");
    if (!f)
        return;
    /* Each OR term has an index of its own (schema 2 added the mixed dyad
     * lookups): SQLite's multi-index OR and PostgreSQL's bitmap OR look
     * each up and join the row sets, 2 to 3 times faster than a UNION of
     * subqueries into temporary b-trees. */
    if (f->actor) {
        a = param(w, f->actor, 0, 0);
        add(w, " AND (e.source = $%d OR e.source_country = $%d OR "
               "e.target = $%d OR e.target_country = $%d)", a, a, a, a);
    }
    if (f->dyad_a && f->dyad_b) {
        a = param(w, f->dyad_a, 0, 0);
        b = param(w, f->dyad_b, 0, 0);
        /* Each side is a code or a country: eight indexed lookups. */
        add(w, " AND ((e.source = $%d AND e.target = $%d) "
               "OR (e.source = $%d AND e.target_country = $%d) "
               "OR (e.source_country = $%d AND e.target = $%d) "
               "OR (e.source_country = $%d AND e.target_country = $%d) "
               "OR (e.recip = 1 AND e.source = $%d AND e.target = $%d) "
               "OR (e.recip = 1 AND e.source = $%d AND e.target_country = $%d) "
               "OR (e.recip = 1 AND e.source_country = $%d AND e.target = $%d) "
               "OR (e.recip = 1 AND e.source_country = $%d AND e.target_country = $%d))",
            a, b, a, b, a, b, a, b, b, a, b, a, b, a, b, a);
    }
    if (f->code) {
        size_t n = strlen(f->code);
        snprintf(w->code, sizeof w->code, "%s", f->code);
        if (n && w->code[n - 1] == '*') {
            w->code[n - 1] = '%'; /* digits only: no LIKE escapes needed */
            a = param(w, w->code, 0, 0);
            add(w, " AND e.code LIKE $%d", a);
        } else {
            a = param(w, w->code, 0, 0);
            add(w, " AND e.code = $%d", a);
        }
    }
    if (f->root) {
        a = param(w, f->root, 0, 0);
        add(w, " AND e.root = $%d", a);
    }
    if (f->since) {
        a = param(w, NULL, dyad__ymd_day(f->since), 1);
        add(w, " AND e.day_first >= $%d", a);
    }
    if (f->until) {
        a = param(w, NULL, dyad__ymd_day(f->until), 1);
        add(w, " AND e.day_first <= $%d AND e.day_first > $%d", a,
            param(w, NULL, DYAD__NODAY, 1));
    }
    if (f->doc) {
        a = param(w, f->doc, 0, 0);
        add(w, " AND e.id IN (SELECT event_id FROM mentions WHERE doc = $%d)", a);
    }
}

static void bind_where(dyad_store *s, dyad__stmt *st, const where *w)
{
    int i;
    for (i = 0; i < w->n; i++) {
        if (w->is_num[i])
            s->ops->bind_int(st, i + 1, w->num[i]);
        else
            s->ops->bind_text(st, i + 1, w->text[i]);
    }
}

static char *dup_or_null(const char *p)
{
    return p ? strdup(p) : NULL;
}

static void free_mentions(dyad_store_mention *m, size_t n)
{
    size_t i;
    for (i = 0; i < n; i++) {
        free((char *)m[i].doc);
        free((char *)m[i].date);
        free((char *)m[i].source);
        free((char *)m[i].target);
        free((char *)m[i].code);
        free((char *)m[i].text);
        free((char *)m[i].pattern);
        free((char *)m[i].publisher);
        free((char *)m[i].url);
        free((char *)m[i].source_name);
        free((char *)m[i].target_name);
    }
    free(m);
}

/* A span from two columns (NULL: none). */
static dyad_span col_span(dyad_store *s, dyad__stmt *st, int i)
{
    dyad_span sp = {0, 0};
    int64_t off = s->ops->col_int(st, i), len = s->ops->col_int(st, i + 1);
    if (s->ops->col_text(st, i) && off >= 0 && len > 0 && off <= UINT32_MAX &&
        len <= UINT32_MAX) {
        sp.off = (uint32_t)off;
        sp.len = (uint32_t)len;
    }
    return sp;
}

static int load_mentions(dyad_store *s, int64_t id, dyad_store_mention **out,
                         size_t *nout)
{
    const dyad__dbops *o = s->ops;
    dyad__stmt *st = stmt(s, ST_EV_MENTIONS);
    dyad_store_mention *m = NULL;
    size_t n = 0, cap = 0;
    int rc;

    *out = NULL;
    *nout = 0;
    if (!st)
        return dbfail(s, DYAD_EIO);
    o->bind_int(st, 1, id);
    while ((rc = o->step(st)) == 1) {
        if (n == cap) {
            dyad_store_mention *nm;
            cap = cap ? cap * 2 : 8;
            if (!(nm = realloc(m, cap * sizeof *m))) {
                rc = DYAD_ENOMEM;
                break;
            }
            m = nm;
        }
        memset(&m[n], 0, sizeof m[n]);
        m[n].doc = dup_or_null(o->col_text(st, 0));
        m[n].sentence = (int)o->col_int(st, 1);
        m[n].date = dup_or_null(o->col_text(st, 2));
        m[n].source = dup_or_null(o->col_text(st, 3));
        m[n].target = dup_or_null(o->col_text(st, 4));
        m[n].code = dup_or_null(o->col_text(st, 5));
        m[n].text = dup_or_null(o->col_text(st, 6));
        m[n].pattern = dup_or_null(o->col_text(st, 7));
        m[n].publisher = dup_or_null(o->col_text(st, 8));
        m[n].url = dup_or_null(o->col_text(st, 9));
        m[n].source_name = dup_or_null(o->col_text(st, 10));
        m[n].target_name = dup_or_null(o->col_text(st, 11));
        m[n].source_span = col_span(s, st, 12);
        m[n].target_span = col_span(s, st, 14);
        m[n].verb_span = col_span(s, st, 16);
        n++;
    }
    o->reset(st);
    if (rc < 0) {
        free_mentions(m, n);
        return rc == DYAD_ENOMEM ? fail(s, rc, "out of memory") : dbfail(s, rc);
    }
    *out = m;
    *nout = n;
    return DYAD_OK;
}

/* The columns of a merged event, in read_event's order; the spans are NULL
 * in a store of schema 1 opened read-only. */
static void event_cols(const dyad_store *s, char *out, size_t n)
{
    snprintf(out, n,
             "e.id, e.doc, e.sentence, e.date, e.source, e.source_name, "
             "e.source_country, e.target, e.target_name, e.target_country, "
             "e.code, e.root, e.quad, e.goldstein, e.plover, e.text, e.pattern, "
             "e.place, e.last_date, e.num_mentions, e.num_articles, "
             "e.num_sources, e.recip, a.url, %s",
             s->version >= 2 ? "e.source_off, e.source_len, e.target_off, "
                               "e.target_len, e.verb_off, e.verb_len"
                             : NO_SPANS);
}

static void read_event(dyad_store *s, dyad__stmt *st, dyad_store_event *e)
{
    const dyad__dbops *o = s->ops;
    const char *root;

    memset(e, 0, sizeof *e);
    e->id = o->col_int(st, 0);
    e->ev.doc = o->col_text(st, 1);
    e->ev.sentence = (int)o->col_int(st, 2);
    e->ev.date = o->col_text(st, 3);
    e->ev.source = o->col_text(st, 4);
    e->ev.source_name = o->col_text(st, 5);
    e->ev.source_country = o->col_text(st, 6);
    e->ev.target = o->col_text(st, 7);
    e->ev.target_name = o->col_text(st, 8);
    e->ev.target_country = o->col_text(st, 9);
    e->ev.code = o->col_text(st, 10);
    root = o->col_text(st, 11);
    if (root)
        snprintf(e->ev.root, sizeof e->ev.root, "%s", root);
    e->ev.quad = (int)o->col_int(st, 12);
    e->ev.has_goldstein = o->col_text(st, 13) != NULL;
    e->ev.goldstein = o->col_double(st, 13);
    e->ev.plover = o->col_text(st, 14);
    e->ev.text = o->col_text(st, 15);
    e->ev.pattern = o->col_text(st, 16);
    e->ev.place = o->col_text(st, 17);
    e->last_date = o->col_text(st, 18);
    e->num_mentions = (int)o->col_int(st, 19);
    e->num_articles = (int)o->col_int(st, 20);
    e->num_sources = (int)o->col_int(st, 21);
    e->reciprocal = (int)o->col_int(st, 22);
    e->url = o->col_text(st, 23);
    e->ev.source_span = col_span(s, st, 24);
    e->ev.target_span = col_span(s, st, 26);
    e->ev.verb_span = col_span(s, st, 28);
}

/* Starts a query call: clears the message, checks the filter, arms the time
 * limit. DYAD_OK or DYAD_EINVAL. */
static int start(dyad_store *s, const dyad_store_filter *f)
{
    char err[256];

    s->msg[0] = '\0';
    if (f && dyad_store_filter_check(f, err, sizeof err) != DYAD_OK)
        return fail(s, DYAD_EINVAL, "%s", err);
    s->ops->arm(s->db, s->limit_ms);
    return DYAD_OK;
}

/* Ends a query call: disarms the time limit; a failure rc gets its message
 * (the time limit's in plain words). */
static int finish(dyad_store *s, int rc)
{
    s->ops->arm(s->db, 0);
    if (rc == DYAD_ETIMEOUT)
        return fail(s, rc, "the query took longer than the time limit (%ld ms)",
                    s->limit_ms);
    if (rc < 0 && !s->msg[0])
        dbfail(s, rc);
    return rc;
}

/* Runs an event query whose parameters are w's (and extra ones bound by the
 * caller through bind, may be NULL) and passes each row to fn. */
/* Each row of a bound statement to fn; the statement is not reset. The
 * callback's non-zero return, or an rc. */
static int each_event(dyad_store *s, dyad__stmt *st, int with_mentions,
                      dyad_store_event_fn fn, void *ud)
{
    const dyad__dbops *o = s->ops;
    int rc = DYAD_OK, stop = 0;

    while (!stop && (rc = o->step(st)) == 1) {
        dyad_store_event e;
        dyad_store_mention *m = NULL;

        read_event(s, st, &e);
        if (with_mentions) {
            if ((rc = load_mentions(s, e.id, &m, &e.nmentions)) != DYAD_OK)
                break;
            e.mentions = m;
        }
        stop = fn(ud, &e);
        free_mentions(m, e.nmentions);
    }
    if (rc < 0 && !s->msg[0] && rc != DYAD_ETIMEOUT)
        dbfail(s, rc);
    if (stop)
        return stop;
    return rc < 0 ? rc : DYAD_OK;
}

static int run_events(dyad_store *s, const char *sql, const where *w,
                      const int64_t *extra, int nextra, int with_mentions,
                      dyad_store_event_fn fn, void *ud)
{
    const dyad__dbops *o = s->ops;
    dyad__stmt *st;
    int rc, i;

    if (!(st = o->prepare(s->db, sql)))
        return dbfail(s, DYAD_EIO);
    if (w)
        bind_where(s, st, w);
    for (i = 0; i < nextra; i++)
        o->bind_int(st, (w ? w->n : 0) + i + 1, extra[i]);
    rc = each_event(s, st, with_mentions, fn, ud);
    o->finalize(st);
    return rc;
}

int dyad_store_query(dyad_store *s, const dyad_store_filter *f,
                     int with_mentions, dyad_store_event_fn fn, void *ud)
{
    where w;
    char sql[3072], cols[640];
    int rc;

    if ((rc = start(s, f)) != DYAD_OK)
        return rc;
    build_where(s, f, &w);
    event_cols(s, cols, sizeof cols);
    snprintf(sql, sizeof sql,
             "SELECT %s FROM events e LEFT JOIN articles a ON a.id = e.doc%s "
             "ORDER BY e.day_first, e.id", cols, w.sql);
    rc = run_events(s, sql, &w, NULL, 0, with_mentions, fn, ud);
    return rc > 0 ? (finish(s, DYAD_OK), rc) : finish(s, rc);
}

/* The data version under which something may be kept; -1: keep nothing
 * (within a batch this handle's own changes are not committed yet). */
static int64_t keep_version(dyad_store *s)
{
    return s->in_tx ? -1 : s->ops->data_version(s->db);
}

/* A cache key: the SQL and w's parameters (malloc'ed; NULL when out of
 * memory). */
static char *where_key(const char *sql, const where *w)
{
    char *key = NULL;
    size_t klen = 0, i;
    FILE *m = open_memstream(&key, &klen);

    if (!m)
        return NULL;
    fputs(sql, m);
    for (i = 0; w && i < (size_t)w->n; i++) {
        if (w->is_num[i])
            fprintf(m, "|%lld", (long long)w->num[i]);
        else
            fprintf(m, "|'%s'", w->text[i] ? w->text[i] : "");
    }
    if (fclose(m) != 0) {
        free(key);
        return NULL;
    }
    return key;
}

/* One number from a query with w's parameters, kept in the count cache
 * while the database's data version stays the same. */
static int count_query(dyad_store *s, const char *sql, const where *w,
                       long *out)
{
    const dyad__dbops *o = s->ops;
    dyad__stmt *st;
    int64_t ver = keep_version(s);
    char *key = ver >= 0 ? where_key(sql, w) : NULL;
    size_t i;
    int rc;

    *out = 0;
    for (i = 0; key && i < COUNT_CACHE; i++)
        if (s->counts[i].key && s->counts[i].version == ver &&
            strcmp(s->counts[i].key, key) == 0) {
            *out = s->counts[i].n;
            free(key);
            return DYAD_OK;
        }
    if (!(st = o->prepare(s->db, sql))) {
        free(key);
        return dbfail(s, DYAD_EIO);
    }
    if (w)
        bind_where(s, st, w);
    rc = o->step(st);
    if (rc == 1) {
        *out = (long)o->col_int(st, 0);
        rc = DYAD_OK;
    } else if (rc == 0) {
        rc = DYAD_OK;
    }
    o->finalize(st);
    if (rc == DYAD_OK && key) {
        count_entry *c = &s->counts[s->next_count++ % COUNT_CACHE];
        free(c->key);
        c->key = key;
        c->version = ver;
        c->n = *out;
        key = NULL;
    }
    free(key);
    return rc;
}

/* The kept ids of w's events, loaded when the filter matches at most
 * IDS_MAX of them; *out NULL when it matches more, or nothing may be kept
 * (PostgreSQL, within a batch). */
static int filter_ids(dyad_store *s, const where *w, const ids_entry **out)
{
    const dyad__dbops *o = s->ops;
    int64_t ver = keep_version(s), *id = NULL;
    char sql[2560], *key;
    size_t i, n = 0, cap;
    ids_entry *ie;
    dyad__stmt *st;
    long count;
    int rc;

    *out = NULL;
    if (ver < 0)
        return DYAD_OK;
    snprintf(sql, sizeof sql, "SELECT e.id FROM events e%s ORDER BY "
             "e.day_first, e.id", w->sql);
    if (!(key = where_key(sql, w)))
        return DYAD_OK;
    for (i = 0; i < IDS_CACHE; i++)
        if (s->ids[i].key && s->ids[i].version == ver &&
            strcmp(s->ids[i].key, key) == 0) {
            free(key);
            *out = &s->ids[i];
            return DYAD_OK;
        }
    {
        char csql[2048];
        snprintf(csql, sizeof csql, "SELECT COUNT(*) FROM events e%s", w->sql);
        if ((rc = count_query(s, csql, w, &count)) != DYAD_OK || count > IDS_MAX) {
            free(key);
            return rc;
        }
    }
    cap = (size_t)count + 16;
    if (!(id = malloc(cap * sizeof *id)) || !(st = o->prepare(s->db, sql))) {
        free(key);
        free(id);
        return id ? dbfail(s, DYAD_EIO) : fail(s, DYAD_ENOMEM, "out of memory");
    }
    bind_where(s, st, w);
    while ((rc = o->step(st)) == 1 && n < cap)
        id[n++] = o->col_int(st, 0);
    o->finalize(st);
    if (rc < 0 || n == cap) { /* an error, or more than counted: no keeping */
        free(key);
        free(id);
        return rc < 0 ? rc : DYAD_OK;
    }
    ie = &s->ids[s->next_ids++ % IDS_CACHE];
    free(ie->key);
    free(ie->id);
    ie->key = key;
    ie->version = ver;
    ie->id = id;
    ie->n = n;
    *out = ie;
    return DYAD_OK;
}

/* A page of kept ids, each event read by its id. */
static int page_by_ids(dyad_store *s, const ids_entry *ie, long offset,
                       long limit, int with_mentions, dyad_store_event_fn fn,
                       void *ud)
{
    const dyad__dbops *o = s->ops;
    size_t i, end;
    int rc = DYAD_OK;

    if (!s->one) {
        char sql[1024], cols[640];
        event_cols(s, cols, sizeof cols);
        snprintf(sql, sizeof sql, "SELECT %s FROM events e LEFT JOIN articles "
                 "a ON a.id = e.doc WHERE e.id = $1", cols);
        if (!(s->one = o->prepare(s->db, sql)))
            return dbfail(s, DYAD_EIO);
    }
    end = (size_t)offset + (size_t)limit;
    if (end > ie->n)
        end = ie->n;
    for (i = (size_t)offset; i < end && rc == DYAD_OK; i++) {
        o->bind_int(s->one, 1, ie->id[i]);
        rc = each_event(s, s->one, with_mentions, fn, ud);
        o->reset(s->one);
    }
    return rc;
}

int dyad_store_query_page(dyad_store *s, const dyad_store_filter *f,
                          int with_mentions, long offset, long limit,
                          dyad_store_event_fn fn, void *ud)
{
    where w;
    char sql[3072], cols[640];
    int64_t extra[2];
    int rc;

    if (offset < 0 || limit < 1 || limit > 1000000) {
        s->msg[0] = '\0';
        return fail(s, DYAD_EINVAL, "bad page: offset %ld, limit %ld (want "
                    "offset >= 0, limit 1 to 1000000)", offset, limit);
    }
    if ((rc = start(s, f)) != DYAD_OK)
        return rc;
    build_where(s, f, &w);
    if (w.n > 0) {
        const ids_entry *ie = NULL;
        if ((rc = filter_ids(s, &w, &ie)) != DYAD_OK)
            return finish(s, rc);
        if (ie) {
            rc = page_by_ids(s, ie, offset, limit, with_mentions, fn, ud);
            return rc > 0 ? (finish(s, DYAD_OK), rc) : finish(s, rc);
        }
    }
    event_cols(s, cols, sizeof cols);
    /* The page's ids come from the events_order index alone; only those
     * rows are read and joined (a deep OFFSET skips index entries). */
    snprintf(sql, sizeof sql,
             "SELECT %s FROM (SELECT e.id AS pid FROM events e%s ORDER BY "
             "e.day_first, e.id LIMIT $%d OFFSET $%d) p JOIN events e ON "
             "e.id = p.pid LEFT JOIN articles a ON a.id = e.doc ORDER BY "
             "e.day_first, e.id", cols, w.sql, w.n + 1, w.n + 2);
    extra[0] = limit;
    extra[1] = offset;
    rc = run_events(s, sql, &w, extra, 2, with_mentions, fn, ud);
    return rc > 0 ? (finish(s, DYAD_OK), rc) : finish(s, rc);
}

typedef struct get_ctx {
    dyad_store_event_fn fn;
    void *ud;
    int found;
} get_ctx;

static int get_one(void *ud, const dyad_store_event *e)
{
    get_ctx *g = ud;
    g->found = 1;
    return g->fn(g->ud, e);
}

int dyad_store_event_get(dyad_store *s, int64_t id, int with_mentions,
                         dyad_store_event_fn fn, void *ud)
{
    char sql[1024], cols[640];
    get_ctx g = {fn, ud, 0};
    int rc;

    if ((rc = start(s, NULL)) != DYAD_OK)
        return rc;
    event_cols(s, cols, sizeof cols);
    snprintf(sql, sizeof sql,
             "SELECT %s FROM events e LEFT JOIN articles a ON a.id = e.doc "
             "WHERE e.id = $1", cols);
    rc = run_events(s, sql, NULL, &id, 1, with_mentions, get_one, &g);
    if (rc == DYAD_OK && !g.found)
        return finish(s, fail(s, DYAD_ENOENT, "no event %lld", (long long)id));
    return rc > 0 ? (finish(s, DYAD_OK), rc) : finish(s, rc);
}

int dyad_store_count(dyad_store *s, const dyad_store_filter *f, long *n)
{
    where w;
    char sql[2048];
    int rc;

    *n = 0;
    if ((rc = start(s, f)) != DYAD_OK)
        return rc;
    build_where(s, f, &w);
    snprintf(sql, sizeof sql, "SELECT COUNT(*) FROM events e%s", w.sql);
    return finish(s, count_query(s, sql, &w, n));
}

int dyad_store_totals(dyad_store *s, long *events, long *articles)
{
    int rc;

    *events = *articles = 0;
    if ((rc = start(s, NULL)) != DYAD_OK)
        return rc;
    rc = count_query(s, "SELECT COUNT(*) FROM events", NULL, events);
    if (rc == DYAD_OK)
        rc = count_query(s, "SELECT COUNT(*) FROM articles", NULL, articles);
    return finish(s, rc);
}

static const struct stat_table {
    const char *table, *key, *order;
} stat_tables[] = {
    {"dyad", "COALESCE(e.source_country, e.source, '') || ':' || "
             "COALESCE(e.target_country, e.target, '')", "2 DESC, 1"},
    {"day", "COALESCE(e.date, 'undated')", "1"},
    {"root", "COALESCE(e.root, '')", "1"},
    {"quad", "CAST(e.quad AS TEXT)", "1"},
};

/* The rows of sql with w's parameters: a text column when text is set,
 * then nint integers and a double; from the cache when the store has not
 * changed since. *out points into the cache, or to tmp when the result is
 * not kept (the caller frees tmp). */
static int load_rows(dyad_store *s, const char *sql, const where *w, int text,
                     int nint, rows_entry *tmp, const rows_entry **out)
{
    const dyad__dbops *o = s->ops;
    dyad__stmt *st;
    int64_t ver = keep_version(s);
    char *key = ver >= 0 ? where_key(sql, w) : NULL;
    rows_entry r;
    size_t i, cap = 0;
    int rc, c;

    memset(tmp, 0, sizeof *tmp);
    for (i = 0; key && i < ROWS_CACHE; i++)
        if (s->rows[i].key && s->rows[i].version == ver &&
            strcmp(s->rows[i].key, key) == 0) {
            free(key);
            *out = &s->rows[i];
            return DYAD_OK;
        }
    memset(&r, 0, sizeof r);
    if (!(st = o->prepare(s->db, sql))) {
        free(key);
        return dbfail(s, DYAD_EIO);
    }
    bind_where(s, st, w);
    while ((rc = o->step(st)) == 1) {
        if (r.n == cap) {
            size_t nc = cap ? cap * 2 : 64;
            char **nt = text ? realloc(r.text, nc * sizeof *nt) : NULL;
            int64_t *nn;
            double *ng;
            if (text && nt)
                r.text = nt;
            nn = realloc(r.num, nc * ROW_INTS * sizeof *nn);
            if (nn)
                r.num = nn;
            ng = realloc(r.g, nc * sizeof *ng);
            if (ng)
                r.g = ng;
            if ((text && !nt) || !nn || !ng) {
                rc = fail(s, DYAD_ENOMEM, "out of memory");
                break;
            }
            cap = nc;
        }
        memset(&r.num[r.n * ROW_INTS], 0, ROW_INTS * sizeof *r.num);
        if (text) {
            const char *t = o->col_text(st, 0);
            if (!(r.text[r.n] = strdup(t ? t : ""))) {
                rc = fail(s, DYAD_ENOMEM, "out of memory");
                break;
            }
        }
        for (c = 0; c < nint; c++)
            r.num[r.n * ROW_INTS + (size_t)c] = o->col_int(st, text + c);
        r.g[r.n] = o->col_double(st, text + nint);
        r.n++;
    }
    o->finalize(st);
    if (rc < 0) {
        free(key);
        free_rows_entry(&r);
        return s->msg[0] ? rc : dbfail(s, rc);
    }
    if (key && r.n <= ROWS_MAX) {
        rows_entry *e = &s->rows[s->next_rows++ % ROWS_CACHE];
        free_rows_entry(e);
        *e = r;
        e->key = key;
        e->version = ver;
        *out = e;
        return DYAD_OK;
    }
    free(key);
    *tmp = r;
    *out = tmp;
    return DYAD_OK;
}

/* One summary table over w's events. */
static int stat_rows(dyad_store *s, const struct stat_table *t, const where *w,
                     long limit, dyad_store_stat_fn fn, void *ud)
{
    const rows_entry *res = NULL;
    rows_entry tmp;
    char sql[2560], lim[48] = "";
    size_t i;
    int rc, stop = 0;

    if (limit > 0)
        snprintf(lim, sizeof lim, " LIMIT %ld", limit);
    if (strcmp(t->table, "dyad") == 0)
        /* Summed first by the four columns, in the order of the
         * events_dyads index (no sort), then by the key: half the time of
         * grouping a million keys made row by row. */
        snprintf(sql, sizeof sql,
                 "SELECT COALESCE(sc, s, '') || ':' || COALESCE(tc, t, ''), "
                 "SUM(n), SUM(m), COALESCE(SUM(g), 0) FROM (SELECT "
                 "e.source_country AS sc, e.target_country AS tc, e.source AS s, "
                 "e.target AS t, COUNT(*) AS n, SUM(e.num_mentions) AS m, "
                 "SUM(e.goldstein) AS g FROM events e%s GROUP BY "
                 "e.source_country, e.target_country, e.source, e.target) AS d "
                 "GROUP BY 1 ORDER BY %s%s", w->sql, t->order, lim);
    else
        snprintf(sql, sizeof sql,
                 "SELECT %s, COUNT(*), SUM(e.num_mentions), "
                 "COALESCE(SUM(e.goldstein), 0) FROM events e%s GROUP BY 1 "
                 "ORDER BY %s%s", t->key, w->sql, t->order, lim);
    if ((rc = load_rows(s, sql, w, 1, 2, &tmp, &res)) != DYAD_OK)
        return rc;
    for (i = 0; !stop && i < res->n; i++) {
        dyad_store_stat row;
        row.table = t->table;
        row.key = res->text[i];
        row.events = (long)res->num[i * ROW_INTS];
        row.mentions = (long)res->num[i * ROW_INTS + 1];
        row.goldstein_sum = res->g[i];
        stop = fn(ud, &row);
    }
    free_rows_entry(&tmp);
    return stop;
}

int dyad_store_stats(dyad_store *s, const dyad_store_filter *f,
                     dyad_store_stat_fn fn, void *ud)
{
    where w;
    size_t t;
    int rc;

    if ((rc = start(s, f)) != DYAD_OK)
        return rc;
    build_where(s, f, &w);
    for (t = 0; t < sizeof stat_tables / sizeof stat_tables[0] && rc == DYAD_OK; t++)
        rc = stat_rows(s, &stat_tables[t], &w, 0, fn, ud);
    return rc > 0 ? (finish(s, DYAD_OK), rc) : finish(s, rc);
}

int dyad_store_stats_table(dyad_store *s, const dyad_store_filter *f,
                           const char *table, long limit,
                           dyad_store_stat_fn fn, void *ud)
{
    where w;
    size_t t;
    int rc;

    for (t = 0; t < sizeof stat_tables / sizeof stat_tables[0]; t++)
        if (table && strcmp(table, stat_tables[t].table) == 0)
            break;
    if (t == sizeof stat_tables / sizeof stat_tables[0]) {
        s->msg[0] = '\0';
        return fail(s, DYAD_EINVAL, "no summary table '%s' (dyad, day, root "
                    "or quad)", table ? table : "");
    }
    if ((rc = start(s, f)) != DYAD_OK)
        return rc;
    build_where(s, f, &w);
    rc = stat_rows(s, &stat_tables[t], &w, limit < 0 ? 0 : limit, fn, ud);
    return rc > 0 ? (finish(s, DYAD_OK), rc) : finish(s, rc);
}

int dyad_store_timeline(dyad_store *s, const dyad_store_filter *f,
                        dyad_store_day_fn fn, void *ud)
{
    const rows_entry *res = NULL;
    rows_entry tmp;
    where w;
    char sql[2560];
    size_t i;
    int rc, stop = 0, a;

    if ((rc = start(s, f)) != DYAD_OK)
        return rc;
    build_where(s, f, &w);
    a = param(&w, NULL, DYAD__NODAY, 1);
    add(&w, " AND e.day_first > $%d", a);
    /* By day number, from the events_order index alone. */
    snprintf(sql, sizeof sql,
             "SELECT e.day_first, COUNT(*), SUM(e.num_mentions), "
             "SUM(CASE WHEN e.quad = 1 THEN 1 ELSE 0 END), "
             "SUM(CASE WHEN e.quad = 2 THEN 1 ELSE 0 END), "
             "SUM(CASE WHEN e.quad = 3 THEN 1 ELSE 0 END), "
             "SUM(CASE WHEN e.quad = 4 THEN 1 ELSE 0 END), "
             "COALESCE(SUM(e.goldstein), 0) FROM events e%s "
             "GROUP BY e.day_first ORDER BY e.day_first", w.sql);
    if ((rc = load_rows(s, sql, &w, 0, 7, &tmp, &res)) != DYAD_OK)
        return finish(s, rc);
    for (i = 0; !stop && i < res->n; i++) {
        const int64_t *v = &res->num[i * ROW_INTS];
        dyad_store_day d;
        char ymd[32];
        int q;
        memset(&d, 0, sizeof d);
        day_ymd(v[0], ymd);
        d.date = ymd;
        d.events = (long)v[1];
        d.mentions = (long)v[2];
        for (q = 1; q <= 4; q++)
            d.quad[q] = (long)v[2 + q];
        d.quad[0] = d.events - d.quad[1] - d.quad[2] - d.quad[3] - d.quad[4];
        d.goldstein_sum = res->g[i];
        stop = fn(ud, &d);
    }
    free_rows_entry(&tmp);
    if (stop)
        return finish(s, DYAD_OK), stop;
    return finish(s, DYAD_OK);
}

int dyad_store_set_time_limit(dyad_store *s, long ms)
{
    if (ms < 0)
        return fail(s, DYAD_EINVAL, "time limit %ld ms is negative", ms);
    s->limit_ms = ms;
    return s->ops->time_limit(s->db, ms);
}

int dyad_store_search(dyad_store *s, const char *query, long limit,
                      dyad_store_article_fn fn, void *ud)
{
    const dyad__dbops *o = s->ops;
    const char *sql = o->kind == DYAD__DB_SQLITE
        ? "SELECT a.id, a.date, a.title, a.source, a.url FROM articles_fts f "
          "JOIN articles a ON a.id = f.id WHERE articles_fts MATCH $1 "
          "ORDER BY bm25(articles_fts), a.id LIMIT $2"
        : "SELECT id, date, title, source, url FROM articles WHERE "
          "to_tsvector('simple', coalesce(title, '') || ' ' || body) @@ "
          "plainto_tsquery('simple', $1) ORDER BY ts_rank(to_tsvector('simple', "
          "coalesce(title, '') || ' ' || body), plainto_tsquery('simple', $1)) "
          "DESC, id LIMIT $2";
    dyad__stmt *st;
    int rc, stop = 0;

    s->msg[0] = '\0';
    if (!query || !*query)
        return fail(s, DYAD_EINVAL, "empty search query");
    if (!(st = o->prepare(s->db, sql)))
        return dbfail(s, DYAD_EIO);
    o->arm(s->db, s->limit_ms);
    o->bind_text(st, 1, query);
    o->bind_int(st, 2, limit > 0 ? limit : 100);
    while (!stop && (rc = o->step(st)) == 1) {
        dyad_store_article a;
        a.id = o->col_text(st, 0);
        a.date = o->col_text(st, 1);
        a.title = o->col_text(st, 2);
        a.source = o->col_text(st, 3);
        a.url = o->col_text(st, 4);
        stop = fn(ud, &a);
    }
    o->finalize(st);
    if (rc == DYAD_ETIMEOUT)
        return finish(s, rc);
    o->arm(s->db, 0);
    if (rc < 0)
        fail(s, DYAD_EINVAL, "bad search query '%s': %s", query,
             o->errmsg(s->db));
    if (stop)
        return stop;
    return rc < 0 ? DYAD_EINVAL : DYAD_OK;
}
