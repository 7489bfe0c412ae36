/* dicttools.c: tools to keep dictionaries right (issue 3): lint, lookup of a
 * phrase on a date, coverage figures, and the capitalized phrases of articles
 * that no actor covers (`dyad code --unknown`). Reads the loader's structures
 * (dict.h) and never changes them. */
#include "dict.h"
#include "text.h"

#include <ctype.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

/* ------------------------------------------------------------ helpers */

typedef struct lint_ctx {
    const dyad_dict *d;
    dyad_diag_fn fn;
    void *ud;
    size_t problems;
} lint_ctx;

static void problem(lint_ctx *L, const char *file, long line, const char *fmt,
                    ...) __attribute__((format(printf, 4, 5)));
static void problem(lint_ctx *L, const char *file, long line, const char *fmt,
                    ...) {
    char msg[1024];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    L->problems++;
    if (L->fn) L->fn(L->ud, DYAD_DIAG_ERROR, file, line, msg);
}

/* A phrase as dictionary text: "SERGEY_LAVROV" (+ "_" when exact). */
static void phrase_text(const dyad_dict *d, const dyad_phrase *ph, char *out,
                        size_t cap) {
    size_t o = 0;
    out[0] = 0;
    for (uint16_t i = 0; i < ph->n && o + 1 < cap; i++) {
        const dyad_word *w = &d->words[ph->w[i]];
        int poss = w->len == 2 && memcmp(w->s, "'S", 2) == 0;
        int n = snprintf(out + o, cap - o, "%s%s", i && !poss ? "_" : "", w->s);
        if (n < 0 || (size_t)n >= cap - o) break;
        o += (size_t)n;
    }
    if (!ph->last_stem && o + 1 < cap) out[o++] = '_', out[o] = 0;
}

static int phrase_cmp(const dyad_phrase *a, const dyad_phrase *b) {
    if (a->n != b->n) return a->n < b->n ? -1 : 1;
    if (a->last_stem != b->last_stem) return a->last_stem < b->last_stem ? -1 : 1;
    for (uint16_t i = 0; i < a->n; i++)
        if (a->w[i] != b->w[i]) return a->w[i] < b->w[i] ? -1 : 1;
    return 0;
}

/* An entry of a duplicate check: a phrase, the entry it belongs to, where. */
typedef struct dup_item {
    const dyad_phrase *ph;
    uint32_t owner;
    const char *file;
    int line;
    const char *code; /* verbs: the code the form gets */
} dup_item;

static int cmp_dup(const void *a, const void *b) {
    const dup_item *x = a, *y = b;
    int c = phrase_cmp(x->ph, y->ph);
    if (c) return c;
    if (x->owner != y->owner) return x->owner < y->owner ? -1 : 1;
    return 0;
}

/* Report phrases written twice: in two entries, or twice in one entry (kind
 * names the entries). same_owner_ok: generated forms (verb inflections,
 * agent plurals) may repeat within one entry. */
static void check_dups(lint_ctx *L, dup_item *it, size_t n, const char *kind,
                       int same_owner_ok) {
    qsort(it, n, sizeof *it, cmp_dup);
    for (size_t i = 0; i < n;) {
        size_t e = i + 1;
        while (e < n && phrase_cmp(it[e].ph, it[i].ph) == 0) e++;
        for (size_t k = i + 1; k < e; k++) {
            if (it[k].owner == it[k - 1].owner &&
                (same_owner_ok || it[k].line == it[k - 1].line))
                continue;
            char t[512];
            phrase_text(L->d, it[k].ph, t, sizeof t);
            if (it[k].owner == it[k - 1].owner)
                problem(L, it[k].file, it[k].line,
                        "%s phrase %s is listed twice in the same entry", kind,
                        t);
            else
                problem(L, it[k].file, it[k].line,
                        "duplicate %s phrase %s (also %s:%d)", kind, t,
                        it[i].file, it[i].line);
        }
        i = e;
    }
}

static int code_ok(const char *c) {
    return c && (strcmp(c, "---") == 0 || dyad_cameo_lookup(c) != NULL);
}

/* "---", or letters and digits in groups of three ("RUSGOV", "IGOWSTNAT"). */
static int actor_code_ok(const char *c) {
    size_t n = strlen(c);
    if (strcmp(c, "---") == 0) return 1;
    if (n == 0 || n % 3) return 0;
    for (size_t i = 0; i < n; i++)
        if (!isupper((unsigned char)c[i]) && !isdigit((unsigned char)c[i]))
            return 0;
    return 1;
}

