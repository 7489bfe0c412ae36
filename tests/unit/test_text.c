/* test_text.c: normalization, tokenization and sentence splitting (text.c),
 * on made-up snippets and on the seed articles in ../shared/seeds. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "dyad.h"
#include "text.h"

/* ------------------------------------------------------------- helpers */

static char out_buf[1 << 16];

/* The normalized form of s (of length n). */
static const char *norm_n(const char *s, size_t n, size_t *bad) {
    dyad_arena a;
    dyad__arena_init(&a, 0);
    char *o = NULL;
    size_t on = 0, b = 0;
    assert_int_equal(dyad__text_normalize(&a, s, n, &o, &on, &b), DYAD_OK);
    assert_non_null(o);
    assert_int_equal(strlen(o), on);
    assert_true(on < sizeof out_buf);
    memcpy(out_buf, o, on + 1);
    if (bad) *bad = b;
    dyad__arena_free(&a);
    return out_buf;
}
static const char *norm(const char *s) { return norm_n(s, strlen(s), NULL); }

typedef struct split_res {
    dyad_arena a;
    char *text;
    size_t n;
    dyad_sent *s;
    dyad_tok *t;
    size_t ns, nt;
} split_res;

static void split_n(split_res *r, const char *s, size_t n) {
    dyad__arena_init(&r->a, 0);
    size_t bad;
    assert_int_equal(dyad__text_normalize(&r->a, s, n, &r->text, &r->n, &bad), DYAD_OK);
    assert_int_equal(dyad__text_split(&r->a, r->text, r->n, &r->s, &r->ns, &r->t, &r->nt), DYAD_OK);
}

/* Tokens of s joined by single spaces. */
static const char *toks(const char *s) {
    split_res r;
    split_n(&r, s, strlen(s));
    size_t o = 0;
    for (size_t i = 0; i < r.nt; i++) {
        assert_true(o + r.t[i].n + 2 < sizeof out_buf);
        if (i) out_buf[o++] = ' ';
        memcpy(out_buf + o, r.t[i].p, r.t[i].n);
        o += r.t[i].n;
    }
    out_buf[o] = '\0';
    dyad__arena_free(&r.a);
    return out_buf;
}

/* Flags of the token of s whose text is word (the first one). */
static unsigned flags_of(const char *s, const char *word) {
    split_res r;
    split_n(&r, s, strlen(s));
    unsigned f = 0xFFFF;
    for (size_t i = 0; i < r.nt; i++)
        if (r.t[i].n == strlen(word) && memcmp(r.t[i].p, word, r.t[i].n) == 0) {
            f = r.t[i].flags;
            break;
        }
    dyad__arena_free(&r.a);
    return f;
}

/* Sentences of s joined by " | ". */
static const char *sents(const char *s) {
    split_res r;
    split_n(&r, s, strlen(s));
    size_t o = 0;
    for (size_t i = 0; i < r.ns; i++) {
        size_t len = r.s[i].end - r.s[i].start;
        assert_true(o + len + 4 < sizeof out_buf);
        if (i) memcpy(out_buf + o, " | ", 3), o += 3;
        memcpy(out_buf + o, r.text + r.s[i].start, len);
        o += len;
    }
    out_buf[o] = '\0';
    dyad__arena_free(&r.a);
    return out_buf;
}

/* -------------------------------------------------------- normalization */

static void test_norm_quotes_dashes_spaces(void **state) {
    (void)state;
    assert_string_equal(norm("\xE2\x80\x9CPeace,\xE2\x80\x9D he said"), "\"Peace,\" he said");
    assert_string_equal(norm("People\xE2\x80\x99s \xE2\x80\x98talks\xE2\x80\x99"), "People's 'talks'");
    assert_string_equal(norm("\xC2\xAB" "oui" "\xC2\xBB"), "\"oui\"");
    assert_string_equal(norm("2001\xE2\x80\x93" "2005"), "2001-2005");
    assert_string_equal(norm("Moscow\xE2\x80\x94where"), "Moscow--where");
    assert_string_equal(norm("\xE2\x88\x92" "5"), "-5");
    assert_string_equal(norm("a\xC2\xA0" "b\xE2\x80\x89" "c\xE3\x80\x80" "d"), "a b c d");
    assert_string_equal(norm("wait\xE2\x80\xA6"), "wait...");
    assert_string_equal(norm("soft\xC2\xADhyphen\xE2\x80\x8B!"), "softhyphen!");
}

