/* dict.h: in-memory form of the PETRARCH/TABARI dictionaries (actors,
 * agents, verbs with patterns and synonym sets, discards) and the indexes the
 * coder matches against. Everything lives in the dictionary's arena. */
#ifndef DYAD_DICT_H
#define DYAD_DICT_H

#include <stddef.h>
#include <stdint.h>

#include "dates.h"
#include "dyad.h"
#include "util/arena.h"

/* A phrase: word ids (0 never used). If last_stem, the last word matches any
 * token that starts with it (TABARI: no trailing underscore). */
typedef struct dyad_phrase {
    uint32_t *w;
    uint16_t n;
    uint8_t last_stem;
} dyad_phrase;

typedef struct dyad_actor_code {
    const char *code; /* "RUSGOV"; "---" = a known non-actor */
    dyad_day from, to; /* inclusive; DYAD_NODAY = open */
    uint8_t dated;
} dyad_actor_code;

typedef struct dyad_actor {
    const char *name; /* primary phrase as written: "SERGEY_LAVROV_" */
    dyad_actor_code *codes;
    uint32_t n_codes;
    const char *file;
    int line;
} dyad_actor;

typedef struct dyad_agent {
    const char *code; /* "GOV" */
    uint8_t prefix;   /* [GOV~]: goes before the actor code */
    const char *name;
    const char *file;
    int line;
} dyad_agent;

/* Pattern elements. */
enum {
    PE_WORD = 1,  /* id = word id; stem flag */
    PE_SYNSET,    /* id = synset index */
    PE_VERB,      /* '*' */
    PE_SOURCE,    /* '$' */
    PE_TARGET,    /* '+' */
    PE_COMPOUND,  /* '%' */
    PE_SKIP       /* '^' */
};

typedef struct dyad_pelem {
    uint8_t kind;
    uint8_t adj;  /* joined to the next element by '_' (must be adjacent) */
    uint8_t stem;
    uint32_t id;
} dyad_pelem;

typedef struct dyad_pattern {
    dyad_pelem *e;
    uint16_t n, verb_at; /* index of PE_VERB in e */
    const char *code, *code2; /* code2: reciprocal code of [A:B], or NULL */
    const char *text;         /* the pattern line as written */
    const char *file;
    int line;
    int weight; /* specificity: more elements first */
    const uint32_t *req; /* literal word ids the sentence must contain */
    uint16_t n_req;
    const uint32_t *req_sets; /* synsets: one of each set's first words too */
    uint16_t n_req_sets;
} dyad_pattern;

typedef struct dyad_verb_block {
    const char *name;
    const char *code; /* default code of the block, "---" = none */
    const char *code2; /* reverse-direction code of [A:B], or NULL */
    dyad_pattern *pats;
    uint32_t n_pats, cap_pats;
    uint32_t *pkey; /* finish: each pattern's first required word (0 = none),
                     * contiguous so the coder's quick test stays in cache */
    const char *file;
    int line;
} dyad_verb_block;

/* One verb form: "SPOKE", "HELD TALKS", "PHONE CALL". */
typedef struct dyad_verb {
    dyad_phrase ph;
    uint32_t block;
    const char *code; /* own default code, or NULL to use the block's */
    const char *code2; /* its reverse-direction code of [A:B], or NULL */
    const char *text; /* the verb line as written */
    uint8_t noun_ok;  /* may follow a determiner (a nominal form: `TALKS {}`) */
    uint8_t participle; /* a past form (-ED or listed irregular): passive ok */
    const char *file;
    int line;
} dyad_verb;

typedef struct dyad_synset {
    const char *name;
    dyad_phrase *ph;
    uint32_t n, cap;
    uint32_t *firsts; /* distinct first words of the phrases (finish) */
    uint32_t n_firsts;
} dyad_synset;

typedef struct dyad_discard {
    dyad_phrase ph;
    uint8_t story; /* '+': the whole story is dropped */
    const char *text;
} dyad_discard;

/* What a word starts: index entries. */
enum { ST_ACTOR = 1, ST_AGENT, ST_VERB, ST_DISCARD };
typedef struct dyad_start {
    uint32_t kind : 3;
    uint32_t idx : 29; /* phrase index (actor, agent, verb or discard) */
    uint32_t w2;       /* the phrase's second word, 0 if none or a stem: a
                        * quick reject; in the pair table its third word */
} dyad_start;

