/* dates.c: calendar arithmetic on days since 1970-01-01, date expressions in
 * English sentences ("on Monday", "Aug. 25", "15 August 2021") and datelines
 * ("MOSCOW, Aug 25: ..."). */
#include "dates.h"

#include <string.h>

/* ------------------------------------------------------------ calendar */

/* Howard Hinnant's days_from_civil / civil_from_days (proleptic Gregorian). */
static int32_t days_from_civil(int32_t y, int32_t m, int32_t d) {
    y -= m <= 2;
    int32_t era = (y >= 0 ? y : y - 399) / 400;
    int32_t yoe = y - era * 400;
    int32_t doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
    int32_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + doe - 719468;
}

static int is_leap(int y) { return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0; }

static int month_days(int y, int m) {
    static const unsigned char md[12] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    return m == 2 && is_leap(y) ? 29 : md[m - 1];
}

/* Years are limited so that the arithmetic never overflows int32. */
dyad_day dyad__day_from_ymd(int y, int m, int d) {
    if (y < -100000 || y > 100000 || m < 1 || m > 12 || d < 1 ||
        d > month_days(y, m))
        return DYAD_NODAY;
    return days_from_civil(y, m, d);
}

void dyad__day_to_ymd(dyad_day day, int *y, int *m, int *d) {
    int64_t z = (int64_t)day + 719468;
    int64_t era = (z >= 0 ? z : z - 146096) / 146097;
    int64_t doe = z - era * 146097;
    int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    int64_t mp = (5 * doy + 2) / 153;
    int64_t dd = doy - (153 * mp + 2) / 5 + 1;
    int64_t mm = mp < 10 ? mp + 3 : mp - 9;
    int64_t yy = yoe + era * 400 + (mm <= 2);
    if (y) *y = (int)yy;
    if (m) *m = (int)mm;
    if (d) *d = (int)dd;
}

/* 1970-01-01 was a Thursday (3). */
int dyad__day_weekday(dyad_day day) {
    int64_t w = ((int64_t)day + 3) % 7;
    return (int)(w < 0 ? w + 7 : w);
}

static int isdig(int c) { return c >= '0' && c <= '9'; }
static int isalpha_(int c) { return (c | 0x20) >= 'a' && (c | 0x20) <= 'z'; }
static int isalnum_(int c) { return isdig(c) || isalpha_(c); }
static int isupper_(int c) { return c >= 'A' && c <= 'Z'; }
static int lower(int c) { return isupper_(c) ? c | 0x20 : c; }

/* "2021-08-15", exactly. */
dyad_day dyad__day_parse_iso(const char *s, size_t len) {
    if (!s || len != 10 || s[4] != '-' || s[7] != '-') return DYAD_NODAY;
    for (size_t i = 0; i < 10; i++)
        if (i != 4 && i != 7 && !isdig((unsigned char)s[i])) return DYAD_NODAY;
    int y = (s[0] - '0') * 1000 + (s[1] - '0') * 100 + (s[2] - '0') * 10 + (s[3] - '0');
    int m = (s[5] - '0') * 10 + (s[6] - '0');
    int d = (s[8] - '0') * 10 + (s[9] - '0');
    return dyad__day_from_ymd(y, m, d);
}

void dyad__day_format(dyad_day day, char out[11]) {
    int y, m, d;
    dyad__day_to_ymd(day, &y, &m, &d);
    if (y < 0 || y > 9999) y = 0; /* keeps the output 10 characters */
    out[0] = (char)('0' + y / 1000);
    out[1] = (char)('0' + y / 100 % 10);
    out[2] = (char)('0' + y / 10 % 10);
    out[3] = (char)('0' + y % 10);
    out[4] = '-';
    out[5] = (char)('0' + m / 10);
    out[6] = (char)('0' + m % 10);
    out[7] = '-';
    out[8] = (char)('0' + d / 10);
    out[9] = (char)('0' + d % 10);
    out[10] = 0;
}

/* The year for month/day that puts it nearest to base, at most ~6 months
 * after it: "December 30" written on 2022-01-02 is 2021-12-30. */
