/* test_output.c: JSON Lines, CSV and TSV event lines (one by one and a
 * document's with dyad_write_doc), format names, error messages and
 * dyad_date_valid. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <limits.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "dyad.h"

static dyad_event sample(void) {
    dyad_event e;
    memset(&e, 0, sizeof e);
    e.doc = "001_tass";
    e.sentence = 3;
    e.date = "2021-08-25";
    e.source = "RUSGOV";
    e.source_name = "Russian President Vladimir Putin";
    e.source_country = "RUS";
    e.target = "CHNGOV";
    e.target_name = "his Chinese counterpart";
    e.target_country = "CHN";
    e.code = "041";
    memcpy(e.root, "04", 3);
    e.quad = 1;
    e.goldstein = 1.0;
    e.has_goldstein = 1;
    e.plover = "CONSULT";
    e.text = "Putin and Xi spoke by phone.";
    e.pattern = "* PHONE + (CAMEO.verbpatterns:120)";
    e.place = "MOSCOW";
    return e;
}

/* Everything one dyad_write_event (or header) call writes, NUL-terminated. */
static char *render(dyad_format fmt, const dyad_event *e, int header) {
    char *buf = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&buf, &len);
    assert_non_null(f);
    if (header) assert_int_equal(dyad_write_header(f, fmt), DYAD_OK);
    if (e) assert_int_equal(dyad_write_event(f, fmt, e), DYAD_OK);
    assert_int_equal(fclose(f), 0);
    return buf;
}

static void test_jsonl(void **state) {
    (void)state;
    dyad_event e = sample();
    char *s = render(DYAD_FMT_JSONL, &e, 0);
    assert_string_equal(
        s, "{\"doc\":\"001_tass\",\"sentence\":3,\"date\":\"2021-08-25\","
           "\"source\":\"RUSGOV\",\"source_name\":\"Russian President Vladimir Putin\","
           "\"source_country\":\"RUS\",\"target\":\"CHNGOV\","
           "\"target_name\":\"his Chinese counterpart\",\"target_country\":\"CHN\","
           "\"code\":\"041\",\"root\":\"04\",\"quad\":1,\"goldstein\":1.0,"
           "\"plover\":\"CONSULT\",\"text\":\"Putin and Xi spoke by phone.\","
           "\"pattern\":\"* PHONE + (CAMEO.verbpatterns:120)\",\"place\":\"MOSCOW\"}\n");
    free(s);
}

static void test_jsonl_nulls_and_escapes(void **state) {
    (void)state;
    dyad_event e = sample();
    e.date = NULL;
    e.source_country = NULL;
    e.target_country = NULL;
    e.plover = NULL;
    e.place = NULL;
    e.has_goldstein = 0;
    e.goldstein = -2.25;
    e.text = "He said \"no\" \\ then\n\ttab \x01 caf\xc3\xa9 \xe2\x80\x94 bad\xff end";
    char *s = render(DYAD_FMT_JSONL, &e, 0);
    assert_non_null(strstr(s, "\"date\":null,"));
    assert_non_null(strstr(s, "\"source_country\":null,"));
    assert_non_null(strstr(s, "\"target_country\":null,"));
    assert_non_null(strstr(s, "\"goldstein\":null,"));
    assert_non_null(strstr(s, "\"plover\":null,"));
    assert_non_null(strstr(s, "\"place\":null}\n"));
    assert_non_null(strstr(s, "\"text\":\"He said \\\"no\\\" \\\\ then\\u000a\\u0009tab "
                              "\\u0001 caf\xc3\xa9 \xe2\x80\x94 bad\xef\xbf\xbd end\""));
    /* One line: no raw newline before the end. */
    assert_ptr_equal(strchr(s, '\n'), s + strlen(s) - 1);
    free(s);

    e = sample();
    e.goldstein = -10.0;
    s = render(DYAD_FMT_JSONL, &e, 0);
    assert_non_null(strstr(s, "\"goldstein\":-10.0,"));
    free(s);
    e.goldstein = -0.01;
    s = render(DYAD_FMT_JSONL, &e, 0);
    assert_non_null(strstr(s, "\"goldstein\":0.0,"));
    free(s);
}