typedef struct dyad_word {
    const char *s;
    uint32_t len;
    uint32_t hash;
    uint8_t stem_key; /* some phrase uses this word as a one-word stem */
    dyad_start *starts; /* every phrase that starts with this word */
    uint32_t n_starts, cap_starts;
    /* built by dyad_dict_finish: the starts with no fixed second word (the
     * coder's index; phrases with one go to the pair table) */
    dyad_start *single;
    uint32_t n_single;
} dyad_word;

/* Pair table: (first word, second word) -> the phrases that start so. */
typedef struct dyad_pair {
    uint64_t key; /* first << 32 | second; 0 = empty slot */
    uint32_t first, n; /* range in pair_starts */
} dyad_pair;

/* An actor phrase: synonyms share the actor. */
typedef struct dyad_actor_phrase {
    dyad_phrase ph;
    uint32_t actor;
} dyad_actor_phrase;

typedef struct dyad_agent_phrase {
    dyad_phrase ph;
    uint32_t agent;
} dyad_agent_phrase;

/* A diagnostic of a dictionary parse, kept for the compiled image. */
typedef struct dyad_image_diag {
    const char *file;
    const char *msg;
    long line;
    int sev;
} dyad_image_diag;

/* A source recorded for a deferred (cached) load. */
typedef struct dyad_dict_source {
    char *name;
    const char *buf; /* builtin text or a copy; NULL: read the file name */
    size_t len;
    int kind;        /* dyad_dict_kind */
    int owned;       /* buf was copied by us */
} dyad_dict_source;

struct dyad_dict {
    dyad_arena arena;
    dyad_diag_fn diag;
    void *diag_ud;
    int finished;
    /* word table: open addressing, ids index into words[] */
    dyad_word *words;
    uint32_t n_words, cap_words;
    uint32_t *slots;
    uint32_t n_slots;
    uint32_t min_stem, max_stem;
    /* bit (hash of a stem's first 3 bytes): tokens that start with no stem
     * skip the stem lookups */
    uint64_t stem3[64];
#define DYAD_VEC(T, name) T *name; uint32_t n_##name, cap_##name
    DYAD_VEC(dyad_actor, actors);
    DYAD_VEC(dyad_actor_phrase, aphr);
    DYAD_VEC(dyad_agent, agents);
    DYAD_VEC(dyad_agent_phrase, gphr);
    DYAD_VEC(dyad_verb_block, blocks);
    DYAD_VEC(dyad_verb, verbs);
    DYAD_VEC(dyad_synset, synsets);
    DYAD_VEC(dyad_discard, discards);
#undef DYAD_VEC
    size_t n_errors;
    size_t n_patterns;
    dyad_pair *pairs;
    uint32_t n_pair_slots;
    dyad_start *pair_starts;
    /* compiled images (dyad_dict_set_cache): sources are recorded and parsed
     * at finish, unless an image made from the same sources can be mapped */
    char *cache_dir;
    dyad_dict_source *sources;
    size_t n_sources;
    dyad_image_diag *recorded; /* diagnostics of the parse, for the image */
    size_t n_recorded;
    const dyad_image_diag *replay; /* from a mapped image */
    size_t n_replay;
    void *map;
    size_t map_len;
    int from_image;
};

/* The phrases starting with words a then b (b != 0): *n entries or NULL. */
/* The phrase an index entry stands for (actor, agent, verb or discard). */
const dyad_phrase *dyad__dict_start_phrase(const dyad_dict *d, const dyad_start *st);
const dyad_start *dyad__dict_pair(const dyad_dict *d, uint32_t a, uint32_t b,
                                  uint32_t *n);

/* Word id of an upper-case word, 0 if unknown. */
uint32_t dyad__dict_word(const dyad_dict *d, const char *s, size_t n);
/* Bit index of the first 3 bytes of a word, for the stem3 filter. */
static inline uint32_t dyad__stem3(const char *s) {
    return (((uint32_t)(unsigned char)s[0] * 31u + (unsigned char)s[1]) * 31u +
            (unsigned char)s[2]) & 4095u;
}
/* The actor code in force on a day (DYAD_NODAY: the undated default, else the
 * latest dated one). NULL if the actor has no code then. */
const char *dyad__actor_code(const dyad_actor *a, dyad_day day);
/* Synset index by name (with '&'), -1 if none. */
int dyad__dict_synset(const dyad_dict *d, const char *name, size_t n);

#endif
