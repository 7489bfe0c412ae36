/* cmd_eval.c: `dyad eval GOLD PRED`: precision and recall of coded events
 * against expected ones (both JSON Lines), matching on doc, sentence,
 * source, target and code, and again with the code cut to its root. */
#include "cmd_dict.h"

#include <json-c/json.h>
#include <stdlib.h>
#include <string.h>

typedef struct ev {
    char *key;  /* doc \t sentence \t source \t target \t code */
    char *rkey; /* the same with the root */
    char code[8], root[3];
    int hit, rhit;
} ev;

typedef struct evs {
    ev *v;
    size_t n, cap;
} evs;

static const char *str_field(json_object *o, const char *name) {
    json_object *f;
    if (!json_object_object_get_ex(o, name, &f) || json_object_is_type(f, json_type_null))
        return NULL;
    return json_object_get_string(f);
}

/* Read a JSON Lines file of events; -1 when it cannot be read. Bad lines are
 * reported and skipped (*bad counts them). */
static int read_events(const char *path, evs *out, size_t *bad) {
    FILE *f = fopen(path, "r");
    char *line = NULL;
    size_t cap = 0;
    ssize_t len;
    long ln = 0;
    if (!f) {
        fprintf(stderr, "dyad: error: cannot open %s\n", path);
        return -1;
    }
    while ((len = getline(&line, &cap, f)) >= 0) {
        ln++;
        while (len && (line[len - 1] == '\n' || line[len - 1] == '\r')) line[--len] = 0;
        if (!len) continue;
        json_object *o = json_tokener_parse(line);
        const char *doc, *src, *tgt, *code;
        json_object *s;
        if (!o || !json_object_is_type(o, json_type_object)) {
            fprintf(stderr, "dyad: error: %s:%ld: not a JSON object\n", path, ln);
            (*bad)++;
            if (o) json_object_put(o);
            continue;
        }
        doc = str_field(o, "doc");
        src = str_field(o, "source");
        tgt = str_field(o, "target");
        code = str_field(o, "code");
        if (!doc || !code || !json_object_object_get_ex(o, "sentence", &s)) {
            fprintf(stderr, "dyad: error: %s:%ld: an event needs doc, sentence "
                            "and code\n", path, ln);
            (*bad)++;
            json_object_put(o);
            continue;
        }
        if (out->n == out->cap) {
            size_t nc = out->cap ? out->cap * 2 : 256;
            ev *nv = realloc(out->v, nc * sizeof *nv);
            if (!nv) abort();
            out->v = nv;
            out->cap = nc;
        }
        ev *e = &out->v[out->n++];
        memset(e, 0, sizeof *e);
        snprintf(e->code, sizeof e->code, "%s", code);
        snprintf(e->root, sizeof e->root, "%.2s", code);
        int sent = json_object_get_int(s);
        size_t kn = strlen(doc) + strlen(src ? src : "") + strlen(tgt ? tgt : "") + 48;
        e->key = malloc(kn);
        e->rkey = malloc(kn);
        if (!e->key || !e->rkey) abort();
        snprintf(e->key, kn, "%s\t%d\t%s\t%s\t%s", doc, sent, src ? src : "",
                 tgt ? tgt : "", e->code);
        snprintf(e->rkey, kn, "%s\t%d\t%s\t%s\t%s", doc, sent, src ? src : "",
                 tgt ? tgt : "", e->root);
        json_object_put(o);
    }
    free(line);
    fclose(f);
    return 0;
}

/* Mark the matches of two multisets: each gold event matches at most one
 * predicted event with the same key. */
static void match(evs *g, evs *p, int root) {
    for (size_t i = 0; i < g->n; i++)
        for (size_t j = 0; j < p->n; j++) {
            int *ph = root ? &p->v[j].rhit : &p->v[j].hit;
            if (*ph) continue;
            if (strcmp(root ? g->v[i].rkey : g->v[i].key,
                       root ? p->v[j].rkey : p->v[j].key) == 0) {
                *ph = 1;
                if (root) g->v[i].rhit = 1;
                else g->v[i].hit = 1;
                break;
            }
        }
}

