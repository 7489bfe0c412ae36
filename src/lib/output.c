/* output.c: write coded events as JSON Lines, CSV (RFC 4180) or the PETRARCH
 * tab-separated line. Each event is built in one buffer (on the stack unless
 * it is long) and written with one fwrite: this runs once per event. */
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "dyad.h"

#if defined(__SSE2__)
#include <emmintrin.h> /* baseline on x86-64: 16 bytes a step in json_copy */
#endif

#define LINE_LIMIT (16u << 20) /* one output line; longer gives DYAD_ETOOBIG */

typedef struct out {
    char *p;      /* stack or heap */
    size_t n, cap;
    char *heap;   /* non-NULL once the line outgrew the stack */
    int err;      /* sticky: DYAD_ENOMEM or DYAD_ETOOBIG */
    char stack[4096];
} out;

static void out_init(out *o) {
    o->p = o->stack;
    o->n = 0;
    o->cap = sizeof o->stack;
    o->heap = NULL;
    o->err = 0;
}

static int grow(out *o, size_t extra) {
    if (o->err) return 0;
    size_t need = o->n + extra;
    if (need < o->n || need > LINE_LIMIT) {
        o->err = DYAD_ETOOBIG;
        return 0;
    }
    size_t cap = o->cap;
    while (cap < need) cap *= 2;
    char *p = o->heap ? realloc(o->heap, cap) : malloc(cap);
    if (!p) {
        o->err = DYAD_ENOMEM;
        return 0;
    }
    if (!o->heap) memcpy(p, o->stack, o->n);
    o->heap = o->p = p;
    o->cap = cap;
    return 1;
}

static inline void put(out *o, const char *s, size_t n) {
    if (o->n + n > o->cap && !grow(o, n)) return;
    if (o->err) return;
    memcpy(o->p + o->n, s, n);
    o->n += n;
}

static inline void puts_(out *o, const char *s) { put(o, s, strlen(s)); }
static inline void putc_(out *o, char c) { put(o, &c, 1); }

/* Write the line and release the buffer. */
static int out_flush(out *o, FILE *f) {
    int rc = o->err;
    if (!rc && o->n && (fwrite(o->p, 1, o->n, f) != o->n || ferror(f))) rc = DYAD_EIO;
    free(o->heap);
    out_init(o);
    return rc;
}

/* Length of the valid UTF-8 sequence at p (at most n bytes), 0 if invalid
 * (overlong forms, surrogates and code points past U+10FFFF are invalid). */
static size_t utf8_len(const unsigned char *p, size_t n) {
    unsigned c = p[0];
    size_t len;
    unsigned min, cp;
    if (c < 0xC2) return 0; /* ASCII is handled by the caller; 80-C1 invalid */
    if (c < 0xE0) len = 2, min = 0x80, cp = c & 0x1F;
    else if (c < 0xF0) len = 3, min = 0x800, cp = c & 0x0F;
    else if (c < 0xF5) len = 4, min = 0x10000, cp = c & 0x07;
    else return 0;
    if (len > n) return 0;
    for (size_t i = 1; i < len; i++) {
        if ((p[i] & 0xC0) != 0x80) return 0;
        cp = cp << 6 | (p[i] & 0x3F);
    }
    if (cp < min || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) return 0;
    return len;
}

/* The high bit of each of the 8 bytes of v that JSON needs escaped or
 * checked: a control character, '"', '\\' or a non-ASCII byte (SWAR
 * zero-byte tests; a flag can be wrong only above a right one). */
static inline uint64_t needs_escape(uint64_t v) {
    const uint64_t ones = 0x0101010101010101ull, highs = 0x8080808080808080ull;
    uint64_t q = v ^ (ones * '"'), b = v ^ (ones * '\\');
    return (v | ((v - ones * 0x20) & ~v) | ((q - ones) & ~q) | ((b - ones) & ~b)) & highs;
}