static void test_norm_omissions(void **state) {
    (void)state;
    assert_string_equal(norm("sharply. <\xE2\x80\xA6> Amid"), "sharply.  Amid");
    assert_string_equal(norm("a <...> b [...] c"), "a  b  c");
    /* Not omissions: kept. */
    assert_string_equal(norm("a < b > c [x] <..>"), "a < b > c [x] <..>");
    assert_string_equal(norm(">]"), ">]");
}

static void test_norm_controls(void **state) {
    (void)state;
    size_t bad = 9;
    const char in[] = "a\0b\r\nc\rd\te\x01" "f\x7f";
    assert_string_equal(norm_n(in, sizeof in - 1, &bad), "a b\nc\nd\te f ");
    assert_int_equal(bad, 0);
    assert_string_equal(norm("x\xC2\x85y"), "x\ny");             /* NEL */
    assert_string_equal(norm("x\xE2\x80\xA9y"), "x\n\ny");       /* paragraph separator */
}

static void test_norm_invalid_utf8(void **state) {
    (void)state;
    size_t bad = 0;
    /* A lone continuation byte, a truncated sequence, an overlong '/', and
     * a surrogate: each bad byte is one U+FFFD. */
    assert_string_equal(norm_n("a\x80" "b", 3, &bad), "a\xEF\xBF\xBD" "b");
    assert_int_equal(bad, 1);
    assert_string_equal(norm_n("a\xE2\x80", 3, &bad), "a\xEF\xBF\xBD\xEF\xBF\xBD");
    assert_int_equal(bad, 2);
    norm_n("\xC0\xAF", 2, &bad);
    assert_int_equal(bad, 2);
    norm_n("\xED\xA0\x80", 3, &bad);
    assert_true(bad >= 1);
    /* Valid text counts nothing. */
    assert_string_equal(norm_n("Ni\xC3\xB1o", 5, &bad), "Ni\xC3\xB1o");
    assert_int_equal(bad, 0);
}

static void test_norm_nfc(void **state) {
    (void)state;
    /* "vis-a\u0300-vis" as in a seed: the combining grave composes. */
    assert_string_equal(norm("vis-a\xCC\x80-vis"), "vis-\xC3\xA0-vis");
    /* Already composed text is unchanged; the Angstrom sign becomes A-ring. */
    assert_string_equal(norm("\xC3\xA9t\xC3\xA9"), "\xC3\xA9t\xC3\xA9");
    assert_string_equal(norm("\xE2\x84\xAB"), "\xC3\x85");
    /* Marks in canonical order, composed where they can be. */
    assert_string_equal(norm("e\xCC\xA3\xCC\x82"), "\xE1\xBB\x87");
    /* Cyrillic passes through. */
    assert_string_equal(norm("\xD0\x9C\xD0\xBE\xD1\x81\xD0\xBA\xD0\xB2\xD0\xB0"),
                        "\xD0\x9C\xD0\xBE\xD1\x81\xD0\xBA\xD0\xB2\xD0\xB0");
}

static void test_norm_empty_and_errors(void **state) {
    (void)state;
    dyad_arena a;
    dyad__arena_init(&a, 0);
    char *o = NULL;
    size_t on = 5, bad = 5;
    assert_int_equal(dyad__text_normalize(&a, "", 0, &o, &on, &bad), DYAD_OK);
    assert_string_equal(o, "");
    assert_int_equal(on, 0);
    assert_int_equal(bad, 0);
    assert_int_equal(dyad__text_normalize(&a, NULL, 3, &o, &on, &bad), DYAD_EINVAL);
    dyad__arena_free(&a);
    /* An arena with too small a limit gives ENOMEM. */
    dyad__arena_init(&a, 16);
    assert_int_equal(dyad__text_normalize(&a, "a long enough text", 18, &o, &on, &bad), DYAD_ENOMEM);
    dyad__arena_free(&a);
}