/* The JSON escaping of one string, byte by byte, as the writer must do it:
 * the reference for test_jsonl_escape_positions. */
static size_t ref_utf8_len(const unsigned char *p, size_t n) {
    unsigned c = p[0], cp, min;
    size_t len;
    if (c < 0xC2) return 0;
    if (c < 0xE0) len = 2, min = 0x80, cp = c & 0x1F;
    else if (c < 0xF0) len = 3, min = 0x800, cp = c & 0x0F;
    else if (c < 0xF5) len = 4, min = 0x10000, cp = c & 0x07;
    else return 0;
    if (len > n) return 0;
    for (size_t i = 1; i < len; i++) {
        if ((p[i] & 0xC0) != 0x80) return 0;
        cp = cp << 6 | (p[i] & 0x3F);
    }
    return cp < min || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF) ? 0 : len;
}

static void ref_json(const char *s, char *out) {
    const unsigned char *p = (const unsigned char *)s;
    size_t n = strlen(s), o = 0;
    out[o++] = '"';
    for (size_t i = 0; i < n;) {
        unsigned char c = p[i];
        if (c == '"' || c == '\\') {
            out[o++] = '\\';
            out[o++] = (char)c;
            i++;
        } else if (c < 0x20) {
            o += (size_t)sprintf(out + o, "\\u%04x", c);
            i++;
        } else if (c < 0x80) {
            out[o++] = (char)c;
            i++;
        } else {
            size_t len = ref_utf8_len(p + i, n - i);
            if (len) {
                memcpy(out + o, s + i, len);
                o += len;
                i += len;
            } else {
                memcpy(out + o, "\xEF\xBF\xBD", 3);
                o += 3;
                i++;
            }
        }
    }
    out[o++] = '"';
    out[o] = 0;
}

/* Every escape at every offset and string length, against the reference:
 * the writer copies plain runs 8 bytes at a time. */
static void test_jsonl_escape_positions(void **state) {
    (void)state;
    static const char *const pieces[] = {"a", "Z", " ", "\"", "\\", "\n", "\x01", "\x1f",
                                         "\x7f", "\xc3\xa9", "\xe2\x82\xac",
                                         "\xf0\x9f\x98\x80", "\xff", "\xc3", "\xe2\x82",
                                         "\xed\xa0\x80", "\xc0\xaf"};
    uint32_t seed = 12345;
    char text[128], want[1024], field[1100];
    for (int round = 0; round < 3000; round++) {
        size_t n = 0;
        seed = seed * 1103515245u + 12345u;
        size_t target = (seed >> 16) % 40;
        while (n < target) {
            seed = seed * 1103515245u + 12345u;
            /* mostly plain letters, so that runs of 8 and tails occur */
            unsigned r = (seed >> 16) % 64;
            const char *piece = r < 48 ? pieces[r % 3] : pieces[3 + r % 14];
            size_t pl = strlen(piece);
            if (n + pl >= sizeof text) break;
            memcpy(text + n, piece, pl);
            n += pl;
        }
        text[n] = 0;
        dyad_event e = sample();
        e.text = text;
        char *s = render(DYAD_FMT_JSONL, &e, 0);
        ref_json(text, want);
        snprintf(field, sizeof field, "\"text\":%s,\"pattern\":", want);
        if (!strstr(s, field)) fail_msg("round %d: %s", round, s);
        free(s);
    }
}

/* The whole JSON Lines record of e, field by field with ref_json and printf:
 * the reference for the tests below. */
