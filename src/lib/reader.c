/* reader.c: the article reader. Turns plain-text files, directories, JSON
 * Lines files and standard input into dyad_article records, one at a time,
 * reporting damaged input through the diag callback and reading on. */
#include "reader.h"
#include "util/diag.h"

#include <dirent.h>
#include <errno.h>
#include <json-c/json.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>

#include "util/buf.h"

enum {
    CHUNK = 1 << 20,          /* bytes asked of fread at a time */
    DIR_MAX_DEPTH = 64,       /* deeper is a symlink loop, or nonsense */
    DIR_MAX_ENTRIES = 1 << 22,
    SHOW_MAX = 40             /* bytes of a bad value quoted in a message */
};

typedef struct input {
    char *path;   /* as given; "-" is standard input */
    char *mem;    /* an in-memory input (dyad__reader_add_buffer), or NULL */
    size_t mem_n;
    int kind;
} input;

typedef struct dir_frame {
    char *path;
    char **names; /* sorted with strcmp, hidden ones left out */
    size_t n, i;
    dev_t dev;    /* to see a symlink back to an open directory */
    ino_t ino;
} dir_frame;

/* The input being read: a stream, or a memory copy, behind one buffer.
 * Bytes [off, len) are read but not yet used; scan is where the search for
 * the next newline goes on (so a long line is not searched twice). */
typedef struct src {
    enum { SRC_NONE, SRC_NEW, SRC_TEXT_DONE, SRC_JSONL } state;
    char *path; /* origin, owned */
    FILE *f;    /* NULL for a memory input */
    int own_f;  /* 0 for stdin */
    int kind;
    char *buf;
    size_t len, off, scan, cap;
    int eof;
    long line;        /* JSON Lines: number of the last line taken */
    int nul_reported; /* NUL bytes are reported once per file */
} src;

struct dyad_reader {
    dyad_diag_fn fn;
    void *ud;
    size_t errors;
    input *q;
    size_t nq, capq, iq;
    dir_frame *dirs;
    size_t ndirs, capdirs;
    src s;
    json_tokener *tok;
    json_object *obj; /* the JSON article last returned; owns its strings */
    dyad_buf id;      /* the id last returned, when made here */
    char date[11];
    size_t file_max, line_max;
};

/* ---------------------------------------------------------- diagnostics */

static void report(dyad_reader *r, dyad_severity sev, const char *file,
                   long line, const char *fmt, ...)
    __attribute__((format(printf, 5, 6)));
static void report(dyad_reader *r, dyad_severity sev, const char *file,
                   long line, const char *fmt, ...) {
    va_list ap;
    va_start(ap, fmt);
    if (sev == DYAD_DIAG_ERROR) r->errors++;
    dyad__vdiag(r->fn, r->ud, sev, file, line, fmt, ap);
    va_end(ap);
}

/* A value quoted in a message: at most SHOW_MAX bytes, control bytes and
 * quotes as '?', "..." when cut. out must hold SHOW_MAX + 4 bytes. */
static const char *show(const char *s, size_t n, char *out) {
    size_t k = n < SHOW_MAX ? n : SHOW_MAX;
    for (size_t i = 0; i < k; i++) {
        unsigned char c = (unsigned char)s[i];
        out[i] = (c < 0x20 || c == 0x7f || c == '\'') ? '?' : (char)c;
    }
    if (k < n) memcpy(out + k, "...", 3), k += 3;
    out[k] = 0;
    return out;
}

/* "256 MB" for the messages; small test limits in bytes. */
static const char *size_words(size_t n, char out[32]) {
    if (n >= ((size_t)1 << 20) && n % ((size_t)1 << 20) == 0)
        snprintf(out, 32, "%zu MB", n >> 20);
    else
        snprintf(out, 32, "%zu bytes", n);
    return out;
}

/* ----------------------------------------------------------------- dates */

static int is_leap(int y) { return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0; }