/* --------------------------------------------------------- tokenization */

static void test_tok_clitics(void **state) {
    (void)state;
    assert_string_equal(toks("Gondor's army"), "Gondor 's army");
    assert_string_equal(toks("didn't won't can't isn't"), "did n't wo n't ca n't is n't");
    assert_string_equal(toks("it's we're they'll I've she'd I'm"),
                        "it 's we 're they 'll I 've she 'd I 'm");
    assert_string_equal(toks("the countries' leaders"), "the countries ' leaders");
    assert_string_equal(toks("O'Brien met O'Neill's aide"), "O'Brien met O'Neill 's aide");
    assert_string_equal(toks("People\xE2\x80\x99s Republic"), "People 's Republic");
    assert_int_equal(flags_of("Gondor's", "'s"), DYAD_TOK_WORD | DYAD_TOK_CLITIC);
    assert_int_equal(flags_of("didn't", "n't"), DYAD_TOK_WORD | DYAD_TOK_CLITIC);
    assert_int_equal(flags_of("countries' leaders", "'"), DYAD_TOK_CLITIC);
}

static void test_tok_quotes(void **state) {
    (void)state;
    assert_string_equal(toks("\"Peace,\" he said."), "\" Peace , \" he said .");
    assert_string_equal(toks("the 'rebels' fled"), "the ' rebels ' fled");
    assert_string_equal(toks("said: ``Hi''"), "said : `` Hi ''");
    assert_int_equal(flags_of("\"x\"", "\""), DYAD_TOK_PUNCT | DYAD_TOK_QUOTE);
    assert_int_equal(flags_of("the 'rebels' fled", "'"), DYAD_TOK_PUNCT | DYAD_TOK_QUOTE);
}

static void test_tok_abbreviations(void **state) {
    (void)state;
    assert_string_equal(toks("the U.S. and U.N. envoys"), "the U.S. and U.N. envoys");
    assert_string_equal(toks("Mr. Smith, Gen. Lee and Sgt. Pepper"),
                        "Mr. Smith , Gen. Lee and Sgt. Pepper");
    assert_string_equal(toks("on Aug. 25 and Sept. 3"), "on Aug. 25 and Sept. 3");
    assert_string_equal(toks("George W. Bush"), "George W. Bush");
    assert_string_equal(toks("Acme Inc. and K.U. Leuven"), "Acme Inc. and K.U. Leuven");
    assert_string_equal(toks("No. 10 said No."), "No. 10 said No .");
    assert_string_equal(toks("e.g. this"), "e.g. this");
    assert_string_equal(toks("The end."), "The end .");
    assert_int_equal(flags_of("the U.S.", "U.S."), DYAD_TOK_WORD | DYAD_TOK_CAP | DYAD_TOK_ABBR);
    assert_int_equal(flags_of("Mr. X", "Mr."), DYAD_TOK_WORD | DYAD_TOK_CAP | DYAD_TOK_ABBR);
    assert_int_equal(flags_of("vs. them", "vs."), DYAD_TOK_WORD | DYAD_TOK_ABBR);
}

static void test_tok_hyphens(void **state) {
    (void)state;
    assert_string_equal(toks("the war-torn al-Qaeda cease-fire in Barad-dur"),
                        "the war-torn al-Qaeda cease-fire in Barad-dur");
    assert_string_equal(toks("an anti- Gondor parade"), "an anti- Gondor parade");
    assert_string_equal(toks("Asia -- where - here"), "Asia -- where - here");
    assert_string_equal(toks("Asia--where"), "Asia -- where");
    assert_string_equal(toks("troops. -AFP"), "troops . - AFP");
}

