/* dict.c: loads PETRARCH/TABARI dictionaries (actors, agents, verb patterns,
 * synonym sets, discards) into word-indexed tables for the coder.
 * The formats are documented in docs/dictionaries.md. */
#include "dict.h"

#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "builtin.h"
#include "dict_image.h"
#include "util/buf.h"
#include "util/diag.h"

enum { MAX_PHRASE_WORDS = 32, MAX_LINE = 4096, MAX_DICT_FILE = 256 << 20 };

/* ------------------------------------------------------------ utilities */

#define VEC_PUSH(d, name)                                                     \
    (((d)->n_##name == (d)->cap_##name)                                       \
         ? grow_vec((void **)&(d)->name, &(d)->cap_##name, sizeof *(d)->name) \
         : 0)

static int grow_vec_from(void **p, uint32_t *cap, size_t elem, uint32_t first) {
    uint32_t nc = *cap ? *cap * 2 : first;
    void *np = realloc(*p, (size_t)nc * elem);
    if (!np) return DYAD_ENOMEM;
    *p = np;
    *cap = nc;
    return 0;
}

static int grow_vec(void **p, uint32_t *cap, size_t elem) {
    return grow_vec_from(p, cap, elem, 64);
}

static void report(dyad_dict *d, dyad_severity sev, const char *file, long line,
                   const char *fmt, ...) __attribute__((format(printf, 5, 6)));
static void report(dyad_dict *d, dyad_severity sev, const char *file, long line,
                   const char *fmt, ...) {
    va_list ap;
    va_start(ap, fmt);
    if (sev == DYAD_DIAG_ERROR) d->n_errors++;
    if (d->cache_dir) {
        /* kept for the compiled image, which replays them on every load */
        char msg[512];
        va_list cp;
        va_copy(cp, ap);
        vsnprintf(msg, sizeof msg, fmt, cp);
        va_end(cp);
        dyad_image_diag *x = realloc(d->recorded, (d->n_recorded + 1) * sizeof *x);
        if (x) {
            d->recorded = x;
            x[d->n_recorded].file = dyad__arena_strdup(&d->arena, file ? file : "");
            x[d->n_recorded].msg = dyad__arena_strdup(&d->arena, msg);
            x[d->n_recorded].line = line;
            x[d->n_recorded].sev = (int)sev;
            d->n_recorded++;
        }
    }
    dyad__vdiag(d->diag, d->diag_ud, sev, file, line, fmt, ap);
    va_end(ap);
}

static uint32_t hash_bytes(const char *s, size_t n) {
    uint32_t h = 2166136261u;
    for (size_t i = 0; i < n; i++) h = (h ^ (unsigned char)s[i]) * 16777619u;
    return h ? h : 1;
}

/* ----------------------------------------------------------- word table */

static int rehash(dyad_dict *d) {
    uint32_t ns = d->n_slots ? d->n_slots * 2 : 4096;
    uint32_t *slots = calloc(ns, sizeof *slots);
    if (!slots) return DYAD_ENOMEM;
    for (uint32_t id = 1; id < d->n_words; id++) {
        uint32_t i = d->words[id].hash & (ns - 1);
        while (slots[i]) i = (i + 1) & (ns - 1);
        slots[i] = id;
    }
    free(d->slots);
    d->slots = slots;
    d->n_slots = ns;
    return 0;
}

uint32_t dyad__dict_word(const dyad_dict *d, const char *s, size_t n) {
    if (!d->n_slots) return 0;
    uint32_t h = hash_bytes(s, n);
    uint32_t i = h & (d->n_slots - 1);
    for (;;) {
        uint32_t id = d->slots[i];
        if (!id) return 0;
        const dyad_word *w = &d->words[id];
        if (w->hash == h && w->len == n && memcmp(w->s, s, n) == 0) return id;
        i = (i + 1) & (d->n_slots - 1);
    }
}

/* Intern an upper-case word; 0 on out of memory. */
static uint32_t intern(dyad_dict *d, const char *s, size_t n) {
    uint32_t id = dyad__dict_word(d, s, n);
    if (id) return id;
    if (d->n_words == 0) d->n_words = 1; /* id 0 is "none" */
    if ((d->n_words + 1) * 2 > d->n_slots && rehash(d)) return 0;
    if (d->n_words >= d->cap_words &&
        grow_vec((void **)&d->words, &d->cap_words, sizeof *d->words))
        return 0;
    char *copy = dyad__arena_strndup(&d->arena, s, n);
    if (!copy) return 0;
    id = d->n_words++;
    dyad_word *w = &d->words[id];
    memset(w, 0, sizeof *w);
    w->s = copy;
    w->len = (uint32_t)n;
    w->hash = hash_bytes(s, n);
    uint32_t i = w->hash & (d->n_slots - 1);
    while (d->slots[i]) i = (i + 1) & (d->n_slots - 1);
    d->slots[i] = id;
    return id;
}

static int add_start(dyad_dict *d, uint32_t word, int kind, uint32_t idx,
                     uint32_t w2) {
    dyad_word *w = &d->words[word];
    /* most words start one phrase or two: grow from 2, not 64 */
    if (w->n_starts == w->cap_starts &&
        grow_vec_from((void **)&w->starts, &w->cap_starts, sizeof *w->starts, 2))
        return DYAD_ENOMEM;
    w->starts[w->n_starts].kind = (uint32_t)kind;
    w->starts[w->n_starts].idx = idx;
    w->starts[w->n_starts].w2 = w2;
    w->n_starts++;
    return 0;
}

/* --------------------------------------------------------------- phrases */

/* Upper-case a dictionary word in place (ASCII; other bytes kept). */
static void upcase(char *s, size_t n) {
    for (size_t i = 0; i < n; i++) s[i] = (char)toupper((unsigned char)s[i]);
}

/* Parse a phrase "NEW_ZEALAND_" / "PRIME MINISTER" into word ids.
 * Separators are '_' and spaces; a trailing '_' (or a phrase written with
 * one word and a trailing '_') makes the last word exact, else it is a stem.
 * Returns the number of words, or -1 if malformed. */
static int parse_phrase(dyad_dict *d, const char *s, size_t n, dyad_phrase *ph,
                        int stems_allowed) {
    uint32_t ids[MAX_PHRASE_WORDS];
    int nw = 0;
    size_t i = 0;
    while (i < n && (s[i] == ' ' || s[i] == '\t')) i++;
    while (n > i && (s[n - 1] == ' ' || s[n - 1] == '\t')) n--;
    if (i >= n) return DYAD_EPARSE;
    int trailing = s[n - 1] == '_';
    while (i < n) {
        while (i < n && (s[i] == '_' || s[i] == ' ' || s[i] == '\t')) i++;
        size_t b = i;
        while (i < n && s[i] != '_' && s[i] != ' ' && s[i] != '\t') i++;
        if (i == b) break;
        if (nw + 1 >= MAX_PHRASE_WORDS) return DYAD_EPARSE;
        char tmp[256];
        size_t len = i - b;
        if (len >= sizeof tmp) return DYAD_EPARSE;
        memcpy(tmp, s + b, len);
        upcase(tmp, len);
        /* the tokenizer splits "People's" into "People" "'s": so do we */
        int poss = len > 2 && tmp[len - 2] == '\'' && tmp[len - 1] == 'S';
        uint32_t id = intern(d, tmp, poss ? len - 2 : len);
        if (!id) return DYAD_EPARSE;
        ids[nw++] = id;
        if (poss) {
            if (!(id = intern(d, "'S", 2))) return DYAD_EPARSE;
            ids[nw++] = id;
        }
    }
    if (nw == 0) return DYAD_EPARSE;
    ph->w = dyad__arena_alloc(&d->arena, sizeof(uint32_t) * (size_t)nw);
    if (!ph->w) return DYAD_EPARSE;
    memcpy(ph->w, ids, sizeof(uint32_t) * (size_t)nw);
    ph->n = (uint16_t)nw;
    ph->last_stem = (uint8_t)(stems_allowed && !trailing);
    if (ph->last_stem && d->words[ids[nw - 1]].len < 3) ph->last_stem = 0;
    return nw;
}

/* Index a phrase under its first word (one-word stems under the stem key). */
static int index_phrase(dyad_dict *d, const dyad_phrase *ph, int kind,
                        uint32_t idx) {
    uint32_t first = ph->w[0];
    /* a stem second word cannot be checked by id */
    uint32_t w2 = ph->n > 1 && !(ph->n == 2 && ph->last_stem) ? ph->w[1] : 0;
    if (ph->n == 1 && ph->last_stem) {
        dyad_word *w = &d->words[first];
        w->stem_key = 1;
        uint32_t bit = dyad__stem3(w->s);
        d->stem3[bit >> 6] |= 1ull << (bit & 63);
        if (!d->min_stem || w->len < d->min_stem) d->min_stem = w->len;
        if (w->len > d->max_stem) d->max_stem = w->len;
    }
    return add_start(d, first, kind, idx, w2);
}

/* ---------------------------------------------------------------- dates */

/* "20040309", "040309" (TABARI: two-digit years, 50-99 = 19xx). */
static dyad_day parse_dict_date(const char *s, size_t n) {
    int v[8];
    if (n != 6 && n != 8) return DYAD_NODAY;
    for (size_t i = 0; i < n; i++) {
        if (!isdigit((unsigned char)s[i])) return DYAD_NODAY;
        v[i] = s[i] - '0';
    }
    int y, m, dd;
    if (n == 8) {
        y = v[0] * 1000 + v[1] * 100 + v[2] * 10 + v[3];
        m = v[4] * 10 + v[5];
        dd = v[6] * 10 + v[7];
    } else {
        y = v[0] * 10 + v[1];
        y += y >= 50 ? 1900 : 2000;
        m = v[2] * 10 + v[3];
        dd = v[4] * 10 + v[5];
    }
    return dyad__day_from_ymd(y, m, dd);
}

/* Parse the inside of an actor code bracket: "RUSGOV >20040309",
 * "HOB < 950601", "HOBGOV 19950601 - 19990815", "RUSELI", "FRO/BIL/SAM".
 * Appends one code per '/'-separated code. */
static int parse_actor_code(dyad_dict *d, dyad_actor *a, const char *s,
                            size_t n, const char *file, int line) {
    size_t i = 0;
    while (i < n && isspace((unsigned char)s[i])) i++;
    size_t cb = i;
    while (i < n && !isspace((unsigned char)s[i]) && s[i] != '<' && s[i] != '>')
        i++;
    size_t ce = i;
    if (ce == cb) {
        report(d, DYAD_DIAG_ERROR, file, line, "empty actor code");
        return DYAD_EPARSE;
    }
    dyad_day from = DYAD_NODAY, to = DYAD_NODAY;
    int dated = 0;
    while (i < n && isspace((unsigned char)s[i])) i++;
    if (i < n) {
        char rest[64];
        size_t rn = 0;
        for (; i < n && rn + 1 < sizeof rest; i++)
            if (!isspace((unsigned char)s[i])) rest[rn++] = s[i];
        rest[rn] = 0;
        dated = 1;
        if (rest[0] == '<' || rest[0] == '>') {
            dyad_day dd = parse_dict_date(rest + 1, rn - 1);
            if (dd == DYAD_NODAY) goto bad_date;
            /* [CODE <D]: before D; [CODE >D]: from D on */
            if (rest[0] == '<') to = dd - 1;
            else from = dd;
        } else {
            char *dash = strchr(rest, '-');
            if (!dash) goto bad_date;
            from = parse_dict_date(rest, (size_t)(dash - rest));
            to = parse_dict_date(dash + 1, strlen(dash + 1));
            if (from == DYAD_NODAY || to == DYAD_NODAY) goto bad_date;
            /* two-digit years: "331108-730717" is 1933-1973 */
            if (from > to && dash - rest == 6) {
                int y, m, dd;
                dyad__day_to_ymd(from, &y, &m, &dd);
                from = dyad__day_from_ymd(y - 100, m, dd);
            }
            if (from > to) {
                report(d, DYAD_DIAG_ERROR, file, line,
                       "inverted date range in code [%.*s]", (int)n, s);
                return DYAD_EPARSE;
            }
        }
    }
    /* Split "FRO/BIL/SAM". */
    size_t p = cb;
    while (p < ce) {
        size_t q = p;
        while (q < ce && s[q] != '/') q++;
        if (q > p) {
            dyad_actor_code *nc =
                realloc(a->codes, sizeof *nc * (a->n_codes + 1));
            if (!nc) return DYAD_EPARSE;
            a->codes = nc;
            char *code = dyad__arena_strndup(&d->arena, s + p, q - p);
            if (!code) return DYAD_EPARSE;
            upcase(code, q - p);
            nc[a->n_codes].code = code;
            nc[a->n_codes].from = from;
            nc[a->n_codes].to = to;
            nc[a->n_codes].dated = (uint8_t)dated;
            a->n_codes++;
        }
        p = q + 1;
    }
    return 0;
bad_date:
    report(d, DYAD_DIAG_ERROR, file, line, "bad date in code [%.*s]", (int)n,
           s);
    return DYAD_EPARSE;
}

const char *dyad__actor_code(const dyad_actor *a, dyad_day day) {
    const char *undated = NULL, *latest = NULL;
    dyad_day latest_from = INT32_MIN;
    for (uint32_t i = 0; i < a->n_codes; i++) {
        const dyad_actor_code *c = &a->codes[i];
        if (!c->dated) {
            if (!undated) undated = c->code;
            continue;
        }
        if (day != DYAD_NODAY) {
            if ((c->from == DYAD_NODAY || day >= c->from) &&
                (c->to == DYAD_NODAY || day <= c->to))
                return c->code;
        } else if (!latest || c->from >= latest_from) {
            latest = c->code;
            latest_from = c->from;
        }
    }
    if (undated) return undated;
    return day == DYAD_NODAY ? latest : NULL;
}

/* ---------------------------------------------------------- line reader */

typedef struct lines {
    const char *p, *end;
    int line;
    int in_comment; /* inside a multi-line <!-- --> */
} lines;

/* Next line with comments removed and trailing space trimmed; 0 at end. */
static int next_line(lines *L, const char **s, size_t *n) {
    while (L->p < L->end) {
        const char *b = L->p;
        const char *e = memchr(b, '\n', (size_t)(L->end - b));
        if (!e) e = L->end;
        L->p = e < L->end ? e + 1 : e;
        L->line++;
        const char *x = b;
        while (x < e && (*x == ' ' || *x == '\t')) x++;
        if (L->in_comment) {
            const char *c = x;
            int found = 0;
            for (; c + 2 < e + 0 && c + 3 <= e; c++)
                if (c[0] == '-' && c[1] == '-' && c[2] == '>') {
                    found = 1;
                    break;
                }
            if (found) L->in_comment = 0;
            continue;
        }
        if (e - x >= 2 && x[0] == '<' && x[1] == '!') {
            /* <!-- comment -->, possibly spanning lines */
            int closed = 0;
            for (const char *c = x; c + 3 <= e; c++)
                if (c[0] == '-' && c[1] == '-' && c[2] == '>') closed = 1;
            if (!closed) L->in_comment = 1;
            continue;
        }
        /* '#' starts a comment, except inside a code: [###] */
        const char *le = e;
        int depth = 0;
        for (const char *c = b; c < e; c++) {
            if (*c == '[') depth++;
            else if (*c == ']' && depth) depth--;
            else if (*c == '#' && !depth) {
                le = c;
                break;
            }
        }
        while (le > b && (le[-1] == ' ' || le[-1] == '\t' || le[-1] == '\r'))
            le--;
        if (le == b) continue;
        *s = b;
        *n = (size_t)(le - b);
        return 1;
    }
    return 0;
}

static const char *store_text(dyad_dict *d, const char *s, size_t n) {
    while (n && (*s == ' ' || *s == '\t')) s++, n--;
    while (n && (s[n - 1] == ' ' || s[n - 1] == '\t')) n--;
    return dyad__arena_strndup(&d->arena, s, n);
}

/* ---------------------------------------------------------------- actors */

/* The codes of a line from offset i on: "[RUSGOV >20040309] [RUSELI]". */
static void parse_code_brackets(dyad_dict *d, dyad_actor *a, const char *s,
                                size_t n, size_t i, const char *file, int line) {
    while (i < n && s[i] == '[') {
        const char *close = memchr(s + i, ']', n - i);
        if (!close) {
            report(d, DYAD_DIAG_ERROR, file, line, "missing ']' in actor code");
            return;
        }
        parse_actor_code(d, a, s + i + 1, (size_t)(close - s - i - 1), file,
                         line);
        i = (size_t)(close - s) + 1;
        while (i < n && isspace((unsigned char)s[i])) i++;
    }
}

static int load_actors(dyad_dict *d, const char *file, const char *buf,
                       size_t len) {
    lines L = {buf, buf + len, 0, 0};
    const char *s;
    size_t n;
    int32_t cur = -1; /* current actor */
    int cur_has_code = 0;
    while (next_line(&L, &s, &n)) {
        size_t i = 0;
        while (i < n && (s[i] == ' ' || s[i] == '\t')) i++;
        if (s[i] == '[') {
            /* code line(s) for the current actor: [A] [B >2000] ... */
            if (cur < 0) {
                report(d, DYAD_DIAG_ERROR, file, L.line,
                       "code without an actor phrase");
                continue;
            }
            parse_code_brackets(d, &d->actors[cur], s, n, i, file, L.line);
            cur_has_code = 1;
            continue;
        }
        int synonym = s[i] == '+';
        if (synonym) i++;
        /* phrase up to '[' (codes on the same line) */
        const char *br = memchr(s + i, '[', n - i);
        size_t pe = br ? (size_t)(br - s) : n;
        if (synonym && cur < 0) {
            report(d, DYAD_DIAG_ERROR, file, L.line,
                   "synonym '+' without a primary phrase");
            continue;
        }
        /* TABARI: phrase lines that follow one another with no code between
         * them share the codes that come next (BORIS_YELTSIN_ / YELTSIN /
         * [RUSGOV ...]) */
        if (!synonym && cur >= 0 && !cur_has_code && !br) synonym = 1;
        if (!synonym) {
            if (cur >= 0 && !cur_has_code) {
                report(d, DYAD_DIAG_ERROR, file, d->actors[cur].line,
                       "actor '%s' has no code", d->actors[cur].name);
            }
            if (VEC_PUSH(d, actors)) return DYAD_ENOMEM;
            cur = (int32_t)d->n_actors++;
            dyad_actor *a = &d->actors[cur];
            memset(a, 0, sizeof *a);
            a->name = store_text(d, s + i, pe - i);
            a->file = file;
            a->line = L.line;
            cur_has_code = 0;
        }
        dyad_phrase ph;
        if (parse_phrase(d, s + i, pe - i, &ph, 1) < 0) {
            report(d, DYAD_DIAG_ERROR, file, L.line, "malformed actor phrase");
            continue;
        }
        if (VEC_PUSH(d, aphr)) return DYAD_ENOMEM;
        d->aphr[d->n_aphr].ph = ph;
        d->aphr[d->n_aphr].actor = (uint32_t)cur;
        if (index_phrase(d, &ph, ST_ACTOR, d->n_aphr)) return DYAD_ENOMEM;
        d->n_aphr++;
        if (br) {
            parse_code_brackets(d, &d->actors[cur], s, n, pe, file, L.line);
            cur_has_code = 1;
        }
    }
    if (cur >= 0 && !cur_has_code)
        report(d, DYAD_DIAG_ERROR, file, d->actors[cur].line,
               "actor '%s' has no code", d->actors[cur].name);
    return 0;
}

/* ---------------------------------------------------------------- agents */

typedef struct macro {
    char name[64];
    char *forms[32];
    int n;
} macro;

/* Regular English plurals: POLICEMAN is handled by macros; here S/ES/IES. */
static void plural_of(const char *w, size_t n, char *out, size_t cap) {
    if (n + 3 >= cap) {
        out[0] = 0;
        return;
    }
    memcpy(out, w, n);
    char last = n ? w[n - 1] : 0, prev = n > 1 ? w[n - 2] : 0;
    if (last == 'Y' && prev && !strchr("AEIOU", prev)) {
        memcpy(out + n - 1, "IES", 4);
    } else if (last == 'S' || last == 'X' || last == 'Z' ||
               (last == 'H' && (prev == 'C' || prev == 'S'))) {
        memcpy(out + n, "ES", 3);
    } else {
        out[n] = 'S';
        out[n + 1] = 0;
    }
}

static int add_agent_phrase(dyad_dict *d, uint32_t agent, const char *s,
                            size_t n, const char *file, int line) {
    dyad_phrase ph;
    if (parse_phrase(d, s, n, &ph, 0) < 0) {
        report(d, DYAD_DIAG_ERROR, file, line, "malformed agent phrase");
        return DYAD_EPARSE;
    }
    if (VEC_PUSH(d, gphr)) return DYAD_ENOMEM;
    d->gphr[d->n_gphr].ph = ph;
    d->gphr[d->n_gphr].agent = agent;
    if (index_phrase(d, &ph, ST_AGENT, d->n_gphr)) return DYAD_ENOMEM;
    d->n_gphr++;
    return 0;
}

/* Expand !MACRO! occurrences (first one found; recursion handles more). */
static int expand_agent(dyad_dict *d, uint32_t agent, const char *s, size_t n,
                        macro *macros, int n_macros, const char *file,
                        int line, int depth) {
    const char *b = memchr(s, '!', n);
    const char *e = b ? memchr(b + 1, '!', n - (size_t)(b + 1 - s)) : NULL;
    if (!b || !e || depth > 3) return add_agent_phrase(d, agent, s, n, file, line);
    size_t name_len = (size_t)(e - b + 1);
    for (int m = 0; m < n_macros; m++) {
        if (strlen(macros[m].name) != name_len ||
            memcmp(macros[m].name, b, name_len) != 0)
            continue;
        for (int f = 0; f < macros[m].n; f++) {
            char tmp[MAX_LINE];
            int len = snprintf(tmp, sizeof tmp, "%.*s%s%.*s", (int)(b - s), s,
                               macros[m].forms[f], (int)(n - (size_t)(e + 1 - s)),
                               e + 1);
            if (len < 0 || (size_t)len >= sizeof tmp) continue;
            expand_agent(d, agent, tmp, (size_t)len, macros, n_macros, file,
                         line, depth + 1);
        }
        return 0;
    }
    report(d, DYAD_DIAG_ERROR, file, line, "unknown macro %.*s", (int)name_len,
           b);
    return DYAD_EPARSE;
}

static int load_agents(dyad_dict *d, const char *file, const char *buf,
                       size_t len) {
    lines L = {buf, buf + len, 0, 0};
    const char *s;
    size_t n;
    macro macros[32];
    int n_macros = 0;
    int rc = 0;
    while (next_line(&L, &s, &n)) {
        while (n && (*s == ' ' || *s == '\t')) s++, n--;
        if (!n) continue;
        /* !PERSON! = MAN, MEN, WOMAN */
        if (s[0] == '!' && memchr(s, '=', n) && !memchr(s, '[', n)) {
            const char *eq = memchr(s, '=', n);
            const char *e = memchr(s + 1, '!', n - 1);
            if (!eq || !e || e > eq || n_macros == 32 ||
                (size_t)(e - s + 1) >= sizeof macros[0].name) {
                report(d, DYAD_DIAG_ERROR, file, L.line, "malformed macro");
                continue;
            }
            macro *m = &macros[n_macros++];
            memset(m, 0, sizeof *m);
            memcpy(m->name, s, (size_t)(e - s + 1));
            const char *p = eq + 1, *end = s + n;
            while (p < end && m->n < 32) {
                while (p < end && (*p == ' ' || *p == ',')) p++;
                const char *q = p;
                while (q < end && *q != ',') q++;
                const char *qe = q;
                while (qe > p && qe[-1] == ' ') qe--;
                if (qe > p) m->forms[m->n++] = dyad__arena_strndup(&d->arena, p, (size_t)(qe - p));
                p = q;
            }
            continue;
        }
        const char *br = memchr(s, '[', n);
        const char *close = br ? memchr(br, ']', n - (size_t)(br - s)) : NULL;
        if (!br || !close) {
            report(d, DYAD_DIAG_ERROR, file, L.line,
                   "agent without a [~CODE] or [CODE~]");
            continue;
        }
        /* code */
        const char *c = br + 1, *ce = close;
        while (c < ce && *c == ' ') c++;
        while (ce > c && ce[-1] == ' ') ce--;
        int prefix;
        if (c < ce && *c == '~') {
            prefix = 0;
            c++;
        } else if (ce > c && ce[-1] == '~') {
            prefix = 1;
            ce--;
        } else {
            report(d, DYAD_DIAG_ERROR, file, L.line,
                   "agent code must start or end with '~'");
            continue;
        }
        if (VEC_PUSH(d, agents)) return DYAD_ENOMEM;
        uint32_t ai = d->n_agents++;
        dyad_agent *ag = &d->agents[ai];
        char *code = dyad__arena_strndup(&d->arena, c, (size_t)(ce - c));
        if (!code) return DYAD_ENOMEM;
        upcase(code, strlen(code));
        ag->code = code;
        ag->prefix = (uint8_t)prefix;
        ag->file = file;
        ag->line = L.line;
        /* phrase and optional {plurals} */
        const char *brace = memchr(s, '{', (size_t)(br - s));
        const char *pe = brace ? brace : br;
        ag->name = store_text(d, s, (size_t)(pe - s));
        rc = expand_agent(d, ai, s, (size_t)(pe - s), macros, n_macros, file,
                          L.line, 0);
        if (rc == DYAD_ENOMEM) return rc;
        if (brace) {
            const char *bc = memchr(brace, '}', (size_t)(br - brace));
            if (!bc) {
                report(d, DYAD_DIAG_ERROR, file, L.line, "missing '}'");
                continue;
            }
            const char *p = brace + 1;
            while (p < bc) {
                while (p < bc && (*p == ' ' || *p == '\t')) p++;
                const char *q = p;
                while (q < bc && *q != ' ' && *q != '\t') q++;
                if (q > p)
                    expand_agent(d, ai, p, (size_t)(q - p), macros, n_macros,
                                 file, L.line, 0);
                p = q;
            }
        } else {
            /* regular plural of the last word */
            char tmp[MAX_LINE], pl[300];
            size_t pn = (size_t)(pe - s);
            while (pn && (s[pn - 1] == ' ' || s[pn - 1] == '_')) pn--;
            size_t lw = pn;
            while (lw && s[lw - 1] != '_' && s[lw - 1] != ' ' && s[lw - 1] != '!') lw--;
            if (lw < pn && s[pn - 1] != '!' && pn - lw < 250) {
                char up[256];
                memcpy(up, s + lw, pn - lw);
                upcase(up, pn - lw);
                plural_of(up, pn - lw, pl, sizeof pl);
                int tl = snprintf(tmp, sizeof tmp, "%.*s%s_", (int)lw, s, pl);
                if (pl[0] && tl > 0 && (size_t)tl < sizeof tmp)
                    expand_agent(d, ai, tmp, (size_t)tl, macros, n_macros,
                                 file, L.line, 0);
            }
        }
    }
    return 0;
}

/* ----------------------------------------------------------------- verbs */

static int split_codes(dyad_dict *d, const char *c, size_t n, const char **c1,
                       const char **c2);

static int is_vowel(char c) { return c && strchr("AEIOU", c) != NULL; }

/* Regular forms of an upper-case verb: S, ED, ING (TABARI rules, approx). */
static int verb_forms(const char *v, size_t n, char out[4][128], int *past) {
    if (n == 0 || n > 100) return 0;
    char last = v[n - 1], prev = n > 1 ? v[n - 2] : 0;
    int k = 0;
    /* -S */
    if (last == 'Y' && !is_vowel(prev))
        snprintf(out[k++], 128, "%.*sIES", (int)(n - 1), v);
    else if (last == 'S' || last == 'X' || last == 'Z' ||
             (last == 'H' && (prev == 'C' || prev == 'S')) ||
             (last == 'O' && !is_vowel(prev)))
        snprintf(out[k++], 128, "%.*sES", (int)n, v);
    else
        snprintf(out[k++], 128, "%.*sS", (int)n, v);
    /* doubling: short CVC words (STOP, PLAN, BAN, ROB) */
    int dbl = n >= 3 && n <= 4 && !is_vowel(last) && is_vowel(prev) &&
              !is_vowel(v[n - 3]) && !strchr("WXY", last);
    /* -ED */
    *past = k;
    if (last == 'E')
        snprintf(out[k++], 128, "%.*sD", (int)n, v);
    else if (last == 'Y' && !is_vowel(prev))
        snprintf(out[k++], 128, "%.*sIED", (int)(n - 1), v);
    else if (dbl)
        snprintf(out[k++], 128, "%.*s%cED", (int)n, v, last);
    else
        snprintf(out[k++], 128, "%.*sED", (int)n, v);
    /* -ING */
    if (last == 'E' && prev != 'E' && n > 2)
        snprintf(out[k++], 128, "%.*sING", (int)(n - 1), v);
    else if (dbl)
        snprintf(out[k++], 128, "%.*s%cING", (int)n, v, last);
    else
        snprintf(out[k++], 128, "%.*sING", (int)n, v);
    return k;
}

static int add_verb_form(dyad_dict *d, const char *s, size_t n, uint32_t block,
                         const char *code, const char *code2, const char *text,
                         int noun_ok, int participle, const char *file,
                         int line) {
    /* '+' inside a multi-word verb marks the inflected word: drop it */
    char tmp[MAX_LINE];
    size_t k = 0;
    for (size_t i = 0; i < n && k + 1 < sizeof tmp; i++)
        if (s[i] != '+') tmp[k++] = s[i];
    dyad_phrase ph;
    if (parse_phrase(d, tmp, k, &ph, 0) < 0) {
        report(d, DYAD_DIAG_ERROR, file, line, "malformed verb '%.*s'", (int)n,
               s);
        return DYAD_EPARSE;
    }
    if (VEC_PUSH(d, verbs)) return DYAD_ENOMEM;
    dyad_verb *v = &d->verbs[d->n_verbs];
    memset(v, 0, sizeof *v);
    v->ph = ph;
    v->block = block;
    v->code = code;
    v->code2 = code2;
    v->text = text;
    v->noun_ok = (uint8_t)noun_ok;
    v->participle = (uint8_t)participle;
    v->file = file;
    v->line = line;
    if (index_phrase(d, &ph, ST_VERB, d->n_verbs)) return DYAD_ENOMEM;
    d->n_verbs++;
    return 0;
}

/* Verb line: "SPEAK {SPEAKS SPOKE SPOKEN SPEAKING} [040]",
 * "+BREAK_DOWN {+BREAKS_DOWN +BROKE_DOWN}", "WIRE_+TAP", "TALKS {}". */
static int parse_verb_line(dyad_dict *d, uint32_t block, const char *s,
                           size_t n, const char *file, int line) {
    const char *text = store_text(d, s, n);
    size_t i = 0;
    if (s[0] == '+') i = 1;
    const char *brace = memchr(s, '{', n);
    const char *br = memchr(s, '[', n);
    size_t pe = n;
    if (brace) pe = (size_t)(brace - s);
    if (br && (size_t)(br - s) < pe) pe = (size_t)(br - s);
    const char *code = NULL, *code2 = NULL;
    if (br) {
        const char *close = memchr(br, ']', n - (size_t)(br - s));
        if (!close || split_codes(d, br + 1, (size_t)(close - br - 1), &code,
                                  &code2)) {
            report(d, DYAD_DIAG_ERROR, file, line, "malformed verb code");
            return DYAD_EPARSE;
        }
    }
    /* base word(s) */
    const char *base = s + i;
    size_t bn = pe - i;
    while (bn && (base[bn - 1] == ' ' || base[bn - 1] == '\t')) bn--;
    if (!bn) {
        report(d, DYAD_DIAG_ERROR, file, line, "empty verb");
        return DYAD_EPARSE;
    }
    int noun_ok = 0;
    if (brace) {
        const char *bc = memchr(brace, '}', n - (size_t)(brace - s));
        if (!bc) {
            report(d, DYAD_DIAG_ERROR, file, line, "missing '}'");
            return DYAD_EPARSE;
        }
        const char *p = brace + 1;
        int any = 0;
        while (p < bc) {
            while (p < bc && (*p == ' ' || *p == '\t' || *p == '+')) p++;
            const char *q = p;
            while (q < bc && *q != ' ' && *q != '\t') q++;
            if (q > p) {
                /* a listed past form: ends in ED/EN or is not -S/-ING */
                size_t fl = (size_t)(q - p);
                int is_ing = fl > 3 && strncasecmp(q - 3, "ING", 3) == 0;
                int is_s = fl > 1 && (q[-1] == 'S' || q[-1] == 's') &&
                           !(fl > 2 && (q[-2] == 'S' || q[-2] == 's'));
                if (add_verb_form(d, p, fl, block, code, code2, text, 0,
                                  !is_ing && !is_s, file, line) == DYAD_ENOMEM)
                    return DYAD_ENOMEM;
                any = 1;
            }
            p = q;
        }
        if (!any) noun_ok = 1; /* `TALKS {}`: a nominal form, no inflections */
    }
    if (add_verb_form(d, base, bn, block, code, code2, text, noun_ok, 0, file, line) ==
        DYAD_ENOMEM)
        return DYAD_ENOMEM;
    if (!brace) {
        /* regular forms of the marked (or first) word */
        char up[MAX_LINE];
        size_t un = bn < sizeof up - 1 ? bn : sizeof up - 1;
        memcpy(up, base, un);
        up[un] = 0;
        upcase(up, un);
        char *plus = strchr(up, '+');
        size_t ws, we;
        if (plus) {
            ws = (size_t)(plus - up) + 1;
        } else {
            ws = 0;
        }
        we = ws;
        while (we < un && up[we] != '_' && up[we] != ' ') we++;
        char forms[4][128];
        int past = -1;
        int k = verb_forms(up + ws, we - ws, forms, &past);
        for (int f = 0; f < k; f++) {
            char tmp[MAX_LINE];
            int len = snprintf(tmp, sizeof tmp, "%.*s%s%s", (int)ws, up,
                               forms[f], up + we);
            if (len > 0 && (size_t)len < sizeof tmp &&
                add_verb_form(d, tmp, (size_t)len, block, code, code2, text, 0,
                              f == past, file, line) == DYAD_ENOMEM)
                return DYAD_ENOMEM;
        }
    }
    return 0;
}

/* Parse a code "[040]", "[030:030]", "[---]" at the end of a pattern line. */
static int split_codes(dyad_dict *d, const char *c, size_t n, const char **c1,
                       const char **c2) {
    while (n && *c == ' ') c++, n--;
    while (n && c[n - 1] == ' ') n--;
    const char *colon = memchr(c, ':', n);
    if (!n) return DYAD_EPARSE;
    if (colon) {
        *c1 = dyad__arena_strndup(&d->arena, c, (size_t)(colon - c));
        *c2 = dyad__arena_strndup(&d->arena, colon + 1,
                                  n - (size_t)(colon + 1 - c));
    } else {
        *c1 = dyad__arena_strndup(&d->arena, c, n);
        *c2 = NULL;
    }
    return *c1 ? 0 : -1;
}

static int parse_pattern(dyad_dict *d, dyad_verb_block *b, const char *s,
                         size_t n, const char *file, int line) {
    const char *br = NULL;
    for (size_t i = n; i > 0; i--)
        if (s[i - 1] == '[') {
            br = s + i - 1;
            break;
        }
    const char *close = br ? memchr(br, ']', n - (size_t)(br - s)) : NULL;
    if (!br || !close) {
        report(d, DYAD_DIAG_ERROR, file, line, "pattern without a [code]");
        return DYAD_EPARSE;
    }
    dyad_pattern p;
    memset(&p, 0, sizeof p);
    if (split_codes(d, br + 1, (size_t)(close - br - 1), &p.code, &p.code2)) {
        report(d, DYAD_DIAG_ERROR, file, line, "empty pattern code");
        return DYAD_EPARSE;
    }
    dyad_pelem el[64];
    int ne = 0, verb_at = -1;
    const char *q = s + 1; /* after '-' */
    const char *end = br;
    while (q < end) {
        while (q < end && (*q == ' ' || *q == '\t' || *q == '(' || *q == ')' ||
                           *q == '{' || *q == '}'))
            q++;
        if (q >= end) break;
        if (*q == '_') { /* adjacency to the previous element */
            if (ne) el[ne - 1].adj = 1;
            q++;
            continue;
        }
        if (ne == 64) {
            report(d, DYAD_DIAG_ERROR, file, line, "pattern too long");
            return DYAD_EPARSE;
        }
        dyad_pelem *e = &el[ne];
        memset(e, 0, sizeof *e);
        char c = *q;
        if (c == '*' || c == '$' || c == '+' || c == '%' || c == '^') {
            e->kind = c == '*'   ? PE_VERB
                      : c == '$' ? PE_SOURCE
                      : c == '+' ? PE_TARGET
                      : c == '%' ? PE_COMPOUND
                                 : PE_SKIP;
            if (c == '*') {
                if (verb_at >= 0) {
                    report(d, DYAD_DIAG_ERROR, file, line,
                           "pattern has two '*'");
                    return DYAD_EPARSE;
                }
                verb_at = ne;
            }
            q++;
            ne++;
            continue;
        }
        const char *w = q;
        while (q < end && *q != ' ' && *q != '\t' && *q != '_' && *q != '(' &&
               *q != ')' && *q != '{' && *q != '}')
            q++;
        size_t wn = (size_t)(q - w);
        if (*w == '&') {
            int si = dyad__dict_synset(d, w, wn);
            if (si < 0) {
                report(d, DYAD_DIAG_ERROR, file, line, "unknown synset %.*s",
                       (int)wn, w);
                return DYAD_EPARSE;
            }
            e->kind = PE_SYNSET;
            e->id = (uint32_t)si;
        } else {
            char up[256];
            if (wn >= sizeof up) return DYAD_EPARSE;
            memcpy(up, w, wn);
            upcase(up, wn);
            e->kind = PE_WORD;
            e->id = intern(d, up, wn);
            if (!e->id) return DYAD_ENOMEM;
        }
        ne++;
    }
    if (verb_at < 0) {
        report(d, DYAD_DIAG_ERROR, file, line, "pattern without '*'");
        return DYAD_EPARSE;
    }
    p.e = dyad__arena_alloc(&d->arena, sizeof *p.e * (size_t)ne);
    if (!p.e) return DYAD_ENOMEM;
    memcpy(p.e, el, sizeof *p.e * (size_t)ne);
    p.n = (uint16_t)ne;
    p.verb_at = (uint16_t)verb_at;
    p.text = store_text(d, s, (size_t)(close + 1 - s));
    p.file = file;
    p.line = line;
    p.weight = ne;
    /* literal words: a cheap test that the pattern can match at all */
    uint32_t req[64];
    uint16_t n_req = 0;
    for (int k = 0; k < ne; k++)
        if (el[k].kind == PE_WORD) req[n_req++] = el[k].id;
    if (n_req) {
        uint32_t *r = dyad__arena_alloc(&d->arena, sizeof *r * n_req);
        if (!r) return DYAD_ENOMEM;
        memcpy(r, req, sizeof *r * n_req);
        p.req = r;
        p.n_req = n_req;
    }
    uint16_t n_sets = 0;
    for (int k = 0; k < ne; k++)
        if (el[k].kind == PE_SYNSET) req[n_sets++] = el[k].id;
    if (n_sets) {
        uint32_t *r = dyad__arena_alloc(&d->arena, sizeof *r * n_sets);
        if (!r) return DYAD_ENOMEM;
        memcpy(r, req, sizeof *r * n_sets);
        p.req_sets = r;
        p.n_req_sets = n_sets;
    }
    if (b->n_pats == b->cap_pats &&
        grow_vec((void **)&b->pats, &b->cap_pats, sizeof *b->pats))
        return DYAD_ENOMEM;
    b->pats[b->n_pats++] = p;
    d->n_patterns++;
    return 0;
}

int dyad__dict_synset(const dyad_dict *d, const char *name, size_t n) {
    /* names are stored without '&' and trailing '_' */
    if (n && name[0] == '&') name++, n--;
    while (n && name[n - 1] == '_') n--;
    for (uint32_t i = 0; i < d->n_synsets; i++)
        if (strlen(d->synsets[i].name) == n &&
            strncasecmp(d->synsets[i].name, name, n) == 0)
            return (int)i;
    return DYAD_EPARSE;
}

static int load_verbs(dyad_dict *d, const char *file, const char *buf,
                      size_t len) {
    lines L = {buf, buf + len, 0, 0};
    const char *s;
    size_t n;
    int32_t block = -1, synset = -1;
    while (next_line(&L, &s, &n)) {
        while (n && (*s == ' ' || *s == '\t')) s++, n--;
        if (!n) continue;
        if (n >= 3 && s[0] == '-' && s[1] == '-' && s[2] == '-') {
            /* --- NAME [code] --- */
            synset = -1;
            const char *br = memchr(s, '[', n);
            const char *close = br ? memchr(br, ']', n - (size_t)(br - s)) : NULL;
            if (VEC_PUSH(d, blocks)) return DYAD_ENOMEM;
            dyad_verb_block *b = &d->blocks[d->n_blocks];
            memset(b, 0, sizeof *b);
            const char *nm = s + 3, *ne = br ? br : s + n;
            while (nm < ne && *nm == ' ') nm++;
            while (ne > nm && (ne[-1] == ' ' || ne[-1] == '-')) ne--;
            b->name = dyad__arena_strndup(&d->arena, nm, (size_t)(ne - nm));
            b->file = file;
            b->line = L.line;
            if (br && close) {
                if (split_codes(d, br + 1, (size_t)(close - br - 1), &b->code,
                                &b->code2))
                    b->code = "---";
            } else {
                report(d, DYAD_DIAG_ERROR, file, L.line,
                       "verb block without a [code]");
                b->code = "---";
            }
            block = (int32_t)d->n_blocks++;
            continue;
        }
        if (s[0] == '&') {
            /* synonym set header */
            size_t e = 1;
            while (e < n && s[e] != ' ' && s[e] != '\t') e++;
            size_t nn = e - 1;
            while (nn && s[nn] == '_') nn--;
            if (VEC_PUSH(d, synsets)) return DYAD_ENOMEM;
            dyad_synset *ss = &d->synsets[d->n_synsets];
            memset(ss, 0, sizeof *ss);
            char *name = dyad__arena_strndup(&d->arena, s + 1, nn);
            if (!name) return DYAD_ENOMEM;
            upcase(name, nn);
            ss->name = name;
            synset = (int32_t)d->n_synsets++;
            block = -1;
            continue;
        }
        if (s[0] == '-') {
            if (block < 0) {
                report(d, DYAD_DIAG_ERROR, file, L.line,
                       "pattern outside a verb block");
                continue;
            }
            int rc = parse_pattern(d, &d->blocks[block], s, n, file, L.line);
            if (rc == DYAD_ENOMEM) return rc;
            continue;
        }
        if (synset >= 0 && s[0] == '+') {
            dyad_synset *ss = &d->synsets[synset];
            const char *w = s + 1;
            size_t wn = n - 1;
            if (wn && w[0] == '&') {
                /* nested set: copy its members (must be defined before) */
                int other = dyad__dict_synset(d, w, wn);
                if (other == synset) {
                    report(d, DYAD_DIAG_ERROR, file, L.line,
                           "synset %.*s contains itself", (int)wn, w);
                    continue;
                }
                if (other < 0) {
                    report(d, DYAD_DIAG_ERROR, file, L.line,
                           "unknown synset %.*s", (int)wn, w);
                    continue;
                }
                dyad_synset *os = &d->synsets[other];
                uint32_t n_other = os->n;
                if (ss->n + n_other > 4096) {
                    report(d, DYAD_DIAG_ERROR, file, L.line,
                           "synset too large");
                    continue;
                }
                for (uint32_t k = 0; k < n_other; k++) {
                    if (ss->n == ss->cap &&
                        grow_vec((void **)&ss->ph, &ss->cap, sizeof *ss->ph))
                        return DYAD_ENOMEM;
                    ss->ph[ss->n++] = os->ph[k];
                }
                continue;
            }
            dyad_phrase ph;
            if (parse_phrase(d, w, wn, &ph, 0) < 0) {
                report(d, DYAD_DIAG_ERROR, file, L.line,
                       "malformed synset member");
                continue;
            }
            if (ss->n == ss->cap &&
                grow_vec((void **)&ss->ph, &ss->cap, sizeof *ss->ph))
                return DYAD_ENOMEM;
            ss->ph[ss->n++] = ph;
            continue;
        }
        if (block < 0) {
            report(d, DYAD_DIAG_ERROR, file, L.line,
                   "verb outside a verb block");
            continue;
        }
        int rc = parse_verb_line(d, (uint32_t)block, s, n, file, L.line);
        if (rc == DYAD_ENOMEM) return rc;
    }
    return 0;
}

/* -------------------------------------------------------------- discards */

static int load_discards(dyad_dict *d, const char *file, const char *buf,
                         size_t len) {
    lines L = {buf, buf + len, 0, 0};
    const char *s;
    size_t n;
    while (next_line(&L, &s, &n)) {
        while (n && (*s == ' ' || *s == '\t')) s++, n--;
        if (!n) continue;
        int story = s[0] == '+';
        if (story) s++, n--;
        /* discards are exact phrases (TABARI matches them as whole words) */
        char tmp[MAX_LINE];
        if (n + 2 >= sizeof tmp) continue;
        memcpy(tmp, s, n);
        tmp[n] = '_';
        dyad_phrase ph;
        if (parse_phrase(d, tmp, n + 1, &ph, 0) < 0) {
            report(d, DYAD_DIAG_ERROR, file, L.line, "malformed discard");
            continue;
        }
        if (VEC_PUSH(d, discards)) return DYAD_ENOMEM;
        dyad_discard *x = &d->discards[d->n_discards];
        x->ph = ph;
        x->story = (uint8_t)story;
        x->text = store_text(d, s, n);
        if (index_phrase(d, &ph, ST_DISCARD, d->n_discards)) return DYAD_ENOMEM;
        d->n_discards++;
    }
    return 0;
}

/* ------------------------------------------------------- kind detection */

static int contains_ci(const char *hay, const char *needle) {
    size_t nn = strlen(needle);
    for (; *hay; hay++)
        if (strncasecmp(hay, needle, nn) == 0) return 1;
    return 0;
}

/* By file name first, then by content (docs/dictionaries.md). */
static dyad_dict_kind detect_kind(const char *name, const char *buf,
                                  size_t len) {
    const char *base = strrchr(name, '/');
    base = base ? base + 1 : name;
    if (contains_ci(base, "discard")) return DYAD_DICT_DISCARDS;
    if (contains_ci(base, "agent")) return DYAD_DICT_AGENTS;
    if (contains_ci(base, "verb") || contains_ci(base, "pattern") ||
        strncasecmp(base, "CAMEO.", 6) == 0)
        return DYAD_DICT_VERBS;
    if (contains_ci(base, "actor")) return DYAD_DICT_ACTORS;
    if (contains_ci(base, "issue") || contains_ci(base, "preposition") ||
        contains_ci(base, ".ini") || contains_ci(base, "license") ||
        contains_ci(base, ".md") || contains_ci(base, ".xml"))
        return DYAD_DICT_IGNORED;
    /* content: verb blocks, agent codes, actor codes */
    size_t scan = len < 65536 ? len : 65536;
    int agent = 0, actor = 0;
    for (size_t i = 0; i + 3 < scan; i++) {
        if (buf[i] == '\n' && buf[i + 1] == '-' && buf[i + 2] == '-' &&
            buf[i + 3] == '-')
            return DYAD_DICT_VERBS;
        if (buf[i] == '[' && buf[i + 1] == '~') agent = 1;
        if (buf[i] == '~' && buf[i + 1] == ']') agent = 1;
        if (buf[i] == '[') actor = 1;
    }
    if (len >= 3 && memcmp(buf, "---", 3) == 0) return DYAD_DICT_VERBS;
    if (agent) return DYAD_DICT_AGENTS;
    if (actor) return DYAD_DICT_ACTORS;
    return DYAD_DICT_IGNORED;
}

/* ------------------------------------------------------------ public API */

dyad_dict *dyad_dict_new(void) {
    dyad_dict *d = calloc(1, sizeof *d);
    if (!d) return NULL;
    dyad__arena_init(&d->arena, 0);
    return d;
}

void dyad_dict_free(dyad_dict *d) {
    if (!d) return;
    for (size_t i = 0; i < d->n_sources; i++) {
        free(d->sources[i].name);
        if (d->sources[i].owned) free((void *)d->sources[i].buf);
    }
    free(d->sources);
    free(d->recorded);
    free(d->cache_dir);
    if (d->from_image) {
        /* the tables live in the mapping */
        munmap(d->map, d->map_len);
        dyad__arena_free(&d->arena);
        free(d);
        return;
    }
    for (uint32_t i = 1; i < d->n_words; i++) free(d->words[i].starts);
    for (uint32_t i = 0; i < d->n_actors; i++) free(d->actors[i].codes);
    for (uint32_t i = 0; i < d->n_blocks; i++) free(d->blocks[i].pats);
    for (uint32_t i = 0; i < d->n_synsets; i++) free(d->synsets[i].ph);
    free(d->words);
    free(d->slots);
    free(d->pairs);
    free(d->pair_starts);
    free(d->actors);
    free(d->aphr);
    free(d->agents);
    free(d->gphr);
    free(d->blocks);
    free(d->verbs);
    free(d->synsets);
    free(d->discards);
    dyad__arena_free(&d->arena);
    free(d);
}

void dyad_dict_set_diag(dyad_dict *d, dyad_diag_fn fn, void *ud) {
    d->diag = fn;
    d->diag_ud = ud;
}

/* With a cache: remember a source; dyad_dict_finish loads it. */
static int record_source(dyad_dict *d, const char *name, const char *buf,
                         size_t n, int kind, int copy) {
    dyad_dict_source *x = realloc(d->sources, (d->n_sources + 1) * sizeof *x);
    if (!x) return DYAD_ENOMEM;
    d->sources = x;
    dyad_dict_source *src = &x[d->n_sources];
    memset(src, 0, sizeof *src);
    src->name = strdup(name);
    if (!src->name) return DYAD_ENOMEM;
    src->kind = kind;
    src->len = n;
    if (buf && copy) {
        char *c = malloc(n + 1);
        if (!c) {
            free(src->name);
            return DYAD_ENOMEM;
        }
        memcpy(c, buf, n);
        c[n] = 0;
        src->buf = c;
        src->owned = 1;
    } else {
        src->buf = buf;
    }
    d->n_sources++;
    return DYAD_OK;
}

static int parse_buffer(dyad_dict *d, const char *name, const char *buf,
                        size_t n, dyad_dict_kind kind);

int dyad_dict_load_buffer(dyad_dict *d, const char *name, const char *buf,
                          size_t n, dyad_dict_kind kind) {
    if (d->finished) return DYAD_EINVAL;
    if (d->cache_dir) return record_source(d, name, buf, n, (int)kind, 1);
    return parse_buffer(d, name, buf, n, kind);
}

static int parse_buffer(dyad_dict *d, const char *name, const char *buf,
                        size_t n, dyad_dict_kind kind) {
    const char *file = dyad__arena_strdup(&d->arena, name);
    /* keep our own copy: pattern text and names point into it */
    char *copy = dyad__arena_strndup(&d->arena, buf, n);
    if (!file || !copy) return DYAD_ENOMEM;
    if (kind == DYAD_DICT_AUTO) kind = detect_kind(name, copy, n);
    switch (kind) {
    case DYAD_DICT_ACTORS: return load_actors(d, file, copy, n);
    case DYAD_DICT_AGENTS: return load_agents(d, file, copy, n);
    case DYAD_DICT_VERBS: return load_verbs(d, file, copy, n);
    case DYAD_DICT_DISCARDS: return load_discards(d, file, copy, n);
    default: return DYAD_OK;
    }
}

static int load_file(dyad_dict *d, const char *path) {
    FILE *f = fopen(path, "rb");
    if (!f) {
        report(d, DYAD_DIAG_ERROR, path, 0, "%s", strerror(errno));
        return errno == ENOENT ? DYAD_ENOENT : DYAD_EIO;
    }
    dyad_buf b;
    dyad__buf_init(&b, MAX_DICT_FILE);
    char chunk[65536];
    size_t got;
    int rc = DYAD_OK;
    while ((got = fread(chunk, 1, sizeof chunk, f)) > 0)
        if ((rc = dyad__buf_add(&b, chunk, got))) break;
    if (!rc && ferror(f)) rc = DYAD_EIO;
    fclose(f);
    if (rc) {
        report(d, DYAD_DIAG_ERROR, path, 0, "%s", dyad_strerror(rc));
    } else {
        rc = parse_buffer(d, path, b.p ? b.p : "", b.n, DYAD_DICT_AUTO);
    }
    dyad__buf_free(&b);
    return rc;
}

static int cmp_str(const void *a, const void *b) {
    return strcmp(*(char *const *)a, *(char *const *)b);
}

int dyad_dict_load_path(dyad_dict *d, const char *path) {
    struct stat st;
    if (stat(path, &st) != 0) {
        report(d, DYAD_DIAG_ERROR, path, 0, "%s", strerror(errno));
        return DYAD_ENOENT;
    }
    if (!S_ISDIR(st.st_mode))
        return d->cache_dir ? record_source(d, path, NULL, 0, DYAD_DICT_AUTO, 0)
                            : load_file(d, path);
    DIR *dir = opendir(path);
    if (!dir) {
        report(d, DYAD_DIAG_ERROR, path, 0, "%s", strerror(errno));
        return DYAD_EIO;
    }
    char **names = NULL;
    size_t nn = 0, cap = 0;
    struct dirent *de;
    int rc = DYAD_OK;
    while ((de = readdir(dir))) {
        if (de->d_name[0] == '.') continue;
        if (nn == cap) {
            cap = cap ? cap * 2 : 16;
            char **x = realloc(names, cap * sizeof *x);
            if (!x) {
                rc = DYAD_ENOMEM;
                break;
            }
            names = x;
        }
        names[nn] = strdup(de->d_name);
        if (!names[nn]) {
            rc = DYAD_ENOMEM;
            break;
        }
        nn++;
    }
    closedir(dir);
    if (names) qsort(names, nn, sizeof *names, cmp_str);
    /* Synsets must exist before the patterns that use them; verb files
     * define their own, so plain sorted order is enough. */
    for (size_t i = 0; i < nn && rc != DYAD_ENOMEM; i++) {
        char full[4096];
        snprintf(full, sizeof full, "%s/%s", path, names[i]);
        struct stat fs;
        if (stat(full, &fs) == 0 && S_ISREG(fs.st_mode)) {
            int r = d->cache_dir ? record_source(d, full, NULL, 0, DYAD_DICT_AUTO, 0)
                                 : load_file(d, full);
            if (r == DYAD_ENOMEM) rc = r;
        }
    }
    for (size_t i = 0; i < nn; i++) free(names[i]);
    free(names);
    return rc;
}

int dyad_dict_load_builtin(dyad_dict *d) {
    for (const dyad_builtin_file *f = dyad__builtin_dicts; f->name; f++) {
        char name[256];
        snprintf(name, sizeof name, "builtin:%s", f->name);
        int rc = d->cache_dir
                     ? record_source(d, name, f->text, f->len, DYAD_DICT_AUTO, 0)
                     : parse_buffer(d, name, f->text, f->len, DYAD_DICT_AUTO);
        if (rc == DYAD_ENOMEM) return rc;
    }
    return DYAD_OK;
}

static int cmp_pattern(const void *a, const void *b) {
    const dyad_pattern *x = a, *y = b;
    if (x->weight != y->weight) return y->weight - x->weight;
    if (x->file != y->file) return 0;
    return x->line - y->line;
}

static uint32_t pair_hash(uint64_t key) {
    key ^= key >> 33;
    key *= 0xff51afd7ed558ccdull;
    key ^= key >> 33;
    return (uint32_t)key;
}

const dyad_start *dyad__dict_pair(const dyad_dict *d, uint32_t a, uint32_t b,
                                  uint32_t *n) {
    if (!d->n_pair_slots) return NULL;
    uint64_t key = (uint64_t)a << 32 | b;
    uint32_t i = pair_hash(key) & (d->n_pair_slots - 1);
    while (d->pairs[i].key) {
        if (d->pairs[i].key == key) {
            *n = d->pairs[i].n;
            return d->pair_starts + d->pairs[i].first;
        }
        i = (i + 1) & (d->n_pair_slots - 1);
    }
    return NULL;
}

typedef struct pair_entry {
    uint64_t key;
    uint32_t order;
    dyad_start st;
} pair_entry;

static int cmp_pair_entry(const void *a, const void *b) {
    const pair_entry *x = a, *y = b;
    if (x->key != y->key) return x->key < y->key ? -1 : 1;
    return x->order < y->order ? -1 : x->order > y->order;
}

const dyad_phrase *dyad__dict_start_phrase(const dyad_dict *d, const dyad_start *st) {
    switch (st->kind) {
    case ST_ACTOR: return &d->aphr[st->idx].ph;
    case ST_AGENT: return &d->gphr[st->idx].ph;
    case ST_VERB: return &d->verbs[st->idx].ph;
    default: return &d->discards[st->idx].ph;
    }
}

/* Split each word's starts: phrases with a fixed second word go into the
 * pair table, so a token only visits the phrases its next token allows.
 * There w2 becomes the third word (0 when none or a stem): the pair's two
 * words are known, and the third rejects most longer phrases without a
 * look at them. */
static int build_index(dyad_dict *d) {
    size_t n_pairs = 0;
    for (uint32_t id = 1; id < d->n_words; id++)
        for (uint32_t k = 0; k < d->words[id].n_starts; k++)
            n_pairs += d->words[id].starts[k].w2 != 0;
    pair_entry *pe = n_pairs ? malloc(n_pairs * sizeof *pe) : NULL;
    if (n_pairs && !pe) return DYAD_ENOMEM;
    size_t np = 0;
    uint32_t order = 0;
    for (uint32_t id = 1; id < d->n_words; id++) {
        dyad_word *w = &d->words[id];
        uint32_t n_single = 0;
        for (uint32_t k = 0; k < w->n_starts; k++) n_single += w->starts[k].w2 == 0;
        w->single = n_single ? dyad__arena_alloc(&d->arena, n_single * sizeof *w->single) : NULL;
        if (n_single && !w->single) goto oom;
        w->n_single = 0;
        for (uint32_t k = 0; k < w->n_starts; k++) {
            const dyad_start *st = &w->starts[k];
            if (!st->w2) {
                w->single[w->n_single++] = *st;
            } else {
                const dyad_phrase *ph = dyad__dict_start_phrase(d, st);
                pe[np].key = (uint64_t)id << 32 | st->w2;
                pe[np].order = order++;
                pe[np].st = *st;
                pe[np].st.w2 = ph->n > 2 && !(ph->n == 3 && ph->last_stem) ? ph->w[2] : 0;
                np++;
            }
        }
    }
    if (np) {
        qsort(pe, np, sizeof *pe, cmp_pair_entry);
        size_t uniq = 0;
        for (size_t k = 0; k < np; k++) uniq += k == 0 || pe[k].key != pe[k - 1].key;
        uint32_t slots = 64;
        while (slots < uniq * 2) slots *= 2;
        d->pairs = calloc(slots, sizeof *d->pairs);
        d->pair_starts = malloc(np * sizeof *d->pair_starts);
        if (!d->pairs || !d->pair_starts) goto oom;
        d->n_pair_slots = slots;
        for (size_t k = 0; k < np;) {
            size_t e = k;
            while (e < np && pe[e].key == pe[k].key) {
                d->pair_starts[e] = pe[e].st;
                e++;
            }
            uint32_t i = pair_hash(pe[k].key) & (slots - 1);
            while (d->pairs[i].key) i = (i + 1) & (slots - 1);
            d->pairs[i].key = pe[k].key;
            d->pairs[i].first = (uint32_t)k;
            d->pairs[i].n = (uint32_t)(e - k);
            k = e;
        }
    }
    free(pe);
    return DYAD_OK;
oom:
    free(pe);
    return DYAD_ENOMEM;
}

/* 64-bit fingerprint of the recorded sources: the builtin texts by content,
 * files by name, size and modification time. */
static uint64_t mix(uint64_t h, const void *p, size_t n) {
    const unsigned char *s = p;
    for (size_t i = 0; i < n; i++) h = (h ^ s[i]) * 0x100000001b3ull;
    return h;
}

static uint64_t mix_fast(uint64_t h, const char *p, size_t n) {
    /* 8 bytes a step: the built-in texts are large */
    size_t i = 0;
    for (; i + 8 <= n; i += 8) {
        uint64_t v;
        memcpy(&v, p + i, 8);
        h = (h ^ v) * 0x9E3779B97F4A7C15ull;
        h ^= h >> 29;
    }
    return mix(h, p + i, n - i);
}

static uint64_t sources_key(const dyad_dict *d) {
    uint64_t h = 0xcbf29ce484222325ull;
    h = mix(h, DYAD_VERSION, sizeof DYAD_VERSION);
    h = mix(h, __DATE__ __TIME__, sizeof __DATE__ __TIME__);
    for (size_t i = 0; i < d->n_sources; i++) {
        const dyad_dict_source *src = &d->sources[i];
        h = mix(h, src->name, strlen(src->name) + 1);
        h = mix(h, &src->kind, sizeof src->kind);
        if (src->buf) {
            h = mix(h, &src->len, sizeof src->len);
            h = mix_fast(h, src->buf, src->len);
        } else {
            struct stat st;
            if (stat(src->name, &st) == 0) {
                h = mix(h, &st.st_size, sizeof st.st_size);
                h = mix(h, &st.st_mtim, sizeof st.st_mtim);
                h = mix(h, &st.st_ino, sizeof st.st_ino);
            }
        }
    }
    return h ? h : 1;
}

static void mkdirs(const char *dir) {
    char tmp[4096];
    snprintf(tmp, sizeof tmp, "%s", dir);
    for (char *p = tmp + 1; *p; p++)
        if (*p == '/') {
            *p = 0;
            mkdir(tmp, 0755);
            *p = '/';
        }
    mkdir(tmp, 0755);
}

static int finish_index(dyad_dict *d);

/* Keep the newest IMAGES_KEPT images of a cache directory: every build and
 * every set of sources makes its own, and old ones are never read again. */
enum { IMAGES_KEPT = 12 };

typedef struct image_file {
    char name[256];
    time_t mtime;
} image_file;

static int cmp_image_age(const void *a, const void *b) {
    const image_file *x = a, *y = b;
    return (x->mtime < y->mtime) - (x->mtime > y->mtime); /* newest first */
}

static void prune_images(const char *dir) {
    DIR *dp = opendir(dir);
    if (!dp) return;
    image_file *files = NULL;
    size_t n = 0, cap = 0;
    struct dirent *de;
    while ((de = readdir(dp))) {
        size_t len = strlen(de->d_name);
        if (strncmp(de->d_name, "dict-", 5) != 0 || len < 9 || len >= sizeof files->name ||
            strcmp(de->d_name + len - 4, ".img") != 0)
            continue;
        char full[4400];
        struct stat st;
        snprintf(full, sizeof full, "%s/%s", dir, de->d_name);
        if (stat(full, &st) != 0) continue;
        if (n == cap) {
            cap = cap ? cap * 2 : 32;
            image_file *x = realloc(files, cap * sizeof *x);
            if (!x) break;
            files = x;
        }
        memcpy(files[n].name, de->d_name, len + 1);
        files[n].mtime = st.st_mtime;
        n++;
    }
    closedir(dp);
    if (n > IMAGES_KEPT) {
        qsort(files, n, sizeof *files, cmp_image_age);
        for (size_t i = IMAGES_KEPT; i < n; i++) {
            char full[4400];
            snprintf(full, sizeof full, "%s/%s", dir, files[i].name);
            unlink(full);
        }
    }
    free(files);
}

int dyad_dict_set_cache(dyad_dict *d, const char *dir) {
    if (d->finished || d->n_sources || d->n_words) return DYAD_EINVAL;
    char def[4096];
    if (!dir) {
        const char *env = getenv("DYAD_CACHE_DIR"), *xdg = getenv("XDG_CACHE_HOME"),
                   *home = getenv("HOME");
        if (env && *env) snprintf(def, sizeof def, "%s", env);
        else if (xdg && *xdg) snprintf(def, sizeof def, "%s/dyad", xdg);
        else if (home && *home) snprintf(def, sizeof def, "%s/.cache/dyad", home);
        else return DYAD_ENOENT;
        dir = def;
    }
    free(d->cache_dir);
    d->cache_dir = strdup(dir);
    return d->cache_dir ? DYAD_OK : DYAD_ENOMEM;
}

int dyad_dict_finish(dyad_dict *d) {
    if (d->finished) return DYAD_OK;
    if (!d->cache_dir) return finish_index(d);
    /* compiled image: map the one made from these sources, or parse them and
     * write it for next time */
    uint64_t key = sources_key(d);
    char path[4200];
    snprintf(path, sizeof path, "%s/dict-%016llx.img", d->cache_dir,
             (unsigned long long)key);
    void *map;
    size_t map_len;
    if (dyad__dict_image_load(d, path, key, &map, &map_len) == DYAD_OK) {
        d->map = map;
        d->map_len = map_len;
        d->from_image = 1;
        d->finished = 1;
        for (size_t i = 0; i < d->n_replay; i++)
            dyad__diag(d->diag, d->diag_ud, (dyad_severity)d->replay[i].sev,
                       d->replay[i].file, d->replay[i].line, "%s", d->replay[i].msg);
        return DYAD_OK;
    }
    for (size_t i = 0; i < d->n_sources; i++) {
        const dyad_dict_source *src = &d->sources[i];
        int rc = src->buf ? parse_buffer(d, src->name, src->buf, src->len,
                                         (dyad_dict_kind)src->kind)
                          : load_file(d, src->name);
        if (rc == DYAD_ENOMEM) return rc;
    }
    int rc = finish_index(d);
    if (rc) return rc;
    mkdirs(d->cache_dir);
    /* no cache when the directory is not writable: nothing else changes */
    if (dyad__dict_image_write(d, path, key, d->recorded, d->n_recorded) == DYAD_OK)
        prune_images(d->cache_dir);
    return DYAD_OK;
}

static int finish_index(dyad_dict *d) {
    if (build_index(d)) return DYAD_ENOMEM;
    /* first words of each synset, for the patterns' quick test */
    for (uint32_t i = 0; i < d->n_synsets; i++) {
        dyad_synset *ss = &d->synsets[i];
        ss->firsts = ss->n ? dyad__arena_alloc(&d->arena, ss->n * sizeof *ss->firsts) : NULL;
        if (ss->n && !ss->firsts) return DYAD_ENOMEM;
        ss->n_firsts = 0;
        for (uint32_t k = 0; k < ss->n; k++) {
            uint32_t w = ss->ph[k].w[0], dup = 0;
            for (uint32_t q = 0; q < ss->n_firsts && !dup; q++) dup = ss->firsts[q] == w;
            if (!dup) ss->firsts[ss->n_firsts++] = w;
        }
    }
    /* More specific patterns first; ties keep file order (line numbers). */
    for (uint32_t i = 0; i < d->n_blocks; i++) {
        dyad_verb_block *b = &d->blocks[i];
        /* qsort is not stable: line breaks ties within one file */
        if (b->n_pats > 1)
            qsort(b->pats, b->n_pats, sizeof *b->pats, cmp_pattern);
        if (b->n_pats) {
            b->pkey = dyad__arena_alloc(&d->arena, b->n_pats * sizeof *b->pkey);
            if (!b->pkey) return DYAD_ENOMEM;
            for (uint32_t k = 0; k < b->n_pats; k++)
                b->pkey[k] = b->pats[k].n_req ? b->pats[k].req[0] : 0;
        }
    }
    d->finished = 1;
    return d->arena.oom ? DYAD_ENOMEM : DYAD_OK;
}

void dyad_dict_get_stats(const dyad_dict *d, dyad_dict_stats *out) {
    memset(out, 0, sizeof *out);
    out->actor_phrases = d->n_aphr;
    for (uint32_t i = 0; i < d->n_actors; i++)
        out->actor_codes += d->actors[i].n_codes;
    out->agent_phrases = d->n_gphr;
    out->verbs = d->n_verbs;
    out->patterns = d->n_patterns;
    out->synsets = d->n_synsets;
    out->discards = d->n_discards;
    out->errors = d->n_errors;
}