static dyad_day nearest_md(int month, int day, dyad_day base, int max_after) {
    if (base == DYAD_NODAY) return DYAD_NODAY;
    int by;
    dyad__day_to_ymd(base, &by, NULL, NULL);
    dyad_day best = DYAD_NODAY;
    int64_t best_dist = 0;
    for (int y = by - 1; y <= by + 1; y++) {
        dyad_day d = dyad__day_from_ymd(y, month, day);
        if (d == DYAD_NODAY || (int64_t)d - base > max_after) continue;
        int64_t dist = (int64_t)d - base;
        if (dist < 0) dist = -dist;
        if (best == DYAD_NODAY || dist < best_dist) {
            best = d;
            best_dist = dist;
        }
    }
    return best;
}

/* ------------------------------------------------------------- words */

enum {
    W_NONE = 0,
    W_TODAY,
    W_YESTERDAY,
    W_MONTH,   /* val = 1..12 */
    W_WEEKDAY, /* val = 0 (Monday) .. 6 */
    W_WDABBR,  /* "Wed": a weekday only in front of a date */
};

typedef struct word_def {
    const char *w;
    unsigned char kind, val, caps; /* caps: must be capitalized ("May", not "may") */
} word_def;

/* Grouped by first letter, so that a word is compared with a handful. */
static const word_def w_a[] = {{"april", W_MONTH, 4, 0}, {"apr", W_MONTH, 4, 0},
                               {"august", W_MONTH, 8, 0}, {"aug", W_MONTH, 8, 0}};
static const word_def w_d[] = {{"december", W_MONTH, 12, 0}, {"dec", W_MONTH, 12, 0}};
static const word_def w_f[] = {{"february", W_MONTH, 2, 0}, {"feb", W_MONTH, 2, 0},
                               {"friday", W_WEEKDAY, 4, 0}, {"fri", W_WDABBR, 4, 1}};
static const word_def w_j[] = {{"january", W_MONTH, 1, 0}, {"jan", W_MONTH, 1, 0},
                               {"june", W_MONTH, 6, 0},    {"jun", W_MONTH, 6, 0},
                               {"july", W_MONTH, 7, 0},    {"jul", W_MONTH, 7, 0}};
static const word_def w_m[] = {{"march", W_MONTH, 3, 1},   {"mar", W_MONTH, 3, 1},
                               {"may", W_MONTH, 5, 1},     {"monday", W_WEEKDAY, 0, 0},
                               {"mon", W_WDABBR, 0, 1}};
static const word_def w_n[] = {{"november", W_MONTH, 11, 0}, {"nov", W_MONTH, 11, 0}};
static const word_def w_o[] = {{"october", W_MONTH, 10, 0}, {"oct", W_MONTH, 10, 0}};
static const word_def w_s[] = {{"september", W_MONTH, 9, 0}, {"sept", W_MONTH, 9, 0},
                               {"sep", W_MONTH, 9, 0},       {"saturday", W_WEEKDAY, 5, 0},
                               {"sat", W_WDABBR, 5, 1},      {"sunday", W_WEEKDAY, 6, 0},
                               {"sun", W_WDABBR, 6, 1}};
static const word_def w_t[] = {{"today", W_TODAY, 0, 0},      {"tonight", W_TODAY, 0, 0},
                               {"tuesday", W_WEEKDAY, 1, 0},  {"thursday", W_WEEKDAY, 3, 0},
                               {"tue", W_WDABBR, 1, 1},       {"tues", W_WDABBR, 1, 1},
                               {"thu", W_WDABBR, 3, 1},       {"thur", W_WDABBR, 3, 1},
                               {"thurs", W_WDABBR, 3, 1}};
static const word_def w_w[] = {{"wednesday", W_WEEKDAY, 2, 0}, {"wed", W_WDABBR, 2, 1}};
static const word_def w_y[] = {{"yesterday", W_YESTERDAY, 0, 0}};