/* put_json_str through put(), for a string that may pass the line limit. */
static void put_json_str_exact(out *o, const char *s, size_t n) {
    static const char hex[] = "0123456789abcdef";
    const unsigned char *p = (const unsigned char *)s;
    size_t i = 0, run = 0;
    putc_(o, '"');
    while (i < n) {
        /* 8 bytes at a time while none needs a look: no control character,
         * quote, backslash or non-ASCII byte (SWAR zero-byte tests) */
        while (i + 8 <= n) {
            uint64_t v;
            memcpy(&v, p + i, 8);
            if (needs_escape(v)) break;
            i += 8;
        }
        if (i >= n) break;
        unsigned char c = p[i];
        if (c >= 0x20 && c < 0x80 && c != '"' && c != '\\') {
            i++;
            continue;
        }
        put(o, s + run, i - run);
        if (c == '"' || c == '\\') {
            char e[2] = {'\\', (char)c};
            put(o, e, 2);
            i++;
        } else if (c < 0x20) {
            char e[6] = {'\\', 'u', '0', '0', hex[c >> 4], hex[c & 15]};
            put(o, e, 6);
            i++;
        } else {
            size_t len = utf8_len(p + i, n - i);
            if (len) {
                put(o, s + i, len);
                i += len;
            } else {
                puts_(o, "\xEF\xBF\xBD");
                i++;
            }
        }
        run = i;
    }
    put(o, s + run, i - run);
    putc_(o, '"');
}

/* The JSON string of s (n bytes) at d, which has room for the longest
 * escaping (6 bytes a byte, 2 quotes, 8 bytes of slack for the 8-byte
 * stores); returns its end. Runs of plain ASCII go 16 bytes at a time (8
 * without SSE2); strings of 4 to 16 bytes as two overlapping words. */
static char *json_copy(char *d, const char *s, size_t n) {
    static const char hex[] = "0123456789abcdef";
    const unsigned char *p = (const unsigned char *)s;
    size_t i = 0;
    *d++ = '"';
    if (n >= 4 && n < 8) {
        /* short strings (codes, countries): two overlapping 4-byte words */
        uint32_t a, b;
        memcpy(&a, p, 4);
        memcpy(&b, p + n - 4, 4);
        if (!needs_escape((uint64_t)a << 32 | b)) {
            memcpy(d, &a, 4);
            memcpy(d + n - 4, &b, 4);
            d[n] = '"';
            return d + n + 1;
        }
    } else if (n >= 8 && n <= 16) {
        /* ids, dates, names: two overlapping 8-byte words */
        uint64_t a, b;
        memcpy(&a, p, 8);
        memcpy(&b, p + n - 8, 8);
        if (!(needs_escape(a) | needs_escape(b))) {
            memcpy(d, &a, 8);
            memcpy(d + n - 8, &b, 8);
            d[n] = '"';
            return d + n + 1;
        }
    }
    while (i < n) {
        uint64_t v, bad;
#if defined(__SSE2__)
        /* 16 bytes a step: a signed compare below 0x20 flags control
         * characters and every non-ASCII byte, two more the quote and the
         * backslash; the same bytes as the 8-byte steps below */
        if (n >= 16) {
            const __m128i lo = _mm_set1_epi8(0x20), qu = _mm_set1_epi8('"'),
                          bs = _mm_set1_epi8('\\');
            size_t at = i + 16 <= n ? i : n - 16;
            __m128i x = _mm_loadu_si128((const __m128i *)(const void *)(p + at));
            unsigned m = (unsigned)_mm_movemask_epi8(_mm_or_si128(
                _mm_cmplt_epi8(x, lo),
                _mm_or_si128(_mm_cmpeq_epi8(x, qu), _mm_cmpeq_epi8(x, bs))));
            if (at == i) {
                _mm_storeu_si128((__m128i *)(void *)d, x);
                if (!m) {
                    d += 16;
                    i += 16;
                    continue;
                }
                size_t k = (size_t)__builtin_ctz(m);
                d += k;
                i += k;
            } else if (!m) {
                /* the last 16 bytes, overlapping what is written already:
                 * when none needs a look, those before i went out as they are */
                _mm_storeu_si128((__m128i *)(void *)(d - (i - at)), x);
                d += n - i;
                break;
            } else {
                /* the plain bytes from i up to the first that needs a look */
                unsigned r = m >> (i - at);
                size_t k = r ? (size_t)__builtin_ctz(r) : n - i;
                memcpy(d, p + i, k);
                d += k;
                i += k;
                if (i == n) break;
            }
        } else
#endif
        if (i + 8 <= n) {
            memcpy(&v, p + i, 8);
            bad = needs_escape(v);
            memcpy(d, &v, 8);
            if (!bad) {
                d += 8;
                i += 8;
                continue;
            }
            /* the lowest flagged byte is the first that needs a look (the
             * tests' false positives are only above a true one) */
            size_t k = (size_t)__builtin_ctzll(bad) >> 3;
            d += k;
            i += k;
        } else if (n >= 8) {
            /* the last 8 bytes, overlapping what is written already: when
             * none needs a look, those before i went out byte for byte */
            memcpy(&v, p + n - 8, 8);
            if (!needs_escape(v)) {
                memcpy(d - (i - (n - 8)), &v, 8);
                d += n - i;
                break;
            }
        }
        unsigned char c = p[i];
        if (c >= 0x20 && c < 0x80 && c != '"' && c != '\\') {
            *d++ = (char)c;
            i++;
            continue;
        }
        if (c == '"' || c == '\\') {
            *d++ = '\\';
            *d++ = (char)c;
            i++;
        } else if (c < 0x20) {
            memcpy(d, "\\u00", 4);
            d[4] = hex[c >> 4];
            d[5] = hex[c & 15];
            d += 6;
            i++;
        } else {
            size_t len = utf8_len(p + i, n - i);
            if (len) {
                memcpy(d, s + i, len);
                d += len;
                i += len;
            } else {
                memcpy(d, "\xEF\xBF\xBD", 3);
                d += 3;
                i++;
            }
        }
    }
    *d++ = '"';
    return d;
}

