/* validate.c: dyad_validate_file(), which runs PETRARCH unit-test records
 * (XML) through the coder and counts the records whose events match.
 * docs/internals/validate.md says how a record maps to a check. */
#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <libxml/parser.h>
#include <libxml/tree.h>
#include <libxml/xmlerror.h>

#include "dyad.h"
#include "util/buf.h"

#define MAX_DICT_FILE ((size_t)64 << 20) /* one dictionary file */
#define MAX_PATH_LEN 4096
#define MAX_SET 4096     /* events kept per record, expected or found */
#define MAX_CODE 256     /* bytes of one source/target/event code */

/* ------------------------------------------------------------ event sets */

/* A set of "SOURCE>TARGET:CODE" strings; sorted and unique once closed. */
typedef struct evset {
    char **v;
    size_t n, cap;
} evset;

static void set_clear(evset *s) {
    for (size_t i = 0; i < s->n; i++) free(s->v[i]);
    s->n = 0;
}

static void set_free(evset *s) {
    set_clear(s);
    free(s->v);
    s->v = NULL;
    s->cap = 0;
}

/* Copies s[0..n) without surrounding blanks and quotes, at most MAX_CODE
 * bytes: sourcecode='"GRYFFINDOR HEAD"' gives GRYFFINDOR HEAD. NULL or an
 * empty value gives "---", PETRARCH's "no actor". */
static void clean_code(char *dst, const char *s) {
    size_t n;
    if (!s) s = "";
    n = strlen(s);
    while (n && (isspace((unsigned char)*s) || *s == '"' || *s == '\'')) s++, n--;
    while (n && (isspace((unsigned char)s[n - 1]) || s[n - 1] == '"' ||
                 s[n - 1] == '\''))
        n--;
    if (n == 0) {
        s = "---";
        n = 3;
    }
    if (n >= MAX_CODE) n = MAX_CODE - 1;
    memcpy(dst, s, n);
    dst[n] = '\0';
}

/* Adds SOURCE>TARGET:CODE. DYAD_ETOOBIG past MAX_SET entries. */
static int set_add(evset *s, const char *src, const char *tgt,
                   const char *code) {
    char a[MAX_CODE], b[MAX_CODE], c[MAX_CODE];
    size_t len;
    char *e;
    if (s->n == s->cap) {
        size_t nc = s->cap ? s->cap * 2 : 8;
        char **x;
        if (s->n >= MAX_SET) return DYAD_ETOOBIG;
        if (nc > MAX_SET) nc = MAX_SET;
        x = realloc(s->v, nc * sizeof *x);
        if (!x) return DYAD_ENOMEM;
        s->v = x;
        s->cap = nc;
    }
    clean_code(a, src);
    clean_code(b, tgt);
    clean_code(c, code);
    len = strlen(a) + strlen(b) + strlen(c) + 3;
    e = malloc(len);
    if (!e) return DYAD_ENOMEM;
    snprintf(e, len, "%s>%s:%s", a, b, c);
    s->v[s->n++] = e;
    return DYAD_OK;
}