#define GROUP(g) (*count = sizeof g / sizeof g[0], g)
/* The table for a word's first letter: the quick reject for ordinary words. */
static const word_def *group(int c, size_t *count) {
    switch (c) {
    case 'a': return GROUP(w_a);
    case 'd': return GROUP(w_d);
    case 'f': return GROUP(w_f);
    case 'j': return GROUP(w_j);
    case 'm': return GROUP(w_m);
    case 'n': return GROUP(w_n);
    case 'o': return GROUP(w_o);
    case 's': return GROUP(w_s);
    case 't': return GROUP(w_t);
    case 'w': return GROUP(w_w);
    case 'y': return GROUP(w_y);
    default: *count = 0; return NULL;
    }
}
#undef GROUP

static const word_def *word_lookup(const char *p, size_t len) {
    if (len < 3 || len > 9) return NULL;
    size_t count;
    const word_def *g = group(lower((unsigned char)p[0]), &count);
    for (size_t i = 0; i < count; i++) {
        const char *w = g[i].w;
        size_t k = 1;
        while (k < len && w[k] && lower((unsigned char)p[k]) == w[k]) k++;
        if (k != len || w[k]) continue;
        if (g[i].caps && !isupper_((unsigned char)p[0])) return NULL;
        return &g[i];
    }
    return NULL;
}

/* Case-insensitive: is [p, p+len) the word w? */
static int word_is(const char *p, size_t len, const char *w) {
    if (strlen(w) != len) return 0;
    for (size_t i = 0; i < len; i++)
        if (lower((unsigned char)p[i]) != w[i]) return 0;
    return 1;
}

/* ------------------------------------------------------ small parsers */
/* Each takes the text (s, n) and a cursor *i; on success it advances *i and
 * returns 1, else leaves *i alone and returns 0. */

static int at(const char *s, size_t n, size_t i) {
    return i < n ? (unsigned char)s[i] : -1;
}

static size_t skip_sp(const char *s, size_t n, size_t i) {
    for (;;) {
        int c = at(s, n, i);
        if (c == ' ' || c == '\t' || c == '\n' || c == '\r')
            i++;
        else if (c == 0xC2 && at(s, n, i + 1) == 0xA0) /* no-break space */
            i += 2;
        else
            return i;
    }
}

static size_t word_end(const char *s, size_t n, size_t i) {
    while (i < n && isalpha_((unsigned char)s[i])) i++;
    return i;
}

/* A month name: "August", "Aug", "Aug.", "Sept." */
static int p_month(const char *s, size_t n, size_t *i, int *month) {
    size_t b = *i, e = word_end(s, n, b);
    if (e == b || isdig(at(s, n, e))) return 0;
    const word_def *w = word_lookup(s + b, e - b);
    if (!w || w->kind != W_MONTH) return 0;
    /* "Aug." takes its period, "May." ends a sentence. */
    int abbr = e - b <= 4 && strcmp(w->w, "may") && strcmp(w->w, "june") &&
               strcmp(w->w, "july");
    if (at(s, n, e) == '.' && abbr) e++;
    *month = w->val;
    *i = e;
    return 1;
}

/* A day of the month: "25", "3", "18th", "1st" (not "25,000", "5:30", "2.5"). */
static int p_day(const char *s, size_t n, size_t *i, int *day) {
    size_t b = *i, e = b;
    if (b > 0 && isalnum_((unsigned char)s[b - 1])) return 0;
    /* "5:30", "1.25", "3/25", "2021-25" are not days. */
    if (b > 1 && s[b - 1] && strchr(":.,/-", s[b - 1]) && isdig((unsigned char)s[b - 2])) return 0;
    while (e < n && isdig((unsigned char)s[e]) && e - b < 3) e++;
    if (e == b || e - b > 2) return 0;
    int v = s[b] - '0';
    if (e - b == 2) v = v * 10 + (s[e - 1] - '0');
    if (v < 1 || v > 31) return 0;
    if (e + 1 < n && isalpha_((unsigned char)s[e])) {
        char a = (char)lower((unsigned char)s[e]), b2 = (char)lower((unsigned char)s[e + 1]);
        if ((a == 's' && b2 == 't') || (a == 'n' && b2 == 'd') ||
            (a == 'r' && b2 == 'd') || (a == 't' && b2 == 'h'))
            e += 2;
    }
    int c = at(s, n, e);
    if (isalnum_(c)) return 0;
    if ((c == ',' || c == '.' || c == ':' || c == '/' || c == '-') && isdig(at(s, n, e + 1)))
        return 0;
    if (c == '%') return 0;
    *day = v;
    *i = e;
    return 1;
}