/* A JSON string: "a \"b\"\n" -> "\"a \\\"b\\\"\\u000a\""; invalid UTF-8
 * becomes U+FFFD so that the line is always valid JSON. Written straight
 * into the buffer, which is grown once for the longest escaping (6 bytes a
 * byte); runs of plain ASCII go 8 bytes at a time. */
static void put_json_str(out *o, const char *s) {
    if (!s) {
        puts_(o, "null");
        return;
    }
    size_t n = strlen(s);
    /* room for the worst case (and 8-byte stores); a line near the limit
     * takes the exact route so that the limit means what it says */
    size_t room = 6 * n + 2 + 8;
    if (o->err) return;
    if (o->n + room > o->cap) {
        if (room > LINE_LIMIT || o->n + room > LINE_LIMIT) {
            put_json_str_exact(o, s, n);
            return;
        }
        if (!grow(o, room)) return;
    }
    o->n = (size_t)(json_copy(o->p + o->n, s, n) - o->p);
}

/* Goldstein with one decimal ("-0.0" printed as "0.0"); 0 if not finite.
 * Values are within -10..10, so the digits are made by hand (no printf). */
static int fmt_goldstein(const dyad_event *e, char buf[32]) {
    if (!e->has_goldstein || !isfinite(e->goldstein)) return 0;
    double g = e->goldstein;
    if (g <= -1e9 || g >= 1e9) {
        snprintf(buf, 32, "%.1f", g);
        return 1;
    }
    long t = lround(g * 10.0);
    char tmp[24];
    size_t k = 0;
    unsigned long u = (unsigned long)(t < 0 ? -t : t);
    tmp[k++] = (char)('0' + u % 10);
    tmp[k++] = '.';
    u /= 10;
    do {
        tmp[k++] = (char)('0' + u % 10);
        u /= 10;
    } while (u);
    size_t j = 0;
    if (t < 0) buf[j++] = '-';
    while (k) buf[j++] = tmp[--k];
    buf[j] = 0;
    return 1;
}

static void put_int(out *o, int v) {
    char tmp[16];
    size_t k = 0;
    unsigned u = v < 0 ? 0u - (unsigned)v : (unsigned)v;
    do {
        tmp[k++] = (char)('0' + u % 10);
        u /= 10;
    } while (u);
    if (v < 0) tmp[k++] = '-';
    char b[16];
    for (size_t j = 0; j < k; j++) b[j] = tmp[k - 1 - j];
    put(o, b, k);
}

static void root_str(const dyad_event *e, char root[3]) {
    size_t k = strnlen(e->root, sizeof e->root);
    if (k > 2) k = 2;
    memcpy(root, e->root, k);
    root[k] = 0;
}