/* "2021-08-17" -> 1; "2021-02-29", "2021-8-17", "17/08/2021" -> 0. */
int dyad__reader_ymd_valid(const char *s, size_t n) {
    static const int mdays[12] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    if (n != 10 || s[4] != '-' || s[7] != '-') return 0;
    for (size_t i = 0; i < 10; i++)
        if (i != 4 && i != 7 && (s[i] < '0' || s[i] > '9')) return 0;
    int y = (s[0] - '0') * 1000 + (s[1] - '0') * 100 + (s[2] - '0') * 10 + (s[3] - '0');
    int m = (s[5] - '0') * 10 + (s[6] - '0');
    int d = (s[8] - '0') * 10 + (s[9] - '0');
    if (y < 1 || m < 1 || m > 12 || d < 1) return 0;
    return d <= mdays[m - 1] + (m == 2 && is_leap(y));
}

/* ------------------------------------------------------------ the queue */

dyad_reader *dyad_reader_new(dyad_diag_fn fn, void *ud) {
    dyad_reader *r = calloc(1, sizeof *r);
    if (!r) return NULL;
    r->fn = fn;
    r->ud = ud;
    r->file_max = DYAD__READER_FILE_MAX;
    r->line_max = DYAD__READER_LINE_MAX;
    dyad__buf_init(&r->id, 4096);
    if (!(r->tok = json_tokener_new())) {
        free(r);
        return NULL;
    }
    json_tokener_set_flags(r->tok, JSON_TOKENER_STRICT | JSON_TOKENER_ALLOW_TRAILING_CHARS);
    return r;
}

void dyad__reader_set_limits(dyad_reader *r, size_t file_max, size_t line_max) {
    if (file_max) r->file_max = file_max;
    if (line_max) r->line_max = line_max;
}

static int queue(dyad_reader *r, const char *path, const void *data, size_t n,
                 int kind, int is_mem) {
    if (!r || !path || !*path || kind < DYAD__IN_AUTO || kind > DYAD__IN_JSONL)
        return DYAD_EINVAL;
    if (r->nq == r->capq) {
        size_t nc = r->capq ? r->capq * 2 : 8;
        input *nq = realloc(r->q, nc * sizeof *nq);
        if (!nq) return DYAD_ENOMEM;
        r->q = nq;
        r->capq = nc;
    }
    input *in = &r->q[r->nq];
    memset(in, 0, sizeof *in);
    in->kind = kind;
    if (!(in->path = strdup(path))) return DYAD_ENOMEM;
    if (is_mem) {
        in->mem = malloc(n ? n : 1);
        if (!in->mem) {
            free(in->path);
            return DYAD_ENOMEM;
        }
        if (n) memcpy(in->mem, data, n);
        in->mem_n = n;
    }
    r->nq++;
    return DYAD_OK;
}

/* Missing or unreadable paths are reported when their turn comes, so that
 * messages and articles keep the order of the inputs. */
int dyad_reader_add(dyad_reader *r, const char *path) {
    return queue(r, path, NULL, 0, DYAD__IN_AUTO, 0);
}

int dyad__reader_add_buffer(dyad_reader *r, const char *name, const void *data,
                            size_t n, int kind) {
    if (n && !data) return DYAD_EINVAL;
    return queue(r, name, data, n, kind, 1);
}

size_t dyad_reader_errors(const dyad_reader *r) { return r ? r->errors : 0; }

/* ----------------------------------------------------------- the source */

static void src_close(dyad_reader *r) {
    src *s = &r->s;
    if (s->f && s->own_f) fclose(s->f);
    free(s->path);
    char *buf = s->buf;
    size_t cap = s->cap;
    memset(s, 0, sizeof *s);
    /* The buffer is kept for the next input, unless a big file grew it. */
    if (cap > (size_t)8 << 20) {
        free(buf);
        buf = NULL;
        cap = 0;
    }
    s->buf = buf;
    s->cap = cap;
}

/* Take path (owned from now on) as the input to read; f NULL for memory. */
static int src_open(dyad_reader *r, char *path, FILE *f, int own_f,
                    const char *mem, size_t mem_n, int kind) {
    src *s = &r->s;
    s->state = SRC_NEW;
    s->path = path;
    s->f = f;
    s->own_f = own_f;
    s->kind = kind;
    if (!f) {
        if (s->cap < mem_n + 1) {
            char *nb = realloc(s->buf, mem_n + 1);
            if (!nb) {
                src_close(r);
                return DYAD_ENOMEM;
            }
            s->buf = nb;
            s->cap = mem_n + 1;
        }
        if (mem_n) memcpy(s->buf, mem, mem_n);
        s->buf[mem_n] = 0;
        s->len = mem_n;
        s->eof = 1;
    }
    return DYAD_OK;
}

