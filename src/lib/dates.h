/* dates.h: calendar arithmetic, date expressions in sentences, datelines. */
#ifndef DYAD_DATES_H
#define DYAD_DATES_H

#include <stddef.h>
#include <stdint.h>

/* Days since 1970-01-01 (proleptic Gregorian). */
typedef int32_t dyad_day;
#define DYAD_NODAY INT32_MIN

dyad_day dyad__day_from_ymd(int y, int m, int d); /* DYAD_NODAY if invalid */
void dyad__day_to_ymd(dyad_day day, int *y, int *m, int *d);
int dyad__day_weekday(dyad_day day); /* 0 = Monday .. 6 = Sunday */
/* Parse exactly "YYYY-MM-DD" (len bytes); DYAD_NODAY if not a valid date. */
dyad_day dyad__day_parse_iso(const char *s, size_t len);
/* Write "YYYY-MM-DD" and a NUL into out[11]. */
void dyad__day_format(dyad_day day, char out[11]);

/* The date an expression in a sentence refers to, relative to base (the
 * document's date). Recognizes, case-insensitively: "today", "tonight",
 * "yesterday", "on Monday"/"Monday" (the most recent Monday on or before
 * base), "last Monday", "on August 15", "Aug. 25", "Aug 25", "25 August",
 * "15 August 2021", "August 15, 2021", "2021-08-15". A month-day without a
 * year takes the year that puts it nearest to base, never more than 6 months
 * after it. "last week", "next month" and the like are not dates. When several
 * expressions occur, the first one wins. Returns DYAD_NODAY when there is
 * none, or when base is DYAD_NODAY and the expression is relative.
 * If span_off/span_len are non-NULL they receive the matched expression's
 * byte span in s. */
dyad_day dyad__date_in_text(const char *s, size_t n, dyad_day base,
                            size_t *span_off, size_t *span_len);
/* The same, for a text whose expressions can start only at or after byte
 * from (the coder knows where its first token that may start one is): the
 * scan begins at the word that byte is in. */
dyad_day dyad__date_in_text_from(const char *s, size_t n, size_t from, dyad_day base,
                                 size_t *span_off, size_t *span_len);

/* Can a date expression of dyad__date_in_text start within this token (its
 * n bytes as written)? DYAD_DATE_TOK_START when it may: an ASCII digit, or a
 * word of letters that could be one of the date words; else
 * DYAD_DATE_TOK_TAIL when the token ends with a word of one or two letters,
 * which may go on into a next token written right after it ("ca" "n't");
 * else 0. The coder skips dyad__date_in_text for a sentence none of whose
 * tokens may start one, as every letter and digit of a sentence belongs to
 * one of its tokens. */
enum { DYAD_DATE_TOK_START = 1, DYAD_DATE_TOK_TAIL = 2 };
int dyad__date_token_may_start(const char *p, size_t n);

/* A dateline opening an article body: "MOSCOW, Aug 25:", "BEIJING, August 17.
 * /TASS/.", "Washington:", "CEBU CITY: --", "KABUL (Reuters) -". */
typedef struct dyad_dateline {
    size_t place_off, place_len; /* the place, as written */
    int month, day;              /* 0 when the dateline carries no date */
    int year;                    /* 0 when not written */
    size_t body_off;             /* where the text after the dateline starts */
} dyad_dateline;

/* Recognize a dateline at the start of text (leading white space skipped).
 * 1 and *out filled when there is one, 0 when not. A dateline is a place of at
 * most 4 words (every word capitalized or all capitals), optionally followed by
 * a date and/or an agency in parentheses or slashes, ended by ":" or " -" or
 * "." followed by the article's first sentence. */
int dyad__dateline_parse(const char *text, size_t n, dyad_dateline *out);

/* The dateline's date resolved against the article's date: the year that
 * puts it nearest; returned only when within 7 days of article_date (or when
 * article_date is DYAD_NODAY and the dateline carries a year). Else
 * DYAD_NODAY. */
dyad_day dyad__dateline_day(const dyad_dateline *dl, dyad_day article_date);

#endif
