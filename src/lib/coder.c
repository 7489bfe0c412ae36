/* coder.c: turns one article into events. Shallow, TABARI-style coding over
 * tokens (no parser): actors and agents by longest dictionary match, noun
 * phrases and compounds by local rules, verbs by their patterns.
 * docs/internals/coder.md explains each step. Written by hand: no library
 * does event coding, and this is the heart of the product. */
#include <ctype.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "dates.h"
#include "dict.h"
#include "dyad.h"
#include "text.h"
#include "util/arena.h"
#include "util/buf.h"
#include "util/diag.h"

enum {
    MAX_MEMBERS = 16,   /* actors one noun phrase can stand for */
    MAX_EVENTS_PER_SENT = 64,
    MATCH_BUDGET = 4096 /* pattern-matching steps per pattern and verb */
};

/* The longest phrase of one kind found at a token. */
typedef struct best {
    uint32_t len;
    int kind;
    uint32_t idx;
    int want; /* ST_ACTOR|ST_AGENT mask, or ST_VERB, or ST_DISCARD */
    /* what the phrase stands for, read with it so that later steps need
     * not look again: the actor or agent; for a verb form its noun_ok */
    uint32_t ent;
} best;

/* What one pass over a token's index entries finds: the longest actor or
 * agent, verb and discard phrase starting at the token. */
typedef struct tokbest {
    best mention, verb, discard;
} tokbest;

/* Everything the coder derives from a token's bytes alone, computed once per
 * distinct token and kept in the coder's token cache (see tok_info): its
 * word id (one hash lookup instead of one per use), the ids less an
 * inflection, the closed-class bits, and the one-word phrases (own word and
 * stems) that start at it. Only phrases of two or more words, which depend
 * on the next tokens, are looked up per sentence. */
/* Synsets tested as one bit each in the pattern prefilter: the first
 * SYN_FAST of the dictionary (CAMEO's verb dictionaries have under 100);
 * those past it are looked up word by word. */
enum { SYN_FAST = 128 };

/* The first three bytes of s (which has them) as one number. */
static inline uint32_t first3(const char *s) {
    return (uint32_t)(unsigned char)s[0] | (uint32_t)(unsigned char)s[1] << 8 |
           (uint32_t)(unsigned char)s[2] << 16;
}

/* An index entry of a two-word phrase with a stem end ("PRIME MINIST"),
 * with what rejects most next tokens without reading the phrase: the stem
 * word's id (matched exactly) and its first three bytes and length. */
typedef struct mstart {
    dyad_start st;
    uint32_t word;
    uint32_t pre; /* bytes 0-2 of the stem, its length in the top byte */
} mstart;

typedef struct tinfo {
    /* the key, then what every token needs (one cache line) */
    uint64_t k8;    /* the token's first 8 bytes, zero-padded */
    uint64_t k16;   /* its bytes 8 to 15, zero-padded: tokens of 16 bytes or
                       less are compared without a call to memcmp */
    uint32_t len;
    uint32_t wid;      /* word id, 0 if not a dictionary word */
    uint64_t cls;   /* closed-class bits (class_of) */
    uint32_t alt[2];   /* ids of the token less an inflection (S ED ING) */
    /* the synsets (the first SYN_FAST) whose phrases may start with its
     * word or its word less an inflection */
    uint64_t syn[SYN_FAST / 64];
    uint8_t has_upper; /* an upper-case letter: may start an actor phrase */
    uint8_t date;      /* a date expression may start in it (dates.h) */
    uint32_t hash;
    /* then what the key compare of long tokens and the phrase scan need */
    const char *up; /* upper-cased, NUL-terminated; the token as written (the
                       key) is the len bytes before it */
    uint64_t pair2; /* pair_bit of every second word of its pair-table phrases */
    tokbest one;    /* the one-word phrases starting here */
    /* the index entries of its word's two-word phrases with a stem end */
    const struct mstart *multi;
    uint32_t n_multi;
    /* the pair table's answer for the last next word looked up (pair_next,
     * 0: none yet): a word is often followed by the same one ("Foreign"
     * "Minister"), and the table is megabytes */
    uint32_t pair_next, pair_n;
    const dyad_start *pair_ps;
} tinfo;

enum {
    TCACHE_MAX = 1 << 16 /* distinct tokens kept; emptied when full */
};

struct dyad_coder {
    const dyad_dict *dict;
    /* which words the current sentence has (its word ids and their ids less
     * an inflection): a bit each, small enough to stay in the first-level
     * cache; pres_ids lists the bits set, cleared at the next sentence */
    uint64_t *present;
    uint32_t *pres_ids;
    uint32_t n_pres, cap_pres;
    /* synsets as pseudo words: bit syn_base + s of present is set when a
     * first word of synset s (s < SYN_FAST) is in the sentence, so that
     * the pattern prefilter (preq) tests a required synset as one bit
     * instead of reading its words; wsyn_off/wsyn list each word's synsets
     * (read once per distinct token, into its tinfo) */
    uint32_t syn_base; /* a multiple of 64, past every word id */
    uint32_t *wsyn_off, *wsyn;
    /* pair2[id]: pair_bit of the second words of the pair-table phrases
     * that start with word id (0: none), the first quick reject */
    uint64_t *pair2;
    /* pair_bloom: a Bloom filter of the pair table's keys (2 bits each), a
     * quick reject that stays in cache (the table is megabytes) */
    uint64_t *pair_bloom;
    /* each pattern's first three required words or synsets (pseudo words,
     * 0: none) and a fourth word, PREQ_MORE when it requires more,
     * contiguous per block from
     * blk_off[block]: most patterns are rejected here, in the first-level
     * cache, without reading the pattern */
    uint32_t (*preq)[4];
    uint32_t *blk_off;
    uint32_t *cand; /* room for the patterns of the largest block */
    /* large blocks: their patterns by one required word each (bindex) */
    struct bindex *bidx;
    uint64_t *bacc; /* room for one block's pattern bits */
    dyad_arena ix_arena;
    /* token cache: open addressing over tc[], keys and strings in tc_arena */
    tinfo *tc;
    uint32_t n_tc;
    uint32_t *tc_slot; /* 1 + index into tc, 0 empty; grows to 2 * TCACHE_MAX */
    uint32_t tc_mask;  /* slots - 1; at most half of them used */
    dyad_arena tc_arena;
    const char *cameo_key[256]; /* codebook entries by code address */
    const dyad_cameo *cameo_val[256];
    dyad_day default_day;
    int debug; /* DYAD_DEBUG set: groups and verbs of each sentence on stderr */
    dyad_diag_fn diag;
    void *diag_ud;
};

/* One actor a noun phrase stands for. */
typedef struct member {
    const char *code;
    uint32_t off, len; /* span in the sentence text */
} member;

/* A noun phrase or compound of them: tokens [start, end). */
typedef struct group {
    uint32_t start, end;
    uint32_t head_end; /* end of the first member phrase (for "A and B") */
    member m[MAX_MEMBERS];
    int n;
    int compound; /* joined from several phrases by "and" / "," */
} group;

typedef struct mention {
    uint32_t start, end;
    int kind; /* ST_ACTOR / ST_AGENT */
    uint32_t idx;
} mention;

typedef struct vcand {
    uint32_t start, end;
    uint32_t verb;
} vcand;

struct dyad_doc {
    dyad_arena arena;
    const char *id;
    char date[11];
    int has_date;
    const char *place;
    int discarded;
    size_t n_sent;
    dyad_event *ev;
    size_t n_ev, cap_ev;
    /* coreference: the last event's actors */
    const char *last_src, *last_tgt; /* the codes of the last event */
    int has_last;
};

/* Per-sentence working state. */
typedef struct sent {
    dyad_coder *c;
    dyad_doc *doc;
    const char *text; /* the normalized document */
    const char *text_end; /* its end, after the NUL */
    const dyad_tok *tok;
    uint32_t n;
    uint32_t base; /* byte offset of the sentence in text */
    uint32_t *wid; /* word ids */
    uint32_t (*alt)[2]; /* ids of the token less an inflection (S ED ING) */
    const tinfo **ti;   /* each token's cache entry */
    uint32_t *verb_at_tok; /* the tokens that start a verb form, in order
                            * (scan_tokens) */
    uint32_t n_verb_at;
    uint32_t *men_at_tok;  /* the tokens that start an actor or agent */
    uint32_t n_men_at;
    int any_discard;    /* some token starts a discard phrase (scan_tokens) */
    int any_date;       /* some token may start a date (prepare_tokens) */
    int any_quote;      /* some token is a quotation mark (prepare_tokens) */
    uint32_t date_tok;  /* the first such token */
    uint64_t cls_any;   /* the closed-class bits of all its tokens */
    uint64_t syn[SYN_FAST / 64]; /* the synsets its tokens may start */
    uint64_t *cls;      /* closed-class bits of each token (class_of) */
    const struct tokbest **tb; /* the longest phrase of each kind starting here */
    dyad_day day;
    mention *men;
    uint32_t n_men;
    int *men_at; /* token -> mention index or -1 */
    group *grp;
    uint32_t n_grp;
    int *grp_at; /* token -> group index or -1 */
    vcand *vc;
    uint32_t n_vc;
    int steps;
} sent;

enum { PREQ_MORE = 1 };

/* A large verb block's patterns by their rarest required word (the one in
 * fewest patterns of the whole dictionary): the patterns a sentence may
 * match are those with no required word and those whose word it holds, so
 * a verb looks up the sentence's words instead of reading every pattern. */
enum { BINDEX_MIN = 64 }; /* smaller blocks are read through */
typedef struct bindex {
    uint32_t mask;  /* slots - 1; 0 when the block has no index */
    uint32_t words; /* 64-bit words of a pattern set */
    uint32_t *key;  /* slot: word id, 0 empty */
    uint32_t *ent;  /* slot: its set's index in bits (set 0: no word) */
    uint64_t *bits; /* sets of patterns, words apiece */
} bindex;

static inline int is_present(const dyad_coder *c, uint32_t id) {
    return c->present[id >> 6] >> (id & 63) & 1;
}

enum { PAIR_BLOOM_BITS = 1 << 19 };

/* A word id's bit in a 64-bit set (the second words of a word's pairs). */
static inline uint32_t pair_bit(uint32_t id) {
    return (id * 0x9E3779B1u) >> 26;
}

static inline uint64_t pair_mix(uint32_t a, uint32_t b) {
    uint64_t k = ((uint64_t)a << 32 | b) * 0x9E3779B97F4A7C15ull;
    return k ^ (k >> 29);
}

static inline int pair_maybe(const dyad_coder *c, uint32_t a, uint32_t b) {
    uint64_t h = pair_mix(a, b);
    uint32_t x = (uint32_t)h & (PAIR_BLOOM_BITS - 1);
    uint32_t y = (uint32_t)(h >> 40) & (PAIR_BLOOM_BITS - 1);
    return (c->pair_bloom[x >> 6] >> (x & 63) & 1) && (c->pair_bloom[y >> 6] >> (y & 63) & 1);
}


/* ------------------------------------------------- closed-class words */

/* The rules below test tokens against small closed lists of words (articles,
 * modals, subordinators ...). Each list is a class bit; every token gets its
 * mask from one hash lookup, so a test is a bit test, not string compares. */
enum { K_DET, K_ART, K_FILL, K_STOP, K_SING, K_PLUR, K_CNOUN, K_TOPIC, K_AUX, K_BE, K_MODAL, K_SUB, K_ADV,
       W_AND, W_TO, W_COMMA, W_OR, W_OF, W_IN, W_FORMER, W_WITH, W_WELL, W_TWO, W_THE, W_REGARDING, W_OVER, W_ON, W_FROM, W_BY, W_BUT, W_BOTH, W_AS, W_ABOUT, W_SEMI, W_DOT, W_POSS, W_APOS,
       K_LY, /* a word of five letters or more ending in LY (adverb) */
       K_COUNT };