/* Read more of the stream after buf[len], first moving the unused bytes to
 * the front. The buffer grows up to about max bytes. DYAD_OK (s->eof set at
 * the end), DYAD_EIO (reported), DYAD_ENOMEM. */
static int src_fill(dyad_reader *r, size_t max) {
    src *s = &r->s;
    if (s->eof) return DYAD_OK;
    if (s->off) {
        memmove(s->buf, s->buf + s->off, s->len - s->off);
        s->len -= s->off;
        s->scan -= s->off;
        s->off = 0;
    }
    if (s->cap < s->len + 2 || s->cap - s->len - 1 < 4096) {
        size_t need = s->len + CHUNK + 1, nc = s->cap ? s->cap * 2 : 64 * 1024;
        if (nc > max + CHUNK + 1) nc = max + CHUNK + 1;
        if (nc < need) nc = need;
        char *nb = realloc(s->buf, nc);
        if (!nb) return DYAD_ENOMEM;
        s->buf = nb;
        s->cap = nc;
    }
    size_t want = s->cap - s->len - 1;
    if (want > CHUNK) want = CHUNK;
    size_t got = fread(s->buf + s->len, 1, want, s->f);
    s->len += got;
    s->buf[s->len] = 0;
    if (got < want) {
        s->eof = 1;
        if (ferror(s->f)) {
            report(r, DYAD_DIAG_ERROR, s->path, 0, "%s",
                   strerror(errno ? errno : EIO));
            return DYAD_EIO;
        }
    }
    return DYAD_OK;
}

static int is_ws(char c) {
    return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v';
}

static size_t skip_bom(const char *p, size_t n) {
    return n >= 3 && memcmp(p, "\xEF\xBB\xBF", 3) == 0 ? 3 : 0;
}

/* The first byte that is not white space (after a UTF-8 byte order mark),
 * reading as far as needed; 0 when there is none (an empty input). */
static int src_peek(dyad_reader *r, char *first) {
    src *s = &r->s;
    size_t i = 0;
    int bom_checked = 0;
    for (;;) {
        if (!bom_checked && (s->len >= 3 || s->eof)) {
            i = skip_bom(s->buf, s->len);
            bom_checked = 1;
        }
        if (bom_checked) {
            while (i < s->len && is_ws(s->buf[i])) i++;
            if (i < s->len) {
                *first = s->buf[i];
                return DYAD_OK;
            }
        }
        if (s->eof) {
            *first = 0;
            return DYAD_OK;
        }
        /* Pages of white space: let the plain-text path say "too big". */
        if (s->len > r->file_max) {
            *first = ' ';
            return DYAD_OK;
        }
        int rc = src_fill(r, r->file_max);
        if (rc) return rc;
    }
}

static int has_suffix(const char *s, const char *suf) {
    size_t n = strlen(s), k = strlen(suf);
    return n >= k && strcasecmp(s + n - k, suf) == 0;
}

/* The base name: "dir/000_1c37.txt" -> "000_1c37.txt"; "-" -> "stdin". */
static const char *base_name(const char *path) {
    if (strcmp(path, "-") == 0) return "stdin";
    size_t n = strlen(path);
    while (n > 1 && path[n - 1] == '/') n--; /* "dir/" names dir */
    const char *b = path;
    for (size_t i = 0; i + 1 < n; i++)
        if (path[i] == '/') b = path + i + 1;
    return b;
}

static int set_id(dyad_reader *r, const char *s, size_t n) {
    dyad__buf_reset(&r->id);
    if (n > r->id.limit) n = r->id.limit; /* an absurd file name: cut */
    return dyad__buf_add(&r->id, s, n);
}

/* ----------------------------------------------------------- plain text */

/* A whole plain-text input: read all of it (up to file_max), then split off
 * the optional date token. Returns 1 with *out filled, 0 when skipped. */