static void test_tok_numbers(void **state) {
    (void)state;
    assert_string_equal(toks("1,500 Afghans, 11.8 million and 50,000 tonnes"),
                        "1,500 Afghans , 11.8 million and 50,000 tonnes");
    assert_string_equal(toks("in 2021. Then 3,"), "in 2021 . Then 3 ,");
    assert_string_equal(toks("a 12-year rift, P225-million"), "a 12-year rift , P225-million");
    assert_string_equal(toks("$5 (50%)"), "$ 5 ( 50 % )");
    assert_int_equal(flags_of("1,500 men", "1,500"), DYAD_TOK_WORD | DYAD_TOK_NUM);
    assert_int_equal(flags_of("a Taliban", "Taliban"), DYAD_TOK_WORD | DYAD_TOK_CAP);
    assert_int_equal(flags_of("a war", "war"), DYAD_TOK_WORD);
    assert_int_equal(flags_of("a, b", ","), DYAD_TOK_PUNCT);
}

static void test_tok_unicode(void **state) {
    (void)state;
    /* Non-ASCII letters are letters; a capital one gives CAP. */
    assert_string_equal(toks("vis-\xC3\xA0-vis \xC3\x89mile Z\xC3\xBCrich"),
                        "vis-\xC3\xA0-vis \xC3\x89mile Z\xC3\xBCrich");
    assert_int_equal(flags_of("\xC3\x89mile", "\xC3\x89mile"), DYAD_TOK_WORD | DYAD_TOK_CAP);
    assert_int_equal(flags_of("\xD0\x9C\xD0\xBE\xD1\x81", "\xD0\x9C\xD0\xBE\xD1\x81"),
                     DYAD_TOK_WORD | DYAD_TOK_CAP);
    /* A symbol is a token of its own. */
    assert_string_equal(toks("5\xE2\x82\xAC"), "5 \xE2\x82\xAC");
}

/* ------------------------------------------------------------ splitting */

static void test_split_basic(void **state) {
    (void)state;
    assert_string_equal(sents("Gondor attacked. Mordor replied! Why? 2021 was hard."),
                        "Gondor attacked. | Mordor replied! | Why? | 2021 was hard.");
    /* A closing quote or parenthesis after the period belongs to it. */
    assert_string_equal(sents("He said \"no.\" Then he left. (It rained.) The end."),
                        "He said \"no.\" | Then he left. | (It rained.) | The end.");
    assert_string_equal(sents("\"Go,\" he said. \"Now.\""), "\"Go,\" he said. | \"Now.\"");
    /* Lower case after a period, a question inside a quote, a colon. */
    assert_string_equal(sents("It was 5 p.m. local time. \"Why?\" he asked."),
                        "It was 5 p.m. local time. | \"Why?\" he asked.");
    assert_string_equal(sents("Washington: The talks began."), "Washington: The talks began.");
}

static void test_split_abbreviations(void **state) {
    (void)state;
    assert_string_equal(sents("Mr. Smith met Gen. Lee on Aug. 25 in St. Louis."),
                        "Mr. Smith met Gen. Lee on Aug. 25 in St. Louis.");
    assert_string_equal(sents("President George W. Bush spoke. He left."),
                        "President George W. Bush spoke. | He left.");
    assert_string_equal(sents("The U.S. Army left. It went home."),
                        "The U.S. Army left. | It went home.");
    assert_string_equal(sents("Troops left the U.S. The war ended."),
                        "Troops left the U.S. | The war ended.");
    assert_string_equal(sents("He met Dr. He Jun in the U.N. Security Council."),
                        "He met Dr. He Jun in the U.N. Security Council.");
}

static void test_split_lines(void **state) {
    (void)state;
    /* A blank line ends a sentence and starts a paragraph. */
    split_res r;
    split_n(&r, "Putin spoke\n\nXi listened.\n \nThe end.", 36);
    assert_int_equal(r.ns, 3);
    assert_int_equal(r.s[0].para, 0);
    assert_int_equal(r.s[1].para, 1);
    assert_int_equal(r.s[2].para, 2);
    dyad__arena_free(&r.a);
    /* ... but not a paragraph broken by mistake. */
    assert_string_equal(sents("threats of drug trafficking\n\ncoming from Afghanistan, he said."),
                        "threats of drug trafficking\n\ncoming from Afghanistan, he said.");
    assert_string_equal(sents("He said:\n\nthe end."), "He said: | the end.");
    /* Headline lines. */
    assert_string_equal(sents("Afghanistan crisis: US reaches out to Russia\nThe US outreach comes amid worries."),
                        "Afghanistan crisis: US reaches out to Russia | The US outreach comes amid worries.");
    /* Hard-wrapped lines. */
    assert_string_equal(sents("McGonagall left for the Ministry of \nMagic on Wednesday, \nAlbus said."),
                        "McGonagall left for the Ministry of \nMagic on Wednesday, \nAlbus said.");
    assert_string_equal(sents("Arnor will restore ties with \nGondor almost \nfive years after the rift."),
                        "Arnor will restore ties with \nGondor almost \nfive years after the rift.");
    /* A capital after a line break in wrapped text is a name. */
    assert_string_equal(sents("Bree Prime Minister\nRomendacil will meet the\nenvoy on Sunday."),
                        "Bree Prime Minister\nRomendacil will meet the\nenvoy on Sunday.");
}