static void fmt_range(const dyad_actor_code *c, char *out, size_t cap) {
    char a[11] = "", b[11] = "";
    if (c->from != DYAD_NODAY) dyad__day_format(c->from, a);
    if (c->to != DYAD_NODAY) dyad__day_format(c->to, b);
    if (!c->dated)
        snprintf(out, cap, "undated");
    else
        snprintf(out, cap, "%s..%s", a[0] ? a : "", b[0] ? b : "");
}

/* ---------------------------------------------------------------- lint */

static void lint_actors(lint_ctx *L) {
    const dyad_dict *d = L->d;
    for (uint32_t i = 0; i < d->n_actors; i++) {
        const dyad_actor *a = &d->actors[i];
        for (uint32_t k = 0; k < a->n_codes; k++) {
            const dyad_actor_code *c = &a->codes[k];
            if (!actor_code_ok(c->code))
                problem(L, a->file, a->line,
                        "actor %s: code %s is not a CAMEO actor code "
                        "(letters in groups of three, or ---)",
                        a->name, c->code);
            if (!c->dated) continue;
            if (c->from != DYAD_NODAY && c->to != DYAD_NODAY && c->from > c->to) {
                char r[32];
                fmt_range(c, r, sizeof r);
                problem(L, a->file, a->line, "actor %s: inverted date range %s",
                        a->name, r);
            }
            for (uint32_t j = 0; j < k; j++) {
                const dyad_actor_code *o = &a->codes[j];
                if (!o->dated || strcmp(o->code, c->code) == 0) continue;
                /* one bracket of several codes ([A/B >D]) gives equal ranges */
                if (o->from == c->from && o->to == c->to) continue;
                dyad_day f1 = c->from == DYAD_NODAY ? INT32_MIN + 1 : c->from;
                dyad_day t1 = c->to == DYAD_NODAY ? INT32_MAX : c->to;
                dyad_day f2 = o->from == DYAD_NODAY ? INT32_MIN + 1 : o->from;
                dyad_day t2 = o->to == DYAD_NODAY ? INT32_MAX : o->to;
                if (f1 <= t2 && f2 <= t1) {
                    char r1[32], r2[32];
                    fmt_range(o, r1, sizeof r1);
                    fmt_range(c, r2, sizeof r2);
                    problem(L, a->file, a->line,
                            "actor %s: date ranges overlap with different "
                            "codes: %s %s and %s %s",
                            a->name, o->code, r1, c->code, r2);
                }
            }
        }
    }
    dup_item *it = malloc(sizeof *it * (d->n_aphr ? d->n_aphr : 1));
    if (!it) return;
    for (uint32_t i = 0; i < d->n_aphr; i++) {
        const dyad_actor *a = &d->actors[d->aphr[i].actor];
        it[i] = (dup_item){&d->aphr[i].ph, d->aphr[i].actor, a->file, a->line,
                           NULL};
    }
    /* a synonym has no line of its own: the actor's is given */
    check_dups(L, it, d->n_aphr, "actor", 0);
    free(it);
}

/* Agents: the written phrases (their names), not the generated plurals. */
static void lint_agents(lint_ctx *L) {
    const dyad_dict *d = L->d;
    for (uint32_t i = 0; i < d->n_agents; i++) {
        const dyad_agent *g = &d->agents[i];
        if (!g->name) continue;
        for (uint32_t j = 0; j < i; j++) {
            const dyad_agent *o = &d->agents[j];
            if (!o->name) continue;
            /* names compare as written, '_' and spaces alike, case ignored */
            const char *p = g->name, *q = o->name;
            while (*p && *q) {
                char x = *p == ' ' ? '_' : (char)toupper((unsigned char)*p);
                char y = *q == ' ' ? '_' : (char)toupper((unsigned char)*q);
                if (x != y) break;
                p++, q++;
            }
            while (*p == '_' || *p == ' ') p++;
            while (*q == '_' || *q == ' ') q++;
            if (!*p && !*q) {
                problem(L, g->file, g->line,
                        "duplicate agent phrase %s (also %s:%d)", g->name,
                        o->file, o->line);
                break;
            }
        }
    }
}

/* Elements equal (same kind, id, adjacency). */
static int pat_same(const dyad_pattern *a, const dyad_pattern *b) {
    if (a->n != b->n) return 0;
    for (uint16_t i = 0; i < a->n; i++)
        if (a->e[i].kind != b->e[i].kind || a->e[i].id != b->e[i].id ||
            a->e[i].adj != b->e[i].adj)
            return 0;
    return 1;
}