static int text_article(dyad_reader *r, dyad_article *out) {
    src *s = &r->s;
    char sz[32];
    int rc;
    if (s->f) {
        struct stat st;
        if (fstat(fileno(s->f), &st) == 0 && S_ISREG(st.st_mode)) {
            if ((unsigned long long)st.st_size > r->file_max) goto toobig;
            /* One allocation and one read for a regular file. */
            size_t want = (size_t)st.st_size + 4096 + 2;
            if (s->cap < want) {
                char *nb = realloc(s->buf, want);
                if (!nb) return DYAD_ENOMEM;
                s->buf = nb;
                s->cap = want;
            }
        }
        while (!s->eof && s->len <= r->file_max)
            if ((rc = src_fill(r, r->file_max)) != DYAD_OK)
                return rc == DYAD_ENOMEM ? rc : 0;
    }
    if (s->len > r->file_max) goto toobig;

    /* " date 2021-08-17 BEIJING, August 17. /TASS/. China and Russia..." */
    const char *p = s->buf, *end = s->buf + s->len;
    p += skip_bom(p, s->len);
    while (p < end && is_ws(*p)) p++;
    r->date[0] = 0;
    if (end - p >= 4 && memcmp(p, "date", 4) == 0 && (p + 4 == end || is_ws(p[4]))) {
        const char *v = p + 4, *ve;
        while (v < end && (*v == ' ' || *v == '\t')) v++;
        for (ve = v; ve < end && !is_ws(*ve); ve++) {}
        char shown[SHOW_MAX + 4];
        if (dyad__reader_ymd_valid(v, (size_t)(ve - v))) {
            memcpy(r->date, v, 10);
            r->date[10] = 0;
        } else if (ve == v) {
            report(r, DYAD_DIAG_ERROR, s->path, 1,
                   "'date' without a date (expected YYYY-MM-DD)");
        } else {
            report(r, DYAD_DIAG_ERROR, s->path, 1,
                   "unknown date format '%s' (expected YYYY-MM-DD)",
                   show(v, (size_t)(ve - v), shown));
        }
        for (p = ve; p < end && is_ws(*p); p++) {}
    }

    const char *nul = memchr(s->buf, 0, s->len);
    if (nul) {
        long line = 1;
        for (const char *c = s->buf; c < nul; c++) line += *c == '\n';
        report(r, DYAD_DIAG_WARNING, s->path, line,
               "NUL byte in the text (read as a space; further ones in this "
               "file are not reported)");
    }

    /* id: the base name without its extension ("000_1c37.txt" -> "000_1c37"). */
    const char *b = base_name(s->path), *dot = strrchr(b, '.');
    size_t bn = strlen(b);
    while (bn > 1 && b[bn - 1] == '/') bn--;
    if (dot && dot > b && (size_t)(dot - b) < bn) bn = (size_t)(dot - b);
    if ((rc = set_id(r, b, bn)) == DYAD_ENOMEM) return rc;

    out->id = r->id.p;
    out->date = r->date[0] ? r->date : NULL;
    out->text = p;
    out->text_len = (size_t)(end - p);
    out->origin = s->path;
    out->line = 1;
    s->state = SRC_TEXT_DONE;
    return 1;

toobig:
    report(r, DYAD_DIAG_ERROR, s->path, 0, "file larger than %s",
           size_words(r->file_max, sz));
    return 0;
}

/* ----------------------------------------------------------- JSON Lines */

/* The next line (newline and trailing white space dropped, NUL-terminated in
 * place): 1, 0 at the end of the input, DYAD_ENOMEM. A line past line_max is
 * reported and skipped here. */
static int next_line(dyad_reader *r, char **line, size_t *n) {
    src *s = &r->s;
    char sz[32];
    int rc;
    for (;;) {
        char *nl = memchr(s->buf + s->scan, '\n', s->len - s->scan);
        size_t end;
        if (nl) {
            end = (size_t)(nl - s->buf);
        } else if (s->eof && s->len > s->off) {
            end = s->len; /* the last line lacks its newline */
        } else if (s->eof) {
            return 0;
        } else {
            s->scan = s->len;
            if (s->len - s->off > r->line_max) {
                s->line++;
                report(r, DYAD_DIAG_ERROR, s->path, s->line,
                       "line longer than %s; skipped", size_words(r->line_max, sz));
                /* Drop bytes up to the next newline, a buffer at a time. */
                for (;;) {
                    s->off = s->scan = s->len;
                    if (s->eof) return 0;
                    if ((rc = src_fill(r, r->line_max)) == DYAD_ENOMEM) return rc;
                    nl = memchr(s->buf + s->off, '\n', s->len - s->off);
                    if (nl) {
                        s->off = s->scan = (size_t)(nl - s->buf) + 1;
                        break;
                    }
                }
                continue;
            }
            if ((rc = src_fill(r, r->line_max)) == DYAD_ENOMEM) return rc;
            continue;
        }
        s->line++;
        *line = s->buf + s->off;
        size_t k = end - s->off;
        s->off = s->scan = end < s->len ? end + 1 : end;
        if (k > r->line_max) {
            report(r, DYAD_DIAG_ERROR, s->path, s->line,
                   "line longer than %s; skipped", size_words(r->line_max, sz));
            continue;
        }
        while (k > 0 && is_ws((*line)[k - 1])) k--;
        (*line)[k] = 0;
        *n = k;
        return 1;
    }
}