static const struct {
    int cls;
    const char *const *words; /* NULL-terminated */
} word_lists[] = {
    {K_DET, (const char *const[]){"THE", "A", "AN", "ITS", "HIS", "HER",
                                       "THEIR", "OUR", "THIS", "THAT", "THESE",
                                       "THOSE", "'S", "ANY", "EACH", NULL}},
    {K_ART, (const char *const[]){"THE", "A", "AN", "ITS", "HIS", "HER",
                                       "THEIR", "OUR", "'S", NULL}},
    {K_FILL, (const char *const[]){"THE", "A", "AN", "NEW", "FIRST", "FORMER", "TOP", "SENIOR", "DEPUTY",
        "CHIEF", "ACTING", "INTERIM", "THEN", "VICE", "MAIN", "OWN", "HIS",
        "HER", "ITS", "THEIR", NULL}},
    {K_STOP, (const char *const[]){"TO", "OF", "IN", "ON", "AT", "BY", "FOR", "FROM", "WITH", "INTO",
        "ABOUT", "AGAINST", "OVER", "AFTER", "BEFORE", "THAT", "WHICH", "WHO",
        "IS", "ARE", "WAS", "WERE", "BE", "BEEN", "HAS", "HAVE", "HAD", "WILL",
        "WOULD", "CAN", "COULD", "SHOULD", "MAY", "MIGHT", "MUST", "NOT", "OR",
        "BUT", "SAID", "SAYS", "AS", NULL}},
    {K_SING, (const char *const[]){"HE", "SHE", NULL}},
    {K_PLUR, (const char *const[]){"THEY", NULL}},
    {K_CNOUN, (const char *const[]){"SIDES", "LEADERS", "MINISTERS",
                                        "PRESIDENTS", "COUNTRIES", "PARTIES",
                                        "NATIONS", "GOVERNMENTS", NULL}},
    {K_TOPIC, (const char *const[]){"SITUATION", "DEVELOPMENTS", "DEVELOPMENT", "CRISIS", "EVENTS", "ISSUE",
        "ISSUES", "PROBLEM", "PROBLEMS", "FUTURE", "AFFAIRS", "QUESTION",
        "TERRITORY", "SECURITY", "STABILITY", "RECONSTRUCTION", "TERRORISM",
        "EXTREMISM", "TRAFFICKING", NULL}},
    {K_AUX, (const char *const[]){"HAVE", "HAS", "HAD", "BE", "BEEN",
                                      "NOT", "N'T", "EVER", "ALSO", NULL}},
    {K_BE, (const char *const[]){"IS", "ARE", "WAS", "WERE", "BE", "BEEN",
                                     "BEING", "GET", "GOT", "GETS", NULL}},
    {K_MODAL, (const char *const[]){"WILL", "WOULD", "CAN", "COULD",
                                         "SHOULD", "MAY", "MIGHT", "MUST",
                                         "SHALL", "WO", "CA", NULL}},
    {K_SUB, (const char *const[]){"AFTER", "BEFORE", "WHEN", "WHILE", "BECAUSE", "SINCE", "ALTHOUGH",
        "THOUGH", "IF", "UNLESS", "UNTIL", "WHEREAS", "ONCE", ";",
        NULL}},
    {K_ADV, (const char *const[]){"ALSO", "THEN", "LATER", "EARLIER",
                                      "TODAY", "YESTERDAY", "JOINTLY", "HAVE",
                                      "HAS", "HAD", "WILL", "WOULD", "NOT",
                                      "N'T", "TO", "LATER", "SUBSEQUENTLY", NULL}},
};

static const char *const literal_words[] = {"AND", "TO", ",", "OR", "OF", "IN", "FORMER", "WITH", "WELL", "TWO", "THE", "REGARDING", "OVER", "ON", "FROM", "BY", "BUT", "BOTH", "AS", "ABOUT", ";", ".", "'S", "'"};

enum { CLASS_SLOTS = 2048 };
static struct {
    const char *w;
    uint64_t mask;
} class_table[CLASS_SLOTS];
static pthread_once_t class_once = PTHREAD_ONCE_INIT;

static uint32_t class_hash(const char *s) {
    uint32_t h = 2166136261u;
    for (; *s; s++) h = (h ^ (unsigned char)*s) * 16777619u;
    return h;
}

static void class_add(const char *w, int cls) {
    uint32_t i = class_hash(w) & (CLASS_SLOTS - 1);
    while (class_table[i].w && strcmp(class_table[i].w, w) != 0)
        i = (i + 1) & (CLASS_SLOTS - 1);
    class_table[i].w = w;
    class_table[i].mask |= 1ull << cls;
}

static void class_init(void) {
    for (size_t l = 0; l < sizeof word_lists / sizeof word_lists[0]; l++)
        for (int k = 0; word_lists[l].words[k]; k++)
            class_add(word_lists[l].words[k], word_lists[l].cls);
    for (size_t k = 0; k < sizeof literal_words / sizeof literal_words[0]; k++)
        class_add(literal_words[k], (int)(W_AND + k));
}

static uint64_t class_of(const char *w) {
    uint32_t i = class_hash(w) & (CLASS_SLOTS - 1);
    while (class_table[i].w) {
        if (strcmp(class_table[i].w, w) == 0) return class_table[i].mask;
        i = (i + 1) & (CLASS_SLOTS - 1);
    }
    return 0;
}

/* ------------------------------------------------------------ helpers */

static void cdiag(dyad_coder *c, dyad_severity sev, const char *file,
                  long line, const char *fmt, ...)
    __attribute__((format(printf, 5, 6)));
static void cdiag(dyad_coder *c, dyad_severity sev, const char *file,
                  long line, const char *fmt, ...) {
    va_list ap;
    va_start(ap, fmt);
    dyad__vdiag(c->diag, c->diag_ud, sev, file, line, fmt, ap);
    va_end(ap);
}

static int tok_cls(const sent *S, uint32_t i, int cls) {
    return i < S->n && (S->cls[i] >> cls) & 1;
}

/* Is token i in any of the classes of mask (B(W_AND) | B(W_OR))? One test
 * where several tok_cls would be. */
#define B(cls) (1ull << (cls))
static int tok_any(const sent *S, uint32_t i, uint64_t mask) {
    return i < S->n && (S->cls[i] & mask) != 0;
}

static int is_determiner(const sent *S, uint32_t i) {
    return tok_cls(S, i, K_DET);
}

/* Articles and possessives: what makes the next verb form a noun ("an
 * attack", "their meeting"); "that" is not one ("noted that X regretted"). */
static int article(const sent *S, uint32_t i) {
    return tok_cls(S, i, K_ART);
}

/* Does a dictionary word match token i? Exact, or a stem prefix. */
static int word_matches(const sent *S, uint32_t i, uint32_t w, int stem) {
    if (S->wid[i] == w) return 1;
    if (!stem) return 0;
    const dyad_word *dw = &S->c->dict->words[w];
    size_t tl = S->tok[i].n;
    return tl > dw->len && memcmp(S->ti[i]->up, dw->s, dw->len) == 0;
}

/* Pattern words match exactly or with a regular inflection (S, ES, D, ED,
 * ING), as TABARI pattern words do. */
static int pword_matches(const sent *S, uint32_t i, uint32_t w) {
    return S->wid[i] == w || S->alt[i][0] == w || S->alt[i][1] == w;
}

/* Length of a phrase match starting at token i, 0 if none. */
static uint32_t phrase_at(const sent *S, uint32_t i, const dyad_phrase *ph, uint32_t known) {
    if (i + ph->n > S->n) return 0;
    for (uint16_t k = (uint16_t)known; k < ph->n; k++) {
        int stem = ph->last_stem && k == ph->n - 1;
        if (!word_matches(S, i + k, ph->w[k], stem)) return 0;
    }
    return ph->n;
}

/* ----------------------------------------------------- actors & agents */

/* Keep the phrase of index entry st in b when it starts at token i and is
 * the longest; its first `known` words are known to match. */
static int best_start(sent *S, uint32_t i, const dyad_start *st, best *b, uint32_t known);

static best *best_of(tokbest *tb, const dyad_start *st) {
    return st->kind == ST_VERB      ? &tb->verb
           : st->kind == ST_DISCARD ? &tb->discard
                                    : &tb->mention;
}

static void tokbest_init(tokbest *tb) {
    memset(tb, 0, sizeof *tb);
    tb->mention.want = 3;
    tb->verb.want = 4;
    tb->discard.want = 8;
}

/* The one-word phrases that start at token 0 of a one-token sentence: the
 * word's own (its two-word entries cannot match there) and every one-word
 * stem that is a prefix of it. The longest phrase at a token of a real
 * sentence is the longest of these and of the phrases of two or more words
 * (scan_tokens); the index's order is kept within each, which is all the
 * tie rule of best_start looks at (a longer phrase always wins). */
static void one_word_starts(sent *S, tokbest *tb) {
    const dyad_dict *d = S->c->dict;
    tokbest_init(tb);
    if (S->wid[0]) {
        const dyad_word *w = &d->words[S->wid[0]];
        for (uint32_t k = 0; k < w->n_single; k++)
            best_start(S, 0, &w->single[k], best_of(tb, &w->single[k]), 0);
    }
    if (!d->max_stem) return;
    size_t tl = S->tok[0].n;
    if (tl < 3) return;
    uint32_t bit = dyad__stem3(S->ti[0]->up);
    if (!(d->stem3[bit >> 6] & (1ull << (bit & 63)))) return;
    for (size_t len = d->min_stem; len < tl && len <= d->max_stem; len++) {
        uint32_t id = dyad__dict_word(d, S->ti[0]->up, len);
        if (!id || !d->words[id].stem_key) continue;
        const dyad_word *w = &d->words[id];
        for (uint32_t k = 0; k < w->n_single; k++)
            best_start(S, 0, &w->single[k], best_of(tb, &w->single[k]), 0);
    }
}

/* One pass over the dictionary index for every token of the sentence: the
 * cached one-word phrases, then the phrases of two or more words (a stem
 * second word in the word's own list, a fixed one in the pair table). */
static int scan_tokens(sent *S, dyad_arena *a) {
    static const tokbest none; /* a punctuation mark starts nothing */
    S->tb = dyad__arena_alloc(a, sizeof *S->tb * (S->n + 1));
    S->verb_at_tok = dyad__arena_alloc(a, sizeof *S->verb_at_tok * (S->n + 1));
    S->men_at_tok = dyad__arena_alloc(a, sizeof *S->men_at_tok * (S->n + 1));
    if (!S->tb || !S->verb_at_tok || !S->men_at_tok) return DYAD_ENOMEM;
    S->n_verb_at = 0;
    S->n_men_at = 0;
    const dyad_dict *d = S->c->dict;
    S->any_discard = 0;
    for (uint32_t i = 0; i < S->n; i++) {
        if (!(S->tok[i].flags & DYAD_TOK_WORD)) {
            S->tb[i] = &none;
            continue;
        }
        const tinfo *t = S->ti[i];
        /* the cached entry itself, unless a longer phrase may start here */
        S->tb[i] = &t->one;
        uint32_t np = 0;
        const dyad_start *ps = NULL;
        if (i + 1 < S->n && (t->pair2 >> pair_bit(S->wid[i + 1]) & 1) && S->wid[i + 1]) {
            uint32_t w2 = S->wid[i + 1];
            if (t->pair_next != w2) {
                /* (the entry is the coder's, or this sentence's: ours to
                 * update) */
                tinfo *tw = (tinfo *)t;
                tw->pair_n = 0;
                tw->pair_ps = pair_maybe(S->c, t->wid, w2)
                                  ? dyad__dict_pair(d, t->wid, w2, &tw->pair_n)
                                  : NULL;
                tw->pair_next = w2;
            }
            ps = t->pair_ps;
            np = t->pair_n;
        }
        if (t->n_multi || np) {
            tokbest *tb = dyad__arena_alloc(a, sizeof *tb);
            if (!tb) return DYAD_ENOMEM;
            *tb = t->one;
            for (uint32_t k = 0; k < t->n_multi; k++) {
                const mstart *m = &t->multi[k];
                /* the stem is at least 3 bytes: a longer token starting
                 * with them, or the word itself */
                if (i + 1 < S->n &&
                    (S->wid[i + 1] == m->word ||
                     (S->tok[i + 1].n > m->pre >> 24 &&
                      first3(S->ti[i + 1]->up) == (m->pre & 0xffffff))))
                    best_start(S, i, &m->st, best_of(tb, &m->st), 1);
            }
            for (uint32_t k = 0; k < np; k++)
                if (!ps[k].w2 || (i + 2 < S->n && S->wid[i + 2] == ps[k].w2))
                    best_start(S, i, &ps[k], best_of(tb, &ps[k]), 2);
            S->tb[i] = tb;
        }
        /* (listed without a branch: whether a word is a verb is not
         * predictable) */
        S->verb_at_tok[S->n_verb_at] = i;
        S->n_verb_at += S->tb[i]->verb.len != 0;
        S->men_at_tok[S->n_men_at] = i;
        S->n_men_at += S->tb[i]->mention.len != 0;
        S->any_discard |= S->tb[i]->discard.len != 0;
    }
    return 0;
}

static int best_start(sent *S, uint32_t i, const dyad_start *st, best *b, uint32_t known) {
    const dyad_dict *d = S->c->dict;
    const dyad_phrase *ph;
    if (st->kind == ST_ACTOR && (b->want & 1)) {
        /* proper names: the phrase must start with a capitalized token */
        if (!S->ti[i]->has_upper) return 0;
        ph = &d->aphr[st->idx].ph;
    } else if (st->kind == ST_AGENT && (b->want & 2)) {
        ph = &d->gphr[st->idx].ph;
    } else if (st->kind == ST_VERB && (b->want & 4)) {
        ph = &d->verbs[st->idx].ph;
    } else if (st->kind == ST_DISCARD && (b->want & 8)) {
        ph = &d->discards[st->idx].ph;
    } else {
        return 0;
    }
    /* longer wins; on a tie an actor beats an agent: a phrase that could
     * not win is not matched */
    if (ph->n < b->len || (ph->n == b->len && !(st->kind == ST_ACTOR && b->kind == ST_AGENT)))
        return 0;
    uint32_t len = phrase_at(S, i, ph, known);
    if (len > b->len || (len && len == b->len && st->kind == ST_ACTOR &&
                         b->kind == ST_AGENT)) {
        b->len = len;
        b->kind = st->kind;
        b->idx = st->idx;
        b->ent = st->kind == ST_ACTOR   ? d->aphr[st->idx].actor
                 : st->kind == ST_AGENT ? d->gphr[st->idx].agent
                 : st->kind == ST_VERB  ? d->verbs[st->idx].noun_ok
                                        : 0;
    }
    return 0;
}