static void lint_verbs(lint_ctx *L) {
    const dyad_dict *d = L->d;
    uint32_t *nverbs = calloc(d->n_blocks ? d->n_blocks : 1, sizeof *nverbs);
    if (!nverbs) return;
    for (uint32_t i = 0; i < d->n_verbs; i++) {
        const dyad_verb *v = &d->verbs[i];
        if (v->block < d->n_blocks) nverbs[v->block]++;
        if (v->code && !code_ok(v->code))
            problem(L, v->file, v->line, "verb code %s is not in the CAMEO codebook",
                    v->code);
        if (v->code2 && !code_ok(v->code2))
            problem(L, v->file, v->line, "verb code %s is not in the CAMEO codebook",
                    v->code2);
    }
    /* the same verb form in two blocks with different codes: which wins
     * depends on the order of the files */
    dup_item *it = malloc(sizeof *it * (d->n_verbs ? d->n_verbs : 1));
    if (it) {
        size_t n = 0;
        for (uint32_t i = 0; i < d->n_verbs; i++) {
            const dyad_verb *v = &d->verbs[i];
            it[n++] = (dup_item){&v->ph, v->block, v->file, v->line,
                                 v->code ? v->code : d->blocks[v->block].code};
        }
        qsort(it, n, sizeof *it, cmp_dup);
        for (size_t i = 0; i < n;) {
            size_t e = i + 1;
            while (e < n && phrase_cmp(it[e].ph, it[i].ph) == 0) e++;
            for (size_t k = i + 1; k < e; k++) {
                if (it[k].owner == it[k - 1].owner) continue;
                if (strcmp(it[k].code, it[i].code) == 0) continue;
                char t[512];
                phrase_text(d, it[k].ph, t, sizeof t);
                problem(L, it[k].file, it[k].line,
                        "verb form %s is in two blocks with different codes: "
                        "%s here, %s at %s:%d",
                        t, it[k].code, it[i].code, it[i].file, it[i].line);
            }
            i = e;
        }
        free(it);
    }
    for (uint32_t b = 0; b < d->n_blocks; b++) {
        const dyad_verb_block *B = &d->blocks[b];
        if (!code_ok(B->code))
            problem(L, B->file, B->line,
                    "block %s: code %s is not in the CAMEO codebook", B->name,
                    B->code);
        if (B->code2 && !code_ok(B->code2))
            problem(L, B->file, B->line,
                    "block %s: code %s is not in the CAMEO codebook", B->name,
                    B->code2);
        if (B->n_pats && !nverbs[b])
            problem(L, B->file, B->line,
                    "block %s has no verbs: its %u patterns can never match",
                    B->name, B->n_pats);
        for (uint32_t p = 0; p < B->n_pats; p++) {
            const dyad_pattern *P = &B->pats[p];
            if (!code_ok(P->code))
                problem(L, P->file, P->line,
                        "pattern code %s is not in the CAMEO codebook", P->code);
            if (P->code2 && !code_ok(P->code2))
                problem(L, P->file, P->line,
                        "pattern code %s is not in the CAMEO codebook",
                        P->code2);
            int srcs = 0, tgts = 0;
            for (uint16_t k = 0; k < P->n; k++) {
                const dyad_pelem *e = &P->e[k];
                srcs += e->kind == PE_SOURCE;
                tgts += e->kind == PE_TARGET;
                if (e->kind == PE_SYNSET && e->id < d->n_synsets &&
                    d->synsets[e->id].n == 0)
                    problem(L, P->file, P->line,
                            "pattern can never match: synset &%s is empty",
                            d->synsets[e->id].name);
                /* a word joined to the verb that is itself a one-word form
                 * of this block's verbs: "ACCUSE_* +" needs the verb twice */
                int joined = (k + 1 == P->verb_at && e->adj) ||
                             (k == P->verb_at + 1 && P->e[P->verb_at].adj);
                if (e->kind == PE_WORD && joined) {
                    for (uint32_t v = 0; v < d->n_verbs; v++) {
                        const dyad_verb *V = &d->verbs[v];
                        if (V->block == b && V->ph.n == 1 && V->ph.w[0] == e->id) {
                            problem(L, P->file, P->line,
                                    "pattern can never match: %s next to '*' "
                                    "is itself a form of the verb",
                                    d->words[e->id].s);
                            break;
                        }
                    }
                }
            }
            if (srcs > 1 || tgts > 1)
                problem(L, P->file, P->line,
                        "pattern has more than one %s", srcs > 1 ? "'$'" : "'+'");
            for (uint32_t q = 0; q < p; q++) {
                const dyad_pattern *Q = &B->pats[q];
                if (!pat_same(P, Q)) continue;
                /* finish sorts patterns: report the later line */
                const dyad_pattern *later = P->line >= Q->line || P->file != Q->file ? P : Q;
                const dyad_pattern *earlier = later == P ? Q : P;
                if (strcmp(P->code, Q->code) != 0)
                    problem(L, later->file, later->line,
                            "pattern %s duplicates %s:%d with another code (%s): "
                            "it can never match",
                            later->text, earlier->file, earlier->line,
                            earlier->code);
                else
                    problem(L, later->file, later->line,
                            "pattern %s duplicates %s:%d", later->text,
                            earlier->file, earlier->line);
                break;
            }
        }
    }
    free(nverbs);
}