/* A string field: NULL when missing or null; reported when of another type. */
static const char *str_field(dyad_reader *r, json_object *o, const char *key,
                             size_t *len) {
    json_object *v;
    *len = 0;
    if (!json_object_object_get_ex(o, key, &v) || !v) return NULL;
    if (!json_object_is_type(v, json_type_string)) {
        report(r, DYAD_DIAG_WARNING, r->s.path, r->s.line,
               "field '%s' is not a string; ignored", key);
        return NULL;
    }
    *len = (size_t)json_object_get_string_len(v);
    return json_object_get_string(v);
}

/* A date field: "2021-08-17", or an ISO 8601 time whose day that is
 * ("2021-08-17T10:00:00Z", "2021-08-17 10:00"), as news feeds write them. */
static int json_date_ok(const char *s, size_t n) {
    if (n < 10 || !dyad__reader_ymd_valid(s, 10)) return 0;
    return n == 10 || ((s[10] == 'T' || s[10] == ' ') && n > 11 && s[11] >= '0' &&
                       s[11] <= '9');
}

/* Articles from the JSON Lines input, one per call: 1, 0 at its end. */
static int jsonl_article(dyad_reader *r, dyad_article *out) {
    src *s = &r->s;
    char *line;
    size_t n;
    int rc;
    while ((rc = next_line(r, &line, &n)) == 1) {
        /* {"id": "a1", "date": "2021-08-17", "title": "...", "text": "..."} */
        if (s->line == 1) {
            size_t b = skip_bom(line, n);
            line += b, n -= b;
        }
        size_t i = 0;
        while (i < n && is_ws(line[i])) i++;
        if (i == n) continue; /* blank lines are allowed */
        if (!s->nul_reported && memchr(line, 0, n)) {
            s->nul_reported = 1;
            report(r, DYAD_DIAG_WARNING, s->path, s->line,
                   "NUL byte in the line (further ones in this file are not "
                   "reported)");
        }
        if (line[i] != '{') {
            report(r, DYAD_DIAG_ERROR, s->path, s->line,
                   "malformed JSON: not an object");
            continue;
        }
        json_tokener_reset(r->tok);
        if (n - i > (size_t)INT32_MAX) { /* json-c takes an int length */
            report(r, DYAD_DIAG_ERROR, s->path, s->line, "line too long; skipped");
            continue;
        }
        json_object *o = json_tokener_parse_ex(r->tok, line + i, (int)(n - i));
        enum json_tokener_error jerr = json_tokener_get_error(r->tok);
        if (!o) {
            report(r, DYAD_DIAG_ERROR, s->path, s->line, "malformed JSON: %s",
                   jerr == json_tokener_continue ? "unexpected end of data"
                                                 : json_tokener_error_desc(jerr));
            continue;
        }
        if (json_tokener_get_parse_end(r->tok) < n - i) {
            report(r, DYAD_DIAG_ERROR, s->path, s->line,
                   "malformed JSON: text after the object");
            json_object_put(o);
            continue;
        }
        if (!json_object_is_type(o, json_type_object)) {
            report(r, DYAD_DIAG_ERROR, s->path, s->line,
                   "malformed JSON: not an object");
            json_object_put(o);
            continue;
        }
        json_object *tv;
        if (!json_object_object_get_ex(o, "text", &tv) ||
            !json_object_is_type(tv, json_type_string)) {
            report(r, DYAD_DIAG_ERROR, s->path, s->line,
                   "field 'text' is missing or not a string");
            json_object_put(o);
            continue;
        }
        r->obj = o;
        out->text = json_object_get_string(tv);
        out->text_len = (size_t)json_object_get_string_len(tv);

        size_t len;
        json_object *iv;
        if (json_object_object_get_ex(o, "id", &iv) && json_object_is_type(iv, json_type_int)) {
            out->id = json_object_get_string(iv); /* 17 -> "17" */
        } else if ((out->id = str_field(r, o, "id", &len)) && len == 0) {
            out->id = NULL;
        }
        if (!out->id) {
            /* "news.jsonl:7": unique within a run, and says where to look. */
            dyad__buf_reset(&r->id);
            rc = dyad__buf_printf(&r->id, "%s:%ld", base_name(s->path), s->line);
            if (rc == DYAD_ENOMEM) return rc;
            out->id = r->id.p ? r->id.p : "";
        }
        const char *d = str_field(r, o, "date", &len);
        if (d && json_date_ok(d, len)) {
            memcpy(r->date, d, 10);
            r->date[10] = 0;
            out->date = r->date;
        } else if (d) {
            char shown[SHOW_MAX + 4];
            report(r, DYAD_DIAG_ERROR, s->path, s->line,
                   "field 'date': unknown date format '%s' (expected YYYY-MM-DD)",
                   show(d, len, shown));
        }
        out->title = str_field(r, o, "title", &len);
        out->source = str_field(r, o, "source", &len);
        out->url = str_field(r, o, "url", &len);
        out->origin = s->path;
        out->line = s->line;
        return 1;
    }
    return rc;
}

