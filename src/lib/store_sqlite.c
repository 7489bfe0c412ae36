/* store_sqlite.c: the SQLite backend of the event store (WAL journal, FTS5).
 * SQL arrives with $N parameters, which become SQLite's ?N. */
#include "store.h"

#include "dyad.h"

#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

struct dyad__db {
    sqlite3 *h;
    sqlite3_stmt *version; /* PRAGMA data_version */
    double deadline;       /* monotonic seconds; 0: no limit */
    char msg[512];
};

/* VM instructions between two looks at the clock: a few microseconds. */
#define PROGRESS_OPS 1000

static double now_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* Non-zero interrupts the statement (SQLITE_INTERRUPT). */
static int on_progress(void *ud)
{
    dyad__db *db = ud;
    return db->deadline > 0 && now_s() > db->deadline;
}

struct dyad__stmt {
    dyad__db *db;
    sqlite3_stmt *st;
};

static void set_msg(dyad__db *db)
{
    snprintf(db->msg, sizeof db->msg, "%s", sqlite3_errmsg(db->h));
}

static int rc_of(int src)
{
    switch (src & 0xff) {
    case SQLITE_NOMEM: return DYAD_ENOMEM;
    case SQLITE_INTERRUPT: return DYAD_ETIMEOUT;
    case SQLITE_NOTADB: case SQLITE_CORRUPT: case SQLITE_ERROR: return DYAD_EPARSE;
    default: return DYAD_EIO;
    }
}

dyad__db *dyad__sqlite_open(const char *path, int readonly, int create,
                            char *err, size_t errsz)
{
    dyad__db *db;
    struct stat sb;
    int flags, rc;

    if (stat(path, &sb) != 0) {
        if (readonly || !create) {
            snprintf(err, errsz, "%s: no such database", path);
            return NULL;
        }
    } else {
        if (!S_ISREG(sb.st_mode)) {
            snprintf(err, errsz, "%s: not a regular file", path);
            return NULL;
        }
        /* A file without write permission is read-only even for root. */
        if (!readonly && ((sb.st_mode & 0222) == 0 || access(path, W_OK) != 0)) {
            snprintf(err, errsz, "%s: the database is read-only", path);
            return NULL;
        }
    }
    if (!(db = calloc(1, sizeof *db))) {
        snprintf(err, errsz, "out of memory");
        return NULL;
    }
    flags = readonly ? SQLITE_OPEN_READONLY
                     : SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE;
    rc = sqlite3_open_v2(path, &db->h, flags | SQLITE_OPEN_NOMUTEX, NULL);
    if (rc != SQLITE_OK) {
        snprintf(err, errsz, "%s: %s", path,
                 db->h ? sqlite3_errmsg(db->h) : "cannot open");
        sqlite3_close(db->h);
        free(db);
        return NULL;
    }
    /* Concurrent ingests wait for each other's batches. */
    sqlite3_busy_timeout(db->h, 120000);
    sqlite3_extended_result_codes(db->h, 0);
    sqlite3_progress_handler(db->h, PROGRESS_OPS, on_progress, db);
    return db;
}

static int s_exec(dyad__db *db, const char *sql)
{
    int rc = sqlite3_exec(db->h, sql, NULL, NULL, NULL);
    if (rc != SQLITE_OK) {
        set_msg(db);
        return rc_of(rc);
    }
    return DYAD_OK;
}

static dyad__stmt *s_prepare(dyad__db *db, const char *sql)
{
    dyad__stmt *st;
    char *q;
    size_t i, j, n = strlen(sql);

    if (!(q = malloc(n + 1)) || !(st = calloc(1, sizeof *st))) {
        free(q);
        snprintf(db->msg, sizeof db->msg, "out of memory");
        return NULL;
    }
    /* $N -> ?N; the SQL has no '$' elsewhere. */
    for (i = j = 0; i < n; i++)
        q[j++] = sql[i] == '$' ? '?' : sql[i];
    q[j] = '\0';
    st->db = db;
    if (sqlite3_prepare_v2(db->h, q, -1, &st->st, NULL) != SQLITE_OK) {
        set_msg(db);
        free(q);
        free(st);
        return NULL;
    }
    free(q);
    return st;
}

static int bound(dyad__stmt *st, int rc)
{
    if (rc != SQLITE_OK) {
        set_msg(st->db);
        return rc_of(rc);
    }
    return DYAD_OK;
}

static int s_bind_text(dyad__stmt *st, int i, const char *s)
{
    if (!s)
        return bound(st, sqlite3_bind_null(st->st, i));
    return bound(st, sqlite3_bind_text(st->st, i, s, -1, SQLITE_TRANSIENT));
}
static int s_bind_int(dyad__stmt *st, int i, int64_t v)
{
    return bound(st, sqlite3_bind_int64(st->st, i, v));
}
static int s_bind_double(dyad__stmt *st, int i, double v)
{
    return bound(st, sqlite3_bind_double(st->st, i, v));
}
static int s_bind_null(dyad__stmt *st, int i)
{
    return bound(st, sqlite3_bind_null(st->st, i));
}

static int s_step(dyad__stmt *st)
{
    int rc = sqlite3_step(st->st);
    if (rc == SQLITE_ROW)
        return 1;
    if (rc == SQLITE_DONE)
        return 0;
    set_msg(st->db);
    sqlite3_reset(st->st);
    return rc_of(rc);
}

static const char *s_col_text(dyad__stmt *st, int i)
{
    return (const char *)sqlite3_column_text(st->st, i);
}
static int64_t s_col_int(dyad__stmt *st, int i)
{
    return sqlite3_column_int64(st->st, i);
}
static double s_col_double(dyad__stmt *st, int i)
{
    return sqlite3_column_double(st->st, i);
}
static void s_reset(dyad__stmt *st)
{
    sqlite3_reset(st->st);
    sqlite3_clear_bindings(st->st);
}
static void s_finalize(dyad__stmt *st)
{
    if (!st)
        return;
    sqlite3_finalize(st->st);
    free(st);
}
static int s_begin_write(dyad__db *db)
{
    /* IMMEDIATE takes the write lock now, so two ingests never deadlock. */
    return s_exec(db, "BEGIN IMMEDIATE");
}
static int s_lock_merge(dyad__db *db) { (void)db; return DYAD_OK; }
static const char *s_errmsg(dyad__db *db) { return db->msg; }
static int s_time_limit(dyad__db *db, long ms)
{
    (void)db;
    (void)ms; /* armed per call */
    return DYAD_OK;
}
static void s_arm(dyad__db *db, long ms)
{
    db->deadline = ms > 0 ? now_s() + (double)ms / 1000.0 : 0;
}
static int64_t s_data_version(dyad__db *db)
{
    int64_t v = -1;
    if (!db->version &&
        sqlite3_prepare_v2(db->h, "PRAGMA data_version", -1, &db->version,
                           NULL) != SQLITE_OK)
        return -1;
    if (sqlite3_step(db->version) == SQLITE_ROW)
        v = sqlite3_column_int64(db->version, 0);
    sqlite3_reset(db->version);
    return v;
}
static void s_close(dyad__db *db)
{
    if (!db)
        return;
    sqlite3_finalize(db->version);
    sqlite3_close(db->h);
    free(db);
}

const dyad__dbops dyad__sqlite_ops = {
    DYAD__DB_SQLITE, s_exec, s_prepare, s_bind_text, s_bind_int,
    s_bind_double, s_bind_null, s_step, s_col_text, s_col_int, s_col_double,
    s_reset, s_finalize, s_begin_write, s_lock_merge, s_errmsg, s_close,
    s_time_limit, s_arm, s_data_version,
};