size_t dyad_dict_lint(const dyad_dict *d, dyad_diag_fn fn, void *ud) {
    lint_ctx L = {d, fn, ud, 0};
    if (!d) return 0;
    lint_actors(&L);
    lint_agents(&L);
    lint_verbs(&L);
    return L.problems;
}

/* -------------------------------------------------------------- lookup */

/* Tokenize a phrase the way the coder sees text: normalized, split, upper. */
typedef struct toks {
    dyad_arena arena;
    dyad_sent *sents;
    size_t n_sents;
    dyad_tok *t;
    size_t n;
    char **up;      /* upper-case copy of each token */
    uint32_t *id;   /* word ids (0 = not a dictionary word) */
} toks;

static int tokenize(const dyad_dict *d, const char *s, size_t n, toks *T) {
    char *norm;
    size_t nn, bad;
    memset(T, 0, sizeof *T);
    dyad__arena_init(&T->arena, 0);
    int rc = dyad__text_normalize(&T->arena, s, n, &norm, &nn, &bad);
    if (rc) return rc;
    rc = dyad__text_split(&T->arena, norm, nn, &T->sents, &T->n_sents, &T->t,
                          &T->n);
    if (rc) return rc;
    T->up = dyad__arena_alloc(&T->arena, sizeof *T->up * (T->n + 1));
    T->id = dyad__arena_alloc(&T->arena, sizeof *T->id * (T->n + 1));
    if (!T->up || !T->id) return DYAD_ENOMEM;
    for (size_t i = 0; i < T->n; i++) {
        char *u = dyad__arena_strndup(&T->arena, T->t[i].p, T->t[i].n);
        if (!u) return DYAD_ENOMEM;
        for (char *p = u; *p; p++) *p = (char)toupper((unsigned char)*p);
        T->up[i] = u;
        T->id[i] = dyad__dict_word(d, u, T->t[i].n);
    }
    return DYAD_OK;
}

/* Does phrase ph match the tokens from i on (within [i, end))? */
static int phrase_at(const dyad_dict *d, const dyad_phrase *ph, const toks *T,
                     size_t i, size_t end) {
    if (i + ph->n > end) return 0;
    for (uint16_t k = 0; k < ph->n; k++) {
        if (k + 1 == ph->n && ph->last_stem) {
            const dyad_word *w = &d->words[ph->w[k]];
            if (strncmp(T->up[i + k], w->s, w->len) != 0) return 0;
        } else if (T->id[i + k] != ph->w[k]) {
            return 0;
        }
    }
    return 1;
}

int dyad_dict_lookup(const dyad_dict *d, const char *phrase, const char *date,
                     dyad_dict_match_fn fn, void *ud) {
    dyad_day day = DYAD_NODAY;
    if (!d || !phrase) return DYAD_EINVAL;
    if (date && (day = dyad__day_parse_iso(date, strlen(date))) == DYAD_NODAY)
        return DYAD_EDATE;
    toks T;
    int rc = tokenize(d, phrase, strlen(phrase), &T);
    if (rc) {
        dyad__arena_free(&T.arena);
        return rc;
    }
    int found = 0;
    /* longest match at each position, as the coder reads a sentence */
    for (size_t i = 0; i < T.n;) {
        size_t best = 0;
        int kind = 0;
        uint32_t who = 0;
        for (uint32_t k = 0; k < d->n_aphr; k++)
            if (d->aphr[k].ph.n > best && phrase_at(d, &d->aphr[k].ph, &T, i, T.n))
                best = d->aphr[k].ph.n, kind = ST_ACTOR, who = k;
        for (uint32_t k = 0; k < d->n_gphr; k++)
            if (d->gphr[k].ph.n > best && phrase_at(d, &d->gphr[k].ph, &T, i, T.n))
                best = d->gphr[k].ph.n, kind = ST_AGENT, who = k;
        for (uint32_t k = 0; k < d->n_verbs; k++)
            if (d->verbs[k].ph.n > best && phrase_at(d, &d->verbs[k].ph, &T, i, T.n))
                best = d->verbs[k].ph.n, kind = ST_VERB, who = k;
        if (!best) {
            i++;
            continue;
        }
        dyad_dict_match m;
        memset(&m, 0, sizeof m);
        char words[512] = "";
        for (size_t k = i; k < i + best; k++) {
            size_t l = strlen(words);
            snprintf(words + l, sizeof words - l, "%s%.*s", k > i ? " " : "",
                     (int)T.t[k].n, T.t[k].p);
        }
        m.words = words;
        if (kind == ST_ACTOR) {
            const dyad_actor *a = &d->actors[d->aphr[who].actor];
            m.kind = "actor";
            m.entry = a->name;
            m.file = a->file;
            m.line = a->line;
            m.code = dyad__actor_code(a, day);
            /* the entry's codes, which one applies marked by the caller */
            char all[1024] = "";
            for (uint32_t c = 0; c < a->n_codes; c++) {
                char r[32];
                size_t l = strlen(all);
                fmt_range(&a->codes[c], r, sizeof r);
                snprintf(all + l, sizeof all - l, "%s[%s %s]", c ? " " : "",
                         a->codes[c].code, r);
            }
            m.all_codes = all;
            fn(ud, &m);
        } else if (kind == ST_AGENT) {
            const dyad_agent *g = &d->agents[d->gphr[who].agent];
            char code[64];
            snprintf(code, sizeof code, g->prefix ? "%s~" : "~%s", g->code);
            m.kind = "agent";
            m.entry = g->name;
            m.file = g->file;
            m.line = g->line;
            m.code = code;
            m.all_codes = code;
            fn(ud, &m);
        } else {
            const dyad_verb *v = &d->verbs[who];
            const dyad_verb_block *B = &d->blocks[v->block];
            m.kind = "verb";
            m.entry = v->text;
            m.file = v->file;
            m.line = v->line;
            m.code = v->code ? v->code : B->code;
            m.all_codes = B->name;
            fn(ud, &m);
        }
        found++;
        i += best;
    }
    dyad__arena_free(&T.arena);
    return found;
}

