/* test_dates.c: calendar arithmetic, date expressions in sentences, datelines. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <string.h>

#include "dates.h"
#include "dyad.h"
#include "text.h"
#include "util/arena.h"

static dyad_day iso(const char *s) { return dyad__day_parse_iso(s, strlen(s)); }

/* The date found in s relative to base, as "YYYY-MM-DD", or "none". */
static const char *found(const char *s, const char *base, char out[11]) {
    dyad_day d = dyad__date_in_text(s, strlen(s), base ? iso(base) : DYAD_NODAY, NULL, NULL);
    if (d == DYAD_NODAY) return "none";
    dyad__day_format(d, out);
    return out;
}

#define DATE_IS(text, base, want)                                   \
    do {                                                            \
        char buf_[11];                                              \
        assert_string_equal(found(text, base, buf_), want);         \
    } while (0)

static void test_calendar(void **state) {
    (void)state;
    assert_int_equal(dyad__day_from_ymd(1970, 1, 1), 0);
    assert_int_equal(dyad__day_from_ymd(1970, 1, 2), 1);
    assert_int_equal(dyad__day_from_ymd(1969, 12, 31), -1);
    assert_int_equal(dyad__day_from_ymd(2000, 3, 1) - dyad__day_from_ymd(2000, 2, 28), 2);
    assert_int_equal(dyad__day_from_ymd(1900, 2, 29), DYAD_NODAY);
    assert_int_equal(dyad__day_from_ymd(2021, 2, 29), DYAD_NODAY);
    assert_int_equal(dyad__day_from_ymd(2021, 13, 1), DYAD_NODAY);
    assert_int_equal(dyad__day_from_ymd(2021, 4, 31), DYAD_NODAY);
    assert_int_equal(dyad__day_from_ymd(2021, 8, 0), DYAD_NODAY);
    /* Round trip over several centuries. */
    for (dyad_day d = -200000; d < 200000; d += 37) {
        int y, m, dd;
        dyad__day_to_ymd(d, &y, &m, &dd);
        assert_int_equal(dyad__day_from_ymd(y, m, dd), d);
    }
    assert_int_equal(dyad__day_weekday(0), 3);                 /* Thursday */
    assert_int_equal(dyad__day_weekday(iso("2021-08-16")), 0); /* Monday */
    assert_int_equal(dyad__day_weekday(iso("2021-08-18")), 2); /* Wednesday */
    assert_int_equal(dyad__day_weekday(iso("1969-12-28")), 6); /* Sunday */
    char out[11];
    dyad__day_format(iso("2021-08-15"), out);
    assert_string_equal(out, "2021-08-15");
    dyad__day_format(0, out);
    assert_string_equal(out, "1970-01-01");
}

static void test_parse_iso(void **state) {
    (void)state;
    assert_int_equal(iso("2021-08-15"), dyad__day_from_ymd(2021, 8, 15));
    assert_int_equal(iso("2024-02-29"), dyad__day_from_ymd(2024, 2, 29));
    assert_int_equal(iso("2023-02-29"), DYAD_NODAY);
    assert_int_equal(iso("2021-8-15"), DYAD_NODAY);
    assert_int_equal(iso("2021-08-15 "), DYAD_NODAY);
    assert_int_equal(iso("2021/08/15"), DYAD_NODAY);
    assert_int_equal(iso("20210815"), DYAD_NODAY);
    assert_int_equal(iso("2021-0a-15"), DYAD_NODAY);
    assert_int_equal(iso(""), DYAD_NODAY);
    assert_int_equal(dyad__day_parse_iso("2021-08-15xyz", 10), iso("2021-08-15"));
}

static void test_relative_words(void **state) {
    (void)state;
    DATE_IS("The talks happened today in Moscow.", "2021-08-17", "2021-08-17");
    DATE_IS("Tonight the president will speak.", "2021-08-17", "2021-08-17");
    DATE_IS("TODAY'S talks", "2021-08-17", "2021-08-17");
    DATE_IS("Putin called Xi yesterday.", "2021-08-17", "2021-08-16");
    DATE_IS("Putin called Xi yesterday.", "2021-03-01", "2021-02-28");
    DATE_IS("Putin called Xi yesterday.", NULL, "none");
    DATE_IS("the todays and yesterdays", "2021-08-17", "none");
}