static int find_mentions(sent *S, dyad_arena *a) {
    S->men = dyad__arena_alloc(a, sizeof *S->men * (S->n + 1));
    S->men_at = dyad__arena_alloc(a, sizeof *S->men_at * (S->n + 1));
    if (!S->men || !S->men_at) return DYAD_ENOMEM;
    S->n_men = 0;
    for (uint32_t i = 0; i < S->n; i++) S->men_at[i] = -1;
    /* A multi-word verb form that starts outside any name owns its words:
     * in "recalled its ambassador from France" the target is France, not an
     * ambassador. Those forms, left to right among the tokens that start a
     * verb form (a form taken skips the tokens it covers), are found by a
     * second cursor (vq) that keeps ahead of the mentions: [vstart, vend)
     * is the last one. Mentions are looked for where a phrase starts. */
    uint32_t vq = 0, vnext = 0, vstart = 0, vend = 0;
    for (uint32_t q = 0, next = 0; q < S->n_men_at; q++) {
        uint32_t i = S->men_at_tok[q];
        if (i < next) continue;
        for (; vq < S->n_verb_at && S->verb_at_tok[vq] <= i; vq++) {
            uint32_t v = S->verb_at_tok[vq];
            const tokbest *tv = S->tb[v];
            if (v >= vnext && tv->verb.len > 1 && !tv->mention.len) {
                vstart = v;
                vend = vnext = v + tv->verb.len;
            }
        }
        if (i >= vstart && i < vend) continue;
        best b = S->tb[i]->mention;
        mention *m = &S->men[S->n_men];
        m->start = i;
        m->end = i + b.len;
        m->kind = b.kind;
        m->idx = b.ent;
        for (uint32_t k = i; k < m->end; k++) S->men_at[k] = (int)S->n_men;
        S->n_men++;
        next = i + b.len;
    }
    return 0;
}

/* --------------------------------------------------------- noun phrases */

static const char *actor_code(const sent *S, uint32_t actor) {
    return dyad__actor_code(&S->c->dict->actors[actor], S->day);
}

/* Append s to buf[*n] within cap - 1 bytes (snprintf's truncation). */
static void cat(char *buf, size_t *n, size_t cap, const char *s, size_t len) {
    if (*n + len > cap - 1) len = cap - 1 - *n;
    memcpy(buf + *n, s, len);
    *n += len;
}

/* code = prefix agents + actor + suffix agents, unless the actor code already
 * ends with the agent's code (RUSGOV + GOV = RUSGOV). */
static const char *combine(sent *S, const char *actor, const dyad_agent *ag,
                           const dyad_agent *pre) {
    char buf[128];
    size_t al = strlen(actor);
    const char *sfx = "";
    if (ag && !ag->prefix) {
        size_t gl = strlen(ag->code);
        if (!(al >= gl && al > 3 && strcmp(actor + al - gl, ag->code) == 0))
            sfx = ag->code;
    }
    const char *pfx = pre ? pre->code : (ag && ag->prefix ? ag->code : "");
    size_t n = 0;
    cat(buf, &n, sizeof buf, pfx, strlen(pfx));
    cat(buf, &n, sizeof buf, actor, al);
    cat(buf, &n, sizeof buf, sfx, strlen(sfx));
    return dyad__arena_strndup(&S->doc->arena, buf, n);
}

/* Parts of one simple noun phrase before the codes are made. */
typedef struct np {
    uint32_t start, end;
    int actors[MAX_MEMBERS]; /* mention indices */
    int n_actors;
    int agents[MAX_MEMBERS];
    int n_agents;
    int prefix; /* mention index of a prefix agent, or -1 */
    int agent_after_actor;
} np;

static int agent_is_prefix(const sent *S, int mi) {
    return S->c->dict->agents[S->men[mi].idx].prefix;
}

static void np_add(const sent *S, np *p, int mi) {
    const mention *m = &S->men[mi];
    if (m->kind == ST_ACTOR) {
        if (p->n_actors < MAX_MEMBERS) p->actors[p->n_actors++] = mi;
    } else if (agent_is_prefix(S, mi) && p->prefix < 0) {
        p->prefix = mi;
    } else if (p->n_agents < MAX_MEMBERS) {
        if (p->n_actors) p->agent_after_actor = 1;
        p->agents[p->n_agents++] = mi;
    }
    if (m->end > p->end) p->end = m->end;
}

/* The one code a simple noun phrase's actors give: the most specific one
 * (longest code), so "Russian President Vladimir Putin" is RUSGOV. */
static int np_head_actor(const sent *S, const np *p, const char **code) {
    int head = -1;
    size_t head_len = 0;
    for (int k = 0; k < p->n_actors; k++) {
        const char *c = actor_code(S, S->men[p->actors[k]].idx);
        if (!c) continue;
        /* the most specific code; the later of two equal codes, the person
         * after a title ("Hamas leader Ismail Haniyeh") */
        if (head < 0 || strlen(c) > head_len || strcmp(c, *code) == 0) {
            head = p->actors[k];
            head_len = strlen(c);
            *code = c;
        }
    }
    return head;
}

/* An empty group (its members are read up to n only). */
static void group_init(group *g) {
    g->start = g->end = g->head_end = 0;
    g->n = 0;
    g->compound = 0;
}

static void group_add(group *g, const char *code, uint32_t off, uint32_t len) {
    if (!code || g->n >= MAX_MEMBERS) return;
    for (int k = 0; k < g->n; k++)
        if (strcmp(g->m[k].code, code) == 0) return;
    g->m[g->n].code = code;
    g->m[g->n].off = off;
    g->m[g->n].len = len;
    g->n++;
}

static uint32_t tok_off(const sent *S, uint32_t i) {
    return S->tok[i].off - S->base;
}

static void span_of(const sent *S, uint32_t a, uint32_t b, uint32_t *off,
                    uint32_t *len) {
    if (b <= a) b = a + 1;
    *off = tok_off(S, a);
    *len = S->tok[b - 1].off + S->tok[b - 1].n - S->tok[a].off;
}

static int is_country_prefix(const char *code);

/* Emit the codes of a simple noun phrase into a group. */
static void np_codes(sent *S, const np *p, group *g,
                     const dyad_agent *extra_agent) {
    const dyad_dict *d = S->c->dict;
    /* "former security officials": a former office holder is an elite */
    static const dyad_agent eli = {"ELI", 0, "FORMER", "", 0};
    for (uint32_t t = p->start > 0 ? p->start - 1 : 0; t < p->end; t++)
        if (tok_cls(S, t, W_FORMER)) {
            uint32_t off, len;
            span_of(S, p->start, p->end, &off, &len);
            const char *acode = NULL;
            if (np_head_actor(S, p, &acode) >= 0 && strcmp(acode, "---") != 0)
                group_add(g, combine(S, acode, &eli, NULL), off, len);
            return;
        }
    const dyad_agent *pre = p->prefix >= 0 ? &d->agents[S->men[p->prefix].idx] : NULL;
    uint32_t off, len;
    span_of(S, p->start, p->end, &off, &len);
    const char *acode = NULL;
    int head = np_head_actor(S, p, &acode);
    if (head < 0 && p->n_actors) return; /* actors with no code on this date */
    if (head >= 0 && strcmp(acode, "---") == 0) return;
    if (!p->n_agents && !extra_agent) {
        if (head >= 0) group_add(g, pre ? combine(S, acode, NULL, pre) : acode, off, len);
        return;
    }
    for (int k = 0; k < (p->n_agents ? p->n_agents : 1); k++) {
        const dyad_agent *ag = p->n_agents ? &d->agents[S->men[p->agents[k]].idx]
                                           : extra_agent;
        const char *base = head >= 0 ? acode : "---";
        /* A title before a person ("Prime Minister Imran Khan") says what
         * the person is now, which a dated dictionary may not: the person's
         * country with the title's sector. */
        char country[4];
        if (head >= 0 && p->n_agents && S->men[p->agents[k]].end == S->men[head].start &&
            strlen(acode) > 3 && !ag->prefix) {
            size_t al = strlen(acode);
            /* the dictionary knows the person out of office (an elite), the
             * text gives a title: the title is the fresher fact */
            if (is_country_prefix(acode) && al >= 6 && strcmp(acode + al - 3, "ELI") == 0) {
                memcpy(country, acode, 3);
                country[3] = 0;
                base = country;
            } else {
                /* "NATO Secretary General Mark Rutte", "Hamas leader Ismail
                 * Haniyeh": the person's own code */
                group_add(g, pre ? combine(S, acode, NULL, pre) : acode, off, len);
                continue;
            }
        }
        group_add(g, combine(S, base, ag, pre), off, len);
    }
}

/* Words that may stand inside a noun phrase between its dictionary parts. */
static int np_filler(const sent *S, uint32_t i) {
    return tok_cls(S, i, K_FILL);
}

/* A plain lower-case word (an adjective in "the evil awful Gondor"), not a
 * function word that would end a noun phrase. */
static int lower_word(const sent *S, uint32_t i) {
    const dyad_tok *t = &S->tok[i];
    if (!(t->flags & DYAD_TOK_WORD) || (t->flags & (DYAD_TOK_NUM | DYAD_TOK_CAP)))
        return 0;
    return !tok_cls(S, i, K_STOP);
}

/* Parse one simple noun phrase starting at mention index mi (the mention
 * must start at token i, possibly after determiners). Returns the index of the
 * next unused mention. */
static int parse_np(sent *S, int mi, np *p) {
    /* the arrays are read up to their counts only */
    p->n_actors = p->n_agents = p->agent_after_actor = 0;
    p->prefix = -1;
    p->start = S->men[mi].start;
    /* include leading determiners/fillers */
    while (p->start > 0 && np_filler(S, p->start - 1) &&
           S->men_at[p->start - 1] < 0)
        p->start--;
    p->end = S->men[mi].end;
    np_add(S, p, mi);
    int next = mi + 1;
    while (next < (int)S->n_men) {
        const mention *m = &S->men[next];
        uint32_t gap = p->end;
        /* adjacent, or across 's and fillers */
        uint32_t j = gap;
        int poss = 0;
        if (j < m->start && tok_cls(S, j, W_POSS)) {
            poss = 1;
            j++;
        }
        if (j < m->start && tok_cls(S, j, W_APOS)) {
            poss = 1;
            j++;
        }
        int fillers = 0;
        while (j < m->start && np_filler(S, j) && fillers < 3) j++, fillers++;
        /* "Ithilen's awful and evil minister": descriptive words between a
         * possessive and an agent */
        if (poss && m->kind == ST_AGENT)
            while (j < m->start && lower_word(S, j) && fillers < 4) j++, fillers++;
        /* "Danish media and government": one actor, several agents */
        if (j < m->start && tok_cls(S, j, W_AND) && j + 1 == m->start &&
            m->kind == ST_AGENT && S->men[next - 1].kind == ST_AGENT &&
            p->n_actors) {
            np_add(S, p, next);
            next++;
            continue;
        }
        if (j == m->start && (poss || fillers == 0 || (fillers && m->kind == ST_AGENT) ||
                              (fillers && S->men[next - 1].kind == ST_AGENT))) {
            /* two actors of different names side by side with fillers between
             * are two phrases ("Arnor awful Gondor"); fillers are fine before
             * an agent or after one */
            np_add(S, p, next);
            next++;
            continue;
        }
        /* AGENT of|in|from [the] ACTOR: "the government of Gondor",
         * "Soldiers from Gondor"; and AGENT to ACTOR: "Ambassador to
         * Afghanistan" keeps the ambassador's own country. */
        if (p->n_agents && S->men[next - 1].kind == ST_AGENT && gap < S->n &&
            m->kind == ST_ACTOR) {
            uint32_t k = gap;
            int prep = tok_any(S, k, B(W_OF) | B(W_IN) | B(W_FROM) | B(W_TO));
            if (prep) {
                int to = tok_cls(S, k, W_TO);
                k++;
                while (k < m->start && np_filler(S, k)) k++;
                if (k == m->start) {
                    if (to && p->n_actors) {
                        /* absorbed: not an actor of this phrase */
                        p->end = m->end;
                        next++;
                        continue;
                    }
                    if (!to) {
                        np_add(S, p, next);
                        next++;
                        continue;
                    }
                }
            }
        }
        break;
    }
    return next;
}

/* Coreference words: pronouns and "the two leaders", "the sides". */
/* The words a coreference starts with (coref_at). */
#define COREF_STARTS (1ull << K_SING | 1ull << K_PLUR | 1ull << W_THE | 1ull << W_BOTH)

static int coref_at(sent *S, uint32_t i, uint32_t *end, int *plural) {
    /* the quick reject: none of the words a coreference starts with */
    if (i >= S->n || !(S->cls[i] & COREF_STARTS)) return 0;
    if (tok_cls(S, i, K_SING)) {
        *end = i + 1;
        *plural = 0;
        return 1;
    }
    if (tok_cls(S, i, K_PLUR)) {
        *end = i + 1;
        *plural = 1;
        return 1;
    }
    /* (the|both) (two)? (sides|leaders|ministers|presidents|countries) */
    uint32_t j = i;
    if (tok_any(S, j, B(W_THE) | B(W_BOTH))) j++;
    else return 0;
    if (tok_cls(S, j, W_TWO)) j++;
    if (j < S->n && tok_cls(S, j, K_CNOUN)) {
        *end = j + 1;
        *plural = 1;
        return 1;
    }
    return 0;
}

/* Topic nouns: "the situation in Afghanistan" is a topic, not a target. */
static int topic_noun(const sent *S, uint32_t i) {
    return i < S->n && tok_cls(S, i, K_TOPIC);
}