/* write_jsonl through put(), for a line that may pass the line limit. */
static void write_jsonl_exact(out *o, const dyad_event *e) {
    char g[32], root[3];
    root_str(e, root);
    puts_(o, "{\"doc\":");
    put_json_str(o, e->doc);
    puts_(o, ",\"sentence\":");
    put_int(o, e->sentence);
    puts_(o, ",\"date\":");
    put_json_str(o, e->date);
    puts_(o, ",\"source\":");
    put_json_str(o, e->source);
    puts_(o, ",\"source_name\":");
    put_json_str(o, e->source_name);
    puts_(o, ",\"source_country\":");
    put_json_str(o, e->source_country);
    puts_(o, ",\"target\":");
    put_json_str(o, e->target);
    puts_(o, ",\"target_name\":");
    put_json_str(o, e->target_name);
    puts_(o, ",\"target_country\":");
    put_json_str(o, e->target_country);
    puts_(o, ",\"code\":");
    put_json_str(o, e->code ? e->code : "");
    puts_(o, ",\"root\":");
    put_json_str(o, root);
    puts_(o, ",\"quad\":");
    put_int(o, e->quad);
    puts_(o, ",\"goldstein\":");
    puts_(o, fmt_goldstein(e, g) ? g : "null");
    puts_(o, ",\"plover\":");
    put_json_str(o, e->plover);
    puts_(o, ",\"text\":");
    put_json_str(o, e->text);
    puts_(o, ",\"pattern\":");
    put_json_str(o, e->pattern);
    puts_(o, ",\"place\":");
    put_json_str(o, e->place);
    puts_(o, "}\n");
}

/* The decimal digits of v at d; returns their end. */
static char *int_copy(char *d, int v) {
    char tmp[16];
    size_t k = 0;
    unsigned u = v < 0 ? 0u - (unsigned)v : (unsigned)v;
    do {
        tmp[k++] = (char)('0' + u % 10);
        u /= 10;
    } while (u);
    if (v < 0) tmp[k++] = '-';
    while (k) *d++ = tmp[--k];
    return d;
}

/* One JSON Lines record, written in one pass once the buffer has room for
 * the longest escaping of every field (the same bytes as the put() route,
 * which is kept for lines near the limit). */
static void write_jsonl(out *o, const dyad_event *e) {
    char g[32], root[3];
    root_str(e, root);
    const char *gs = fmt_goldstein(e, g) ? g : "null";
    enum { F_DOC, F_DATE, F_SRC, F_SRCN, F_SRCC, F_TGT, F_TGTN, F_TGTC, F_CODE, F_ROOT,
           F_PLOVER, F_TEXT, F_PATTERN, F_PLACE, F_N };
    const char *f[F_N] = {e->doc,    e->date,        e->source, e->source_name,
                          e->source_country, e->target, e->target_name,
                          e->target_country, e->code ? e->code : "", root,
                          e->plover, e->text,        e->pattern, e->place};
    size_t len[F_N], room = 320 + strlen(gs); /* keys, numbers, braces */
    for (int k = 0; k < F_N; k++) {
        len[k] = f[k] ? strlen(f[k]) : 0;
        room += 6 * len[k] + 2 + 8;
    }
    if (o->err) return;
    if (room > LINE_LIMIT || o->n + room > LINE_LIMIT) {
        write_jsonl_exact(o, e);
        return;
    }
    if (o->n + room > o->cap && !grow(o, room)) return;
    char *d = o->p + o->n;
#define KEY(lit) (memcpy(d, lit, sizeof lit - 1), d += sizeof lit - 1)
#define STR(k) (d = f[k] ? json_copy(d, f[k], len[k]) : (memcpy(d, "null", 4), d + 4))
    KEY("{\"doc\":");
    STR(F_DOC);
    KEY(",\"sentence\":");
    d = int_copy(d, e->sentence);
    KEY(",\"date\":");
    STR(F_DATE);
    KEY(",\"source\":");
    STR(F_SRC);
    KEY(",\"source_name\":");
    STR(F_SRCN);
    KEY(",\"source_country\":");
    STR(F_SRCC);
    KEY(",\"target\":");
    STR(F_TGT);
    KEY(",\"target_name\":");
    STR(F_TGTN);
    KEY(",\"target_country\":");
    STR(F_TGTC);
    KEY(",\"code\":");
    STR(F_CODE);
    KEY(",\"root\":");
    STR(F_ROOT);
    KEY(",\"quad\":");
    d = int_copy(d, e->quad);
    KEY(",\"goldstein\":");
    memcpy(d, gs, strlen(gs));
    d += strlen(gs);
    KEY(",\"plover\":");
    STR(F_PLOVER);
    KEY(",\"text\":");
    STR(F_TEXT);
    KEY(",\"pattern\":");
    STR(F_PATTERN);
    KEY(",\"place\":");
    STR(F_PLACE);
    KEY("}\n");
#undef KEY
#undef STR
    o->n = (size_t)(d - o->p);
}