/* The next article of the open input: 1, 0 when it is used up (and closed). */
static int src_next(dyad_reader *r, dyad_article *out) {
    src *s = &r->s;
    int rc = 0;
    if (s->state == SRC_NEW) {
        char first;
        if ((rc = src_peek(r, &first)) != DYAD_OK) goto done;
        if (first == 0) {
            /* Counted: the user named an input that gave nothing. */
            report(r, DYAD_DIAG_WARNING, s->path, 0, "empty file");
            r->errors++;
            goto done;
        }
        if (s->kind == DYAD__IN_JSONL ||
            (s->kind == DYAD__IN_AUTO &&
             (has_suffix(s->path, ".jsonl") || has_suffix(s->path, ".ndjson") ||
              first == '{'))) {
            s->state = SRC_JSONL;
        } else {
            if ((rc = text_article(r, out)) == 1) return 1;
            goto done;
        }
    }
    if (s->state == SRC_JSONL && (rc = jsonl_article(r, out)) == 1) return 1;
done:
    src_close(r);
    return rc == DYAD_ENOMEM ? rc : 0;
}

/* ---------------------------------------------------------- directories */

static int cmp_name(const void *a, const void *b) {
    return strcmp(*(char *const *)a, *(char *const *)b);
}

static char *join(const char *dir, const char *name) {
    size_t dn = strlen(dir), nn = strlen(name);
    int slash = dn > 0 && dir[dn - 1] != '/';
    char *p = malloc(dn + slash + nn + 1);
    if (!p) return NULL;
    memcpy(p, dir, dn);
    if (slash) p[dn] = '/';
    memcpy(p + dn + slash, name, nn + 1);
    return p;
}

static void frame_free(dir_frame *f) {
    for (size_t i = 0; i < f->n; i++) free(f->names[i]);
    free(f->names);
    free(f->path);
}

