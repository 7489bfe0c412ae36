/* store_pg.c: the PostgreSQL backend of the event store, through libpq.
 * Statements are server-side prepared; parameters travel as text. */
#include "store.h"

#include "dyad.h"

#include <dlfcn.h>
#include <libpq-fe.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* libpq is opened (dlopen) when the first PostgreSQL store is: dyad's other
 * commands, and every start of the program, do not pay for loading it and
 * the libraries it needs (TLS, Kerberos, LDAP: about 3 ms a start). */
static struct {
    __typeof__(PQconnectdb) *connectdb;
    __typeof__(PQstatus) *status;
    __typeof__(PQerrorMessage) *errorMessage;
    __typeof__(PQfinish) *finish;
    __typeof__(PQsetNoticeProcessor) *setNoticeProcessor;
    __typeof__(PQresultStatus) *resultStatus;
    __typeof__(PQresultErrorField) *resultErrorField;
    __typeof__(PQexec) *exec;
    __typeof__(PQclear) *clear;
    __typeof__(PQprepare) *prepare;
    __typeof__(PQexecPrepared) *execPrepared;
    __typeof__(PQntuples) *ntuples;
    __typeof__(PQgetisnull) *getisnull;
    __typeof__(PQgetvalue) *getvalue;
} pq;
static pthread_once_t pq_once = PTHREAD_ONCE_INIT;
static int pq_loaded;
static char pq_error[256];