static void test_weekdays(void **state) {
    (void)state;
    /* 2021-08-17 is a Tuesday, 2021-08-18 a Wednesday. */
    DATE_IS("Lavrov met Wang on Monday.", "2021-08-17", "2021-08-16");
    DATE_IS("Lavrov met Wang Monday.", "2021-08-17", "2021-08-16");
    DATE_IS("They spoke on Wednesday.", "2021-08-18", "2021-08-18");
    DATE_IS("They spoke on Wednesday.", "2021-08-17", "2021-08-11");
    DATE_IS("Wednesday's meeting was short.", "2021-08-18", "2021-08-18");
    DATE_IS("Wednesday\xe2\x80\x99s meeting was short.", "2021-08-18", "2021-08-18");
    DATE_IS("They spoke last Monday.", "2021-08-17", "2021-08-16");
    DATE_IS("They spoke last Wednesday.", "2021-08-18", "2021-08-11");
    DATE_IS("They will meet next Monday.", "2021-08-17", "none");
    DATE_IS("They meet every Friday.", "2021-08-17", "none");
    DATE_IS("the Kremlin said Wednesday.", "2021-08-26", "2021-08-25");
    DATE_IS("on sunday", "2021-08-17", "2021-08-15");
    DATE_IS("on Monday", NULL, "none");
    /* "next Monday" is skipped, the later expression counts. */
    DATE_IS("Next Monday's talks were set yesterday.", "2021-08-17", "2021-08-16");
}

static void test_month_day(void **state) {
    (void)state;
    DATE_IS("The meeting on August 15 ended.", "2021-08-17", "2021-08-15");
    DATE_IS("August 15 was quiet.", "2021-08-17", "2021-08-15");
    DATE_IS("Since Aug. 25 talks went on.", "2021-08-26", "2021-08-25");
    DATE_IS("Since Aug 25 talks went on.", "2021-08-26", "2021-08-25");
    DATE_IS("It starts Sept. 3 in Geneva.", "2021-08-26", "2021-09-03");
    DATE_IS("It started on 25 August in Geneva.", "2021-08-26", "2021-08-25");
    DATE_IS("It started on 15 August 2021.", "2022-05-01", "2021-08-15");
    DATE_IS("It started on August 15, 2021, in Geneva.", "2023-01-01", "2021-08-15");
    DATE_IS("Umer Jamshaid 4 minutes ago Wed 18th August 2021 | 07:45 PM", "2021-08-18",
            "2021-08-18");
    DATE_IS("on the 18th August", "2021-08-18", "2021-08-18");
    DATE_IS("on the 18th of August", "2021-08-20", "2021-08-18");
    DATE_IS("Published 2021-08-15 by TASS", NULL, "2021-08-15");
    DATE_IS("Published 2021-08-15T10:00 by TASS", NULL, "2021-08-15");
    DATE_IS("on December 30 talks began", "2022-01-02", "2021-12-30");
    DATE_IS("on January 3 talks begin", "2021-12-30", "2022-01-03");
    DATE_IS("talks on DEC. 1", "2021-08-17", "2021-12-01");   /* < 6 months ahead */
    DATE_IS("talks on March 1", "2021-08-17", "2021-03-01");  /* > 6 months ahead */
    DATE_IS("talks on Feb 29", "2021-08-17", "2020-02-29");
    DATE_IS("talks on February 30", "2021-08-17", "none");
    DATE_IS("Friday, August 13, talks ended", "2021-08-17", "2021-08-13");
    DATE_IS("on 5 May the vote", "2021-08-17", "2021-05-05");
    DATE_IS("on May 5 the vote", "2021-08-17", "2021-05-05");
    DATE_IS("On August 15 in Kabul", NULL, "none");
}