typedef struct tally {
    char key[8];
    size_t gold, pred, tp_g, tp_p;
} tally;

static tally *find(tally *t, size_t *n, const char *key) {
    for (size_t i = 0; i < *n; i++)
        if (!strcmp(t[i].key, key)) return &t[i];
    memset(&t[*n], 0, sizeof t[*n]);
    snprintf(t[*n].key, sizeof t[*n].key, "%s", key);
    return &t[(*n)++];
}

static int cmp_tally(const void *a, const void *b) {
    return strcmp(((const tally *)a)->key, ((const tally *)b)->key);
}

static void row(const char *level, const char *key, size_t gold, size_t pred,
                size_t tp_g, size_t tp_p) {
    double p = pred ? (double)tp_p / (double)pred : 0;
    double r = gold ? (double)tp_g / (double)gold : 0;
    double f = p + r > 0 ? 2 * p * r / (p + r) : 0;
    printf("%-6s %-5s %5zu %5zu %5zu  %.3f  %.3f  %.3f\n", level, key, gold, pred,
           tp_g, p, r, f);
}

int cmd_eval(int argc, char **argv) {
    evs g = {0}, p = {0};
    size_t bad = 0;
    if (argc == 2 && (!strcmp(argv[1], "--help") || !strcmp(argv[1], "-h"))) {
        puts("usage: dyad eval GOLD PRED   (both JSON Lines of events)");
        return 0;
    }
    if (argc != 3 || argv[1][0] == '-' || argv[2][0] == '-') {
        fputs("dyad: error: usage: dyad eval GOLD PRED (both JSON Lines of events)\n",
              stderr);
        return 2;
    }
    if (read_events(argv[1], &g, &bad) || read_events(argv[2], &p, &bad)) return 1;
    match(&g, &p, 0);
    match(&g, &p, 1);

    size_t cap = g.n + p.n + 1, nc = 0, nr = 0;
    tally *codes = malloc(cap * sizeof *codes), *roots = malloc(cap * sizeof *roots);
    size_t tp_g = 0, tp_p = 0, rtp_g = 0, rtp_p = 0;
    if (!codes || !roots) abort();
    for (size_t i = 0; i < g.n; i++) {
        tally *c = find(codes, &nc, g.v[i].code), *r = find(roots, &nr, g.v[i].root);
        c->gold++, r->gold++;
        c->tp_g += g.v[i].hit, r->tp_g += g.v[i].rhit;
        tp_g += g.v[i].hit, rtp_g += g.v[i].rhit;
    }
    for (size_t i = 0; i < p.n; i++) {
        tally *c = find(codes, &nc, p.v[i].code), *r = find(roots, &nr, p.v[i].root);
        c->pred++, r->pred++;
        c->tp_p += p.v[i].hit, r->tp_p += p.v[i].rhit;
        tp_p += p.v[i].hit, rtp_p += p.v[i].rhit;
    }
    qsort(codes, nc, sizeof *codes, cmp_tally);
    qsort(roots, nr, sizeof *roots, cmp_tally);
    printf("level  key    gold  pred  tp    prec   rec    f1\n");
    row("all", "code", g.n, p.n, tp_g, tp_p);
    row("all", "root", g.n, p.n, rtp_g, rtp_p);
    for (size_t i = 0; i < nr; i++)
        row("root", roots[i].key, roots[i].gold, roots[i].pred, roots[i].tp_g,
            roots[i].tp_p);
    for (size_t i = 0; i < nc; i++)
        row("code", codes[i].key, codes[i].gold, codes[i].pred, codes[i].tp_g,
            codes[i].tp_p);
    for (size_t i = 0; i < g.n; i++) free(g.v[i].key), free(g.v[i].rkey);
    for (size_t i = 0; i < p.n; i++) free(p.v[i].key), free(p.v[i].rkey);
    free(g.v), free(p.v), free(codes), free(roots);
    return bad ? 1 : 0;
}
