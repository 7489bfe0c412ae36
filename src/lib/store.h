/* store.h: internals of the event store: the small database interface that
 * store.c's backend-neutral merge logic runs on, and its two backends
 * (store_sqlite.c, store_pg.c). SQL is written once with $1..$N parameters. */
#ifndef DYAD_STORE_INT_H
#define DYAD_STORE_INT_H

#include <stddef.h>
#include <stdint.h>

typedef struct dyad__db dyad__db;
typedef struct dyad__stmt dyad__stmt;

typedef enum { DYAD__DB_SQLITE = 1, DYAD__DB_PG = 2 } dyad__db_kind;

/* One backend. Every call returns 0 or a dyad_rc; the message of the last
 * failure is errmsg(). step() returns 1 for a row, 0 at the end, <0 on error. */
typedef struct dyad__dbops {
    dyad__db_kind kind;
    int (*exec)(dyad__db *db, const char *sql);
    dyad__stmt *(*prepare)(dyad__db *db, const char *sql);
    int (*bind_text)(dyad__stmt *st, int i, const char *s);
    int (*bind_int)(dyad__stmt *st, int i, int64_t v);
    int (*bind_double)(dyad__stmt *st, int i, double v);
    int (*bind_null)(dyad__stmt *st, int i);
    int (*step)(dyad__stmt *st);
    const char *(*col_text)(dyad__stmt *st, int i); /* NULL for SQL NULL */
    int64_t (*col_int)(dyad__stmt *st, int i);
    double (*col_double)(dyad__stmt *st, int i);
    void (*reset)(dyad__stmt *st);
    void (*finalize)(dyad__stmt *st);
    /* Starts a write transaction. SQLite: it excludes other writers at
     * once; PostgreSQL: other writers' inserts go on until lock_merge. */
    int (*begin_write)(dyad__db *db);
    /* Excludes other writers' merges until the transaction ends (the merge
     * reads and rewrites events); a no-op where begin_write did already. */
    int (*lock_merge)(dyad__db *db);
    const char *(*errmsg)(dyad__db *db);
    void (*close)(dyad__db *db);
    /* Time limits (dyad_store_set_time_limit): time_limit sets the limit
     * per statement where the server keeps one (PostgreSQL); arm starts
     * (ms > 0) or ends (0) the limit of one call where it is kept here
     * (SQLite). A statement over the limit fails with DYAD_ETIMEOUT. */
    int (*time_limit)(dyad__db *db, long ms);
    void (*arm)(dyad__db *db, long ms);
    /* A number that changes whenever the data may have changed; -1 when
     * the backend has none (nothing is cached then). */
    int64_t (*data_version)(dyad__db *db);
} dyad__dbops;

/* Open a backend. On failure NULL, with a message in err. readonly: the
 * store is only read (queries); create: a missing SQLite file is created. */
dyad__db *dyad__sqlite_open(const char *path, int readonly, int create,
                            char *err, size_t errsz);
dyad__db *dyad__pg_open(const char *conninfo, char *err, size_t errsz);
extern const dyad__dbops dyad__sqlite_ops, dyad__pg_ops;

/* Day number of a YYYY-MM-DD date (days since 1970-01-01); -99999999 when
 * NULL or malformed. */
#define DYAD__NODAY (-99999999LL)
int64_t dyad__ymd_day(const char *ymd);

#endif