static int build_groups(sent *S, dyad_arena *a) {
    S->grp = dyad__arena_alloc(a, sizeof *S->grp * (S->n + 1));
    S->grp_at = dyad__arena_alloc(a, sizeof *S->grp_at * (S->n + 1));
    if (!S->grp || !S->grp_at) return DYAD_ENOMEM;
    S->n_grp = 0;
    for (uint32_t i = 0; i < S->n; i++) S->grp_at[i] = -1;
    int mi = 0;
    uint32_t i = 0;
    while (i < S->n) {
        /* coreference outside dictionary phrases */
        uint32_t cend;
        int plural;
        if (S->men_at[i] < 0 && S->doc->has_last && coref_at(S, i, &cend, &plural)) {
            group *g = &S->grp[S->n_grp];
            group_init(g);
            g->start = i;
            g->end = g->head_end = cend;
            uint32_t off, len;
            span_of(S, i, cend, &off, &len);
            group_add(g, S->doc->last_src, off, len);
            if (plural) {
                group_add(g, S->doc->last_tgt, off, len);
                g->compound = g->n > 1;
            } else if (g->n > 1) {
                g->n = 1;
            }
            if (g->n) {
                for (uint32_t k = i; k < cend; k++) S->grp_at[k] = (int)S->n_grp;
                S->n_grp++;
            }
            i = cend;
            continue;
        }
        if (S->men_at[i] < 0 || S->men_at[i] < mi) {
            i++;
            continue;
        }
        mi = S->men_at[i];
        group *g = &S->grp[S->n_grp];
        group_init(g);
        np parts[MAX_MEMBERS];
        int n_parts = 0;
        int next = parse_np(S, mi, &parts[n_parts++]);
        /* compounds: NP (, NP)* (and|or) NP */
        while (next < (int)S->n_men && n_parts < MAX_MEMBERS) {
            uint32_t j = parts[n_parts - 1].end;
            int sep = 0;
            while (j < S->men[next].start &&
                   tok_any(S, j, B(W_COMMA) | B(W_AND) | B(W_OR) | B(W_AS) | B(W_WELL)) &&
                   sep < 4)
                j++, sep++;
            uint32_t k = j;
            int extra = 0;
            while (k < S->men[next].start && extra < 3 &&
                   (np_filler(S, k) || lower_word(S, k) ||
                    ((S->tok[k].flags & DYAD_TOK_CAP) && S->men_at[k] < 0 &&
                     S->grp_at[k] < 0 && k + 1 == S->men[next].start)))
                k++, extra++;
            if (!sep || k != S->men[next].start) break;
            /* "A, the B" is apposition only when no "and" follows; keep
             * compounds simple: require an "and"/"or" somewhere later or here */
            np p2;
            int after = parse_np(S, next, &p2);
            parts[n_parts++] = p2;
            next = after;
        }
        /* a trailing comma-joined run without "and" is apposition: keep the
         * first phrase only ("Osgiliath, the state's fiercest foe") */
        if (n_parts > 1) {
            int has_and = 0;
            for (uint32_t t = parts[0].end; t < parts[n_parts - 1].start; t++)
                if (tok_any(S, t, B(W_AND) | B(W_OR))) has_and = 1;
            if (!has_and) {
                n_parts = 1;
                next = mi + 1;
                while (next < (int)S->n_men && S->men[next].start < parts[0].end) next++;
            }
        }
        g->start = parts[0].start;
        g->head_end = parts[0].end;
        g->end = parts[n_parts - 1].end;
        g->compound = n_parts > 1;
        /* agents shared across a compound: "Chinese and Russian
         * counterparts", "Lawmakers and officials in Fornost and Gondor" */
        const np *last = &parts[n_parts - 1];
        int share = n_parts > 1 && last->n_agents && last->agent_after_actor;
        /* "The ambassadors of Arnor, Osgiliath and Gondor" */
        const np *lead = (n_parts > 1 && parts[0].n_agents && parts[0].n_actors &&
                          !parts[0].agent_after_actor)
                             ? &parts[0] : NULL;
        for (int p = 0; p < n_parts; p++) {
            if (lead && p > 0 && parts[p].n_agents == 0 && parts[p].n_actors) {
                np tmp = parts[p];
                for (int k = 0; k < lead->n_agents; k++)
                    tmp.agents[tmp.n_agents++] = lead->agents[k];
                np_codes(S, &tmp, g, NULL);
            } else if (share && p < n_parts - 1 && parts[p].n_agents == 0 &&
                parts[p].n_actors) {
                np tmp = parts[p];
                for (int k = 0; k < last->n_agents && tmp.n_agents < MAX_MEMBERS; k++)
                    tmp.agents[tmp.n_agents++] = last->agents[k];
                np_codes(S, &tmp, g, NULL);
            } else if (parts[p].n_actors == 0 && p + 1 < n_parts &&
                       parts[p + 1].n_agents && parts[p + 1].n_actors &&
                       !parts[p + 1].agent_after_actor) {
                /* "Lawmakers and officials in X": agent-only part shares the
                 * next part's actors */
                np tmp = parts[p + 1];
                tmp.n_agents = 0;
                for (int k = 0; k < parts[p].n_agents; k++)
                    tmp.agents[tmp.n_agents++] = parts[p].agents[k];
                np_codes(S, &tmp, g, NULL);
            } else {
                np_codes(S, &parts[p], g, NULL);
                /* later actors joined by "and" after "AGENT in A and B" */
                if (p > 0 && parts[p].n_agents == 0 && parts[p - 1].n_agents &&
                    !parts[p - 1].agent_after_actor && parts[p - 1].n_actors) {
                    g->n--; /* replace the bare code with agent codes */
                    for (int k = 0; k < parts[p - 1].n_agents; k++) {
                        np tmp = parts[p];
                        tmp.agents[0] = parts[p - 1].agents[k];
                        tmp.n_agents = 1;
                        np_codes(S, &tmp, g, NULL);
                    }
                    /* agents listed before: "Lawmakers and officials" */
                    for (int q = p - 2; q >= 0 && parts[q].n_actors == 0; q--)
                        for (int k = 0; k < parts[q].n_agents; k++) {
                            np tmp = parts[p];
                            tmp.agents[0] = parts[q].agents[k];
                            tmp.n_agents = 1;
                            np_codes(S, &tmp, g, NULL);
                        }
                }
            }
        }
        if (g->n) {
            for (uint32_t k = g->start; k < g->end; k++) S->grp_at[k] = (int)S->n_grp;
            S->n_grp++;
        }
        i = g->end > i ? g->end : i + 1;
        mi = next;
    }
    return 0;
}

/* ---------------------------------------------------------------- verbs */

static int is_modal(const sent *S, uint32_t i);

static int aux_word(const sent *S, uint32_t i) {
    return tok_cls(S, i, K_AUX);
}

static int find_verbs(sent *S, dyad_arena *a) {
    S->vc = dyad__arena_alloc(a, sizeof *S->vc * (S->n + 1));
    if (!S->vc) return DYAD_ENOMEM;
    S->n_vc = 0;
    /* the tokens that start a verb form (scan_tokens), left to right; a
     * form taken skips the tokens it covers */
    for (uint32_t vq = 0, next = 0; vq < S->n_verb_at; vq++) {
        uint32_t i = S->verb_at_tok[vq];
        if (i < next || S->men_at[i] >= 0) continue;
        best b = S->tb[i]->verb;
        /* the form's length and noun_ok, found with it (no look at the
         * dictionary's verb) */
        uint32_t v_n = b.len, v_noun_ok = b.ent;
        /* a one-word verb form after a determiner is a noun ("an attack",
         * "an anti- Gondor parade"), unless the dictionary lists it as a
         * nominal form (`TALKS {}`) */
        int noun = 0;
        if (v_n == 1 && !v_noun_ok) {
            uint32_t j = i, skipped = 0;
            while (j > 0 && skipped < 3) {
                uint32_t q = j - 1;
                int g = S->grp_at[q];
                if (article(S, q)) {
                    noun = 1;
                    break;
                }
                if (g >= 0 && !is_determiner(S, S->grp[g].start)) {
                    j = S->grp[g].start;
                } else if (g < 0 && S->tok[q].n > 1 &&
                           S->tok[q].p[S->tok[q].n - 1] == '-') {
                    j = q;
                } else {
                    break;
                }
                skipped++;
            }
        }
        /* a capitalized word inside the sentence is a name, not a verb */
        int name = i > 0 && (S->tok[i].flags & DYAD_TOK_CAP) && !v_noun_ok && v_n == 1;
        if (!noun && !name) {
            S->vc[S->n_vc].start = i;
            S->vc[S->n_vc].end = i + b.len;
            S->vc[S->n_vc].verb = b.idx;
            S->n_vc++;
        }
        next = i + b.len;
    }
    /* auxiliary chains: in "should have acted" the verb is "acted" */
    uint32_t w = 0;
    for (uint32_t k = 0; k < S->n_vc; k++) {
        if (k + 1 < S->n_vc) {
            uint32_t j = S->vc[k].end;
            while (j < S->vc[k + 1].start && aux_word(S, j)) j++;
            if (j == S->vc[k + 1].start && is_modal(S, S->vc[k].start)) continue;
        }
        S->vc[w++] = S->vc[k];
    }
    S->n_vc = w;
    return 0;
}

/* -------------------------------------------------------------- patterns */

typedef struct pmatch {
    int src, tgt;      /* group indices, -1 = none */
    int compound_src;  /* '%' before the verb */
    uint32_t upper_end; /* token after the last element the pattern matched */
} pmatch;

/* Synset phrase ending exactly at `end` (exclusive): its start, or -1. */
static int synset_ends_at(const sent *S, const dyad_synset *ss, uint32_t end,
                          uint32_t *start_out) {
    for (uint32_t k = 0; k < ss->n; k++) {
        const dyad_phrase *ph = &ss->ph[k];
        if (ph->n > end) continue;
        uint32_t s = end - ph->n;
        int ok = 1;
        for (uint16_t w = 0; w < ph->n && ok; w++)
            ok = pword_matches(S, s + w, ph->w[w]);
        if (ok) {
            *start_out = s;
            return 1;
        }
    }
    return 0;
}

static int synset_starts_at(const sent *S, const dyad_synset *ss,
                            uint32_t start, uint32_t *end_out) {
    for (uint32_t k = 0; k < ss->n; k++) {
        const dyad_phrase *ph = &ss->ph[k];
        if (start + ph->n > S->n) continue;
        int ok = 1;
        for (uint16_t w = 0; w < ph->n && ok; w++)
            ok = pword_matches(S, start + w, ph->w[w]);
        if (ok) {
            *end_out = start + ph->n;
            return 1;
        }
    }
    return 0;
}

/* Does the sentence hold the first word of some phrase of a synset? Synset
 * members match inflected tokens too, and alt ids are stamped as well. */
static int synset_present(const sent *S, const dyad_synset *ss) {
    for (uint32_t k = 0; k < ss->n_firsts; k++)
        if (is_present(S->c, ss->firsts[k])) return 1;
    return 0;
}

/* Lower part: elements e[k..0] must end at or before pos (exactly at pos when
 * joined to the following element by '_'). */
static int match_lower(sent *S, const dyad_pattern *p, int k, uint32_t pos,
                       pmatch *m) {
    if (k < 0) return 1;
    if (++S->steps > MATCH_BUDGET) return 0;
    const dyad_pelem *e = &p->e[k];
    int adj = e->adj;
    const dyad_dict *d = S->c->dict;
    switch (e->kind) {
    case PE_WORD:
        for (uint32_t j = pos; j-- > 0;) {
            if (pword_matches(S, j, e->id) && match_lower(S, p, k - 1, j, m))
                return 1;
            if (adj) break;
        }
        return 0;
    case PE_SYNSET:
        for (uint32_t end = pos; end > 0; end--) {
            uint32_t st;
            if (synset_ends_at(S, &d->synsets[e->id], end, &st) &&
                match_lower(S, p, k - 1, st, m))
                return 1;
            if (adj) break;
        }
        return 0;
    case PE_SKIP:
        return pos > 0 && match_lower(S, p, k - 1, pos - 1, m);
    case PE_SOURCE:
    case PE_TARGET:
    case PE_COMPOUND:
        for (uint32_t j = pos; j-- > 0;) {
            int g = S->grp_at[j];
            if (g >= 0 && S->grp[g].end <= pos) {
                if (e->kind == PE_COMPOUND && !S->grp[g].compound) return 0;
                int save_s = m->src, save_t = m->tgt, save_c = m->compound_src;
                if (e->kind == PE_TARGET) m->tgt = g;
                else m->src = g;
                if (e->kind == PE_COMPOUND) m->compound_src = 1;
                if (match_lower(S, p, k - 1, S->grp[g].start, m)) return 1;
                m->src = save_s;
                m->tgt = save_t;
                m->compound_src = save_c;
                return 0; /* nearest phrase only */
            }
            if (adj && j + 1 < pos && !is_determiner(S, j)) break;
        }
        return 0;
    default:
        return 0;
    }
}

static int match_upper(sent *S, const dyad_pattern *p, int k, uint32_t pos,
                       pmatch *m, int prev_adj) {
    if (k >= p->n) {
        m->upper_end = pos;
        return 1;
    }
    if (++S->steps > MATCH_BUDGET) return 0;
    const dyad_pelem *e = &p->e[k];
    const dyad_dict *d = S->c->dict;
    switch (e->kind) {
    case PE_WORD:
        for (uint32_t j = pos; j < S->n; j++) {
            if (pword_matches(S, j, e->id) && match_upper(S, p, k + 1, j + 1, m, e->adj))
                return 1;
            if (prev_adj) break;
        }
        return 0;
    case PE_SYNSET:
        for (uint32_t j = pos; j < S->n; j++) {
            uint32_t end;
            if (synset_starts_at(S, &d->synsets[e->id], j, &end) &&
                match_upper(S, p, k + 1, end, m, e->adj))
                return 1;
            if (prev_adj) break;
        }
        return 0;
    case PE_SKIP:
        return pos < S->n && match_upper(S, p, k + 1, pos + 1, m, e->adj);
    case PE_SOURCE:
    case PE_TARGET:
    case PE_COMPOUND:
        for (uint32_t j = pos; j < S->n; j++) {
            int g = S->grp_at[j];
            if (g >= 0 && S->grp[g].start >= pos) {
                int save_s = m->src, save_t = m->tgt;
                if (e->kind == PE_SOURCE) m->src = g;
                else m->tgt = g;
                if (match_upper(S, p, k + 1, S->grp[g].end, m, e->adj)) return 1;
                m->src = save_s;
                m->tgt = save_t;
                return 0;
            }
            if (prev_adj && !is_determiner(S, j)) break;
        }
        return 0;
    case PE_VERB:
        return match_upper(S, p, k + 1, pos, m, e->adj);
    default:
        return 0;
    }
}