/* ------------------------------------------------------------ coverage */

static int has_seg(const char *code, const char *seg) {
    size_t n = strlen(code);
    for (size_t i = 0; i + 3 <= n; i += 3)
        if (memcmp(code + i, seg, 3) == 0) return 1;
    return 0;
}

/* Three-letter codes that name a sector or a kind of actor, not a state. */
static int is_sector(const char *c) {
    static const char *const s[] = {
        "IGO", "NGO", "MNC", "REB", "INS", "UAF", "IMG", "OPP", "GOV", "MIL",
        "BUS", "MED", "EDU", "REL", "CVL", "COP", "JUD", "LEG", "ELI", "SPY",
        "LAB", "REF", "AGR", "HLH", "ENV", "CRM", "MOD", "RAD", "SEP", "NGM",
        "UIS", "PTY", "SET", "IRC", "INT", "---", NULL};
    for (int i = 0; s[i]; i++)
        if (strcmp(c, s[i]) == 0) return 1;
    return 0;
}

static int cmp_cstr(const void *a, const void *b) {
    return strcmp(*(const char *const *)a, *(const char *const *)b);
}

static void mark_code(unsigned char *seen, const char *c) {
    if (!c) return;
    const dyad_cameo *e = dyad_cameo_lookup(c);
    if (!e) return;
    for (size_t i = 0; i < dyad_cameo_count(); i++)
        if (dyad_cameo_at(i) == e) {
            seen[i] = 1;
            return;
        }
}

void dyad_dict_coverage(const dyad_dict *d, dyad_dict_coverage_t *out) {
    memset(out, 0, sizeof *out);
    if (!d) return;
    const char **cc = malloc(sizeof *cc * (d->n_actors ? d->n_actors : 1));
    size_t ncc = 0;
    out->actors = d->n_actors;
    out->actor_phrases = d->n_aphr;
    for (uint32_t i = 0; i < d->n_actors; i++) {
        const dyad_actor *a = &d->actors[i];
        int igo = 0, armed = 0;
        for (uint32_t k = 0; k < a->n_codes; k++) {
            const char *c = a->codes[k].code;
            if (a->codes[k].dated) out->dated_roles++;
            if (!strncmp(c, "IGO", 3)) igo = 1;
            if (has_seg(c, "REB") || has_seg(c, "INS") || has_seg(c, "UAF") ||
                has_seg(c, "IMG") || has_seg(c, "SEP"))
                armed = 1;
            if (cc && !a->codes[k].dated && strlen(c) == 3 && !is_sector(c) &&
                isupper((unsigned char)c[0]) && isupper((unsigned char)c[1]) &&
                isupper((unsigned char)c[2]))
                cc[ncc++] = c;
        }
        out->igos += igo;
        out->armed_groups += armed;
    }
    if (cc) {
        qsort(cc, ncc, sizeof *cc, cmp_cstr);
        for (size_t i = 0; i < ncc; i++)
            out->countries += i == 0 || strcmp(cc[i], cc[i - 1]) != 0;
        free(cc);
    }
    out->agents = d->n_agents;
    out->agent_phrases = d->n_gphr;
    out->verb_blocks = d->n_blocks;
    out->verb_forms = d->n_verbs;
    out->patterns = d->n_patterns;
    out->synsets = d->n_synsets;
    out->discards = d->n_discards;
    size_t nc = dyad_cameo_count();
    unsigned char *seen = calloc(nc ? nc : 1, 1);
    if (!seen) return;
    for (uint32_t b = 0; b < d->n_blocks; b++) {
        const dyad_verb_block *B = &d->blocks[b];
        mark_code(seen, B->code);
        mark_code(seen, B->code2);
        for (uint32_t p = 0; p < B->n_pats; p++) {
            mark_code(seen, B->pats[p].code);
            mark_code(seen, B->pats[p].code2);
        }
    }
    for (uint32_t v = 0; v < d->n_verbs; v++) {
        mark_code(seen, d->verbs[v].code);
        mark_code(seen, d->verbs[v].code2);
    }
    unsigned char roots[100] = {0};
    /* the two-digit root headings are not event codes of their own */
    for (size_t i = 0; i < nc; i++) {
        if (strlen(dyad_cameo_at(i)->code) < 3) continue;
        out->cameo_total++;
        if (!seen[i]) continue;
        out->cameo_covered++;
        const dyad_cameo *e = dyad_cameo_at(i);
        if (e->root && isdigit((unsigned char)e->root[0]) &&
            isdigit((unsigned char)e->root[1]))
            roots[(e->root[0] - '0') * 10 + (e->root[1] - '0')] = 1;
    }
    for (int r = 0; r < 100; r++) out->roots_covered += roots[r];
    free(seen);
}