static void test_not_dates(void **state) {
    (void)state;
    DATE_IS("Moscow and Beijing might stymie a consensus.", "2021-08-17", "none");
    DATE_IS("Moscow may stymie a consensus.", "2021-08-17", "none");
    DATE_IS("Moscow may 2 times stymie a consensus.", "2021-08-17", "none");
    DATE_IS("May stymie a consensus.", "2021-08-17", "none");
    DATE_IS("Protesters march 5 miles.", "2021-08-17", "none");
    DATE_IS("The Soviet invasion in 1979 failed.", "2021-08-17", "none");
    DATE_IS("It happened last week.", "2021-08-17", "none");
    DATE_IS("It happens next month.", "2021-08-17", "none");
    DATE_IS("A day after the fall of Kabul.", "2021-08-17", "none");
    DATE_IS("He paid 25 dollars for 3 apples.", "2021-08-17", "none");
    DATE_IS("In August 2021 the Taliban took Kabul.", "2021-08-17", "none");
    DATE_IS("Augusta 15 is a street.", "2021-08-17", "none");
    DATE_IS("August 150 troops", "2021-08-17", "none");
    DATE_IS("August 15,000 troops", "2021-08-17", "none");
    DATE_IS("at 5:30 August", "2021-08-17", "none");
    DATE_IS("She was born in May. 5 people came.", "2021-08-17", "none");
    DATE_IS("Mondays are quiet", "2021-08-17", "none");
    DATE_IS("", "2021-08-17", "none");
}

static void test_first_wins_and_span(void **state) {
    (void)state;
    const char *s = "On Monday, Putin said that on August 12 and yesterday...";
    size_t off = 99, len = 99;
    dyad_day d = dyad__date_in_text(s, strlen(s), iso("2021-08-17"), &off, &len);
    assert_int_equal(d, iso("2021-08-16"));
    assert_int_equal(off, 3);
    assert_int_equal(len, 6); /* "Monday" */

    s = "The Kremlin said that on Aug. 25 the leaders spoke.";
    d = dyad__date_in_text(s, strlen(s), iso("2021-08-26"), &off, &len);
    assert_int_equal(d, iso("2021-08-25"));
    assert_memory_equal(s + off, "Aug. 25", 7);
    assert_int_equal(len, 7);

    s = "talks on August 15, 2021, ended";
    d = dyad__date_in_text(s, strlen(s), DYAD_NODAY, &off, &len);
    assert_int_equal(d, iso("2021-08-15"));
    assert_int_equal(len, strlen("August 15, 2021"));
    assert_memory_equal(s + off, "August 15, 2021", len);

    s = "they met last Monday";
    d = dyad__date_in_text(s, strlen(s), iso("2021-08-17"), &off, &len);
    assert_int_equal(d, iso("2021-08-16"));
    assert_memory_equal(s + off, "last Monday", len);

    s = "nothing here";
    d = dyad__date_in_text(s, strlen(s), iso("2021-08-17"), &off, &len);
    assert_int_equal(d, DYAD_NODAY);
    assert_int_equal(off, 0);
    assert_int_equal(len, 0);

    /* Not NUL-terminated: only n bytes are read. */
    char buf[6] = {'A', 'u', 'g', ' ', '2', '5'};
    d = dyad__date_in_text(buf, 5, iso("2021-08-26"), NULL, NULL);
    assert_int_equal(d, iso("2021-08-02"));
    d = dyad__date_in_text(buf, 6, iso("2021-08-26"), NULL, NULL);
    assert_int_equal(d, iso("2021-08-25"));
}

/* Parse and compare place, date and where the body starts. */
static void check_dateline(const char *text, const char *place, int month, int day,
                           const char *body_start) {
    dyad_dateline dl;
    memset(&dl, 0xAB, sizeof dl);
    int ok = dyad__dateline_parse(text, strlen(text), &dl);
    if (!place) {
        assert_int_equal(ok, 0);
        return;
    }
    assert_int_equal(ok, 1);
    assert_int_equal(dl.place_len, strlen(place));
    assert_memory_equal(text + dl.place_off, place, dl.place_len);
    assert_int_equal(dl.month, month);
    assert_int_equal(dl.day, day);
    assert_true(dl.body_off <= strlen(text));
    assert_memory_equal(text + dl.body_off, body_start, strlen(body_start));
}