/* A four-digit year, 1900..2199. */
static int p_year(const char *s, size_t n, size_t *i, int *year) {
    size_t b = *i;
    if (b + 4 > n) return 0;
    for (size_t k = 0; k < 4; k++)
        if (!isdig((unsigned char)s[b + k])) return 0;
    if (b + 4 < n && isalnum_((unsigned char)s[b + 4])) return 0;
    int v = (s[b] - '0') * 1000 + (s[b + 1] - '0') * 100 + (s[b + 2] - '0') * 10 + (s[b + 3] - '0');
    if (v < 1900 || v > 2199) return 0;
    *year = v;
    *i = b + 4;
    return 1;
}

/* An optional year after a month-day: "August 15, 2021", "15 August 2021". */
static void opt_year(const char *s, size_t n, size_t *i, int *year) {
    size_t j = *i;
    if (at(s, n, j) == ',') j++;
    size_t k = skip_sp(s, n, j);
    if (k == *i) return; /* "August 152021" is not a year */
    if (p_year(s, n, &k, year)) *i = k;
}

/* "August 15", "Aug. 25", "Sept. 3", "August 15, 2021". */
static int p_month_day(const char *s, size_t n, size_t *i, int *m, int *d, int *y) {
    size_t j = *i;
    if (!p_month(s, n, &j, m)) return 0;
    size_t k = skip_sp(s, n, j);
    if (k == j && s[j - 1] != '.') return 0;
    if (!p_day(s, n, &k, d)) return 0;
    *y = 0;
    opt_year(s, n, &k, y);
    *i = k;
    return 1;
}

/* "25 August", "18th August", "15 August 2021", "18th of August". */
static int p_day_month(const char *s, size_t n, size_t *i, int *m, int *d, int *y) {
    size_t j = *i;
    if (!p_day(s, n, &j, d)) return 0;
    size_t k = skip_sp(s, n, j);
    if (k == j) return 0;
    size_t e = word_end(s, n, k);
    if (word_is(s + k, e - k, "of")) {
        size_t k2 = skip_sp(s, n, e);
        if (k2 == e) return 0;
        k = k2;
    }
    if (!p_month(s, n, &k, m)) return 0;
    *y = 0;
    opt_year(s, n, &k, y);
    *i = k;
    return 1;
}

static int p_date(const char *s, size_t n, size_t *i, int *m, int *d, int *y) {
    return p_month_day(s, n, i, m, d, y) || p_day_month(s, n, i, m, d, y);
}

/* Resolve a month-day with or without year; DYAD_NODAY if impossible. */
static dyad_day resolve_md(int m, int d, int y, dyad_day base) {
    if (y) return dyad__day_from_ymd(y, m, d);
    return nearest_md(m, d, base, 183);
}

/* The word before position b: [*wb, *we), or 0 when there is none. */
static int prev_word(const char *s, size_t b, size_t *wb, size_t *we) {
    size_t e = b;
    while (e > 0 && (s[e - 1] == ' ' || s[e - 1] == '\t' || s[e - 1] == '\n')) e--;
    if (e == b) return 0;
    size_t st = e;
    while (st > 0 && isalpha_((unsigned char)s[st - 1])) st--;
    if (st == e) return 0;
    *wb = st;
    *we = e;
    return 1;
}

/* --------------------------------------------------- date_in_text */

/* Try the expressions starting at word/number b; DYAD_NODAY if none.
 * *end receives the end of the expression, *start may move back ("last"). */