int dyad_dict_code_covered(const dyad_dict *d, const char *code) {
    for (uint32_t b = 0; b < d->n_blocks; b++) {
        const dyad_verb_block *B = &d->blocks[b];
        if (!strcmp(B->code, code) || (B->code2 && !strcmp(B->code2, code)))
            return 1;
        for (uint32_t p = 0; p < B->n_pats; p++)
            if (!strcmp(B->pats[p].code, code) ||
                (B->pats[p].code2 && !strcmp(B->pats[p].code2, code)))
                return 1;
    }
    for (uint32_t v = 0; v < d->n_verbs; v++)
        if ((d->verbs[v].code && !strcmp(d->verbs[v].code, code)) ||
            (d->verbs[v].code2 && !strcmp(d->verbs[v].code2, code)))
            return 1;
    return 0;
}

/* ------------------------------------------------------ unknown phrases */

typedef struct unk_entry {
    char *phrase;  /* as first written: "Abdel Fattah al-Sisi" */
    char *key;     /* upper case, for counting */
    char *example; /* the sentence it was first seen in */
    char *doc;
    size_t count;
} unk_entry;

struct dyad_unknown {
    const dyad_dict *d;
    unk_entry *e;
    size_t n, cap;
    size_t *slots; /* open addressing over e (index + 1) */
    size_t n_slots;
    dyad_unknown_phrase *sorted;
};

dyad_unknown *dyad_unknown_new(const dyad_dict *d) {
    dyad_unknown *u = calloc(1, sizeof *u);
    if (!u) return NULL;
    u->d = d;
    return u;
}

void dyad_unknown_free(dyad_unknown *u) {
    if (!u) return;
    for (size_t i = 0; i < u->n; i++) {
        free(u->e[i].phrase);
        free(u->e[i].key);
        free(u->e[i].example);
        free(u->e[i].doc);
    }
    free(u->e);
    free(u->slots);
    free(u->sorted);
    free(u);
}

static size_t str_hash(const char *s) {
    size_t h = 1469598103934665603ull;
    for (; *s; s++) h = (h ^ (unsigned char)*s) * 1099511628211ull;
    return h;
}

static int unk_grow(dyad_unknown *u) {
    size_t ns = u->n_slots ? u->n_slots * 2 : 256;
    size_t *sl = calloc(ns, sizeof *sl);
    if (!sl) return DYAD_ENOMEM;
    for (size_t i = 0; i < u->n; i++) {
        size_t h = str_hash(u->e[i].key) & (ns - 1);
        while (sl[h]) h = (h + 1) & (ns - 1);
        sl[h] = i + 1;
    }
    free(u->slots);
    u->slots = sl;
    u->n_slots = ns;
    return 0;
}

static char *dupn(const char *s, size_t n) {
    char *p = malloc(n + 1);
    if (p) memcpy(p, s, n), p[n] = 0;
    return p;
}