/* Push a directory's sorted, visible entries (path is owned from now on). */
static int dir_push(dyad_reader *r, char *path, const struct stat *st) {
    dir_frame f = {path, NULL, 0, 0, st->st_dev, st->st_ino};
    size_t cap = 0;
    int rc = DYAD_OK;
    DIR *d = NULL;
    if (r->ndirs >= DIR_MAX_DEPTH) {
        report(r, DYAD_DIAG_ERROR, path, 0,
               "directories nested deeper than %d levels; skipped", DIR_MAX_DEPTH);
        goto fail;
    }
    for (size_t k = 0; k < r->ndirs; k++) {
        if (r->dirs[k].dev == st->st_dev && r->dirs[k].ino == st->st_ino) {
            report(r, DYAD_DIAG_ERROR, path, 0,
                   "directory loop (the same as %s); skipped", r->dirs[k].path);
            goto fail;
        }
    }
    if (!(d = opendir(path))) {
        report(r, DYAD_DIAG_ERROR, path, 0, "%s", strerror(errno));
        goto fail;
    }
    struct dirent *e;
    while ((e = readdir(d))) {
        if (e->d_name[0] == '.') continue; /* hidden, and . and .. */
        if (f.n == DIR_MAX_ENTRIES) {
            report(r, DYAD_DIAG_ERROR, path, 0,
                   "more than %d entries; the rest skipped", DIR_MAX_ENTRIES);
            break;
        }
        if (f.n == cap) {
            size_t nc = cap ? cap * 2 : 16;
            char **nn = realloc(f.names, nc * sizeof *nn);
            if (!nn) goto nomem;
            f.names = nn;
            cap = nc;
        }
        if (!(f.names[f.n] = strdup(e->d_name))) goto nomem;
        f.n++;
    }
    closedir(d);
    d = NULL;
    if (f.n) qsort(f.names, f.n, sizeof *f.names, cmp_name);
    if (r->ndirs == r->capdirs) {
        size_t nc = r->capdirs ? r->capdirs * 2 : 8;
        dir_frame *nd = realloc(r->dirs, nc * sizeof *nd);
        if (!nd) goto nomem;
        r->dirs = nd;
        r->capdirs = nc;
    }
    r->dirs[r->ndirs++] = f;
    return DYAD_OK;
nomem:
    rc = DYAD_ENOMEM;
fail:
    if (d) closedir(d);
    frame_free(&f);
    return rc;
}

/* Open path (owned from now on) as a directory or a file to read. */
static int open_path(dyad_reader *r, char *path) {
    struct stat st;
    if (stat(path, &st) != 0) {
        report(r, DYAD_DIAG_ERROR, path, 0, "%s", strerror(errno));
        free(path);
        return DYAD_OK;
    }
    if (S_ISDIR(st.st_mode)) return dir_push(r, path, &st);
    FILE *f = fopen(path, "rb");
    if (!f) {
        report(r, DYAD_DIAG_ERROR, path, 0, "%s", strerror(errno));
        free(path);
        return DYAD_OK;
    }
    return src_open(r, path, f, 1, NULL, 0, DYAD__IN_AUTO);
}

/* ----------------------------------------------------------- next, free */

int dyad_reader_next(dyad_reader *r, dyad_article *out) {
    if (!r || !out) return DYAD_EINVAL;
    memset(out, 0, sizeof *out);
    if (r->obj) {
        json_object_put(r->obj);
        r->obj = NULL;
    }
    if (r->s.state == SRC_TEXT_DONE) src_close(r);
    for (;;) {
        int rc;
        if (r->s.state != SRC_NONE) {
            if ((rc = src_next(r, out)) != 0) return rc;
            memset(out, 0, sizeof *out);
            continue;
        }
        if (r->ndirs) {
            dir_frame *f = &r->dirs[r->ndirs - 1];
            if (f->i == f->n) {
                frame_free(f);
                r->ndirs--;
                continue;
            }
            char *p = join(f->path, f->names[f->i++]);
            if (!p) return DYAD_ENOMEM;
            if ((rc = open_path(r, p)) == DYAD_ENOMEM) return rc;
            continue;
        }
        if (r->iq < r->nq) {
            input *in = &r->q[r->iq++];
            char *p = strdup(in->path);
            if (!p) return DYAD_ENOMEM;
            if (in->mem)
                rc = src_open(r, p, NULL, 0, in->mem, in->mem_n, in->kind);
            else if (strcmp(p, "-") == 0)
                rc = src_open(r, p, stdin, 0, NULL, 0, DYAD__IN_AUTO);
            else
                rc = open_path(r, p);
            if (in->mem) { /* read once: the copy is no longer needed */
                free(in->mem);
                in->mem = NULL;
            }
            if (rc == DYAD_ENOMEM) return rc;
            continue;
        }
        return 0;
    }
}

void dyad_reader_free(dyad_reader *r) {
    if (!r) return;
    if (r->obj) json_object_put(r->obj);
    src_close(r);
    free(r->s.buf);
    for (size_t i = 0; i < r->ndirs; i++) frame_free(&r->dirs[i]);
    free(r->dirs);
    for (size_t i = 0; i < r->nq; i++) {
        free(r->q[i].path);
        free(r->q[i].mem);
    }
    free(r->q);
    json_tokener_free(r->tok);
    dyad__buf_free(&r->id);
    free(r);
}