static dyad_day match_at(const char *s, size_t n, size_t b, dyad_day base,
                         size_t *start, size_t *end) {
    int m, d, y;
    size_t i = b;
    *start = b;
    if (isdig((unsigned char)s[b])) {
        /* "2021-08-15", also "2021-08-15T10:00". */
        int c10 = at(s, n, b + 10);
        if (b + 10 <= n && s[b + 4] == '-' &&
            (!isalnum_(c10) || (c10 == 'T' && isdig(at(s, n, b + 11))))) {
            dyad_day day = dyad__day_parse_iso(s + b, 10);
            if (day != DYAD_NODAY) {
                *end = b + 10;
                return day;
            }
        }
        if (p_day_month(s, n, &i, &m, &d, &y)) {
            *end = i;
            return resolve_md(m, d, y, base);
        }
        return DYAD_NODAY;
    }
    size_t e = word_end(s, n, b);
    if (e < n && isdig((unsigned char)s[e])) return DYAD_NODAY;
    const word_def *w = word_lookup(s + b, e - b);
    if (!w) return DYAD_NODAY;
    switch (w->kind) {
    case W_TODAY:
        *end = e;
        return base;
    case W_YESTERDAY:
        *end = e;
        return base == DYAD_NODAY ? DYAD_NODAY : base - 1;
    case W_MONTH:
        if (!p_month_day(s, n, &i, &m, &d, &y)) return DYAD_NODAY;
        *end = i;
        return resolve_md(m, d, y, base);
    case W_WEEKDAY:
    case W_WDABBR: {
        /* "Wednesday, August 18", "Wed 18th August 2021": the date wins. */
        size_t j = e;
        if (at(s, n, j) == '.' && w->kind == W_WDABBR) j++;
        if (at(s, n, j) == ',') j++;
        j = skip_sp(s, n, j);
        if (j > e && p_date(s, n, &j, &m, &d, &y)) {
            *end = j;
            return resolve_md(m, d, y, base);
        }
        if (w->kind == W_WDABBR || base == DYAD_NODAY) return DYAD_NODAY;
        size_t pb, pe;
        int strict = 0;
        if (prev_word(s, b, &pb, &pe)) {
            const char *p = s + pb;
            size_t pl = pe - pb;
            /* Future or habitual: "next Monday", "every Friday". */
            if (word_is(p, pl, "next") || word_is(p, pl, "coming") ||
                word_is(p, pl, "every") || word_is(p, pl, "each") ||
                word_is(p, pl, "following") || word_is(p, pl, "until") ||
                word_is(p, pl, "till"))
                return DYAD_NODAY;
            /* "last Wednesday" written on a Wednesday is a week ago. */
            if (word_is(p, pl, "last") || word_is(p, pl, "past")) {
                strict = 1;
                *start = pb;
            }
        }
        int back = (dyad__day_weekday(base) - w->val + 7) % 7;
        if (back == 0 && strict) back = 7;
        *end = e;
        return base - back;
    }
    }
    return DYAD_NODAY;
}

/* ASCII letters (2) and digits (1): the words date_in_text looks at. */
#define DL(c) [c] = 2, [(c) + 32] = 2
static const unsigned char ALNUM[256] = {
    ['0'] = 1, ['1'] = 1, ['2'] = 1, ['3'] = 1, ['4'] = 1, ['5'] = 1, ['6'] = 1,
    ['7'] = 1, ['8'] = 1, ['9'] = 1,
    DL('A'), DL('B'), DL('C'), DL('D'), DL('E'), DL('F'), DL('G'), DL('H'), DL('I'),
    DL('J'), DL('K'), DL('L'), DL('M'), DL('N'), DL('O'), DL('P'), DL('Q'), DL('R'),
    DL('S'), DL('T'), DL('U'), DL('V'), DL('W'), DL('X'), DL('Y'), DL('Z')};
#undef DL

/* Are the three letters at p the start of a word of the tables? */
static inline int date_prefix(const char *p) {
    int a = lower((unsigned char)p[0]), x = lower((unsigned char)p[1]),
        y = lower((unsigned char)p[2]);
#define IS(p, q) (x == (p) && y == (q))
    switch (a) { /* apr aug dec feb fri jan jun jul mar may mon nov oct sep
                  * sat sun tod ton tue thu wed yes */
    case 'a': return IS('p', 'r') || IS('u', 'g');
    case 'd': return IS('e', 'c');
    case 'f': return IS('e', 'b') || IS('r', 'i');
    case 'j': return IS('a', 'n') || IS('u', 'n') || IS('u', 'l');
    case 'm': return IS('a', 'r') || IS('a', 'y') || IS('o', 'n');
    case 'n': return IS('o', 'v');
    case 'o': return IS('c', 't');
    case 's': return IS('e', 'p') || IS('a', 't') || IS('u', 'n');
    case 't': return IS('o', 'd') || IS('o', 'n') || IS('u', 'e') || IS('h', 'u');
    case 'w': return IS('e', 'd');
    case 'y': return IS('e', 's');
    default: return 0;
    }
#undef IS
}