static void ref_line(const dyad_event *e, char *out) {
    static const char *const keys[] = {"doc", "date", "source", "source_name",
                                       "source_country", "target", "target_name",
                                       "target_country", "code", "root", "plover",
                                       "text", "pattern", "place"};
    char root[3] = {e->root[0], e->root[0] ? e->root[1] : 0, 0};
    const char *f[] = {e->doc, e->date, e->source, e->source_name, e->source_country,
                       e->target, e->target_name, e->target_country,
                       e->code ? e->code : "", root, e->plover, e->text, e->pattern,
                       e->place};
    char *o = out;
    *o++ = '{';
    for (size_t k = 0; k < sizeof keys / sizeof keys[0]; k++) {
        o += sprintf(o, "%s\"%s\":", k ? "," : "", keys[k]);
        if (f[k]) {
            ref_json(f[k], o);
            o += strlen(o);
        } else {
            o += sprintf(o, "null");
        }
        if (k == 0) o += sprintf(o, ",\"sentence\":%d", e->sentence);
        if (k == 9) {
            o += sprintf(o, ",\"quad\":%d,\"goldstein\":", e->quad);
            if (!e->has_goldstein || !isfinite(e->goldstein)) {
                o += sprintf(o, "null");
            } else if (e->goldstein <= -1e9 || e->goldstein >= 1e9) {
                char g[32];
                snprintf(g, sizeof g, "%.1f", e->goldstein);
                o += sprintf(o, "%s", g);
            } else {
                long t = lround(e->goldstein * 10.0);
                unsigned long u = (unsigned long)(t < 0 ? -t : t);
                o += sprintf(o, "%s%lu.%lu", t < 0 ? "-" : "", u / 10, u % 10);
            }
        }
    }
    sprintf(o, "}\n");
}

static void expect_line(const dyad_event *e, const char *what, int round) {
    static char want[65536];
    ref_line(e, want);
    char *s = render(DYAD_FMT_JSONL, e, 0);
    if (strcmp(s, want) != 0) fail_msg("%s %d:\n got %s want %s", what, round, s, want);
    free(s);
}

/* Each string field with a string of 0 to 40 bytes holding one piece that
 * needs a look (or a plain one) at every offset: the writer takes strings of
 * 1-3, 4-7, 8-16 and more bytes by different routes. */
static void test_jsonl_every_field_length_offset(void **state) {
    (void)state;
    static const char *const pieces[] = {"a", "\"", "\\", "\n", "\x01", "\x1f", "\x7f",
                                         "\xc3\xa9", "\xe2\x82\xac", "\xf0\x9f\x98\x80",
                                         "\xff", "\xc3", "\xe2\x82", "\xed\xa0\x80",
                                         "\xc0\xaf", "\xf4\x90\x80\x80", "\x80"};
    char text[64];
    int round = 0;
    for (int field = 0; field < 13; field++) {
        for (size_t n = 0; n <= 40; n++) {
            for (size_t at = 0; at <= n; at++) {
                for (size_t k = 0; k < sizeof pieces / sizeof pieces[0]; k++) {
                    size_t pl = strlen(pieces[k]);
                    if (at == n && k) break; /* n plain bytes, once */
                    if (at + pl > n && at < n) continue;
                    memset(text, 'x', n);
                    if (at < n) memcpy(text + at, pieces[k], pl);
                    text[n] = 0;
                    dyad_event e = sample();
                    const char **f[] = {&e.doc, &e.date, &e.source, &e.source_name,
                                        &e.source_country, &e.target, &e.target_name,
                                        &e.target_country, &e.code, &e.plover, &e.text,
                                        &e.pattern, &e.place};
                    *f[field] = text;
                    expect_line(&e, "field/length/offset", round++);
                }
            }
        }
    }
}

/* Random fields of up to 300 bytes, NULLs, numbers and goldstein values
 * (halves, -0.0, huge, not finite) against the reference line. */