static int unk_add(dyad_unknown *u, const char *phrase, size_t pn,
                   const char *sent, size_t sn, const char *doc) {
    char key[512];
    if (pn >= sizeof key) pn = sizeof key - 1;
    for (size_t i = 0; i < pn; i++) key[i] = (char)toupper((unsigned char)phrase[i]);
    key[pn] = 0;
    if ((u->n + 1) * 2 > u->n_slots && unk_grow(u)) return DYAD_ENOMEM;
    size_t h = str_hash(key) & (u->n_slots - 1);
    while (u->slots[h]) {
        unk_entry *e = &u->e[u->slots[h] - 1];
        if (strcmp(e->key, key) == 0) {
            e->count++;
            return 0;
        }
        h = (h + 1) & (u->n_slots - 1);
    }
    if (u->n == u->cap) {
        size_t nc = u->cap ? u->cap * 2 : 64;
        unk_entry *ne = realloc(u->e, nc * sizeof *ne);
        if (!ne) return DYAD_ENOMEM;
        u->e = ne;
        u->cap = nc;
    }
    unk_entry *e = &u->e[u->n];
    e->phrase = dupn(phrase, pn);
    e->key = dupn(key, pn);
    e->example = dupn(sent, sn);
    e->doc = dupn(doc ? doc : "", doc ? strlen(doc) : 0);
    e->count = 1;
    if (!e->phrase || !e->key || !e->example || !e->doc) {
        free(e->phrase), free(e->key), free(e->example), free(e->doc);
        return DYAD_ENOMEM;
    }
    u->slots[h] = ++u->n;
    free(u->sorted);
    u->sorted = NULL;
    return 0;
}

/* Capitalized words that start sentences or name dates, not actors. */
static int common_word(const char *up) {
    static const char *const w[] = {
        "THE", "A", "AN", "IN", "ON", "AT", "AS", "HE", "SHE", "IT", "THEY",
        "WE", "I", "YOU", "BUT", "AND", "OR", "AFTER", "BEFORE", "WHEN",
        "WHILE", "THIS", "THAT", "THESE", "THOSE", "HIS", "HER", "ITS",
        "THEIR", "OUR", "FOR", "FROM", "WITH", "BY", "OF", "TO", "SINCE",
        "DURING", "MEANWHILE", "HOWEVER", "ALSO", "SOME", "MANY", "MORE",
        "MOST", "OTHER", "BOTH", "EARLIER", "LATER", "ON", "IF", "THERE",
        "MONDAY", "TUESDAY", "WEDNESDAY", "THURSDAY", "FRIDAY", "SATURDAY",
        "SUNDAY", "JANUARY", "FEBRUARY", "MARCH", "APRIL", "MAY", "JUNE",
        "JULY", "AUGUST", "SEPTEMBER", "OCTOBER", "NOVEMBER", "DECEMBER",
        "JAN.", "FEB.", "MAR.", "APR.", "JUN.", "JUL.", "AUG.", "SEPT.",
        "SEP.", "OCT.", "NOV.", "DEC.", "MR.", "MRS.", "MS.", "DR.", "REUTERS",
        "AP", "AFP", "TASS", "XINHUA", "ACCORDING", "ABOUT", "UNDER", "AMID",
        "OVER", "ONE", "TWO", "THREE", "NO", "NOT", "WHAT", "WHO", "WHICH",
        "WHERE", "WHY", "HOW", NULL};
    for (int i = 0; w[i]; i++)
        if (strcmp(up, w[i]) == 0) return 1;
    return 0;
}

/* "al-Sisi", "el-Sheikh" (a particle joined to a capitalized name), or a
 * lone particle "bin", "ibn", "de", "van", "von", "al". */
static int name_particle(const dyad_tok *t) {
    static const char *const p[] = {"bin", "ibn", "de", "da", "van", "von",
                                    "der", "al", "el", "bint", NULL};
    if (t->n > 3 && t->p[2] == '-' && islower((unsigned char)t->p[0]) &&
        isupper((unsigned char)t->p[3]))
        return 1;
    for (int i = 0; p[i]; i++)
        if (strlen(p[i]) == t->n && memcmp(p[i], t->p, t->n) == 0) return 1;
    return 0;
}