static int match_pattern(sent *S, const dyad_pattern *p, const vcand *v,
                         pmatch *m) {
    m->src = m->tgt = -1;
    m->upper_end = 0;
    m->compound_src = 0;
    S->steps = 0;
    /* lower part: the element before '*' joined to it must end at v->start */
    if (!match_lower(S, p, (int)p->verb_at - 1, v->start, m)) return 0;
    int verb_adj = p->e[p->verb_at].adj;
    return match_upper(S, p, p->verb_at + 1, v->end, m, verb_adj);
}

/* ---------------------------------------------------------------- events */

static int is_country_prefix(const char *code) {
    /* three capitals that are not IGO, NGO, IMG, MNC or UIS */
    for (int k = 0; k < 3; k++)
        if (!isupper((unsigned char)code[k])) return 0;
    switch (code[0]) {
    case 'I': return !((code[1] == 'G' && code[2] == 'O') || (code[1] == 'M' && code[2] == 'G'));
    case 'N': return !(code[1] == 'G' && code[2] == 'O');
    case 'M': return !(code[1] == 'N' && code[2] == 'C');
    case 'U': return !(code[1] == 'I' && code[2] == 'S');
    default: return 1;
    }
}

/* The dictionary line an event comes from. */
typedef struct plabel {
    const char *text, *file;
    int line;
} plabel;

typedef struct pending {
    const char *src, *tgt, *code;
    uint32_t soff, slen, toff, tlen;
    const plabel *pattern;
    int weak; /* a statement verb: dropped when the sentence has others */
    uint32_t verb_tok;
} pending;

static int add_pending(pending *pv, int *np_, const char *src, const member *sm,
                       const char *tgt, const member *tm, const char *code,
                       const plabel *pattern, int weak, uint32_t verb_tok) {
    if (*np_ >= MAX_EVENTS_PER_SENT || !src || !tgt || !code) return 0;
    if (strcmp(src, tgt) == 0) return 0;
    for (int k = 0; k < *np_; k++)
        if (strcmp(pv[k].src, src) == 0 && strcmp(pv[k].tgt, tgt) == 0 &&
            strcmp(pv[k].code, code) == 0)
            return 0;
    pending *p = &pv[(*np_)++];
    p->src = src;
    p->tgt = tgt;
    p->code = code;
    p->soff = sm->off;
    p->slen = sm->len;
    p->toff = tm->off;
    p->tlen = tm->len;
    p->pattern = pattern;
    p->weak = weak;
    p->verb_tok = verb_tok;
    return 1;
}

/* A group whose every actor is an agent alone ("---GOV"). */
static int unnamed(const group *g) {
    for (int k = 0; k < g->n; k++)
        if (strncmp(g->m[k].code, "---", 3) != 0) return 0;
    return 1;
}

static int reciprocal_code(const char *code) {
    /* consult, meet, negotiate, cooperate, agree: "A and B met" */
    return strncmp(code, "03", 2) == 0 || strncmp(code, "04", 2) == 0 ||
           strncmp(code, "05", 2) == 0 || strncmp(code, "06", 2) == 0;
}

/* Is token i a form of "to be" or "to get" (passive auxiliaries)? */
static int be_form(const sent *S, uint32_t i) {
    return tok_cls(S, i, K_BE);
}

/* Does a verb candidate start at token i? */
static int verb_at(const sent *S, uint32_t i) {
    for (uint32_t k = 0; k < S->n_vc; k++)
        if (S->vc[k].start == i) return 1;
    return 0;
}

static int is_modal(const sent *S, uint32_t i) {
    return i < S->n && tok_cls(S, i, K_MODAL);
}

/* Words that open a subordinate clause: its subject is found after them. */
static int subordinator(const sent *S, uint32_t i) {
    return tok_cls(S, i, K_SUB);
}

static int adverb(const sent *S, uint32_t i) {
    return i < S->n && (S->cls[i] & (1ull << K_ADV | 1ull << K_LY));
}

/* Is verb v joined to what came before by a conjunction ("... and promised
 * aid", "... and Lavrov called Blinken")? *own_subject gets the group
 * between the conjunction and the verb, or -1. */
static int coordinated(const sent *S, const vcand *v, int *own_subject) {
    *own_subject = -1;
    uint32_t j = v->start;
    while (j > 0) {
        j--;
        if (S->grp_at[j] >= 0) {
            *own_subject = S->grp_at[j];
            j = S->grp[*own_subject].start;
            continue;
        }
        if (tok_any(S, j, B(W_AND) | B(W_BUT) | B(W_SEMI)))
            return 1;
        if (adverb(S, j)) continue;
        return 0;
    }
    return 0;
}

/* Where the default target search stops: a modal ("agreed their countries
 * will ...") or an infinitive ("agreed to intensify ...") opens another
 * clause whose actors are not the verb's. */
static uint32_t target_limit(const sent *S, uint32_t vi, uint32_t span_end) {
    uint32_t end = S->vc[vi].end;
    uint32_t next_verb = vi + 1 < S->n_vc ? S->vc[vi + 1].start : S->n;
    const uint64_t stops = 1ull << K_MODAL | 1ull << K_SUB;
    if (!(S->cls_any & stops) && !S->any_quote) {
        /* no modal, subordinator or quote in the sentence: only the next
         * verbs can stop the search (the case j == next_verb below) */
        for (uint32_t k = vi + 1; k < S->n_vc; k++) {
            uint32_t j = S->vc[k].start;
            if (j > 0 && tok_cls(S, j - 1, W_TO) && j >= span_end) return j;
        }
        return S->n;
    }
    for (uint32_t j = end; j < S->n; j++) {
        /* the quick skip: none of the cases below */
        if (!(S->cls[j] & stops) && !(S->tok[j].flags & DYAD_TOK_QUOTE) && j != next_verb)
            continue;
        if (is_modal(S, j) && S->grp_at[j] < 0) return j;
        /* '..., "' closes a quotation: what follows is its attribution */
        if ((S->tok[j].flags & DYAD_TOK_QUOTE) && j > end &&
            tok_any(S, j - 1, B(W_COMMA) | B(W_DOT)))
            return j;
        /* "... after crowds burned its embassy": another clause */
        if (subordinator(S, j) && S->grp_at[j] < 0)
            for (uint32_t k = vi + 1; k < S->n_vc && S->vc[k].start < j + 6; k++)
                if (S->vc[k].start > j) return j;
        if (j == next_verb) {
            /* an infinitive opens another clause ("agreed to intensify ..."),
             * unless the verb's pattern spans it ("pledged to send X to Y") */
            if (j > 0 && tok_cls(S, j - 1, W_TO) && j >= span_end) return j;
            if (vi + 2 < S->n_vc) next_verb = S->vc[vi + 2].start, vi++;
            else next_verb = S->n;
        }
    }
    return S->n;
}

/* The default target: the first noun phrase after the verb that is not a
 * topic ("the situation in X", "the Afghan issue"). */
static int default_target(const sent *S, uint32_t from, uint32_t limit) {
    for (uint32_t j = from; j < limit; j++) {
        int g = S->grp_at[j];
        if (g < 0) continue;
        const group *G = &S->grp[g];
        /* a phrase the verb form ran into ("recalled its ambassador from |
         * France") still counts for the words after the verb */
        if (G->start < from && G->end <= from) continue;
        int topic = 0;
        uint32_t s = G->start;
        if (s >= 2 &&
            tok_any(S, s - 1,
                    B(W_IN) | B(W_OF) | B(W_ON) | B(W_ABOUT) | B(W_REGARDING) | B(W_OVER)) &&
            topic_noun(S, s - 2))
            topic = 1;
        if (topic_noun(S, G->end) ||
            (G->end < S->n && tok_cls(S, G->end, W_POSS) && topic_noun(S, G->end + 1)))
            topic = 1;
        /* ", the ministry said", ", officials from both governments said":
         * the attribution, not a target */
        if (!topic && s > 0 && tok_cls(S, s - 1, W_COMMA)) {
            uint32_t e = G->end;
            while (e < S->n && e < G->end + 5 && !verb_at(S, e) &&
                   !tok_cls(S, e, W_COMMA) && !tok_cls(S, e, W_DOT))
                e++;
            if (verb_at(S, e)) return -1; /* the rest is the attribution */
        }
        if (!topic) {
            /* "military aid to Ukraine": an agent alone ("---MIL") yields to
             * a named actor later in the clause */
            if (unnamed(G))
                for (uint32_t k = G->end; k < limit; k++) {
                    int h = S->grp_at[k];
                    if (h >= 0 && S->grp[h].start >= G->end && !unnamed(&S->grp[h]) &&
                        !(S->grp[h].start > 0 && tok_cls(S, S->grp[h].start - 1, W_IN)))
                        return h;
                }
            return g;
        }
        j = G->end - 1;
    }
    return -1;
}

/* "TEXT (file:line)", made only for the events that are written. */
static const char *pattern_label(dyad_doc *doc, const plabel *pl) {
    char buf[1024], num[16];
    size_t n = 0, k = 0;
    unsigned u = pl->line < 0 ? 0u - (unsigned)pl->line : (unsigned)pl->line;
    do num[sizeof num - 1 - k++] = (char)('0' + u % 10);
    while ((u /= 10));
    if (pl->line < 0) num[sizeof num - 1 - k++] = '-';
    cat(buf, &n, sizeof buf, pl->text, strlen(pl->text));
    cat(buf, &n, sizeof buf, " (", 2);
    cat(buf, &n, sizeof buf, pl->file, strlen(pl->file));
    cat(buf, &n, sizeof buf, ":", 1);
    cat(buf, &n, sizeof buf, num + sizeof num - k, k);
    cat(buf, &n, sizeof buf, ")", 1);
    return dyad__arena_strndup(&doc->arena, buf, n);
}

/* Start of the clause verb v is in: after the last subordinator. */
static uint32_t clause_start(const sent *S, uint32_t v) {
    if (!(S->cls_any & B(K_SUB))) return 0; /* no subordinator at all */
    for (uint32_t j = v; j-- > 0;)
        if (subordinator(S, j) && S->grp_at[j] < 0) return j + 1;
    return 0;
}

static int first_group_in(const sent *S, uint32_t from, uint32_t to) {
    for (uint32_t j = from; j < to; j++)
        if (S->grp_at[j] >= 0) return S->grp_at[j];
    return -1;
}

/* Passive voice: "X was opposed (earlier) by Y": Y's group, or -1. */
static int passive_agent(const sent *S, const vcand *v) {
    uint32_t b = v->start;
    int aux = 0;
    for (uint32_t k = 0; k < 3 && b > 0; k++) {
        b--;
        if (be_form(S, b)) {
            aux = 1;
            break;
        }
    }
    if (!aux) return -1;
    for (uint32_t j = v->end; j < S->n && j < v->end + 3; j++)
        if (tok_cls(S, j, W_BY)) {
            uint32_t k = j + 1;
            while (k < S->n && np_filler(S, k)) k++;
            return k < S->n ? S->grp_at[k] : -1;
        }
    return -1;
}

/* One clause-level event decision per verb, in sentence order. The first
 * verb that gives a (non-statement) event owns the sentence: later verbs
 * count only when a conjunction joins them to it ("condemned X and promised
 * aid to Y"), so verbs of subordinate clauses ("after crowds burned its
 * embassy") and nouns taken for verbs add nothing. */