static void pq_load(void)
{
    void *h = dlopen("libpq.so.5", RTLD_NOW | RTLD_LOCAL);
    if (!h) {
        snprintf(pq_error, sizeof pq_error, "cannot load libpq: %s", dlerror());
        return;
    }
    /* (POSIX: a function pointer written through a void * lvalue) */
#define PQ_SYM(name)                                                            \
    if (!(*(void **)&pq.name = dlsym(h, "PQ" #name))) {                         \
        snprintf(pq_error, sizeof pq_error, "libpq has no PQ" #name);             \
        return;                                                                 \
    }
    PQ_SYM(connectdb)
    PQ_SYM(status)
    PQ_SYM(errorMessage)
    PQ_SYM(finish)
    PQ_SYM(setNoticeProcessor)
    PQ_SYM(resultStatus)
    PQ_SYM(resultErrorField)
    PQ_SYM(exec)
    PQ_SYM(clear)
    PQ_SYM(prepare)
    PQ_SYM(execPrepared)
    PQ_SYM(ntuples)
    PQ_SYM(getisnull)
    PQ_SYM(getvalue)
#undef PQ_SYM
    pq_loaded = 1; /* the library stays open: its results are in use */
}


/* Multi-row INSERTs take hundreds of parameters; PostgreSQL's limit. */
#define PG_MAXPARAM 65535

struct dyad__db {
    PGconn *c;
    int nstmt; /* names s1, s2, ... */
    char msg[512];
};

struct dyad__stmt {
    dyad__db *db;
    char name[16];
    int nparam;
    char **param; /* nparam values; NULL for SQL NULL */
    PGresult *res;
    int row, nrows;
};

static void set_msg(dyad__db *db, const char *m)
{
    size_t n;
    snprintf(db->msg, sizeof db->msg, "%s", m ? m : "PostgreSQL error");
    n = strlen(db->msg);
    while (n > 0 && (db->msg[n - 1] == '\n' || db->msg[n - 1] == ' '))
        db->msg[--n] = '\0';
}

static void quiet(void *arg, const char *message) { (void)arg; (void)message; }

dyad__db *dyad__pg_open(const char *conninfo, char *err, size_t errsz)
{
    dyad__db *db = calloc(1, sizeof *db);
    if (!db) {
        snprintf(err, errsz, "out of memory");
        return NULL;
    }
    pthread_once(&pq_once, pq_load);
    if (!pq_loaded) {
        snprintf(err, errsz, "PostgreSQL: %s", pq_error);
        free(db);
        return NULL;
    }
    db->c = pq.connectdb(conninfo);
    if (!db->c || pq.status(db->c) != CONNECTION_OK) {
        set_msg(db, db->c ? pq.errorMessage(db->c) : "cannot connect");
        snprintf(err, errsz, "PostgreSQL: %s", db->msg);
        pq.finish(db->c);
        free(db);
        return NULL;
    }
    pq.setNoticeProcessor(db->c, quiet, NULL); /* "relation exists" notices */
    return db;
}

static int res_ok(dyad__db *db, PGresult *r)
{
    ExecStatusType t = r ? pq.resultStatus(r) : PGRES_FATAL_ERROR;
    if (t == PGRES_COMMAND_OK || t == PGRES_TUPLES_OK)
        return DYAD_OK;
    set_msg(db, pq.errorMessage(db->c));
    if (r) {
        const char *state = pq.resultErrorField(r, PG_DIAG_SQLSTATE);
        /* Class 42: syntax errors and undefined objects; 22: bad data;
         * 57014: canceled by statement_timeout. */
        if (state && (strncmp(state, "42", 2) == 0 || strncmp(state, "22", 2) == 0))
            return DYAD_EPARSE;
        if (state && strcmp(state, "57014") == 0)
            return DYAD_ETIMEOUT;
    }
    return DYAD_EIO;
}

static int p_exec(dyad__db *db, const char *sql)
{
    PGresult *r = pq.exec(db->c, sql);
    int rc = res_ok(db, r);
    pq.clear(r);
    return rc;
}

static dyad__stmt *p_prepare(dyad__db *db, const char *sql)
{
    dyad__stmt *st = calloc(1, sizeof *st);
    PGresult *r;
    const char *p;
    int n = 0;

    if (!st) {
        set_msg(db, "out of memory");
        return NULL;
    }
    for (p = sql; (p = strchr(p, '$')); p++) {
        int k = atoi(p + 1);
        if (k > n)
            n = k;
    }
    if (n > PG_MAXPARAM) {
        set_msg(db, "too many parameters");
        free(st);
        return NULL;
    }
    if (n > 0 && !(st->param = calloc((size_t)n, sizeof *st->param))) {
        set_msg(db, "out of memory");
        free(st);
        return NULL;
    }
    st->db = db;
    st->nparam = n;
    st->row = -1;
    snprintf(st->name, sizeof st->name, "s%d", ++db->nstmt);
    r = pq.prepare(db->c, st->name, sql, 0, NULL);
    if (res_ok(db, r) != DYAD_OK) {
        pq.clear(r);
        free(st->param);
        free(st);
        return NULL;
    }
    pq.clear(r);
    return st;
}

static int set_param(dyad__stmt *st, int i, char *v)
{
    if (i < 1 || i > st->nparam) {
        free(v);
        set_msg(st->db, "parameter index out of range");
        return DYAD_EINVAL;
    }
    free(st->param[i - 1]);
    st->param[i - 1] = v;
    return DYAD_OK;
}

static int p_bind_text(dyad__stmt *st, int i, const char *s)
{
    char *v = NULL;
    if (s && !(v = strdup(s)))
        return DYAD_ENOMEM;
    return set_param(st, i, v);
}
static int p_bind_int(dyad__stmt *st, int i, int64_t x)
{
    char buf[32];
    snprintf(buf, sizeof buf, "%lld", (long long)x);
    return p_bind_text(st, i, buf);
}
static int p_bind_double(dyad__stmt *st, int i, double x)
{
    char buf[64];
    snprintf(buf, sizeof buf, "%.17g", x);
    return p_bind_text(st, i, buf);
}
static int p_bind_null(dyad__stmt *st, int i) { return set_param(st, i, NULL); }

static int p_step(dyad__stmt *st)
{
    if (!st->res) {
        int rc;
        st->res = pq.execPrepared(st->db->c, st->name, st->nparam,
                                 (const char *const *)st->param, NULL, NULL, 0);
        if ((rc = res_ok(st->db, st->res)) != DYAD_OK) {
            pq.clear(st->res);
            st->res = NULL;
            return rc;
        }
        st->nrows = pq.ntuples(st->res);
        st->row = -1;
    }
    if (st->row + 1 >= st->nrows)
        return 0;
    st->row++;
    return 1;
}

static const char *p_col_text(dyad__stmt *st, int i)
{
    if (!st->res || st->row < 0 || pq.getisnull(st->res, st->row, i))
        return NULL;
    return pq.getvalue(st->res, st->row, i);
}
static int64_t p_col_int(dyad__stmt *st, int i)
{
    const char *v = p_col_text(st, i);
    if (!v)
        return 0;
    if (v[0] == 't' || v[0] == 'f') /* booleans */
        return v[0] == 't';
    return strtoll(v, NULL, 10);
}
static double p_col_double(dyad__stmt *st, int i)
{
    const char *v = p_col_text(st, i);
    return v ? strtod(v, NULL) : 0;
}
static void p_reset(dyad__stmt *st)
{
    int i;
    pq.clear(st->res);
    st->res = NULL;
    st->row = -1;
    for (i = 0; i < st->nparam; i++) {
        free(st->param[i]);
        st->param[i] = NULL;
    }
}
static void p_finalize(dyad__stmt *st)
{
    char sql[64];
    if (!st)
        return;
    p_reset(st);
    snprintf(sql, sizeof sql, "DEALLOCATE %s", st->name);
    pq.clear(pq.exec(st->db->c, sql));
    free(st->param);
    free(st);
}
static int p_begin_write(dyad__db *db) { return p_exec(db, "BEGIN"); }
static int p_lock_merge(dyad__db *db)
{
    /* One merge at a time: it reads and rewrites keys' events. Held until
     * the transaction ends, so the next merge sees this one's commit. */
    return p_exec(db, "SELECT pg_advisory_xact_lock(4242001)");
}
static const char *p_errmsg(dyad__db *db) { return db->msg; }
static int p_time_limit(dyad__db *db, long ms)
{
    char sql[64];
    /* The server stops each statement that runs longer. */
    snprintf(sql, sizeof sql, "SET statement_timeout = %ld", ms);
    return p_exec(db, sql);
}
static void p_arm(dyad__db *db, long ms) { (void)db; (void)ms; }
static int64_t p_data_version(dyad__db *db) { (void)db; return -1; }
static void p_close(dyad__db *db)
{
    if (!db)
        return;
    pq.finish(db->c);
    free(db);
}

const dyad__dbops dyad__pg_ops = {
    DYAD__DB_PG, p_exec, p_prepare, p_bind_text, p_bind_int, p_bind_double,
    p_bind_null, p_step, p_col_text, p_col_int, p_col_double, p_reset,
    p_finalize, p_begin_write, p_lock_merge, p_errmsg, p_close, p_time_limit,
    p_arm, p_data_version,
};