static int cmp_str(const void *a, const void *b) {
    return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Sorts and drops duplicates: PETRARCH's records list each event once. */
static void set_close(evset *s) {
    size_t i, k = 0;
    if (s->n) qsort(s->v, s->n, sizeof *s->v, cmp_str);
    for (i = 0; i < s->n; i++) {
        if (k && strcmp(s->v[k - 1], s->v[i]) == 0)
            free(s->v[i]);
        else
            s->v[k++] = s->v[i];
    }
    s->n = k;
}

/* How many members of closed set a are also in closed set b. */
static size_t set_common(const evset *a, const evset *b) {
    size_t i = 0, j = 0, n = 0;
    while (i < a->n && j < b->n) {
        int c = strcmp(a->v[i], b->v[j]);
        if (c == 0) n++, i++, j++;
        else if (c < 0) i++;
        else j++;
    }
    return n;
}

static void set_print(FILE *out, const evset *s) {
    fputc('{', out);
    for (size_t i = 0; i < s->n; i++)
        fprintf(out, "%s%s", i ? ", " : "", s->v[i]);
    fputc('}', out);
}

/* ----------------------------------------------------------- diagnostics */

typedef struct vctx {
    int verbose;
    const char *record; /* id of the record being coded */
    int coder_error;    /* an ERROR was reported for the current record */
} vctx;

/* Dictionary problems always show: they explain failed records. */
static void dict_diag(void *ud, dyad_severity sev, const char *file,
                      long line, const char *msg) {
    (void)ud;
    fprintf(stderr, "dyad: %s: %s:%ld: %s\n",
            sev == DYAD_DIAG_ERROR ? "error" : "warning", file ? file : "?",
            line, msg ? msg : "");
}

/* Coding problems are part of what a record tests; shown with -v only. */
static void code_diag(void *ud, dyad_severity sev, const char *file,
                      long line, const char *msg) {
    vctx *v = ud;
    (void)file;
    (void)line;
    if (sev == DYAD_DIAG_ERROR) v->coder_error = 1;
    if (v->verbose)
        fprintf(stderr, "dyad: %s: record %s: %s\n",
                sev == DYAD_DIAG_ERROR ? "error" : "warning",
                v->record ? v->record : "?", msg ? msg : "");
}

/* ------------------------------------------------------------ XML helpers */

static int is_elem(const xmlNode *n, const char *name) {
    return n && n->type == XML_ELEMENT_NODE &&
           strcmp((const char *)n->name, name) == 0;
}

static xmlNode *child_elem(xmlNode *parent, const char *name) {
    for (xmlNode *n = parent ? parent->children : NULL; n; n = n->next)
        if (is_elem(n, name)) return n;
    return NULL;
}

/* Trims in place: returns the first non-blank byte and cuts trailing ones. */
static char *trim(char *s) {
    size_t n;
    while (isspace((unsigned char)*s)) s++;
    n = strlen(s);
    while (n && isspace((unsigned char)s[n - 1])) s[--n] = '\0';
    return s;
}

/* An attribute's value, trimmed (`id ="ERROR-01"`), or NULL. Free with
 * xmlFree on the returned *raw. */
static char *attr(xmlNode *n, const char *name, xmlChar **raw) {
    *raw = xmlGetProp(n, (const xmlChar *)name);
    return *raw ? trim((char *)*raw) : NULL;
}

/* ----------------------------------------------------------- dictionaries */

/* Reads a whole file (at most MAX_DICT_FILE bytes) into b. */
static int read_file(const char *path, dyad_buf *b) {
    char chunk[65536];
    size_t got;
    int rc = DYAD_OK;
    FILE *f = fopen(path, "rb");
    if (!f) return errno == ENOENT ? DYAD_ENOENT : DYAD_EIO;
    while ((got = fread(chunk, 1, sizeof chunk, f)) > 0)
        if ((rc = dyad__buf_add(b, chunk, got)) != DYAD_OK) break;
    if (rc == DYAD_OK && ferror(f)) rc = DYAD_EIO;
    fclose(f);
    return rc;
}

/* Loads the files named in <Environment>, e.g.
 *   <Verbfile>PETR.Validate.verbs.txt</Verbfile>
 * relative to dir. The element says the kind, so file names do not matter. */
static int load_env(dyad_dict *d, xmlNode *env, const char *records,
                    const char *dir) {
    static const struct {
        const char *elem;
        dyad_dict_kind kind;
    } files[] = {{"Verbfile", DYAD_DICT_VERBS},
                 {"Actorfile", DYAD_DICT_ACTORS},
                 {"Agentfile", DYAD_DICT_AGENTS},
                 {"Discardfile", DYAD_DICT_DISCARDS}};
    int loaded = 0;
    for (xmlNode *n = env->children; n; n = n->next) {
        size_t k;
        for (k = 0; k < sizeof files / sizeof files[0]; k++)
            if (is_elem(n, files[k].elem)) break;
        if (k == sizeof files / sizeof files[0]) continue;

        xmlChar *raw = xmlNodeGetContent(n);
        char *name = raw ? trim((char *)raw) : NULL;
        char path[MAX_PATH_LEN];
        dyad_buf b;
        int rc, len;
        if (!name || !*name) {
            fprintf(stderr, "dyad: warning: %s:%ld: empty <%s>\n", records,
                    (long)xmlGetLineNo(n), files[k].elem);
            xmlFree(raw);
            continue;
        }
        len = name[0] == '/' ? snprintf(path, sizeof path, "%s", name)
                             : snprintf(path, sizeof path, "%s/%s", dir, name);
        if (len < 0 || (size_t)len >= sizeof path) {
            fprintf(stderr, "dyad: error: %s: <%s> path too long\n", records,
                    files[k].elem);
            xmlFree(raw);
            return DYAD_ETOOBIG;
        }
        xmlFree(raw);
        dyad__buf_init(&b, MAX_DICT_FILE);
        rc = read_file(path, &b);
        if (rc == DYAD_OK)
            rc = dyad_dict_load_buffer(d, path, b.p ? b.p : "", b.n,
                                       files[k].kind);
        dyad__buf_free(&b);
        if (rc != DYAD_OK) {
            fprintf(stderr, "dyad: error: %s: <%s> %s: %s\n", records,
                    files[k].elem, path, dyad_strerror(rc));
            return rc;
        }
        loaded++;
    }
    if (!loaded)
        fprintf(stderr, "dyad: warning: %s: <Environment> names no "
                        "dictionary\n", records);
    return DYAD_OK;
}

/* ---------------------------------------------------------------- records */

/* What one <Sentence> expects. */
typedef struct expect {
    evset events;
    char error[64]; /* error="storydiscard" etc.; "" when none */
} expect;

/* Reads the record's <EventCoding> elements, e.g.
 *   <EventCoding sourcecode="ARN" targetcode="GON" eventcode="064">
 *   <EventCoding noevents = "True">   <EventCoding error="dateline"> */
static int read_expect(xmlNode *sent, expect *ex, const char *records,
                       const char *id) {
    int rc = DYAD_OK;
    ex->error[0] = '\0';
    for (xmlNode *n = sent->children; n && rc == DYAD_OK; n = n->next) {
        xmlChar *r_err, *r_src, *r_tgt, *r_code;
        char *err, *src, *tgt, *code;
        if (!is_elem(n, "EventCoding")) continue;
        err = attr(n, "error", &r_err);
        src = attr(n, "sourcecode", &r_src);
        tgt = attr(n, "targetcode", &r_tgt);
        code = attr(n, "eventcode", &r_code);
        if (err && *err) {
            snprintf(ex->error, sizeof ex->error, "%s", err);
        } else if (code) {
            rc = set_add(&ex->events, src, tgt, code);
        } else if (!xmlHasProp(n, (const xmlChar *)"noevents")) {
            fprintf(stderr, "dyad: warning: %s:%ld: record %s: <EventCoding> "
                            "without eventcode, noevents or error\n",
                    records, (long)xmlGetLineNo(n), id);
        }
        xmlFree(r_err);
        xmlFree(r_src);
        xmlFree(r_tgt);
        xmlFree(r_code);
    }
    set_close(&ex->events);
    return rc;
}

/* "20080801" -> "2008-08-01"; 0 when the attribute is not a valid date. */
static int record_date(const char *s, char out[11]) {
    if (!s || strlen(s) != 8) return 0;
    for (int i = 0; i < 8; i++)
        if (!isdigit((unsigned char)s[i])) return 0;
    snprintf(out, 11, "%.4s-%.2s-%.2s", s, s + 4, s + 6);
    return dyad_date_valid(out);
}

/* Prints text on one indented line, runs of white space as one space. */
static void print_text(FILE *out, const char *t) {
    int sp = 0;
    fputs("    ", out);
    for (; *t; t++) {
        if (isspace((unsigned char)*t)) {
            sp = 1;
            continue;
        }
        if (sp) fputc(' ', out);
        sp = 0;
        fputc(*t, out);
    }
    fputc('\n', out);
}

/* Whether an error="..." expectation holds for the coded document. */
static int error_holds(const char *want, const dyad_doc *doc, int rc,
                       int coder_error) {
    if (strcmp(want, "storydiscard") == 0)
        return doc && dyad_doc_discarded(doc) == 2;
    if (strcmp(want, "sentencediscard") == 0)
        return doc && dyad_doc_discarded(doc) == 1;
    if (strcmp(want, "dateline") == 0)
        return doc && dyad_doc_place(doc) != NULL;
    return rc != DYAD_OK || coder_error;
}

/* Codes one <Sentence> and judges it. Returns DYAD_OK or a fatal error
 * (out of memory); the verdict goes to res and out. */
static int run_record(xmlNode *sent, long nth, dyad_coder *coder, vctx *v,
                      const char *records, FILE *out, int verbose,
                      dyad_validate_result *res) {
    xmlChar *r_id, *r_date, *r_text = NULL;
    char *id, *date, *text = "";
    char idbuf[32], ymd[11];
    expect ex;
    evset got = {0};
    dyad_article a;
    dyad_doc *doc = NULL;
    int rc = DYAD_OK, crc = DYAD_OK, pass;
    xmlNode *tn;

    memset(&ex, 0, sizeof ex);
    id = attr(sent, "id", &r_id);
    if (!id || !*id) {
        snprintf(idbuf, sizeof idbuf, "record-%ld", nth);
        id = idbuf;
    }
    date = attr(sent, "date", &r_date);
    if ((tn = child_elem(sent, "Text")) != NULL) {
        r_text = xmlNodeGetContent(tn);
        if (r_text) text = trim((char *)r_text);
    }
    if ((rc = read_expect(sent, &ex, records, id)) != DYAD_OK) goto done;

    memset(&a, 0, sizeof a);
    a.id = id;
    a.date = record_date(date, ymd) ? ymd : NULL;
    a.text = text;
    a.text_len = strlen(text);
    a.origin = records;
    a.line = tn ? (long)xmlGetLineNo(tn) : (long)xmlGetLineNo(sent);
    v->record = id;
    v->coder_error = 0;
    doc = dyad_code_article(coder, &a, &crc);
    if (!doc && crc == DYAD_ENOMEM) {
        rc = DYAD_ENOMEM;
        goto done;
    }
    for (size_t i = 0, n = doc ? dyad_doc_event_count(doc) : 0; i < n; i++) {
        const dyad_event *e = dyad_doc_event(doc, i);
        if ((rc = set_add(&got, e->source, e->target, e->code)) != DYAD_OK)
            goto done;
    }
    set_close(&got);

    if (ex.error[0]) {
        /* An error record tests the error only; its events are not counted. */
        pass = error_holds(ex.error, doc, doc ? DYAD_OK : crc, v->coder_error);
    } else {
        size_t common = set_common(&ex.events, &got);
        res->events_expected += ex.events.n;
        res->events_found += common;
        res->events_spurious += got.n - common;
        pass = common == ex.events.n && common == got.n;
    }
    res->records++;
    if (pass) {
        res->passed++;
        if (verbose) fprintf(out, "pass %s\n", id);
    } else {
        res->failed++;
        fprintf(out, "FAIL %s: expected ", id);
        if (ex.error[0])
            fprintf(out, "error=%s", ex.error);
        else
            set_print(out, &ex.events);
        fputs(" got ", out);
        set_print(out, &got);
        fputc('\n', out);
        if (verbose) print_text(out, text);
    }

done:
    v->record = NULL;
    dyad_doc_free(doc);
    set_free(&got);
    set_free(&ex.events);
    xmlFree(r_id);
    xmlFree(r_date);
    xmlFree(r_text);
    return rc;
}

/* ------------------------------------------------------------ public API */

int dyad_validate_file(const char *records_path, FILE *out, int verbose,
                       dyad_validate_result *res) {
    dyad_validate_result local;
    xmlParserCtxtPtr ctxt = NULL;
    xmlDocPtr xdoc = NULL;
    xmlNode *root, *env, *sents;
    dyad_dict *dict = NULL;
    dyad_coder *coder = NULL;
    char dir[MAX_PATH_LEN];
    const char *slash;
    vctx v = {verbose, NULL, 0};
    long nth = 0;
    int rc = DYAD_OK;
    FILE *probe;

    if (!res) res = &local;
    memset(res, 0, sizeof *res);
    if (!records_path || !out) return DYAD_EINVAL;

    /* libxml2 would say "failed to load external entity"; say it plainly. */
    if (!(probe = fopen(records_path, "rb"))) {
        fprintf(stderr, "dyad: error: %s: %s\n", records_path, strerror(errno));
        return errno == ENOENT ? DYAD_ENOENT : DYAD_EIO;
    }
    fclose(probe);
    slash = strrchr(records_path, '/');
    if (!slash)
        snprintf(dir, sizeof dir, ".");
    else if ((size_t)(slash - records_path) >= sizeof dir)
        return DYAD_ETOOBIG;
    else
        snprintf(dir, sizeof dir, "%.*s",
                 slash == records_path ? 1 : (int)(slash - records_path),
                 records_path);

    /* The records are hand-written: recover from small slips, but say so. */
    xmlInitParser();
    if (!(ctxt = xmlNewParserCtxt())) {
        rc = DYAD_ENOMEM;
        goto done;
    }
    xdoc = xmlCtxtReadFile(ctxt, records_path, NULL,
                           XML_PARSE_NONET | XML_PARSE_RECOVER |
                               XML_PARSE_NOBLANKS | XML_PARSE_NOERROR |
                               XML_PARSE_NOWARNING);
    root = xdoc ? xmlDocGetRootElement(xdoc) : NULL;
    if (!ctxt->wellFormed) {
        const xmlError *xe = xmlCtxtGetLastError(ctxt);
        fprintf(stderr, "dyad: %s: %s:%d: malformed XML: %s",
                root ? "warning" : "error", records_path, xe ? xe->line : 0,
                xe && xe->message ? xe->message : "parse error\n");
    }
    sents = child_elem(root, "Sentences");
    env = child_elem(root, "Environment");
    if (!sents || !env) {
        fprintf(stderr, "dyad: error: %s: not PETRARCH records (no <%s>)\n",
                records_path, sents ? "Environment" : "Sentences");
        rc = DYAD_EPARSE;
        goto done;
    }

    if (!(dict = dyad_dict_new())) {
        rc = DYAD_ENOMEM;
        goto done;
    }
    dyad_dict_set_diag(dict, dict_diag, NULL);
    if ((rc = load_env(dict, env, records_path, dir)) != DYAD_OK) goto done;
    if ((rc = dyad_dict_finish(dict)) != DYAD_OK) {
        fprintf(stderr, "dyad: error: %s: dictionaries: %s\n", records_path,
                dyad_strerror(rc));
        goto done;
    }
    if (!(coder = dyad_coder_new(dict))) {
        rc = DYAD_ENOMEM;
        goto done;
    }
    dyad_coder_set_diag(coder, code_diag, &v);

    for (xmlNode *n = sents->children; n; n = n->next) {
        if (is_elem(n, "Stop")) break;
        if (!is_elem(n, "Sentence")) continue;
        rc = run_record(n, ++nth, coder, &v, records_path, out, verbose, res);
        if (rc != DYAD_OK) goto done;
    }
    fprintf(out, "events: %zu expected, %zu found, %zu spurious\n",
            res->events_expected, res->events_found, res->events_spurious);
    fprintf(out, "%zu passed, %zu failed\n", res->passed, res->failed);
    if (ferror(out)) rc = DYAD_EIO;

done:
    dyad_coder_free(coder);
    dyad_dict_free(dict);
    xmlFreeDoc(xdoc);
    xmlFreeParserCtxt(ctxt);
    return rc;
}