static int code_sentence(sent *S, pending *pv, int *n_pending, plabel *labels) {
    const dyad_dict *d = S->c->dict;
    int have_strong = 0, last_src = -1, prev_subject = -1;
    for (uint32_t vi = 0; vi < S->n_vc; vi++) {
        const vcand *v = &S->vc[vi];
        const dyad_verb *verb = &d->verbs[v->verb];
        const dyad_verb_block *blk = &d->blocks[verb->block];
        int own_subject = -1;
        int coord = coordinated(S, v, &own_subject);
        /* the verb's subject, before any pattern says otherwise */
        uint32_t cs = clause_start(S, v->start);
        int subject = -1;
        if (coord && own_subject < 0 && last_src >= 0) subject = last_src;
        if (subject < 0 && coord && own_subject >= 0) subject = own_subject;
        if (subject < 0) {
            /* attribution after a comma: "..., Foreign Minister Wang Yi said" */
            uint32_t j = v->start;
            while (j > 0 && S->grp_at[j - 1] < 0 && adverb(S, j - 1)) j--;
            int g = j > 0 ? S->grp_at[j - 1] : -1;
            if (g >= 0 && S->grp[g].start > cs && tok_cls(S, S->grp[g].start - 1, W_COMMA))
                subject = g;
        }
        /* "Moscow said Putin met Xi": the subject follows the last verb */
        if (subject < 0 && vi > 0 && S->vc[vi - 1].end > cs)
            subject = first_group_in(S, S->vc[vi - 1].end, v->start);
        /* "X said in a telephone conversation with Y": X's conversation */
        if (subject < 0 && vi > 0 && prev_subject >= 0 && S->vc[vi - 1].end > cs)
            subject = prev_subject;
        if (subject < 0) subject = first_group_in(S, cs, v->start);
        /* a subordinate clause with no actor of its own has no subject */
        if (subject < 0 && cs == 0) subject = first_group_in(S, 0, v->start);
        prev_subject = subject;
        if (have_strong && !coord) continue;
        pmatch m = {-1, -1, 0, 0};
        const char *code = NULL, *code2 = NULL;
        plabel *label = &labels[vi];
        /* the patterns whose first three words the sentence holds, in
         * order: one pass without branches (word 0 is always present) */
        const uint32_t (*preq)[4] = S->c->preq + S->c->blk_off[verb->block];
        uint32_t *cand = S->c->cand, n_cand = 0;
        const dyad_coder *co = S->c;
        const bindex *bx = &co->bidx[verb->block];
        if (bx->mask) {
            /* a large block: the patterns of the sentence's words */
            uint64_t *acc = co->bacc;
            memcpy(acc, bx->bits, bx->words * sizeof *acc);
            for (uint32_t q = 0; q < co->n_pres; q++) {
                uint32_t w = co->pres_ids[q], i = (w * 0x9E3779B1u) & bx->mask;
                while (bx->key[i] && bx->key[i] != w) i = (i + 1) & bx->mask;
                if (!bx->key[i]) continue;
                const uint64_t *set = bx->bits + (size_t)bx->ent[i] * bx->words;
                for (uint32_t j = 0; j < bx->words; j++) acc[j] |= set[j];
            }
            for (uint32_t j = 0; j < bx->words; j++)
                for (uint64_t hit = acc[j]; hit; hit &= hit - 1) {
                    uint32_t k = j * 64 + (uint32_t)__builtin_ctzll(hit);
                    cand[n_cand] = k;
                    n_cand += (uint32_t)(is_present(co, preq[k][0]) &
                                         is_present(co, preq[k][1]) &
                                         is_present(co, preq[k][2]));
                }
        } else {
            for (uint32_t k = 0; k < blk->n_pats; k++) {
                cand[n_cand] = k;
                n_cand += (uint32_t)(is_present(co, preq[k][0]) & is_present(co, preq[k][1]) &
                                     is_present(co, preq[k][2]));
            }
        }
        for (uint32_t ci = 0; ci < n_cand; ci++) {
            uint32_t k = cand[ci];
            const dyad_pattern *p = &blk->pats[k];
            int possible = 1;
            if (preq[k][3] & PREQ_MORE) {
                for (uint16_t q = 3; q < p->n_req && possible; q++)
                    possible = is_present(S->c, p->req[q]);
                for (uint16_t q = 0; q < p->n_req_sets && possible; q++) {
                    uint32_t ss = p->req_sets[q];
                    possible = ss < SYN_FAST ? is_present(S->c, S->c->syn_base + ss)
                                             : synset_present(S, &d->synsets[ss]);
                }
            }
            if (possible && match_pattern(S, p, v, &m)) {
                code = p->code;
                code2 = p->code2;
                *label = (plabel){p->text, p->file, p->line};
                break;
            }
        }
        if (!code) {
            if (verb->code) {
                code = verb->code;
                code2 = verb->code2;
            } else {
                code = blk->code;
                code2 = blk->code2;
            }
            *label = (plabel){verb->text, verb->file, verb->line};
            m.src = m.tgt = -1;
        }
        if (!code || strcmp(code, "---") == 0) continue;
        int src = m.src >= 0 ? m.src : subject;
        uint32_t from = m.upper_end > v->end ? m.upper_end : v->end;
        uint32_t limit = target_limit(S, vi, from);
        int tgt = m.tgt;
        int nominal = verb->noun_ok || (v->start > 0 && article(S, v->start - 1));
        if (tgt < 0 && src < 0 && nominal) {
            /* "In a phone call, the two leaders ...": the subject follows */
            src = first_group_in(S, v->end, S->n);
            if (src >= 0) {
                uint32_t j = S->grp[src].end;
                while (j < S->n && !tok_cls(S, j, W_WITH)) j++;
                if (j < S->n) tgt = default_target(S, j, S->n);
            }
        } else if (tgt < 0) {
            int by = passive_agent(S, v);
            if (by >= 0 && by != src) {
                tgt = src;
                src = by;
            } else {
                tgt = default_target(S, v->end, limit);
            }
        }
        if (src < 0) continue;
        const group *G = &S->grp[src];
        /* statements ("said", "noted") yield to the event they report */
        int weak = strncmp(code, "01", 2) == 0;
        int produced = 0;
        /* reciprocal: a compound subject with no one else to act on, for
         * "% *" patterns and the consult/cooperate/agree roots */
        int can_recip = m.compound_src || reciprocal_code(code) || code2;
        /* "A and B signed a treaty in Moscow": a place, not a partner */
        if (G->compound && can_recip && tgt >= 0 && m.tgt < 0 && S->grp[tgt].start > 0 &&
            tok_cls(S, S->grp[tgt].start - 1, W_IN))
            tgt = -1;
        /* "A and B discussed ... the country's leader": an unnamed agent is
         * not the partner of a meeting of two named actors */
        if (G->compound && can_recip && tgt >= 0 && m.tgt < 0 && unnamed(&S->grp[tgt]))
            tgt = -1;
        /* "% * [A:B]": the compound's members act on each other */
        if (G->compound && m.compound_src && code2 && m.tgt < 0) tgt = -1;
        int recip = G->compound && (tgt < 0 || tgt == src) && can_recip;
        if (recip) {
            for (int a = 0; a < G->n; a++)
                for (int b = 0; b < G->n; b++)
                    if (a != b) {
                        const char *cc = (code2 && a > b) ? code2 : code;
                        produced += add_pending(pv, n_pending, G->m[a].code, &G->m[a],
                                                G->m[b].code, &G->m[b], cc, label,
                                                weak, v->start);
                    }
        } else if (tgt >= 0 && tgt != src) {
            const group *T = &S->grp[tgt];
            for (int a = 0; a < G->n; a++)
                for (int b = 0; b < T->n; b++) {
                    produced += add_pending(pv, n_pending, G->m[a].code, &G->m[a],
                                            T->m[b].code, &T->m[b], code, label,
                                            weak, v->start);
                    if (code2)
                        produced += add_pending(pv, n_pending, T->m[b].code, &T->m[b],
                                                G->m[a].code, &G->m[a], code2,
                                                label, weak, v->start);
                }
        }
        if (produced && !weak) {
            have_strong = 1;
            last_src = src;
        }
    }
    return 0;
}

static int push_event(dyad_doc *doc, const dyad_event *e) {
    if (doc->n_ev == doc->cap_ev) {
        size_t nc = doc->cap_ev ? doc->cap_ev * 2 : 16;
        dyad_event *x = realloc(doc->ev, nc * sizeof *x);
        if (!x) return DYAD_ENOMEM;
        doc->ev = x;
        doc->cap_ev = nc;
    }
    doc->ev[doc->n_ev++] = *e;
    return 0;
}

static const char *country_of(dyad_doc *doc, const char *code) {
    if (!is_country_prefix(code)) return NULL;
    return dyad__arena_strndup(&doc->arena, code, 3);
}

/* ------------------------------------------------------- document level */

static int build_block_index(dyad_coder *c) {
    const dyad_dict *d = c->dict;
    /* how many patterns each word is required by */
    uint32_t *uses = calloc(d->n_words + 1, sizeof *uses);
    if (!uses) return DYAD_ENOMEM;
    for (uint32_t b = 0; b < d->n_blocks; b++)
        for (uint32_t k = 0; k < d->blocks[b].n_pats; k++) {
            const dyad_pattern *p = &d->blocks[b].pats[k];
            for (uint16_t q = 0; q < p->n_req; q++) uses[p->req[q]]++;
        }
    int rc = DYAD_OK;
    for (uint32_t b = 0; b < d->n_blocks && !rc; b++) {
        const dyad_verb_block *blk = &d->blocks[b];
        if (blk->n_pats < BINDEX_MIN) continue;
        bindex *x = &c->bidx[b];
        uint32_t slots = 64;
        while (slots < 2 * blk->n_pats) slots *= 2;
        x->words = (blk->n_pats + 63) / 64;
        x->key = dyad__arena_calloc(&c->ix_arena, slots * sizeof *x->key);
        x->ent = dyad__arena_calloc(&c->ix_arena, slots * sizeof *x->ent);
        x->bits = dyad__arena_calloc(&c->ix_arena,
                                     (blk->n_pats + 1) * x->words * sizeof *x->bits);
        if (!x->key || !x->ent || !x->bits) {
            rc = DYAD_ENOMEM;
            break;
        }
        x->mask = slots - 1;
        uint32_t n_sets = 1;
        for (uint32_t k = 0; k < blk->n_pats; k++) {
            const dyad_pattern *p = &blk->pats[k];
            uint32_t w = 0;
            for (uint16_t q = 0; q < p->n_req; q++)
                if (!w || uses[p->req[q]] < uses[w]) w = p->req[q];
            uint32_t set = 0;
            if (w) {
                uint32_t i = (w * 0x9E3779B1u) & x->mask;
                while (x->key[i] && x->key[i] != w) i = (i + 1) & x->mask;
                if (!x->key[i]) {
                    x->key[i] = w;
                    x->ent[i] = n_sets++;
                }
                set = x->ent[i];
            }
            x->bits[set * x->words + k / 64] |= 1ull << (k % 64);
        }
    }
    free(uses);
    return rc;
}

dyad_coder *dyad_coder_new(const dyad_dict *d) {
    if (!d || !d->finished) return NULL;
    pthread_once(&class_once, class_init);
    dyad_coder *c = calloc(1, sizeof *c);
    if (!c) return NULL;
    c->syn_base = (d->n_words + 1 + 63) / 64 * 64;
    c->present = calloc(c->syn_base / 64 + SYN_FAST / 64, sizeof *c->present);
    c->wsyn_off = calloc(d->n_words + 2, sizeof *c->wsyn_off);
    c->pair2 = calloc(d->n_words + 1, sizeof *c->pair2);
    c->pair_bloom = calloc(PAIR_BLOOM_BITS / 64, sizeof *c->pair_bloom);
    c->blk_off = malloc((d->n_blocks + 1) * sizeof *c->blk_off);
    c->tc = malloc(TCACHE_MAX * sizeof *c->tc);
    /* small to begin with, so that the slots of a text's usual words stay
     * in the first-level cache */
    c->tc_mask = 4096 - 1;
    c->tc_slot = calloc(c->tc_mask + 1, sizeof *c->tc_slot);
    if (!c->present || !c->pair2 || !c->pair_bloom || !c->blk_off || !c->tc || !c->tc_slot ||
        !c->wsyn_off)
        goto oom;
    /* each word's fast synsets: counted, placed, then the starts that the
     * placing moved on to the next word's are moved back */
    uint32_t n_fast = d->n_synsets < SYN_FAST ? d->n_synsets : SYN_FAST, n_wsyn = 0;
    for (uint32_t s = 0; s < n_fast; s++)
        for (uint32_t k = 0; k < d->synsets[s].n_firsts; k++, n_wsyn++)
            c->wsyn_off[d->synsets[s].firsts[k] + 1]++;
    for (uint32_t w = 0; w <= d->n_words; w++) c->wsyn_off[w + 1] += c->wsyn_off[w];
    c->wsyn = malloc((n_wsyn + 1) * sizeof *c->wsyn);
    if (!c->wsyn) goto oom;
    for (uint32_t s = 0; s < n_fast; s++)
        for (uint32_t k = 0; k < d->synsets[s].n_firsts; k++)
            c->wsyn[c->wsyn_off[d->synsets[s].firsts[k]]++] = s;
    for (uint32_t w = d->n_words + 1; w > 0; w--) c->wsyn_off[w] = c->wsyn_off[w - 1];
    c->wsyn_off[0] = 0;
    for (uint32_t i = 0; i < d->n_pair_slots; i++)
        if (d->pairs[i].key) {
            uint32_t a = (uint32_t)(d->pairs[i].key >> 32), b = (uint32_t)d->pairs[i].key;
            c->pair2[a] |= 1ull << pair_bit(b);
            uint64_t h = pair_mix(a, b);
            uint32_t x = (uint32_t)h & (PAIR_BLOOM_BITS - 1);
            uint32_t y = (uint32_t)(h >> 40) & (PAIR_BLOOM_BITS - 1);
            c->pair_bloom[x >> 6] |= 1ull << (x & 63);
            c->pair_bloom[y >> 6] |= 1ull << (y & 63);
        }
    uint32_t n_pats = 0, max_pats = 0;
    for (uint32_t b = 0; b < d->n_blocks; b++) {
        c->blk_off[b] = n_pats;
        n_pats += d->blocks[b].n_pats;
        if (d->blocks[b].n_pats > max_pats) max_pats = d->blocks[b].n_pats;
    }
    c->preq = calloc(n_pats + 1, sizeof *c->preq);
    c->cand = malloc((max_pats + 1) * sizeof *c->cand);
    c->bidx = calloc(d->n_blocks + 1, sizeof *c->bidx);
    c->bacc = calloc(max_pats / 64 + 1, sizeof *c->bacc);
    if (!c->preq || !c->cand || !c->bidx || !c->bacc) goto oom;
    dyad__arena_init(&c->ix_arena, 0);
    c->dict = d;
    if (build_block_index(c)) goto oom;
    for (uint32_t b = 0; b < d->n_blocks; b++)
        for (uint32_t k = 0; k < d->blocks[b].n_pats; k++) {
            const dyad_pattern *p = &d->blocks[b].pats[k];
            uint32_t *q = c->preq[c->blk_off[b] + k];
            uint32_t n_items = 0, n_slow = 0;
            for (uint16_t r = 0; r < p->n_req && n_items < 3; r++) q[n_items++] = p->req[r];
            for (uint16_t r = 0; r < p->n_req_sets; r++) {
                if (p->req_sets[r] >= SYN_FAST) n_slow++;
                else if (n_items < 3) q[n_items++] = c->syn_base + p->req_sets[r];
            }
            q[3] = (uint32_t)p->n_req + p->n_req_sets - n_slow > n_items || n_slow ? PREQ_MORE
                                                                                   : 0;
        }
    dyad__arena_init(&c->tc_arena, 0);
    c->default_day = DYAD_NODAY;
    c->debug = getenv("DYAD_DEBUG") != NULL;
    return c;
oom:
    dyad_coder_free(c);
    return NULL;
}