static void test_datelines(void **state) {
    (void)state;
    check_dateline("BEIJING, August 17. /TASS/. China and Russia should protect",
                   "BEIJING", 8, 17, "China and");
    check_dateline("MOSCOW, Aug 25: Russian President Vladimir Putin", "MOSCOW", 8, 25,
                   "Russian President");
    check_dateline("Washington: The Biden administration is reaching out", "Washington", 0,
                   0, "The Biden");
    check_dateline("CEBU CITY: -- Cordova Mayor Cesar Suan", "CEBU CITY", 0, 0, "Cordova");
    check_dateline("KABUL (Reuters) - Taliban fighters", "KABUL", 0, 0, "Taliban");
    check_dateline("NEW DELHI, Aug. 30 (Xinhua) -- India on Monday", "NEW DELHI", 8, 30,
                   "India on");
    check_dateline("ISLAMABAD, Aug 17 (APP): Prime Minister Imran Khan", "ISLAMABAD", 8, 17,
                   "Prime Minister");
    check_dateline("\n  WASHINGTON \xe2\x80\x94 The State Department", "WASHINGTON", 0, 0,
                   "The State");
    check_dateline("KABUL, Afghanistan (AP) \xe2\x80\x94 The Taliban", "KABUL",
                   0, 0, "The Taliban");
    check_dateline("GENEVA, 25 August 2021 - The talks", "GENEVA", 8, 25, "The talks");

    check_dateline("Afghanistan crisis: US reaches out to Russia, China amid worries", NULL, 0,
                   0, NULL);
    check_dateline("Putin Stresses Importance of Preventing Violence in Afghanistan\n"
                   "Russian President Vladimir Putin agrees",
                   NULL, 0, 0, NULL);
    check_dateline("UrduPoint.com\n\nRussian, Kazakh Foreign Ministers See Chance", NULL, 0,
                   0, NULL);
    check_dateline("Russian, Kazakh Foreign Ministers See Chance To Resolve", NULL, 0, 0, NULL);
    check_dateline("Russian President Vladimir Putin Says: nothing", NULL, 0, 0, NULL);
    check_dateline("MOSCOW:\nThe talks", NULL, 0, 0, NULL);
    check_dateline("MOSCOW:", NULL, 0, 0, NULL);
    check_dateline("the talks: Moscow", NULL, 0, 0, NULL);
    check_dateline("", NULL, 0, 0, NULL);
}

static void test_dateline_day(void **state) {
    (void)state;
    const char *t = "MOSCOW, Aug 25: Russian President";
    dyad_dateline dl;
    assert_int_equal(dyad__dateline_parse(t, strlen(t), &dl), 1);
    assert_int_equal(dyad__dateline_day(&dl, iso("2021-08-26")), iso("2021-08-25"));
    assert_int_equal(dyad__dateline_day(&dl, iso("2021-09-01")), iso("2021-08-25"));
    assert_int_equal(dyad__dateline_day(&dl, iso("2021-09-02")), DYAD_NODAY);
    assert_int_equal(dyad__dateline_day(&dl, DYAD_NODAY), DYAD_NODAY);

    t = "WASHINGTON, Dec 30 (AP) - The";
    assert_int_equal(dyad__dateline_parse(t, strlen(t), &dl), 1);
    assert_int_equal(dyad__dateline_day(&dl, iso("2022-01-02")), iso("2021-12-30"));

    t = "GENEVA, August 15, 2021: The";
    assert_int_equal(dyad__dateline_parse(t, strlen(t), &dl), 1);
    assert_int_equal(dl.year, 2021);
    assert_int_equal(dyad__dateline_day(&dl, DYAD_NODAY), iso("2021-08-15"));
    assert_int_equal(dyad__dateline_day(&dl, iso("2022-08-15")), DYAD_NODAY);

    t = "Washington: The Biden administration";
    assert_int_equal(dyad__dateline_parse(t, strlen(t), &dl), 1);
    assert_int_equal(dyad__dateline_day(&dl, iso("2021-08-17")), DYAD_NODAY);
}

/* The coder's quick reject (dyad__date_token_may_start over a sentence's
 * tokens, with the tail rule) never skips a sentence in which
 * dyad__date_in_text finds a date: random texts of date-like pieces. */