static void test_split_long_and_empty(void **state) {
    (void)state;
    /* 1200 words with no period: cut every 512 tokens. */
    static char big[1200 * 2 + 1];
    for (int i = 0; i < 1200; i++) big[2 * i] = 'a', big[2 * i + 1] = ' ';
    split_res r;
    split_n(&r, big, sizeof big - 1);
    assert_int_equal(r.nt, 1200);
    assert_int_equal(r.ns, 3);
    assert_int_equal(r.s[0].tok_count, 512);
    assert_int_equal(r.s[1].tok_first, 512);
    assert_int_equal(r.s[2].tok_count, 1200 - 1024);
    dyad__arena_free(&r.a);
    /* Empty and blank inputs give no sentence, no token. */
    split_n(&r, "", 0);
    assert_int_equal(r.ns, 0);
    assert_int_equal(r.nt, 0);
    dyad__arena_free(&r.a);
    split_n(&r, " \n\n\t ", 5);
    assert_int_equal(r.ns, 0);
    assert_int_equal(r.nt, 0);
    dyad__arena_free(&r.a);
}

/* 50 MB on one line: completes (linear time) and gives tokens. */
static void test_split_50mb(void **state) {
    (void)state;
    static const char unit[] = "Russia\xE2\x80\x99s envoy met the U.S. side on Aug. 25, "
                               "and \xE2\x80\x9Cpeace\xE2\x80\x9D talks went on \xE2\x80\x94 ";
    size_t ul = sizeof unit - 1, n = (size_t)50 << 20;
    char *big = malloc(n);
    assert_non_null(big);
    for (size_t o = 0; o < n; o += ul) memcpy(big + o, unit, n - o < ul ? n - o : ul);
    split_res r;
    split_n(&r, big, n);
    assert_true(r.nt > n / 8);
    assert_true(r.ns >= r.nt / 512);
    assert_int_equal(r.s[r.ns - 1].tok_first + r.s[r.ns - 1].tok_count, r.nt);
    dyad__arena_free(&r.a);
    free(big);
}

/* --------------------------------------------------------------- seeds */

static char *slurp(const char *path, size_t *n) {
    FILE *f = fopen(path, "rb");
    if (!f) return NULL;
    char *p = malloc(1 << 20);
    *n = p ? fread(p, 1, (1 << 20) - 1, f) : 0;
    fclose(f);
    return p;
}

/* The seed whose name starts with prefix, split; 0 when ../shared is missing. */
static int split_seed(split_res *r, const char *prefix) {
    const char *dir = getenv("DYAD_SHARED") ? getenv("DYAD_SHARED") : "../shared";
    char path[1024];
    snprintf(path, sizeof path, "%s/seeds", dir);
    DIR *d = opendir(path);
    if (!d) return 0;
    struct dirent *e;
    int found = 0;
    while ((e = readdir(d)))
        if (strncmp(e->d_name, prefix, strlen(prefix)) == 0) {
            snprintf(path, sizeof path, "%s/seeds/%s", dir, e->d_name);
            found = 1;
            break;
        }
    closedir(d);
    if (!found) return 0;
    size_t n = 0;
    char *text = slurp(path, &n);
    assert_non_null(text);
    split_n(r, text, n);
    free(text);
    return 1;
}