/* The quick reject of date_in_text: can the len letters at p be a word of
 * the tables (3 to 9 letters, and its first three among theirs)? When not,
 * match_at would find nothing there. */
static int may_be_date_word(const char *p, size_t len) {
    return len >= 3 && len <= 9 && date_prefix(p);
}

int dyad__date_token_may_start(const char *p, size_t n) {
    const unsigned char *u = (const unsigned char *)p;
    int r = 0;
    for (size_t i = 0; i < n;) {
        unsigned k = ALNUM[u[i]];
        if (!k) {
            i++;
            continue;
        }
        if (k == 1) return 1;
        size_t e = i;
        while (e < n && ALNUM[u[e]] == 2) e++;
        /* a word that reaches the token's end may go on in the next token
         * (its first three letters are known when it has them) */
        if (e == n && e - i < 3) r = DYAD_DATE_TOK_TAIL;
        if (e - i >= 3 && (e == n || e - i <= 9) && date_prefix(p + i)) return DYAD_DATE_TOK_START;
        i = e;
        while (i < n && ALNUM[u[i]]) i++;
    }
    return r;
}

dyad_day dyad__date_in_text(const char *s, size_t n, dyad_day base,
                            size_t *span_off, size_t *span_len) {
    return dyad__date_in_text_from(s, n, 0, base, span_off, span_len);
}

dyad_day dyad__date_in_text_from(const char *s, size_t n, size_t from, dyad_day base,
                                 size_t *span_off, size_t *span_len) {
    if (span_off) *span_off = 0;
    if (span_len) *span_len = 0;
    if (!s) return DYAD_NODAY;
    const unsigned char *u = (const unsigned char *)s;
    /* from the start of the word or number from is in: the scan below
     * takes each one whole, so it reaches that start as it would from 0 */
    if (from > n) from = n;
    while (from > 0 && ALNUM[u[from - 1]]) from--;
    for (size_t i = from; i < n;) {
        unsigned k = ALNUM[u[i]];
        if (!k) {
            i++;
            continue;
        }
        /* A word or number starts here; try it, then skip past it. Most
         * words cannot start a date ("Russian", "the"): skip those at once. */
        size_t e = i;
        while (e < n && ALNUM[u[e]] == 2) e++;
        if (k == 1 || may_be_date_word(s + i, e - i)) {
            size_t st, en;
            dyad_day day = match_at(s, n, i, base, &st, &en);
            if (day != DYAD_NODAY) {
                if (span_off) *span_off = st;
                if (span_len) *span_len = en - st;
                return day;
            }
        }
        i = e > i ? e : i + 1;
        while (i < n && ALNUM[u[i]]) i++;
    }
    return DYAD_NODAY;
}

/* ------------------------------------------------------------ datelines */

/* UTF-8 en or em dash (U+2013, U+2014). */
static int is_udash(const char *s, size_t n, size_t i) {
    return at(s, n, i) == 0xE2 && at(s, n, i + 1) == 0x80 &&
           (at(s, n, i + 2) == 0x93 || at(s, n, i + 2) == 0x94);
}

static int place_char(const char *s, size_t n, size_t i) {
    int c = at(s, n, i);
    if (c < 0) return 0;
    if (c >= 0x80) return !is_udash(s, n, i);
    return isalpha_(c) || c == '.' || c == '\'' || c == '-';
}

/* Up to 4 capitalized or all-caps words on one line: "NEW DELHI",
 * "CEBU CITY", "Washington", "PORT-AU-PRINCE". Stops before a lowercase
 * word. */