static void test_jsonl_random_events(void **state) {
    (void)state;
    static const char *const pieces[] = {"a", "Z", " ", "0", "\"", "\\", "\t", "\x01",
                                         "\x7f", "\xc3\xa9", "\xe2\x80\x94",
                                         "\xf0\x9f\x98\x80", "\xff", "\xc3", "\xed\xa0\x80"};
    static const double golds[] = {0.0, -0.0, -0.04, -0.05, 0.05, 0.15, -0.25, 2.45,
                                   -2.45, 9.95, -10.0, 10.0, 99.95, -123.45, 1e9, -1e9,
                                   1e300, -1e300, 999999999.95, 1.0 / 0.0, -1.0 / 0.0};
    static const int ints[] = {0, 1, 9, 10, 42, 99, 100, 12345, -1, -10, INT_MAX, INT_MIN};
    static char buf[14][320];
    uint32_t seed = 777;
#define RND() (seed = seed * 1103515245u + 12345u, seed >> 16)
    for (int round = 0; round < 3000; round++) {
        dyad_event e = sample();
        const char **f[] = {&e.doc, &e.date, &e.source, &e.source_name, &e.source_country,
                            &e.target, &e.target_name, &e.target_country, &e.code,
                            &e.plover, &e.text, &e.pattern, &e.place};
        for (int k = 0; k < 13; k++) {
            unsigned r = RND() % 16;
            if (r == 0) {
                *f[k] = NULL;
                continue;
            }
            size_t target = r < 12 ? RND() % 20 : RND() % 300, n = 0;
            while (n < target) {
                unsigned q = RND() % 40;
                const char *piece = q < 30 ? pieces[q % 4] : pieces[4 + q % 11];
                size_t pl = strlen(piece);
                if (n + pl >= sizeof buf[k]) break;
                memcpy(buf[k] + n, piece, pl);
                n += pl;
            }
            buf[k][n] = 0;
            *f[k] = buf[k];
        }
        unsigned r = RND() % 5; /* the root need not end in a NUL */
        memcpy(e.root, r == 0 ? "\0\0" : r == 1 ? "1\0" : r == 2 ? "04" : r == 3 ? "123" : "\0" "56", 3);
        e.sentence = ints[RND() % 12];
        e.quad = ints[RND() % 12];
        e.has_goldstein = RND() % 8 != 0;
        e.goldstein = RND() % 2 ? golds[RND() % 21] : ((double)RND() - 32768.0) / 3000.0;
        if (RND() % 20 == 0) e.goldstein = nan("");
        expect_line(&e, "random", round);
    }
#undef RND
}

static void test_jsonl_long_line(void **state) {
    (void)state;
    /* Longer than the stack buffer: the heap path must give the same bytes. */
    size_t n = 20000;
    char *text = malloc(n + 1);
    assert_non_null(text);
    for (size_t i = 0; i < n; i++) text[i] = (char)(i % 7 == 0 ? '"' : 'a' + i % 26);
    text[n] = 0;
    dyad_event e = sample();
    e.text = text;
    char *s = render(DYAD_FMT_JSONL, &e, 0);
    size_t quotes = 0;
    for (size_t i = 0; i < n; i++) quotes += text[i] == '"';
    assert_true(strlen(s) > n + quotes);
    assert_non_null(strstr(s, "\"place\":\"MOSCOW\"}\n"));
    free(s);
    free(text);
}

static void quiet(void *ud, dyad_severity sev, const char *file, long line,
                  const char *msg) {
    (void)ud, (void)sev, (void)file, (void)line, (void)msg;
}

/* Everything dyad_write_doc writes, NUL-terminated; *rc its result. */
static char *render_doc(dyad_format fmt, const dyad_doc *doc, int *rc) {
    char *buf = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&buf, &len);
    assert_non_null(f);
    *rc = dyad_write_doc(f, fmt, doc);
    assert_int_equal(fclose(f), 0);
    return buf;
}

/* dyad_write_doc gives the bytes of dyad_write_event for each event in turn,
 * with lines short and long (past its buffer: flushed first, then grown). */