int dyad_unknown_add(dyad_unknown *u, const dyad_article *a) {
    if (!u || !a || !a->text) return DYAD_EINVAL;
    const dyad_dict *d = u->d;
    toks T;
    int rc = tokenize(d, a->text, a->text_len ? a->text_len : strlen(a->text),
                      &T);
    if (rc) {
        dyad__arena_free(&T.arena);
        return rc;
    }
    unsigned char *cov = calloc(T.n + 1, 1);
    if (!cov) {
        dyad__arena_free(&T.arena);
        return DYAD_ENOMEM;
    }
    for (size_t s = 0; s < T.n_sents && !rc; s++) {
        const dyad_sent *S = &T.sents[s];
        size_t b = S->tok_first, e = S->tok_first + S->tok_count;
        /* tokens covered by an actor or agent phrase (the index's starts
         * list every phrase by its first word; stems by their prefix) */
        for (size_t i = b; i < e; i++) {
            size_t best = 0;
            uint32_t id = T.id[i];
            if (id) {
                const dyad_word *w = &d->words[id];
                for (uint32_t k = 0; k < w->n_starts; k++) {
                    const dyad_start *st = &w->starts[k];
                    const dyad_phrase *ph =
                        st->kind == ST_ACTOR   ? &d->aphr[st->idx].ph
                        : st->kind == ST_AGENT ? &d->gphr[st->idx].ph
                                               : NULL;
                    if (ph && ph->n > best && phrase_at(d, ph, &T, i, e))
                        best = ph->n;
                }
            }
            if (!best && d->max_stem) {
                /* one-word stems: the token's prefixes */
                size_t len = strlen(T.up[i]);
                for (size_t l = d->min_stem; l <= d->max_stem && l <= len; l++) {
                    uint32_t sid = dyad__dict_word(d, T.up[i], l);
                    if (!sid || !d->words[sid].stem_key) continue;
                    const dyad_word *w = &d->words[sid];
                    for (uint32_t k = 0; k < w->n_starts; k++)
                        if ((w->starts[k].kind == ST_ACTOR ||
                             w->starts[k].kind == ST_AGENT) &&
                            !w->starts[k].w2)
                            best = best ? best : 1;
                }
            }
            for (size_t k = i; k < i + best && k < e; k++) cov[k] = 1;
        }
        /* runs of capitalized, uncovered words */
        for (size_t i = b; i < e && !rc;) {
            const dyad_tok *t = &T.t[i];
            int cap = (t->flags & DYAD_TOK_CAP) && (t->flags & DYAD_TOK_WORD) &&
                      !cov[i] && !(i == b && common_word(T.up[i])) &&
                      !common_word(T.up[i]);
            if (!cap) {
                i++;
                continue;
            }
            size_t j = i + 1;
            while (j < e) {
                const dyad_tok *x = &T.t[j];
                if ((x->flags & DYAD_TOK_CAP) && (x->flags & DYAD_TOK_WORD) &&
                    !cov[j] && !common_word(T.up[j])) {
                    j++;
                    continue;
                }
                /* "al-Sisi", "bin Salman": name particles inside a name */
                if (!cov[j] && (x->flags & DYAD_TOK_WORD) && name_particle(x) &&
                    (x->n > 3 || (j + 1 < e && (T.t[j + 1].flags & DYAD_TOK_CAP) &&
                                  !cov[j + 1]))) {
                    j++;
                    continue;
                }
                /* "Ministry of Foreign Affairs", "Gulf of Aden" */
                if (j + 1 < e && (strcmp(T.up[j], "OF") == 0 ||
                                  strcmp(T.up[j], "FOR") == 0) &&
                    (T.t[j + 1].flags & DYAD_TOK_CAP) && !cov[j + 1] &&
                    !common_word(T.up[j + 1])) {
                    j += 2;
                    continue;
                }
                break;
            }
            /* all-capital words opening an article are its dateline */
            int dateline = s == 0 && i == b;
            for (size_t k = i; k < j && dateline; k++)
                for (const char *c = T.t[k].p; c < T.t[k].p + T.t[k].n; c++)
                    if (islower((unsigned char)*c)) dateline = 0;
            if (dateline) {
                i = j;
                continue;
            }
            size_t off = T.t[i].off, end = T.t[j - 1].off + T.t[j - 1].n;
            const char *base = T.t[i].p - T.t[i].off;
            rc = unk_add(u, base + off, end - off, base + S->start,
                         S->end - S->start, a->id);
            i = j;
        }
    }
    free(cov);
    dyad__arena_free(&T.arena);
    return rc;
}

static int cmp_unk(const void *a, const void *b) {
    const dyad_unknown_phrase *x = a, *y = b;
    if (x->count != y->count) return x->count > y->count ? -1 : 1;
    return strcmp(x->phrase, y->phrase);
}

size_t dyad_unknown_count(const dyad_unknown *u) { return u ? u->n : 0; }

const dyad_unknown_phrase *dyad_unknown_at(dyad_unknown *u, size_t i) {
    if (!u || i >= u->n) return NULL;
    if (!u->sorted) {
        u->sorted = malloc(sizeof *u->sorted * u->n);
        if (!u->sorted) return NULL;
        for (size_t k = 0; k < u->n; k++) {
            u->sorted[k].phrase = u->e[k].phrase;
            u->sorted[k].count = u->e[k].count;
            u->sorted[k].example = u->e[k].example;
            u->sorted[k].doc = u->e[k].doc;
        }
        qsort(u->sorted, u->n, sizeof *u->sorted, cmp_unk);
    }
    return &u->sorted[i];
}