static int p_place(const char *s, size_t n, size_t *i) {
    size_t j = *i, end = *i;
    int words_n = 0;
    for (;;) {
        int c = at(s, n, j);
        if (!(isupper_(c) || (c >= 0x80 && !is_udash(s, n, j)))) break;
        size_t e = j;
        while (place_char(s, n, e)) e++;
        if (++words_n > 4) return 0;
        end = e;
        size_t k = e;
        while (at(s, n, k) == ' ') k++;
        if (k == e) break;
        j = k;
    }
    if (words_n == 0 || end - *i > 64) return 0;
    *i = end;
    return 1;
}

/* "(Reuters)", "(Xinhua)", "/TASS/": a short agency name on the line. */
static int p_agency(const char *s, size_t n, size_t *i) {
    int open = at(s, n, *i), close = open == '(' ? ')' : '/';
    if (open != '(' && open != '/') return 0;
    for (size_t j = *i + 1; j < n && j < *i + 48; j++) {
        if (s[j] == '\n' || s[j] == '\r') return 0;
        if (s[j] == close) {
            if (j == *i + 1) return 0;
            *i = j + 1;
            return 1;
        }
    }
    return 0;
}

/* "BEIJING, August 17. /TASS/. China ...", "KABUL (Reuters) - Taliban ..." */
int dyad__dateline_parse(const char *text, size_t n, dyad_dateline *out) {
    if (!text || !out) return 0;
    size_t i = 0;
    while (i < n && (text[i] == ' ' || text[i] == '\t' || text[i] == '\n' || text[i] == '\r'))
        i++;
    if (at(text, n, i) == 0xEF && at(text, n, i + 1) == 0xBB && at(text, n, i + 2) == 0xBF)
        i += 3;
    dyad_dateline dl;
    memset(&dl, 0, sizeof dl);
    dl.place_off = i;
    if (!p_place(text, n, &i)) return 0;
    dl.place_len = i - dl.place_off;

    /* ", Aug 25" or ", Afghanistan" or ", Afghanistan, Aug 25" */
    for (int k = 0; k < 2 && at(text, n, i) == ','; k++) {
        size_t j = i + 1;
        while (at(text, n, j) == ' ') j++;
        int m, d, y;
        if (p_date(text, n, &j, &m, &d, &y)) {
            dl.month = m;
            dl.day = d;
            dl.year = y;
            i = j;
            break;
        }
        if (k == 1 || !p_place(text, n, &j)) return 0;
        i = j;
    }

    /* Agencies and delimiters up to the first sentence. */
    int delim = 0, agency = 0;
    for (int steps = 0; steps < 8; steps++) {
        size_t j = i;
        while (at(text, n, j) == ' ' || at(text, n, j) == '\t') j++;
        int c = at(text, n, j);
        if (c == '(' || c == '/') {
            if (!p_agency(text, n, &j)) break;
            agency = 1;
        } else if (c == ':') {
            j++;
            delim = 1;
        } else if (c == '.' && (dl.month || agency) && !isalnum_(at(text, n, j + 1))) {
            j++;
            delim = 1;
        } else if (c == '-' && (j > i || at(text, n, j + 1) == '-')) {
            while (at(text, n, j) == '-') j++;
            delim = 1;
        } else if (is_udash(text, n, j)) {
            j += 3;
            delim = 1;
        } else {
            break;
        }
        i = j;
    }
    while (at(text, n, i) == ' ' || at(text, n, i) == '\t') i++;
    if (!delim || i >= n || text[i] == '\n' || text[i] == '\r') return 0;
    dl.body_off = i;
    *out = dl;
    return 1;
}

dyad_day dyad__dateline_day(const dyad_dateline *dl, dyad_day article_date) {
    if (!dl || dl->month < 1 || dl->month > 12 || dl->day < 1) return DYAD_NODAY;
    dyad_day d;
    if (dl->year) {
        d = dyad__day_from_ymd(dl->year, dl->month, dl->day);
        if (article_date == DYAD_NODAY || d == DYAD_NODAY) return d;
    } else {
        d = nearest_md(dl->month, dl->day, article_date, 366);
        if (d == DYAD_NODAY) return DYAD_NODAY;
    }
    int64_t diff = (int64_t)d - article_date;
    return diff >= -7 && diff <= 7 ? d : DYAD_NODAY;
}
