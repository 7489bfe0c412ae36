/* text.h: Unicode normalization, sentence splitting and tokenization.
 * The splitter's and tokenizer's rules are ours (docs/internals/text.md);
 * Unicode classification and decoding come from utf8proc. */
#ifndef DYAD_TEXT_H
#define DYAD_TEXT_H

#include <stddef.h>
#include <stdint.h>

#include "util/arena.h"

/* Token flags. */
enum {
    DYAD_TOK_WORD = 1 << 0,   /* letters/digits, with inner ' - . allowed */
    DYAD_TOK_NUM = 1 << 1,    /* starts with a digit: "1,500", "2021", "50,000" */
    DYAD_TOK_PUNCT = 1 << 2,  /* one punctuation mark: , . ; : ! ? ( ) " ' - */
    DYAD_TOK_CAP = 1 << 3,    /* first letter is upper case */
    DYAD_TOK_QUOTE = 1 << 4,  /* a quotation mark (" or a quoting ') */
    DYAD_TOK_ABBR = 1 << 5,   /* ends with a period that is part of it: "U.S.", "Mr." */
    DYAD_TOK_CLITIC = 1 << 6, /* "'s", "'" (possessive) or "n't" split off a word */
};

/* A token: a view into the normalized text, valid while the text lives. */
typedef struct dyad_tok {
    const char *p;
    uint32_t n;
    uint32_t off;   /* byte offset of p in the normalized text */
    uint16_t flags; /* DYAD_TOK_* */
} dyad_tok;

/* A sentence: [start, end) in the normalized text, and its tokens
 * toks[tok_first .. tok_first + tok_count). */
typedef struct dyad_sent {
    uint32_t start, end;
    uint32_t tok_first, tok_count;
    uint32_t para; /* 0-based paragraph index (blank line = new paragraph) */
} dyad_sent;

/* Normalize UTF-8 text into a new NUL-terminated buffer in the arena:
 * - invalid UTF-8 sequences become U+FFFD (counted in *n_invalid);
 * - NUL and other C0 controls except \n and \t become a space; \r\n and \r become \n;
 * - curly single quotes and primes become ', curly double quotes and
 *   guillemets become ", en dashes and minus signs become -, em dashes --, no-break and
 *   other Unicode spaces become a space, the ellipsis character becomes "...";
 * - editorial omissions "<...>", "<…>", "[...]" are removed;
 * - NFC composition (utf8proc).
 * Returns DYAD_OK, DYAD_ENOMEM or DYAD_ETOOBIG. */
int dyad__text_normalize(dyad_arena *a, const char *in, size_t n, char **out,
                         size_t *out_n, size_t *n_invalid);

/* Split normalized text into sentences and tokens (arrays in the arena).
 * Survives abbreviations (U.S., Mr., Aug., Gen., St.), initials ("George W.
 * Bush"), decimals, and quotations (a closing quote after the period belongs
 * to the sentence). A blank line ends a sentence, and so does a line break
 * before a capitalized line when the line before it looks like a headline
 * (no final punctuation, not ending in a function word or comma). Sentences
 * longer than 512 tokens are cut at 512. */
int dyad__text_split(dyad_arena *a, const char *text, size_t n,
                     dyad_sent **sents, size_t *n_sents, dyad_tok **toks,
                     size_t *n_toks);

#endif