static void test_write_doc(void **state) {
    (void)state;
    dyad_dict *d = dyad_dict_new();
    assert_non_null(d);
    assert_int_equal(dyad_dict_load_builtin(d), DYAD_OK);
    assert_int_equal(dyad_dict_finish(d), DYAD_OK);
    dyad_coder *c = dyad_coder_new(d);
    assert_non_null(c);
    dyad_coder_set_diag(c, quiet, NULL);
    size_t cap = 1 << 20, n = 0;
    char *text = malloc(cap);
    assert_non_null(text);
    uint32_t seed = 99;
    for (int k = 0; k < 120; k++) {
        seed = seed * 1103515245u + 12345u;
        size_t words = (seed >> 16) % 4 == 0 ? (seed >> 8) % 200 : (seed >> 8) % 5;
        n += (size_t)sprintf(text + n, "Russia criticized China, saying");
        for (size_t w = 0; w < words; w++) {
            seed = seed * 1103515245u + 12345u;
            size_t wl = 1 + (seed >> 16) % 120;
            text[n++] = ' ';
            /* long words, so that the sentence stays within the coder's
             * 512 tokens; now and then a byte JSON escapes */
            for (size_t i = 0; i < wl; i++)
                text[n++] = i % 37 == 5 ? "\"\\\x01"[w % 3] : (char)('a' + (i + w) % 26);
        }
        n += (size_t)sprintf(text + n, ". Germany met France in Berlin on Monday. ");
    }
    text[n] = 0;
    dyad_article a;
    memset(&a, 0, sizeof a);
    a.id = "doc \"1\"";
    a.date = "2021-08-25";
    a.text = text;
    a.text_len = n;
    int rc;
    dyad_doc *doc = dyad_code_article(c, &a, &rc);
    assert_non_null(doc);
    size_t count = dyad_doc_event_count(doc), longest = 0;
    assert_true(count >= 200);
    static const dyad_format fmts[] = {DYAD_FMT_JSONL, DYAD_FMT_CSV, DYAD_FMT_TSV};
    for (size_t fi = 0; fi < 3; fi++) {
        char *want = NULL;
        size_t wlen = 0;
        FILE *f = open_memstream(&want, &wlen);
        assert_non_null(f);
        for (size_t k = 0; k < count; k++) {
            size_t before = (size_t)ftell(f);
            assert_int_equal(dyad_write_event(f, fmts[fi], dyad_doc_event(doc, k)), DYAD_OK);
            size_t line = (size_t)ftell(f) - before;
            if (line > longest) longest = line;
        }
        assert_int_equal(fclose(f), 0);
        char *got = render_doc(fmts[fi], doc, &rc);
        assert_int_equal(rc, DYAD_OK);
        assert_string_equal(got, want);
        free(got);
        free(want);
    }
    /* some line's room (6 bytes a byte) is past the 16 KiB buffer */
    if (longest <= 6000) fail_msg("longest %zu count %zu", longest, count);

    /* errors: as dyad_write_event */
    FILE *full = fopen("/dev/full", "w");
    if (full) {
        setvbuf(full, NULL, _IONBF, 0);
        assert_int_equal(dyad_write_doc(full, DYAD_FMT_JSONL, doc), DYAD_EIO);
        assert_int_equal(dyad_write_doc(full, DYAD_FMT_CSV, doc), DYAD_EIO);
        fclose(full);
    }
    assert_int_equal(dyad_write_doc(NULL, DYAD_FMT_JSONL, doc), DYAD_EINVAL);
    assert_int_equal(dyad_write_doc(stdout, DYAD_FMT_JSONL, NULL), DYAD_EINVAL);
    assert_int_equal(dyad_write_doc(stdout, (dyad_format)7, doc), DYAD_EINVAL);
    dyad_doc_free(doc);

    /* no events: nothing written */
    a.text = "Nothing happened.";
    a.text_len = strlen(a.text);
    doc = dyad_code_article(c, &a, &rc);
    assert_non_null(doc);
    assert_int_equal(dyad_doc_event_count(doc), 0);
    char *got = render_doc(DYAD_FMT_JSONL, doc, &rc);
    assert_int_equal(rc, DYAD_OK);
    assert_string_equal(got, "");
    free(got);
    dyad_doc_free(doc);
    free(text);
    dyad_coder_free(c);
    dyad_dict_free(d);
}

static void test_csv(void **state) {
    (void)state;
    dyad_event e = sample();
    e.text = "Putin said \"yes\", then left\r\nagain";
    e.place = NULL;
    e.plover = NULL;
    e.has_goldstein = 0;
    char *s = render(DYAD_FMT_CSV, &e, 1);
    assert_string_equal(
        s, "doc,sentence,date,source,source_name,source_country,target,target_name,"
           "target_country,code,root,quad,goldstein,plover,text,pattern,place\r\n"
           "001_tass,3,2021-08-25,RUSGOV,Russian President Vladimir Putin,RUS,CHNGOV,"
           "his Chinese counterpart,CHN,041,04,1,,,"
           "\"Putin said \"\"yes\"\", then left\r\nagain\","
           "* PHONE + (CAMEO.verbpatterns:120),\r\n");
    free(s);

    e = sample();
    e.goldstein = -4.4;
    s = render(DYAD_FMT_CSV, &e, 0);
    assert_non_null(strstr(s, ",04,1,-4.4,CONSULT,Putin and Xi spoke by phone.,"));
    free(s);
}

