/* output.c: write coded events as JSON Lines, CSV (RFC 4180) or the PETRARCH
 * tab-separated line. Each event is built in one buffer (on the stack unless
 * it is long) and written with one fwrite; dyad_write_doc puts a document's
 * JSON Lines in one buffer for one fwrite. This runs once per event. */
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
    char *stack;  /* the caller's buffer (a power of 2 in size) */
    size_t stack_cap;
} out;

static void out_init(out *o, char *stack, size_t cap) {
    o->p = o->stack = stack;
    o->n = 0;
    o->cap = o->stack_cap = cap;
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
    if (!o->heap) memcpy(p, o->p, o->n);
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

/* Write the lines and start again on the stack. */
static int out_flush(out *o, FILE *f) {
    int rc = o->err;
    if (!rc && o->n && (fwrite(o->p, 1, o->n, f) != o->n || ferror(f))) rc = DYAD_EIO;
    if (o->heap) free(o->heap);
    out_init(o, o->stack, o->stack_cap);
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

/* 1 for the bytes a JSON string holds as they are: ASCII from the space on,
 * less the quote and the backslash (0x7F included, as JSON allows). */
static const unsigned char json_plain[256] = {
    0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, /* 00 */
    0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, /* 10 */
    1, 1, 0, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, /* 20: '"' */
    1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, /* 30 */
    1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, /* 40 */
    1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 0, 1, 1, 1, /* 50: '\\' */
    1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, /* 60 */
    1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, /* 70 */
};

#if defined(__SSE2__)
/* One bit for each byte of x that needs a look: a signed compare below 0x20
 * flags control characters and every non-ASCII byte, two more the quote and
 * the backslash (the same bytes as json_plain's zeros). */
static inline unsigned special16(__m128i x) {
    return (unsigned)_mm_movemask_epi8(_mm_or_si128(
        _mm_cmplt_epi8(x, _mm_set1_epi8(0x20)),
        _mm_or_si128(_mm_cmpeq_epi8(x, _mm_set1_epi8('"')),
                     _mm_cmpeq_epi8(x, _mm_set1_epi8('\\')))));
}
#endif

/* Whether the 8 bytes of a and those of b need no look (SSE2: one test for
 * both words; else two SWAR tests). */
static inline int plain_words(uint64_t a, uint64_t b) {
#if defined(__SSE2__)
    return !special16(_mm_set_epi64x((long long)b, (long long)a));
#else
    return !(needs_escape(a) | needs_escape(b));
#endif
}

/* The byte at p[*i] that json_plain does not take, escaped at d: \" \\,
 * \u00XX, a valid UTF-8 sequence as it is or U+FFFD for an invalid byte;
 * advances *i and returns the end. */
static char *json_special(char *d, const unsigned char *p, size_t n, size_t *i) {
    static const char hex[] = "0123456789abcdef";
    size_t at = *i;
    unsigned char c = p[at];
    if (c == '"' || c == '\\') {
        d[0] = '\\';
        d[1] = (char)c;
        *i = at + 1;
        return d + 2;
    }
    if (c < 0x20) {
        memcpy(d, "\\u00", 4);
        d[4] = hex[c >> 4];
        d[5] = hex[c & 15];
        *i = at + 1;
        return d + 6;
    }
    size_t len = utf8_len(p + at, n - at);
    if (!len) {
        memcpy(d, "\xEF\xBF\xBD", 3);
        *i = at + 1;
        return d + 3;
    }
    /* 2 to 4 bytes, without reading past the string */
    d[0] = (char)c;
    d[1] = (char)p[at + 1];
    if (len > 2) d[2] = (char)p[at + 2];
    if (len > 3) d[3] = (char)p[at + 3];
    *i = at + len;
    return d + len;
}

/* The JSON string of s (n bytes) at d, which has room for the longest
 * escaping (6 bytes a byte and 2 quotes); returns its end. Runs of plain
 * ASCII go 32 and 16 bytes a step with SSE2 (8 with SWAR elsewhere), the
 * last bytes by one load that overlaps what went before; a string shorter
 * than a step, or its tail after an escape near the end, byte by byte. */
__attribute__((noinline)) static char *json_copy(char *d, const char *s, size_t n) {
    const unsigned char *p = (const unsigned char *)s;
    size_t i = 0;
    *d++ = '"';
#if defined(__SSE2__)
    while (n >= 16) {
        unsigned m = 0;
        /* 32 bytes a step while there are, then 16 */
        for (; i + 32 <= n; i += 32, d += 32) {
            __m128i x = _mm_loadu_si128((const __m128i *)(const void *)(p + i));
            __m128i y = _mm_loadu_si128((const __m128i *)(const void *)(p + i + 16));
            _mm_storeu_si128((__m128i *)(void *)d, x);
            _mm_storeu_si128((__m128i *)(void *)(d + 16), y);
            if ((m = special16(x) | special16(y) << 16)) break;
        }
        if (!m && i + 16 <= n) {
            __m128i x = _mm_loadu_si128((const __m128i *)(const void *)(p + i));
            _mm_storeu_si128((__m128i *)(void *)d, x);
            if (!(m = special16(x))) {
                i += 16;
                d += 16;
            }
        }
        if (m) {
            size_t k = (size_t)__builtin_ctz(m);
            d += k;
            i += k;
            d = json_special(d, p, n, &i);
            continue;
        }
        if (i < n) {
            /* the last 16 bytes: when none needs a look, those before i
             * went out as they are, so the store may overlap them */
            __m128i x = _mm_loadu_si128((const __m128i *)(const void *)(p + n - 16));
            if (special16(x)) break;
            _mm_storeu_si128((__m128i *)(void *)(d - (i - (n - 16))), x);
            d += n - i;
            i = n;
        }
        break;
    }
#else
    while (n >= 8) {
        uint64_t x, m = 0;
        for (; i + 8 <= n; i += 8, d += 8) {
            memcpy(&x, p + i, 8);
            memcpy(d, &x, 8);
            if ((m = needs_escape(x))) break;
        }
        if (m) {
            /* the lowest flag is a right one (a wrong flag is only above) */
            size_t k = (size_t)__builtin_ctzll(m) >> 3;
            d += k;
            i += k;
            d = json_special(d, p, n, &i);
            continue;
        }
        if (i < n) {
            memcpy(&x, p + n - 8, 8);
            if (needs_escape(x)) break;
            memcpy(d - (i - (n - 8)), &x, 8);
            d += n - i;
            i = n;
        }
        break;
    }
#endif
    /* a short string, or the tail after an escape */
    while (i < n) {
        if (json_plain[p[i]])
            *d++ = (char)p[i++];
        else
            d = json_special(d, p, n, &i);
    }
    *d++ = '"';
    return d;
}

/* "s" at d for a string of n bytes that needs no escaping, given as its
 * first and its last w bytes (w <= n <= 2 w: they overlap or meet). */
__attribute__((always_inline)) static inline char *quote_ends(char *d, const void *first,
                                                               const void *last, size_t n,
                                                               size_t w) {
    d[0] = '"';
    memcpy(d + 1, first, w);
    memcpy(d + 1 + n - w, last, w);
    d[n + 1] = '"';
    return d + n + 2;
}

/* json_copy, with the common short strings (codes, ids, dates, names of up
 * to 16 bytes) inline: 8 to 16 bytes as two overlapping words, 4 to 7 as two
 * overlapping 4-byte words, 1 to 3 by the table; one test for "nothing to
 * escape", else json_copy. */
__attribute__((always_inline)) static inline char *json_str(char *d, const char *s, size_t n) {
    const unsigned char *p = (const unsigned char *)s;
    if (n > 16) return json_copy(d, s, n);
    if (n >= 8) {
        uint64_t a, b;
        memcpy(&a, p, 8);
        memcpy(&b, p + n - 8, 8);
        if (plain_words(a, b)) return quote_ends(d, &a, &b, n, 8);
    } else if (n >= 4) {
        uint32_t a, b;
        memcpy(&a, p, 4);
        memcpy(&b, p + n - 4, 4);
        uint64_t w = (uint64_t)b << 32 | a;
        if (plain_words(w, w)) return quote_ends(d, &a, &b, n, 4);
    } else if (n) {
        unsigned char a = p[0], b = p[n >> 1], c = p[n - 1];
        if (json_plain[a] & json_plain[b] & json_plain[c]) {
            d[0] = '"';
            d[1] = (char)a;
            d[1 + (n >> 1)] = (char)b;
            d[n] = (char)c;
            d[n + 1] = '"';
            return d + n + 2;
        }
    } else {
        memcpy(d, "\"\"", 2);
        return d + 2;
    }
    return json_copy(d, s, n);
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

/* Goldstein with one decimal ("-0.0" printed as "0.0") at d; returns the
 * end, or NULL when the event has none or it is not finite. Values are within
 * -10..10, so the digits are made by hand (no printf); rounded half away from
 * zero as lround does, without the call (x less its integer part is exact). */
static inline char *gold_copy(char *d, const dyad_event *e) {
    if (!e->has_goldstein || !isfinite(e->goldstein)) return NULL;
    double g = e->goldstein;
    if (g <= -1e9 || g >= 1e9) {
        char buf[32]; /* cut to 31 bytes, as always */
        snprintf(buf, sizeof buf, "%.1f", g);
        size_t k = strlen(buf);
        memcpy(d, buf, k);
        return d + k;
    }
    double x = g * 10.0;
    long t = (long)x;
    double frac = x - (double)t;
    if (frac >= 0.5) t++;
    else if (frac <= -0.5) t--;
    unsigned long u = (unsigned long)(t < 0 ? -t : t), w = u / 10;
    if (t < 0) *d++ = '-';
    if (w < 10) {
        *d++ = (char)('0' + w);
    } else {
        char tmp[24];
        size_t k = 0;
        do {
            tmp[k++] = (char)('0' + w % 10);
            w /= 10;
        } while (w);
        while (k) *d++ = tmp[--k];
    }
    d[0] = '.';
    d[1] = (char)('0' + u % 10);
    return d + 2;
}

/* Goldstein as a string in buf; 0 when there is none (gold_copy). */
static int fmt_goldstein(const dyad_event *e, char buf[32]) {
    char *end = gold_copy(buf, e);
    if (!end) return 0;
    *end = 0;
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

/* The root as a string of at most 2 bytes (e->root need not end in a NUL). */
static void root_str(const dyad_event *e, char root[3]) {
    root[0] = e->root[0];
    root[1] = e->root[0] ? e->root[1] : 0;
    root[2] = 0;
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

/* The decimal digits of v at d; returns their end. Sentence numbers and
 * quads are mostly one or two digits. */
static inline char *int_copy(char *d, int v) {
    if ((unsigned)v < 10) {
        *d = (char)('0' + v);
        return d + 1;
    }
    if ((unsigned)v < 100) {
        d[0] = (char)('0' + v / 10);
        d[1] = (char)('0' + v % 10);
        return d + 2;
    }
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
 * which is kept for lines near the limit). The keys go as constant chunks;
 * each string is measured once (strlen) and copied by json_str. After other
 * lines (dyad_write_doc), a line that might not fit what is left writes
 * nothing and returns 0: flushed first, it meets the limit on its own. */
static int write_jsonl(out *o, const dyad_event *e) {
    char root[3];
    root_str(e, root);
    size_t l_root = root[0] ? (root[1] ? 2 : 1) : 0;
    const char *code = e->code ? e->code : "";
#define LEN(s) ((s) ? strlen(s) : 0)
    size_t l_doc = LEN(e->doc), l_date = LEN(e->date), l_src = LEN(e->source),
           l_srcn = LEN(e->source_name), l_srcc = LEN(e->source_country),
           l_tgt = LEN(e->target), l_tgtn = LEN(e->target_name),
           l_tgtc = LEN(e->target_country), l_code = strlen(code),
           l_plover = LEN(e->plover), l_text = LEN(e->text),
           l_pattern = LEN(e->pattern), l_place = LEN(e->place);
#undef LEN
    /* 6 bytes a byte at most, 2 quotes and 8 bytes of slack a string; keys,
     * numbers, goldstein and braces within 400 (the sums cannot wrap: each
     * string is in memory) */
    size_t room = 6 * (l_doc + l_date + l_src + l_srcn + l_srcc + l_tgt + l_tgtn + l_tgtc +
                       l_code + l_root + l_plover + l_text + l_pattern + l_place) +
                  14 * 10 + 400;
    if (o->err) return 1;
    if (o->n && o->n + room > o->cap) return 0;
    if (room > LINE_LIMIT || o->n + room > LINE_LIMIT) {
        write_jsonl_exact(o, e);
        return 1;
    }
    if (o->n + room > o->cap && !grow(o, room)) return 1;
    char *d = o->p + o->n;
#define KEY(lit) (memcpy(d, lit, sizeof lit - 1), d += sizeof lit - 1)
#define STR(s, n) (d = (s) ? json_str(d, s, n) : (memcpy(d, "null", 4), d + 4))
    KEY("{\"doc\":");
    STR(e->doc, l_doc);
    KEY(",\"sentence\":");
    d = int_copy(d, e->sentence);
    KEY(",\"date\":");
    STR(e->date, l_date);
    KEY(",\"source\":");
    STR(e->source, l_src);
    KEY(",\"source_name\":");
    STR(e->source_name, l_srcn);
    KEY(",\"source_country\":");
    STR(e->source_country, l_srcc);
    KEY(",\"target\":");
    STR(e->target, l_tgt);
    KEY(",\"target_name\":");
    STR(e->target_name, l_tgtn);
    KEY(",\"target_country\":");
    STR(e->target_country, l_tgtc);
    KEY(",\"code\":");
    d = json_str(d, code, l_code);
    KEY(",\"root\":");
    d = json_str(d, root, l_root);
    KEY(",\"quad\":");
    d = int_copy(d, e->quad);
    KEY(",\"goldstein\":");
    char *g = gold_copy(d, e);
    d = g ? g : (memcpy(d, "null", 4), d + 4);
    KEY(",\"plover\":");
    STR(e->plover, l_plover);
    KEY(",\"text\":");
    STR(e->text, l_text);
    KEY(",\"pattern\":");
    STR(e->pattern, l_pattern);
    KEY(",\"place\":");
    STR(e->place, l_place);
    KEY("}\n");
#undef KEY
#undef STR
    o->n = (size_t)(d - o->p);
    return 1;
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
    char stack[4096];
    out o;
    out_init(&o, stack, sizeof stack);
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

enum { BATCH_BYTES = 3072 }; /* dyad_write_doc: a block for one fwrite */

int dyad_write_doc(FILE *f, dyad_format fmt, const dyad_doc *doc) {
    if (!f || !doc || (unsigned)fmt > DYAD_FMT_TSV) return DYAD_EINVAL;
    size_t count = dyad_doc_event_count(doc);
    if (fmt != DYAD_FMT_JSONL) {
        for (size_t k = 0; k < count; k++) {
            int rc = dyad_write_event(f, fmt, dyad_doc_event(doc, k));
            if (rc != DYAD_OK) return rc;
        }
        return DYAD_OK;
    }
    /* room for the longest escaping of a few lines (6 bytes a string byte:
     * some 1,800 bytes a line of the bench corpus) */
    char stack[16384];
    out o;
    out_init(&o, stack, sizeof stack);
    for (size_t k = 0; k < count; k++) {
        const dyad_event *e = dyad_doc_event(doc, k);
        if (!write_jsonl(&o, e)) {
            int rc = out_flush(&o, f);
            if (rc != DYAD_OK) return rc;
            write_jsonl(&o, e); /* the buffer is empty: it takes the line */
        }
        if (o.err) break; /* that line is not written, nor those after it */
        /* blocks of some 3 KiB: they stay in the first-level cache, and
         * fwrite copies them with vector stores (past about 4 KiB glibc
         * uses rep movsb, which callgrind counts step by step) */
        if (o.n >= BATCH_BYTES) {
            int rc = out_flush(&o, f);
            if (rc != DYAD_OK) return rc;
        }
    }
    return out_flush(&o, f);
}