/* Index of the sentence that ends with tail, or -1. */
static long sent_ending(const split_res *r, const char *tail) {
    size_t tl = strlen(tail);
    for (size_t i = 0; i < r->ns; i++) {
        size_t len = r->s[i].end - r->s[i].start;
        if (len >= tl && memcmp(r->text + r->s[i].end - tl, tail, tl) == 0) return (long)i;
    }
    return -1;
}

static int sent_starts(const split_res *r, long i, const char *head) {
    return i >= 0 && strncmp(r->text + r->s[i].start, head, strlen(head)) == 0;
}

static void test_seeds(void **state) {
    (void)state;
    split_res r;
    if (!split_seed(&r, "000_")) {
        skip();
        return;
    }
    /* The first long sentence, with "People's Republic" inside, ends at
     * "Sergey Lavrov." and follows the dateline. */
    long i = sent_ending(&r, "counterpart Sergey Lavrov.");
    assert_true(i >= 0 && i <= 1);
    assert_true(sent_starts(&r, i, "China and Russia should protect"));
    assert_non_null(strstr(r.text + r.s[i].start, "People's Republic"));
    assert_true(sent_ending(&r, "Wang Yi noted.") > i);
    i = sent_ending(&r, "has changed sharply.");
    assert_true(sent_starts(&r, i + 1, "Amid the new environment"));
    assert_true(sent_starts(&r, sent_ending(&r, "between our countries.") + 1, "Such actions"));
    dyad__arena_free(&r.a);

    assert_true(split_seed(&r, "001_"));
    i = sent_ending(&r, "the Kremlin said in a statement.");
    assert_true(sent_starts(&r, i, "In a phone call, the two leaders"));
    assert_true(sent_starts(&r, sent_ending(&r, "Soviet troops. -AFP") + 1, "Putin's comments"));
    assert_true(sent_starts(&r, sent_ending(&r, "in this country.") + 1, "We have learned"));
    assert_true(sent_ending(&r, "1,500 Afghans") < 0);
    dyad__arena_free(&r.a);

    assert_true(split_seed(&r, "002_"));
    i = sent_ending(&r, "backing Taliban rule");
    assert_true(i >= 0);
    assert_true(sent_starts(&r, i + 1, "The US outreach comes"));
    assert_true(sent_starts(&r, sent_ending(&r, "should conditions worsen") + 1, "Washington: The Biden"));
    dyad__arena_free(&r.a);

    assert_true(split_seed(&r, "003_"));
    i = sent_ending(&r, "the Russian Foreign Ministry said on Wednesday");
    assert_true(sent_starts(&r, i, "Russian Foreign Minister Sergey Lavrov"));
    assert_true(sent_starts(&r, i + 1, "Lavrov and Tleuberdi discussed"));
    assert_true(r.s[i + 1].para > r.s[i].para);
    dyad__arena_free(&r.a);

    assert_true(split_seed(&r, "004_"));
    assert_true(sent_starts(&r, 0, "Putin Stresses Importance"));
    assert_true(sent_ending(&r, "vis-\xC3\xA0-vis Afghanistan, both bilaterally and multilaterally.") == 1);
    dyad__arena_free(&r.a);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_norm_quotes_dashes_spaces),
        cmocka_unit_test(test_norm_omissions),
        cmocka_unit_test(test_norm_controls),
        cmocka_unit_test(test_norm_invalid_utf8),
        cmocka_unit_test(test_norm_nfc),
        cmocka_unit_test(test_norm_empty_and_errors),
        cmocka_unit_test(test_tok_clitics),
        cmocka_unit_test(test_tok_quotes),
        cmocka_unit_test(test_tok_abbreviations),
        cmocka_unit_test(test_tok_hyphens),
        cmocka_unit_test(test_tok_numbers),
        cmocka_unit_test(test_tok_unicode),
        cmocka_unit_test(test_split_basic),
        cmocka_unit_test(test_split_abbreviations),
        cmocka_unit_test(test_split_lines),
        cmocka_unit_test(test_split_long_and_empty),
        cmocka_unit_test(test_split_50mb),
        cmocka_unit_test(test_seeds),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