static void test_tsv(void **state) {
    (void)state;
    dyad_event e = sample();
    char *s = render(DYAD_FMT_TSV, &e, 1);
    assert_string_equal(s, "20210825\tRUSGOV\tCHNGOV\t041\t001_tass\n");
    free(s);

    e.date = NULL;
    e.doc = "a\tb\nc";
    s = render(DYAD_FMT_TSV, &e, 0);
    assert_string_equal(s, "\tRUSGOV\tCHNGOV\t041\ta b c\n");
    free(s);
}

static void test_format_parse(void **state) {
    (void)state;
    assert_int_equal(dyad_format_parse("jsonl"), DYAD_FMT_JSONL);
    assert_int_equal(dyad_format_parse("csv"), DYAD_FMT_CSV);
    assert_int_equal(dyad_format_parse("TSV"), DYAD_FMT_TSV);
    assert_int_equal(dyad_format_parse("xml"), -1);
    assert_int_equal(dyad_format_parse(""), -1);
    assert_int_equal(dyad_format_parse(NULL), -1);
    char *s = render(DYAD_FMT_JSONL, NULL, 1);
    assert_string_equal(s, "");
    free(s);
}

static void test_write_errors(void **state) {
    (void)state;
    dyad_event e = sample();
    assert_int_equal(dyad_write_event(NULL, DYAD_FMT_JSONL, &e), DYAD_EINVAL);
    assert_int_equal(dyad_write_event(stdout, (dyad_format)7, &e), DYAD_EINVAL);
    FILE *f = fopen("/dev/full", "w");
    if (!f) skip();
    setvbuf(f, NULL, _IONBF, 0); /* so the failure shows at the write */
    assert_int_equal(dyad_write_event(f, DYAD_FMT_JSONL, &e), DYAD_EIO);
    assert_int_equal(dyad_write_header(f, DYAD_FMT_CSV), DYAD_EIO);
    fclose(f);
}

static void test_strerror_and_date_valid(void **state) {
    (void)state;
    assert_string_equal(dyad_strerror(DYAD_OK), "success");
    assert_string_equal(dyad_strerror(DYAD_ENOMEM), "out of memory");
    assert_string_equal(dyad_strerror(DYAD_EDATE), "unknown date format");
    assert_string_equal(dyad_strerror(DYAD_EDISCARD), "discarded by a discard phrase");
    assert_string_equal(dyad_strerror(-999), "unknown error");
    assert_int_equal(dyad_date_valid("2021-08-15"), 1);
    assert_int_equal(dyad_date_valid("2024-02-29"), 1);
    assert_int_equal(dyad_date_valid("2021-02-29"), 0);
    assert_int_equal(dyad_date_valid("2021-8-15"), 0);
    assert_int_equal(dyad_date_valid("2021-08-15 "), 0);
    assert_int_equal(dyad_date_valid("2021-08-1"), 0);
    assert_int_equal(dyad_date_valid(""), 0);
    assert_int_equal(dyad_date_valid(NULL), 0);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_jsonl),
        cmocka_unit_test(test_jsonl_nulls_and_escapes),
        cmocka_unit_test(test_jsonl_escape_positions),
        cmocka_unit_test(test_jsonl_every_field_length_offset),
        cmocka_unit_test(test_jsonl_random_events),
        cmocka_unit_test(test_jsonl_long_line),
        cmocka_unit_test(test_write_doc),
        cmocka_unit_test(test_csv),
        cmocka_unit_test(test_tsv),
        cmocka_unit_test(test_format_parse),
        cmocka_unit_test(test_write_errors),
        cmocka_unit_test(test_strerror_and_date_valid),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