static void test_token_reject(void **state) {
    (void)state;
    static const char *const pieces[] = {
        "on", "Monday", "Mon", "Aug.", "Aug", "August", "25", "3rd", "2021", "2021-08-15",
        "May", "may", "ma", "y", "Sept.", "Tues", "yesterday", "today", "tonight",
        "last", "of", "the", "a", "ca", "n't", "did", "mid-", "x", "Jul", "ju", "ly",
        "'s", ",", ".", "-", "/", ":", "(", "\xc3\xa9", "Th", "urs", "de", "c", "31",
        "Dec", "Sat", "Sun", "Wed", "we", "d", "Feb", "fe", "b", "18th", "of", "1,500"};
    dyad_arena a;
    dyad__arena_init(&a, 0);
    uint32_t seed = 99;
    char text[256];
    int found = 0;
    for (int round = 0; round < 20000; round++) {
        size_t n = 0;
        seed = seed * 1103515245u + 12345u;
        int parts = 1 + (int)((seed >> 16) % 8);
        for (int k = 0; k < parts; k++) {
            seed = seed * 1103515245u + 12345u;
            const char *piece = pieces[(seed >> 16) % (sizeof pieces / sizeof pieces[0])];
            size_t pl = strlen(piece);
            if (n + pl + 1 >= sizeof text) break;
            memcpy(text + n, piece, pl);
            n += pl;
            if ((seed >> 8) % 3) text[n++] = ' '; /* sometimes glued to the next */
        }
        text[n] = 0;
        dyad__arena_reset(&a);
        dyad_sent *sents;
        dyad_tok *toks;
        size_t ns, nt;
        assert_int_equal(dyad__text_split(&a, text, n, &sents, &ns, &toks, &nt), DYAD_OK);
        for (size_t si = 0; si < ns; si++) {
            const dyad_tok *t = toks + sents[si].tok_first;
            size_t m = sents[si].tok_count;
            int may = 0;
            size_t first = 0; /* the first token that may start one */
            for (size_t i = 0; i < m; i++) {
                int f = dyad__date_token_may_start(t[i].p, t[i].n), here = 0;
                if (f & DYAD_DATE_TOK_START) here = 1;
                if ((f & DYAD_DATE_TOK_TAIL) && i + 1 < m && t[i + 1].off == t[i].off + t[i].n &&
                    (t[i + 1].p[0] | 0x20) >= 'a' && (t[i + 1].p[0] | 0x20) <= 'z')
                    here = 1;
                if (here && !may) first = i;
                may |= here;
            }
            dyad_day base = dyad__day_from_ymd(2021, 8, 25);
            const char *st = text + sents[si].start;
            size_t sl = sents[si].end - sents[si].start, off = 0, len = 0;
            dyad_day d = dyad__date_in_text(st, sl, base, &off, &len);
            if (d != DYAD_NODAY) {
                found++;
                if (!may) fail_msg("skipped a date in \"%s\"", text);
            }
            /* the coder's scan from its first such token finds the same
             * expression */
            if (may) {
                size_t off2 = 0, len2 = 0;
                dyad_day d2 = dyad__date_in_text_from(st, sl, t[first].off - sents[si].start,
                                                      base, &off2, &len2);
                if (d2 != d || off2 != off || len2 != len)
                    fail_msg("the scan from token %zu differs in \"%s\"", first, text);
            }
        }
    }
    assert_true(found > 1000);
    dyad__arena_free(&a);
    /* a start inside a word means that word: "xAug" is no month */
    dyad_day base = dyad__day_from_ymd(2021, 8, 25);
    assert_int_equal(dyad__date_in_text_from("met xAug 25", 11, 5, base, NULL, NULL), DYAD_NODAY);
    assert_int_equal(dyad__date_in_text_from("met on Aug 25", 13, 7, base, NULL, NULL),
                     dyad__day_from_ymd(2021, 8, 25));
    assert_int_equal(dyad__date_in_text_from("Aug 25", 6, 99, base, NULL, NULL), DYAD_NODAY);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_calendar),
        cmocka_unit_test(test_parse_iso),
        cmocka_unit_test(test_relative_words),
        cmocka_unit_test(test_weekdays),
        cmocka_unit_test(test_month_day),
        cmocka_unit_test(test_not_dates),
        cmocka_unit_test(test_first_wins_and_span),
        cmocka_unit_test(test_datelines),
        cmocka_unit_test(test_dateline_day),
        cmocka_unit_test(test_token_reject),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