/* A CSV field, quoted when it holds , " CR or LF: a "b" -> "a ""b""". */
static void put_csv_str(out *o, const char *s) {
    if (!s) return;
    if (!s[strcspn(s, ",\"\r\n")]) {
        puts_(o, s);
        return;
    }
    putc_(o, '"');
    for (const char *q; (q = strchr(s, '"')); s = q + 1) {
        put(o, s, (size_t)(q - s));
        put(o, "\"\"", 2);
    }
    puts_(o, s);
    putc_(o, '"');
}

static const char csv_header[] =
    "doc,sentence,date,source,source_name,source_country,target,target_name,"
    "target_country,code,root,quad,goldstein,plover,text,pattern,place\r\n";

static void write_csv(out *o, const dyad_event *e) {
    char g[32], root[3];
    root_str(e, root);
    const char *str_before[] = {e->date, e->source, e->source_name, e->source_country,
                                e->target, e->target_name, e->target_country,
                                e->code, root};
    const char *str_after[] = {e->plover, e->text, e->pattern, e->place};
    put_csv_str(o, e->doc);
    putc_(o, ',');
    put_int(o, e->sentence);
    for (size_t i = 0; i < sizeof str_before / sizeof str_before[0]; i++) {
        putc_(o, ',');
        put_csv_str(o, str_before[i]);
    }
    putc_(o, ',');
    put_int(o, e->quad);
    putc_(o, ',');
    if (fmt_goldstein(e, g)) puts_(o, g);
    for (size_t i = 0; i < sizeof str_after / sizeof str_after[0]; i++) {
        putc_(o, ',');
        put_csv_str(o, str_after[i]);
    }
    put(o, "\r\n", 2);
}

/* A TSV field: tabs and line breaks would split the record, so they become
 * spaces. */
static void put_tsv_str(out *o, const char *s) {
    if (!s) return;
    for (size_t k; *s; s += k) {
        k = strcspn(s, "\t\r\n");
        put(o, s, k);
        if (s[k]) {
            putc_(o, ' ');
            k++;
        }
    }
}

/* The PETRARCH line: "20210825\tRUSGOV\tCHNGOV\t041\tdoc-id". */
static void write_tsv(out *o, const dyad_event *e) {
    const char *d = e->date;
    if (d && strlen(d) == 10 && d[4] == '-' && d[7] == '-') {
        put(o, d, 4);
        put(o, d + 5, 2);
        put(o, d + 8, 2);
    }
    putc_(o, '\t');
    put_tsv_str(o, e->source);
    putc_(o, '\t');
    put_tsv_str(o, e->target);
    putc_(o, '\t');
    put_tsv_str(o, e->code);
    putc_(o, '\t');
    put_tsv_str(o, e->doc);
    putc_(o, '\n');
}

int dyad_format_parse(const char *name) {
    if (!name) return -1;
    if (strcasecmp(name, "jsonl") == 0) return DYAD_FMT_JSONL;
    if (strcasecmp(name, "csv") == 0) return DYAD_FMT_CSV;
    if (strcasecmp(name, "tsv") == 0) return DYAD_FMT_TSV;
    return -1;
}

int dyad_write_header(FILE *f, dyad_format fmt) {
    if (!f) return DYAD_EINVAL;
    switch (fmt) {
    case DYAD_FMT_CSV:
        if (fwrite(csv_header, 1, sizeof csv_header - 1, f) != sizeof csv_header - 1 ||
            ferror(f))
            return DYAD_EIO;
        return DYAD_OK;
    case DYAD_FMT_JSONL:
    case DYAD_FMT_TSV:
        return DYAD_OK;
    }
    return DYAD_EINVAL;
}

int dyad_write_event(FILE *f, dyad_format fmt, const dyad_event *e) {
    if (!f || !e) return DYAD_EINVAL;
    out o;
    out_init(&o);
    switch (fmt) {
    case DYAD_FMT_JSONL:
        write_jsonl(&o, e);
        break;
    case DYAD_FMT_CSV:
        write_csv(&o, e);
        break;
    case DYAD_FMT_TSV:
        write_tsv(&o, e);
        break;
    default:
        return DYAD_EINVAL;
    }
    return out_flush(&o, f);
}