void dyad_coder_free(dyad_coder *c) {
    if (!c) return;
    free(c->present);
    free(c->pres_ids);
    free(c->wsyn_off);
    free(c->wsyn);
    free(c->pair2);
    free(c->pair_bloom);
    free(c->preq);
    free(c->bidx);
    free(c->bacc);
    dyad__arena_free(&c->ix_arena);
    free(c->cand);
    free(c->blk_off);
    free(c->tc);
    free(c->tc_slot);
    dyad__arena_free(&c->tc_arena);
    free(c);
}

int dyad_coder_set_default_date(dyad_coder *c, const char *ymd) {
    if (!ymd) {
        c->default_day = DYAD_NODAY;
        return DYAD_OK;
    }
    dyad_day day = dyad__day_parse_iso(ymd, strlen(ymd));
    if (day == DYAD_NODAY) return DYAD_EDATE;
    c->default_day = day;
    return DYAD_OK;
}

void dyad_coder_set_diag(dyad_coder *c, dyad_diag_fn fn, void *ud) {
    c->diag = fn;
    c->diag_ud = ud;
}

/* Is there a discard phrase in tokens [0, n)? 1 sentence, 2 story. */
static int discard_in(sent *S) {
    int found = 0;
    for (uint32_t i = 0; i < S->n; i++) {
        best b = S->tb[i]->discard;
        if (b.len) {
            int story = S->c->dict->discards[b.idx].story;
            if (story) return 2;
            found = 1;
        }
    }
    return found;
}

/* ------------------------------------------------------- token cache */

/* Up to 8 bytes at p as a little-endian word, zero-padded; end bounds
 * the readable bytes (a whole 8-byte load when it fits, which is nearly
 * always: the text ends with a NUL and tokens are short). */
static inline uint64_t load_upto8(const char *p, size_t n, const char *end) {
    uint64_t v = 0;
    if (n > 8) n = 8;
    if (end - p >= 8) {
        memcpy(&v, p, 8);
        if (n < 8) v &= (1ull << (8 * n)) - 1;
        return v;
    }
    for (size_t k = 0; k < n; k++) v |= (uint64_t)(unsigned char)p[k] << (8 * k);
    return v;
}

/* Hash of a token's bytes, 8 at a time (tokens are short; FNV's byte loop
 * was a tenth of the coder's time); k8 gets the first 8. */
static uint32_t tok_hash(const char *p, size_t n, const char *end, uint64_t *k8,
                         uint64_t *k16) {
    uint64_t v = load_upto8(p, n, end);
    *k8 = v;
    uint64_t h = (0x9E3779B97F4A7C15ull ^ n ^ v) * 0xff51afd7ed558ccdull;
    *k16 = 0;
    if (n > 8) {
        *k16 = load_upto8(p + 8, n - 8, end);
        h ^= h >> 32;
        h = (h ^ *k16) * 0xff51afd7ed558ccdull;
    }
    for (size_t k = 16; k < n; k += 8) {
        h ^= h >> 32;
        h = (h ^ load_upto8(p + k, n - k, end)) * 0xff51afd7ed558ccdull;
    }
    h ^= h >> 29;
    h *= 0xc4ceb9fe1a85ec53ull;
    return (uint32_t)(h >> 32);
}

/* Fill t for the token p[0..n) (t->k8, t->len and t->hash set): everything
 * that depends on the token's bytes only. up gets the upper-cased copy; a
 * holds its list of two-word entries. DYAD_ENOMEM when out of memory. */
static int tinfo_fill(dyad_coder *c, tinfo *t, const char *p, uint32_t n, char *up,
                      dyad_arena *a) {
    const dyad_dict *d = c->dict;
    t->has_upper = 0;
    for (uint32_t k = 0; k < n; k++) {
        unsigned char ch = (unsigned char)p[k];
        if (isupper(ch)) t->has_upper = 1;
        up[k] = (char)toupper(ch);
    }
    up[n] = 0;
    t->up = up;
    uint32_t id = dyad__dict_word(d, up, n);
    t->wid = id;
    t->cls = class_of(up);
    if (n > 4 && up[n - 2] == 'L' && up[n - 1] == 'Y') t->cls |= 1ull << K_LY;
    t->date = (uint8_t)dyad__date_token_may_start(p, n);
    /* pattern words match regular inflections: RUMORS for RUMOR */
    t->alt[0] = t->alt[1] = 0;
    static const char *const sfx[] = {"S", "ES", "D", "ED", "ING"};
    static const uint8_t sfx_len[] = {1, 2, 1, 2, 3};
    int na = 0;
    for (int k = 0; k < 5 && na < 2 && n > 3; k++) {
        size_t sl = sfx_len[k];
        if (n <= sl + 1 || memcmp(up + n - sl, sfx[k], sl) != 0) continue;
        uint32_t aid = dyad__dict_word(d, up, n - sl);
        if (aid && aid != id) t->alt[na++] = aid;
    }
    memset(t->syn, 0, sizeof t->syn);
    uint32_t ids[3] = {id, t->alt[0], t->alt[1]};
    for (int k = 0; k < 3; k++)
        for (uint32_t j = c->wsyn_off[ids[k]]; ids[k] && j < c->wsyn_off[ids[k] + 1]; j++)
            t->syn[c->wsyn[j] >> 6] |= 1ull << (c->wsyn[j] & 63);
    t->n_multi = 0;
    t->multi = NULL;
    t->pair_next = t->pair_n = 0;
    t->pair_ps = NULL;
    t->pair2 = id ? c->pair2[id] : 0;
    if (id) {
        const dyad_word *w = &d->words[id];
        uint32_t n_multi = 0;
        for (uint32_t k = 0; k < w->n_single; k++)
            n_multi += dyad__dict_start_phrase(d, &w->single[k])->n > 1;
        mstart *m = n_multi ? dyad__arena_alloc(a, n_multi * sizeof *m) : NULL;
        if (m) {
            for (uint32_t k = 0; k < w->n_single; k++) {
                const dyad_phrase *ph = dyad__dict_start_phrase(d, &w->single[k]);
                if (ph->n < 2) continue;
                /* (single entries of two words or more have a stem end) */
                const dyad_word *sw = &d->words[ph->w[1]];
                mstart *x = &m[t->n_multi++];
                x->st = w->single[k];
                x->word = ph->w[1];
                x->pre = sw->len >= 3 && sw->len < 256
                             ? first3(sw->s) | sw->len << 24
                             : 0xffffffffu; /* never: a token is shorter */
            }
            t->multi = m;
        } else if (n_multi) {
            return DYAD_ENOMEM;
        }
    }
    /* the one-word phrases, found in a sentence of this one token */
    dyad_tok tok = {p, n, 0, 0};
    uint32_t wids[1] = {id};
    const tinfo *tis[1] = {t};
    sent S1;
    memset(&S1, 0, sizeof S1);
    S1.c = c;
    S1.tok = &tok;
    S1.n = 1;
    S1.wid = wids;
    S1.ti = tis;
    one_word_starts(&S1, &t->one);
    return 0;
}

static const tinfo *tok_info_add(dyad_coder *c, const dyad_tok *tok, uint64_t k8,
                                 uint64_t k16, uint32_t h, uint32_t i, dyad_arena *a);

/* The cache entry of token tok: found, or made (in scratch when the cache is
 * full, in the sentence's arena a). NULL when out of memory. The lookup is
 * inlined in the token loop; making an entry, once per distinct token, is
 * not. */
static inline const tinfo *tok_info(dyad_coder *c, const dyad_tok *tok, const char *end,
                                    dyad_arena *a) {
    uint32_t n = tok->n;
    uint64_t k8, k16;
    uint32_t h = tok_hash(tok->p, n, end, &k8, &k16);
    uint32_t mask = c->tc_mask, i = h & mask;
    for (uint32_t e; (e = c->tc_slot[i]); i = (i + 1) & mask) {
        const tinfo *t = &c->tc[e - 1];
        if (t->k8 == k8 && t->k16 == k16 && t->len == n &&
            (n <= 16 || memcmp(t->up - n + 16, tok->p + 16, n - 16) == 0))
            return t;
    }
    return tok_info_add(c, tok, k8, k16, h, i, a);
}

/* A new entry for tok at slot i (its key k8 and hash h). */
__attribute__((noinline)) static const tinfo *tok_info_add(dyad_coder *c, const dyad_tok *tok,
                                                           uint64_t k8, uint64_t k16,
                                                           uint32_t h, uint32_t i,
                                                           dyad_arena *a) {
    uint32_t n = tok->n;
    tinfo *t;
    char *key, *up;
    /* kept when there is room: fewer than TCACHE_MAX, slots at most 3/4
     * full (when they could not grow) */
    int keep = c->n_tc < TCACHE_MAX && 4 * ((size_t)c->n_tc + 1) <= 3 * ((size_t)c->tc_mask + 1);
    if (keep) {
        t = &c->tc[c->n_tc];
        key = dyad__arena_alloc(&c->tc_arena, 2 * (size_t)n + 1);
    } else { /* full within one document: computed, not kept */
        t = dyad__arena_alloc(a, sizeof *t);
        key = dyad__arena_alloc(a, 2 * (size_t)n + 1);
    }
    if (!t || !key) return NULL;
    memcpy(key, tok->p, n);
    up = key + n;
    t->k8 = k8;
    t->k16 = k16;
    t->len = n;
    t->hash = h;
    if (tinfo_fill(c, t, tok->p, n, up, keep ? &c->tc_arena : a)) return NULL;
    if (keep) {
        c->tc_slot[i] = ++c->n_tc;
        if (2 * c->n_tc > c->tc_mask && c->tc_mask + 1 < 2 * TCACHE_MAX) {
            /* more than half full: twice the slots (entries stay put) */
            uint32_t nm = 2 * c->tc_mask + 1;
            uint32_t *ns = calloc(nm + 1, sizeof *ns);
            if (ns) {
                for (uint32_t e = 1; e <= c->n_tc; e++) {
                    uint32_t j = c->tc[e - 1].hash & nm;
                    while (ns[j]) j = (j + 1) & nm;
                    ns[j] = e;
                }
                free(c->tc_slot);
                c->tc_slot = ns;
                c->tc_mask = nm;
            }
        }
    }
    return t;
}

/* Between documents: a full cache starts again, so that its memory stays
 * bounded whatever the input. */
static void tok_cache_trim(dyad_coder *c) {
    if (c->n_tc < TCACHE_MAX && 4 * ((size_t)c->n_tc + 1) <= 3 * ((size_t)c->tc_mask + 1))
        return;
    memset(c->tc_slot, 0, (c->tc_mask + 1) * sizeof *c->tc_slot);
    c->n_tc = 0;
    dyad__arena_reset(&c->tc_arena);
}

static int prepare_tokens(sent *S, dyad_arena *a) {
    S->wid = dyad__arena_alloc(a, sizeof *S->wid * (S->n + 1));
    S->alt = dyad__arena_alloc(a, sizeof *S->alt * (S->n + 1));
    S->cls = dyad__arena_alloc(a, sizeof *S->cls * (S->n + 1));
    S->ti = dyad__arena_alloc(a, sizeof *S->ti * (S->n + 1));
    if (!S->wid || !S->alt || !S->cls || !S->ti) return DYAD_ENOMEM;
    S->any_date = 0;
    S->any_quote = 0;
    S->cls_any = 0;
    uint64_t syn[SYN_FAST / 64] = {0};
    for (uint32_t i = 0; i < S->n; i++) {
        const tinfo *t = tok_info(S->c, &S->tok[i], S->text_end, a);
        if (!t) return DYAD_ENOMEM;
        S->ti[i] = t;
        S->wid[i] = t->wid;
        S->cls[i] = t->cls;
        S->cls_any |= t->cls;
        S->any_quote |= (S->tok[i].flags & DYAD_TOK_QUOTE) != 0;
        S->alt[i][0] = t->alt[0];
        S->alt[i][1] = t->alt[1];
        /* a short word at the end of a token goes on into the next one
         * when that one follows with no space and starts with a letter */
        int may_date = t->date & DYAD_DATE_TOK_START;
        if ((t->date & DYAD_DATE_TOK_TAIL) && i + 1 < S->n &&
            S->tok[i + 1].off == S->tok[i].off + S->tok[i].n &&
            ((S->tok[i + 1].p[0] | 0x20) >= 'a' && (S->tok[i + 1].p[0] | 0x20) <= 'z'))
            may_date = 1;
        if (may_date && !S->any_date) {
            S->any_date = 1;
            S->date_tok = i;
        }
        for (int k = 0; k < SYN_FAST / 64; k++) syn[k] |= t->syn[k];
    }
    memcpy(S->syn, syn, sizeof syn);
    return 0;
}

/* The sentence's words (and their ids less an inflection) and synsets in
 * the coder's present set, for the pattern tests; made only for sentences
 * that get that far. */
static int stamp_present(sent *S) {
    dyad_coder *c = S->c;
    /* (locals: stores through the arrays could alias the coder's fields) */
    uint64_t *present = c->present;
    uint32_t *ids = c->pres_ids, n = c->n_pres;
    for (uint32_t k = 0; k < n; k++) present[ids[k] >> 6] = 0;
    present[0] |= 1; /* word 0: "no word", always there */
    c->n_pres = n = 0;
    if (3 * S->n > c->cap_pres) {
        uint32_t *x = realloc(c->pres_ids, 3 * (size_t)S->n * sizeof *x);
        if (!x) return DYAD_ENOMEM;
        c->pres_ids = ids = x;
        c->cap_pres = 3 * S->n;
    }
    for (uint32_t i = 0; i < S->n; i++) {
        /* each id is listed when its bit was clear; word 0's is always
         * set. The word's own id without a branch (whether it is new cannot
         * be predicted); the ids less an inflection are rare. */
        uint32_t id = S->wid[i];
        uint64_t w = present[id >> 6], bit = 1ull << (id & 63);
        ids[n] = id;
        n += !(w & bit);
        present[id >> 6] = w | bit;
        if (S->alt[i][0])
            for (int k = 0; k < 2; k++) {
                id = S->alt[i][k];
                w = present[id >> 6];
                bit = 1ull << (id & 63);
                ids[n] = id;
                n += !(w & bit);
                present[id >> 6] = w | bit;
            }
    }
    c->n_pres = n;
    /* the synsets' bits, the sentence's whatever the last one held */
    memcpy(c->present + c->syn_base / 64, S->syn, sizeof S->syn);
    return 0;
}

dyad_doc *dyad_code_article(dyad_coder *c, const dyad_article *art, int *rc) {
    int r = DYAD_OK;
    dyad_doc *doc = calloc(1, sizeof *doc);
    if (!doc) {
        if (rc) *rc = DYAD_ENOMEM;
        return NULL;
    }
    dyad__arena_init(&doc->arena, 0);
    dyad_arena work;
    dyad__arena_init(&work, 0);
    const char *origin = art->origin ? art->origin : (art->id ? art->id : "-");
    doc->id = dyad__arena_strdup(&doc->arena, art->id ? art->id : "");
    char *norm = NULL;
    size_t norm_n = 0, n_invalid = 0;
    size_t text_len = art->text ? (art->text_len ? art->text_len : strlen(art->text)) : 0;
    r = dyad__text_normalize(&doc->arena, art->text ? art->text : "", text_len,
                             &norm, &norm_n, &n_invalid);
    if (r) goto fail;
    if (n_invalid)
        cdiag(c, DYAD_DIAG_WARNING, origin, art->line,
              "%zu invalid UTF-8 sequence(s) replaced", n_invalid);
    /* the document's date: the article's, the dateline's when near it, or
     * the coder's default */
    dyad_day day = DYAD_NODAY;
    if (art->date) {
        day = dyad__day_parse_iso(art->date, strlen(art->date));
        if (day == DYAD_NODAY)
            cdiag(c, DYAD_DIAG_ERROR, origin, art->line,
                  "unknown date format '%s' (expected YYYY-MM-DD)", art->date);
    }
    if (day == DYAD_NODAY) day = c->default_day;
    dyad_dateline dl;
    size_t body = 0;
    if (dyad__dateline_parse(norm, norm_n, &dl)) {
        doc->place = dyad__arena_strndup(&doc->arena, norm + dl.place_off, dl.place_len);
        dyad_day dd = dyad__dateline_day(&dl, day);
        if (dd != DYAD_NODAY) day = dd;
        body = dl.body_off;
    }
    if (day == DYAD_NODAY) {
        cdiag(c, DYAD_DIAG_WARNING, origin, art->line,
              "article '%s' has no date (use --date or a `date YYYY-MM-DD` line); events get \"date\": null",
              doc->id);
    } else {
        dyad__day_format(day, doc->date);
        doc->has_date = 1;
    }
    dyad_sent *sents;
    dyad_tok *toks;
    size_t n_sents, n_toks;
    r = dyad__text_split(&doc->arena, norm, norm_n, &sents, &n_sents, &toks, &n_toks);
    if (r) goto fail;
    doc->n_sent = n_sents;
    tok_cache_trim(c);
    dyad_day date_day = DYAD_NODAY; /* the day date_s holds */
    const char *date_s = NULL;
    sent S;
    memset(&S, 0, sizeof S);
    S.c = c;
    S.doc = doc;
    S.text = norm;
    S.text_end = norm + norm_n + 1;
    for (size_t si = 0; si < n_sents; si++) {
        const dyad_sent *st = &sents[si];
        dyad__arena_reset(&work);
        S.tok = toks + st->tok_first;
        S.n = st->tok_count;
        S.base = st->start;
        /* the dateline ("MOSCOW, Aug 25:") is not part of the sentence */
        while (S.n && S.tok[0].off < body) S.tok++, S.n--;
        if (!S.n) continue;
        if ((r = prepare_tokens(&S, &work)) || (r = scan_tokens(&S, &work))) goto fail;
        if (S.any_discard) {
            int dis = discard_in(&S);
            if (dis == 2) { /* a story discard anywhere drops the whole story */
                doc->discarded = 2;
                doc->n_ev = 0;
                goto done;
            }
            if (dis) {
                doc->discarded = 1;
                continue;
            }
        }
        const char *stext = norm + st->start;
        size_t slen = st->end - st->start;
        /* no verb form: no event, whatever the actors */
        if (!S.n_verb_at) continue;
        S.day = day;
        if ((r = find_mentions(&S, &work))) goto fail;
        /* An event needs two noun phrases, or one compound of two ("A and
         * B met"): none with one actor or agent at most and no coreference
         * word (whatever the date). DYAD_DEBUG shows every sentence. */
        if (S.n_men < 2 && !(doc->has_last && (S.cls_any & COREF_STARTS)) && !c->debug)
            continue;
        if ((r = build_groups(&S, &work)) || (r = find_verbs(&S, &work))) goto fail;
        if (!S.n_grp || !S.n_vc) continue;
        /* the sentence's own date, looked for only where an event can be */
        /* (skipped when no token may start one; the dateline's tokens are
         * not among S.tok but are in stext) */
        /* (from the first token that may start one: no letter or digit
         * before it can) */
        dyad_day sday = DYAD_NODAY;
        if (S.tok != toks + st->tok_first)
            sday = dyad__date_in_text(stext, slen, day, NULL, NULL);
        else if (S.any_date)
            sday = dyad__date_in_text_from(stext, slen, S.tok[S.date_tok].off - st->start, day,
                                           NULL, NULL);
        /* a date after the article's is a deadline or a plan ("leave
         * beyond August 31"), not when the reported event happened */
        if (sday != DYAD_NODAY && (day == DYAD_NODAY || sday <= day) && sday != day) {
            /* actors' dated roles follow the event's date (the phrases are
             * made again when one of its actors has one) */
            S.day = sday;
            int dated = 0;
            for (uint32_t k = 0; k < S.n_men && !dated; k++) {
                if (S.men[k].kind != ST_ACTOR) continue;
                const dyad_actor *ac = &c->dict->actors[S.men[k].idx];
                for (uint32_t q = 0; q < ac->n_codes && !dated; q++) dated = ac->codes[q].dated;
            }
            if (dated && (r = build_groups(&S, &work))) goto fail;
        }
        /* nor with one phrase that is not a compound */
        if (S.n_grp < 2 && !(S.n_grp == 1 && S.grp[0].compound) && !c->debug) continue;
        pending pv[MAX_EVENTS_PER_SENT];
        int n_pending = 0;
        if (c->debug) {
            for (uint32_t k = 0; k < S.n_grp; k++) {
                fprintf(stderr, "  group %u-%u:", S.grp[k].start, S.grp[k].end);
                for (int q = 0; q < S.grp[k].n; q++) fprintf(stderr, " %s", S.grp[k].m[q].code);
                fprintf(stderr, "%s\n", S.grp[k].compound ? " (compound)" : "");
            }
            for (uint32_t k = 0; k < S.n_vc; k++)
                fprintf(stderr, "  verb %u-%u %s\n", S.vc[k].start, S.vc[k].end,
                        c->dict->verbs[S.vc[k].verb].text);
        }
        plabel *labels = dyad__arena_alloc(&work, S.n_vc * sizeof *labels);
        if (!labels) {
            r = DYAD_ENOMEM;
            goto fail;
        }
        if ((r = stamp_present(&S))) goto fail;
        code_sentence(&S, pv, &n_pending, labels);
        if (!n_pending) continue;
        int strong = 0;
        for (int k = 0; k < n_pending; k++) strong += !pv[k].weak;
        const char *sentence = NULL;
        const plabel *lab_key[MAX_EVENTS_PER_SENT];
        const char *lab_str[MAX_EVENTS_PER_SENT];
        int n_lab = 0;
        for (int k = 0; k < n_pending; k++) {
            const pending *p = &pv[k];
            if (p->weak && strong) continue;
            if (!sentence) {
                sentence = dyad__arena_strndup(&doc->arena, stext, slen);
                if (!sentence) {
                    r = DYAD_ENOMEM;
                    goto fail;
                }
            }
            dyad_event e;
            memset(&e, 0, sizeof e);
            e.doc = doc->id;
            e.sentence = (int)si;
            /* one string for the events of a date (most share the
             * article's), made at the first */
            if (S.day != DYAD_NODAY && S.day != date_day) {
                char date[11];
                dyad__day_format(S.day, date);
                if (!(date_s = dyad__arena_strdup(&doc->arena, date))) {
                    r = DYAD_ENOMEM;
                    goto fail;
                }
                date_day = S.day;
            }
            e.date = S.day != DYAD_NODAY ? date_s : NULL;
            e.source = p->src;
            e.source_name = dyad__arena_strndup(&doc->arena, stext + p->soff, p->slen);
            e.source_country = country_of(doc, p->src);
            e.target = p->tgt;
            e.target_name = dyad__arena_strndup(&doc->arena, stext + p->toff, p->tlen);
            e.target_country = country_of(doc, p->tgt);
            e.code = p->code;
            /* event codes are the dictionary's strings: their entries are
             * kept by address (a binary search of strings was 2% of time) */
            uint32_t ck = (uint32_t)(((uintptr_t)p->code >> 3) * 0x9E3779B1u) >> 24;
            if (c->cameo_key[ck] != p->code) {
                c->cameo_key[ck] = p->code;
                c->cameo_val[ck] = dyad_cameo_lookup(p->code);
            }
            const dyad_cameo *cm = c->cameo_val[ck];
            if (cm) {
                memcpy(e.root, cm->root, 2);
                e.root[2] = 0;
                e.quad = cm->quad;
                e.goldstein = cm->goldstein;
                e.has_goldstein = 1;
                e.plover = cm->plover;
            } else if (strlen(p->code) >= 2 && isdigit((unsigned char)p->code[0]) &&
                       isdigit((unsigned char)p->code[1])) {
                memcpy(e.root, p->code, 2);
            }
            e.text = sentence;
            /* one string per dictionary line and sentence */
            e.pattern = NULL;
            for (int q = 0; q < n_lab && !e.pattern; q++)
                if (lab_key[q] == p->pattern) e.pattern = lab_str[q];
            if (!e.pattern) {
                if (!(e.pattern = pattern_label(doc, p->pattern))) {
                    r = DYAD_ENOMEM;
                    goto fail;
                }
                lab_key[n_lab] = p->pattern;
                lab_str[n_lab++] = e.pattern;
            }
            e.place = doc->place;
            e.source_span.off = p->soff;
            e.source_span.len = p->slen;
            e.target_span.off = p->toff;
            e.target_span.len = p->tlen;
            e.verb_span.off = S.tok[p->verb_tok].off - S.base;
            e.verb_span.len = S.tok[p->verb_tok].n;
            if ((r = push_event(doc, &e))) goto fail;
        }
        /* remember the last event's actors for "he", "the two leaders" */
        const pending *lp = NULL;
        for (int k = n_pending - 1; k >= 0 && !lp; k--)
            if (!pv[k].weak || !strong) lp = &pv[k];
        if (lp) {
            doc->last_src = lp->src;
            doc->last_tgt = lp->tgt;
            doc->has_last = 1;
        }
        if (doc->arena.oom) {
            r = DYAD_ENOMEM;
            goto fail;
        }
    }
done:
    dyad__arena_free(&work);
    if (rc) *rc = DYAD_OK;
    return doc;
fail:
    dyad__arena_free(&work);
    dyad_doc_free(doc);
    if (rc) *rc = r ? r : DYAD_ENOMEM;
    return NULL;
}

size_t dyad_doc_event_count(const dyad_doc *doc) { return doc->n_ev; }

const dyad_event *dyad_doc_event(const dyad_doc *doc, size_t i) {
    return i < doc->n_ev ? &doc->ev[i] : NULL;
}

size_t dyad_doc_sentence_count(const dyad_doc *doc) { return doc->n_sent; }

const char *dyad_doc_date(const dyad_doc *doc) {
    return doc->has_date ? doc->date : NULL;
}

int dyad_doc_discarded(const dyad_doc *doc) { return doc->discarded; }

const char *dyad_doc_place(const dyad_doc *doc) { return doc->place; }

void dyad_doc_free(dyad_doc *doc) {
    if (!doc) return;
    free(doc->ev);
    dyad__arena_free(&doc->arena);
    free(doc);
}
