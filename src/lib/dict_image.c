/* dict_image.c: the compiled form of a finished dictionary set. A snapshot of
 * every table with pointers stored as offsets; loading maps the file and turns
 * the offsets back into pointers, so a warm load parses nothing.
 * docs/dictionaries.md ("Compiled dictionaries") says when it is used. */
#include "dict_image.h"

#include <errno.h>
#include <stdint.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include "util/buf.h"

#define IMAGE_MAGIC "DYADIMG1"
enum { IMAGE_VERSION = 5 };

/* Pointers are stored as IMAGE_BASE + offset: when the file can be mapped
 * at IMAGE_BASE (nearly always: nothing else of a process lives there) they
 * are right as they are, and loading only checks them, writing nothing, so
 * the pages stay the page cache's (no copy, no zeroing, no copy-on-write
 * fault). Elsewhere they are relocated in a copy. */
#define IMAGE_BASE ((uint64_t)0x3e0000000000ull)

/* Fixed-size header at offset 0. Every offset in the image is from the start
 * of the file; 0 means NULL (the header sits there). */
typedef struct image_header {
    char magic[8];
    uint32_t version, endian;
    uint64_t size;
    uint64_t key; /* the sources' fingerprint */
    dyad_dict dict; /* the struct itself, pointers as offsets */
    uint64_t diags, n_diags; /* replayed on load: dyad__image_diag[] */
    uint64_t n_pair_starts;
} image_header;

/* ------------------------------------------------------------- writing */

typedef struct writer {
    dyad_buf b;
    /* pointer -> offset, so shared strings ("file" names) are stored once */
    const void **keys;
    uint64_t *vals;
    size_t slots, used;
    int err;
} writer;

static uint64_t put(writer *w, const void *p, size_t n) {
    while (w->b.n % 8) dyad__buf_addc(&w->b, 0);
    uint64_t off = w->b.n;
    if (n && dyad__buf_add(&w->b, p, n)) w->err = 1;
    return off;
}

static size_t ptr_slot(const writer *w, const void *p) {
    uintptr_t h = (uintptr_t)p;
    h ^= h >> 17;
    h *= 0x9E3779B97F4A7C15ull;
    return (size_t)(h >> 20) & (w->slots - 1);
}

static int map_grow(writer *w) {
    size_t ns = w->slots ? w->slots * 2 : 1 << 16;
    const void **k = calloc(ns, sizeof *k);
    uint64_t *v = calloc(ns, sizeof *v);
    if (!k || !v) {
        free(k);
        free(v);
        return -1;
    }
    const void **ok = w->keys;
    uint64_t *ov = w->vals;
    size_t os = w->slots;
    w->keys = k;
    w->vals = v;
    w->slots = ns;
    for (size_t i = 0; i < os; i++)
        if (ok[i]) {
            size_t j = ptr_slot(w, ok[i]);
            while (k[j]) j = (j + 1) & (ns - 1);
            k[j] = ok[i];
            v[j] = ov[i];
        }
    free(ok);
    free(ov);
    return 0;
}

static uint64_t put_str(writer *w, const char *s) {
    if (!s) return 0;
    if ((w->used + 1) * 2 > w->slots && map_grow(w)) {
        w->err = 1;
        return 0;
    }
    size_t j = ptr_slot(w, s);
    while (w->keys[j]) {
        if (w->keys[j] == s) return w->vals[j];
        j = (j + 1) & (w->slots - 1);
    }
    uint64_t off = put(w, s, strlen(s) + 1);
    w->keys[j] = s;
    w->vals[j] = off;
    w->used++;
    return off;
}

/* Pointer fields are written as offsets through this union-free cast: the
 * image stores a uint64_t in each pointer's place (pointers are 8 bytes on
 * the platforms we build for; dyad__dict_image_* refuse others). */
#define AT(w, off, T) ((T *)((w)->b.p + (off)))
#define SETP(field, off) \
    memcpy(&(field), &(uint64_t){(off) ? IMAGE_BASE + (off) : 0}, sizeof(uint64_t))

static uint64_t put_u32s(writer *w, const uint32_t *p, size_t n) {
    return p && n ? put(w, p, n * sizeof *p) : 0;
}

static void fix_phrase(writer *w, uint64_t ph_off) {
    dyad_phrase *ph = AT(w, ph_off, dyad_phrase);
    const uint32_t *words = ph->w;
    uint16_t n = ph->n;
    uint64_t o = put_u32s(w, words, n);
    SETP(AT(w, ph_off, dyad_phrase)->w, o);
}

int dyad__dict_image_write(const dyad_dict *d, const char *path, uint64_t key,
                           const dyad_image_diag *diags, size_t n_diags) {
    if (sizeof(void *) != 8) return DYAD_EINVAL;
    writer w;
    memset(&w, 0, sizeof w);
    dyad__buf_init(&w.b, 1u << 30);
    image_header h;
    memset(&h, 0, sizeof h);
    put(&w, &h, sizeof h);
    image_header *hp;
    dyad_dict dd = *d;

    /* words and their start lists (word 0, "none", all zeros) */
    uint64_t words = put(&w, d->words, sizeof *d->words * d->n_words);
    if (d->n_words) memset(AT(&w, words, dyad_word), 0, sizeof *d->words);
    for (uint32_t i = 1; i < d->n_words; i++) {
        const dyad_word *src = &d->words[i];
        uint64_t s = put_str(&w, src->s);
        uint64_t st = src->n_starts ? put(&w, src->starts, sizeof *src->starts * src->n_starts) : 0;
        uint64_t si = src->n_single ? put(&w, src->single, sizeof *src->single * src->n_single) : 0;
        dyad_word *dst = AT(&w, words + i * sizeof *d->words, dyad_word);
        SETP(dst->s, s);
        SETP(dst->starts, st);
        SETP(dst->single, si);
        dst->cap_starts = src->n_starts;
    }
    uint64_t slots = put_u32s(&w, d->slots, d->n_slots);
    /* actors */
    uint64_t actors = put(&w, d->actors, sizeof *d->actors * d->n_actors);
    for (uint32_t i = 0; i < d->n_actors; i++) {
        const dyad_actor *a = &d->actors[i];
        uint64_t codes = a->n_codes ? put(&w, a->codes, sizeof *a->codes * a->n_codes) : 0;
        for (uint32_t k = 0; k < a->n_codes; k++) {
            uint64_t code = put_str(&w, a->codes[k].code);
            SETP(AT(&w, codes + k * sizeof *a->codes, dyad_actor_code)->code, code);
        }
        uint64_t name = put_str(&w, a->name), file = put_str(&w, a->file);
        dyad_actor *dst = AT(&w, actors + i * sizeof *d->actors, dyad_actor);
        SETP(dst->codes, codes);
        SETP(dst->name, name);
        SETP(dst->file, file);
    }
    uint64_t aphr = put(&w, d->aphr, sizeof *d->aphr * d->n_aphr);
    for (uint32_t i = 0; i < d->n_aphr; i++) fix_phrase(&w, aphr + i * sizeof *d->aphr);
    /* agents */
    uint64_t agents = put(&w, d->agents, sizeof *d->agents * d->n_agents);
    for (uint32_t i = 0; i < d->n_agents; i++) {
        const dyad_agent *a = &d->agents[i];
        uint64_t code = put_str(&w, a->code), name = put_str(&w, a->name),
                 file = put_str(&w, a->file);
        dyad_agent *dst = AT(&w, agents + i * sizeof *d->agents, dyad_agent);
        SETP(dst->code, code);
        SETP(dst->name, name);
        SETP(dst->file, file);
    }
    uint64_t gphr = put(&w, d->gphr, sizeof *d->gphr * d->n_gphr);
    for (uint32_t i = 0; i < d->n_gphr; i++) fix_phrase(&w, gphr + i * sizeof *d->gphr);
    /* verb blocks and patterns */
    uint64_t blocks = put(&w, d->blocks, sizeof *d->blocks * d->n_blocks);
    for (uint32_t i = 0; i < d->n_blocks; i++) {
        const dyad_verb_block *b = &d->blocks[i];
        uint64_t pats = b->n_pats ? put(&w, b->pats, sizeof *b->pats * b->n_pats) : 0;
        for (uint32_t k = 0; k < b->n_pats; k++) {
            const dyad_pattern *p = &b->pats[k];
            uint64_t e = put(&w, p->e, sizeof *p->e * p->n);
            uint64_t req = put_u32s(&w, p->req, p->n_req);
            uint64_t sets = put_u32s(&w, p->req_sets, p->n_req_sets);
            uint64_t code = put_str(&w, p->code), code2 = put_str(&w, p->code2),
                     text = put_str(&w, p->text), file = put_str(&w, p->file);
            dyad_pattern *dst = AT(&w, pats + k * sizeof *b->pats, dyad_pattern);
            SETP(dst->e, e);
            SETP(dst->req, req);
            SETP(dst->req_sets, sets);
            SETP(dst->code, code);
            SETP(dst->code2, code2);
            SETP(dst->text, text);
            SETP(dst->file, file);
        }
        uint64_t pkey = put_u32s(&w, b->pkey, b->n_pats);
        uint64_t name = put_str(&w, b->name), code = put_str(&w, b->code),
                 code2 = put_str(&w, b->code2), file = put_str(&w, b->file);
        dyad_verb_block *dst = AT(&w, blocks + i * sizeof *d->blocks, dyad_verb_block);
        SETP(dst->pats, pats);
        SETP(dst->pkey, pkey);
        SETP(dst->name, name);
        SETP(dst->code, code);
        SETP(dst->code2, code2);
        SETP(dst->file, file);
        dst->cap_pats = b->n_pats;
    }
    uint64_t verbs = put(&w, d->verbs, sizeof *d->verbs * d->n_verbs);
    for (uint32_t i = 0; i < d->n_verbs; i++) {
        const dyad_verb *v = &d->verbs[i];
        fix_phrase(&w, verbs + i * sizeof *d->verbs);
        uint64_t code = put_str(&w, v->code), code2 = put_str(&w, v->code2),
                 text = put_str(&w, v->text), file = put_str(&w, v->file);
        dyad_verb *dst = AT(&w, verbs + i * sizeof *d->verbs, dyad_verb);
        SETP(dst->code, code);
        SETP(dst->code2, code2);
        SETP(dst->text, text);
        SETP(dst->file, file);
    }
    uint64_t synsets = put(&w, d->synsets, sizeof *d->synsets * d->n_synsets);
    for (uint32_t i = 0; i < d->n_synsets; i++) {
        const dyad_synset *ss = &d->synsets[i];
        uint64_t ph = ss->n ? put(&w, ss->ph, sizeof *ss->ph * ss->n) : 0;
        for (uint32_t k = 0; k < ss->n; k++) fix_phrase(&w, ph + k * sizeof *ss->ph);
        uint64_t firsts = put_u32s(&w, ss->firsts, ss->n_firsts);
        uint64_t name = put_str(&w, ss->name);
        dyad_synset *dst = AT(&w, synsets + i * sizeof *d->synsets, dyad_synset);
        SETP(dst->ph, ph);
        SETP(dst->firsts, firsts);
        SETP(dst->name, name);
        dst->cap = ss->n;
    }
    uint64_t discards = put(&w, d->discards, sizeof *d->discards * d->n_discards);
    for (uint32_t i = 0; i < d->n_discards; i++) {
        fix_phrase(&w, discards + i * sizeof *d->discards);
        uint64_t text = put_str(&w, d->discards[i].text);
        SETP(AT(&w, discards + i * sizeof *d->discards, dyad_discard)->text, text);
    }
    uint64_t pairs = d->n_pair_slots ? put(&w, d->pairs, sizeof *d->pairs * d->n_pair_slots) : 0;
    uint64_t n_pair_starts = 0;
    for (uint32_t i = 0; i < d->n_pair_slots; i++)
        if (d->pairs[i].key) n_pair_starts += d->pairs[i].n;
    uint64_t pair_starts = n_pair_starts
                               ? put(&w, d->pair_starts, sizeof *d->pair_starts * n_pair_starts)
                               : 0;
    /* diagnostics of the parse, replayed on every load */
    uint64_t dg = n_diags ? put(&w, diags, sizeof *diags * n_diags) : 0;
    for (size_t i = 0; i < n_diags; i++) {
        uint64_t file = put_str(&w, diags[i].file), msg = put_str(&w, diags[i].msg);
        dyad_image_diag *dst = AT(&w, dg + i * sizeof *diags, dyad_image_diag);
        SETP(dst->file, file);
        SETP(dst->msg, msg);
    }
    if (w.err) goto fail;

    memset(&dd.arena, 0, sizeof dd.arena);
    dd.diag = NULL;
    dd.diag_ud = NULL;
    /* the loading process's own bookkeeping, not part of the image */
    dd.cache_dir = NULL;
    dd.sources = NULL;
    dd.n_sources = 0;
    dd.recorded = NULL;
    dd.n_recorded = 0;
    dd.replay = NULL;
    dd.n_replay = 0;
    dd.map = NULL;
    dd.map_len = 0;
    dd.from_image = 0;
    SETP(dd.words, words);
    SETP(dd.slots, slots);
    SETP(dd.actors, actors);
    SETP(dd.aphr, aphr);
    SETP(dd.agents, agents);
    SETP(dd.gphr, gphr);
    SETP(dd.blocks, blocks);
    SETP(dd.verbs, verbs);
    SETP(dd.synsets, synsets);
    SETP(dd.discards, discards);
    SETP(dd.pairs, pairs);
    SETP(dd.pair_starts, pair_starts);
    dd.cap_words = dd.n_words;
    dd.cap_actors = dd.n_actors;
    dd.cap_aphr = dd.n_aphr;
    dd.cap_agents = dd.n_agents;
    dd.cap_gphr = dd.n_gphr;
    dd.cap_blocks = dd.n_blocks;
    dd.cap_verbs = dd.n_verbs;
    dd.cap_synsets = dd.n_synsets;
    dd.cap_discards = dd.n_discards;
    hp = AT(&w, 0, image_header);
    memcpy(hp->magic, IMAGE_MAGIC, 8);
    hp->version = IMAGE_VERSION;
    hp->endian = 0x01020304;
    hp->size = w.b.n;
    hp->key = key;
    hp->dict = dd;
    hp->diags = dg;
    hp->n_diags = n_diags;
    hp->n_pair_starts = n_pair_starts;

    /* write atomically: a reader never sees half an image */
    char tmp[4096];
    snprintf(tmp, sizeof tmp, "%s.%ld.tmp", path, (long)getpid());
    FILE *f = fopen(tmp, "wb");
    if (!f) goto fail;
    size_t wrote = fwrite(w.b.p, 1, w.b.n, f);
    if (fclose(f) != 0 || wrote != w.b.n || rename(tmp, path) != 0) {
        unlink(tmp);
        goto fail;
    }
    free(w.keys);
    free(w.vals);
    dyad__buf_free(&w.b);
    return DYAD_OK;
fail:
    free(w.keys);
    free(w.vals);
    dyad__buf_free(&w.b);
    return DYAD_EIO;
}

/* ------------------------------------------------------------- reading */

typedef struct reloc {
    char *base; /* where the image is: IMAGE_BASE, or a copy */
    uint64_t size;
    int bad;
} reloc;

/* Check that the pointer field (IMAGE_BASE + offset) points to n bytes
 * inside the image, and turn it into a pointer into r->base: written only
 * when the image is not at IMAGE_BASE. */
static void *fix(reloc *r, void *field, uint64_t n) {
    uint64_t v;
    memcpy(&v, field, sizeof v);
    if (!v) return NULL;
    uint64_t off = v - IMAGE_BASE;
    if (v < IMAGE_BASE || off >= r->size || n > r->size - off) {
        r->bad = 1;
        return NULL;
    }
    void *p = r->base + off;
    if ((uint64_t)(uintptr_t)p != v) memcpy(field, &p, sizeof p);
    return p;
}

static void fix_ph(reloc *r, dyad_phrase *ph) { fix(r, &ph->w, (uint64_t)ph->n * 4); }

/* The image elsewhere: our own copy, to relocate, in anonymous memory in
 * 2 MiB huge pages where the system allows them (fewer page faults and TLB
 * misses than 4 KiB pages), read in one go. */
static int read_copy(int fd, size_t len, char **base_out, size_t *map_len_out) {
    size_t huge = (size_t)2 << 20;
    size_t map_len = (len + huge - 1) / huge * huge;
    char *raw = mmap(NULL, map_len + huge, PROT_READ | PROT_WRITE,
                     MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (raw == MAP_FAILED) return DYAD_EIO;
    /* keep the 2 MiB-aligned part */
    char *base = (char *)(((uintptr_t)raw + huge - 1) & ~(uintptr_t)(huge - 1));
    if (base > raw) munmap(raw, (size_t)(base - raw));
    if (base + map_len < raw + map_len + huge)
        munmap(base + map_len, (size_t)(raw + map_len + huge - (base + map_len)));
#ifdef MADV_HUGEPAGE
    madvise(base, map_len, MADV_HUGEPAGE); /* a hint: fine if refused */
#endif
    for (size_t got = 0; got < len;) {
        ssize_t k = read(fd, base + got, len - got);
        if (k < 0 && errno == EINTR) continue;
        if (k <= 0) {
            munmap(base, map_len);
            return DYAD_EIO;
        }
        got += (size_t)k;
    }
    *base_out = base;
    *map_len_out = map_len;
    return DYAD_OK;
}

int dyad__dict_image_load(dyad_dict *d, const char *path, uint64_t key,
                          void **map_out, size_t *map_len_out) {
    if (sizeof(void *) != 8) return DYAD_EINVAL;
    int fd = open(path, O_RDONLY);
    if (fd < 0) return DYAD_ENOENT;
    struct stat st;
    if (fstat(fd, &st) != 0 || (size_t)st.st_size < sizeof(image_header)) {
        close(fd);
        return DYAD_EPARSE;
    }
    size_t len = (size_t)st.st_size, map_len = len;
    char *base = MAP_FAILED;
#ifdef MAP_FIXED_NOREPLACE
    /* the file itself at IMAGE_BASE: nothing to relocate */
    base = mmap((void *)(uintptr_t)IMAGE_BASE, len, PROT_READ | PROT_WRITE,
                MAP_PRIVATE | MAP_FIXED_NOREPLACE, fd, 0);
    if (base != MAP_FAILED && (uint64_t)(uintptr_t)base != IMAGE_BASE) {
        munmap(base, len); /* an old kernel took the address as a hint */
        base = MAP_FAILED;
    }
#endif
    if (base == MAP_FAILED) {
        int rc = read_copy(fd, len, &base, &map_len);
        if (rc) {
            close(fd);
            return rc;
        }
    }
    close(fd);
    image_header *h = (image_header *)base;
    if (memcmp(h->magic, IMAGE_MAGIC, 8) != 0 || h->version != IMAGE_VERSION ||
        h->endian != 0x01020304 || h->size != (uint64_t)st.st_size || h->key != key)
        goto bad;
    reloc r = {base, h->size, 0};
    dyad_dict *x = &h->dict;
    fix(&r, &x->words, (uint64_t)x->n_words * sizeof *x->words);
    fix(&r, &x->slots, (uint64_t)x->n_slots * 4);
    fix(&r, &x->actors, (uint64_t)x->n_actors * sizeof *x->actors);
    fix(&r, &x->aphr, (uint64_t)x->n_aphr * sizeof *x->aphr);
    fix(&r, &x->agents, (uint64_t)x->n_agents * sizeof *x->agents);
    fix(&r, &x->gphr, (uint64_t)x->n_gphr * sizeof *x->gphr);
    fix(&r, &x->blocks, (uint64_t)x->n_blocks * sizeof *x->blocks);
    fix(&r, &x->verbs, (uint64_t)x->n_verbs * sizeof *x->verbs);
    fix(&r, &x->synsets, (uint64_t)x->n_synsets * sizeof *x->synsets);
    fix(&r, &x->discards, (uint64_t)x->n_discards * sizeof *x->discards);
    fix(&r, &x->pairs, (uint64_t)x->n_pair_slots * sizeof *x->pairs);
    fix(&r, &x->pair_starts, h->n_pair_starts * sizeof *x->pair_starts);
    if (r.bad) goto bad;
    for (uint32_t i = 1; i < x->n_words && !r.bad; i++) {
        dyad_word *wd = &x->words[i];
        fix(&r, &wd->s, wd->len + 1);
        fix(&r, &wd->starts, (uint64_t)wd->n_starts * sizeof *wd->starts);
        fix(&r, &wd->single, (uint64_t)wd->n_single * sizeof *wd->single);
    }
    for (uint32_t i = 0; i < x->n_actors && !r.bad; i++) {
        dyad_actor *a = &x->actors[i];
        fix(&r, &a->codes, (uint64_t)a->n_codes * sizeof *a->codes);
        for (uint32_t k = 0; k < a->n_codes && !r.bad; k++) fix(&r, &a->codes[k].code, 1);
        fix(&r, &a->name, 1);
        fix(&r, &a->file, 1);
    }
    for (uint32_t i = 0; i < x->n_aphr && !r.bad; i++) fix_ph(&r, &x->aphr[i].ph);
    for (uint32_t i = 0; i < x->n_agents && !r.bad; i++) {
        fix(&r, &x->agents[i].code, 1);
        fix(&r, &x->agents[i].name, 1);
        fix(&r, &x->agents[i].file, 1);
    }
    for (uint32_t i = 0; i < x->n_gphr && !r.bad; i++) fix_ph(&r, &x->gphr[i].ph);
    for (uint32_t i = 0; i < x->n_blocks && !r.bad; i++) {
        dyad_verb_block *b = &x->blocks[i];
        fix(&r, &b->pats, (uint64_t)b->n_pats * sizeof *b->pats);
        fix(&r, &b->pkey, (uint64_t)b->n_pats * 4);
        fix(&r, &b->name, 1);
        fix(&r, &b->code, 1);
        fix(&r, &b->code2, 1);
        fix(&r, &b->file, 1);
        for (uint32_t k = 0; k < b->n_pats && !r.bad; k++) {
            dyad_pattern *p = &b->pats[k];
            fix(&r, &p->e, (uint64_t)p->n * sizeof *p->e);
            fix(&r, &p->req, (uint64_t)p->n_req * 4);
            fix(&r, &p->req_sets, (uint64_t)p->n_req_sets * 4);
            fix(&r, &p->code, 1);
            fix(&r, &p->code2, 1);
            fix(&r, &p->text, 1);
            fix(&r, &p->file, 1);
        }
    }
    for (uint32_t i = 0; i < x->n_verbs && !r.bad; i++) {
        dyad_verb *v = &x->verbs[i];
        fix_ph(&r, &v->ph);
        fix(&r, &v->code, 1);
        fix(&r, &v->code2, 1);
        fix(&r, &v->text, 1);
        fix(&r, &v->file, 1);
    }
    for (uint32_t i = 0; i < x->n_synsets && !r.bad; i++) {
        dyad_synset *ss = &x->synsets[i];
        fix(&r, &ss->ph, (uint64_t)ss->n * sizeof *ss->ph);
        for (uint32_t k = 0; k < ss->n && !r.bad; k++) fix_ph(&r, &ss->ph[k]);
        fix(&r, &ss->firsts, (uint64_t)ss->n_firsts * 4);
        fix(&r, &ss->name, 1);
    }
    for (uint32_t i = 0; i < x->n_discards && !r.bad; i++) {
        fix_ph(&r, &x->discards[i].ph);
        fix(&r, &x->discards[i].text, 1);
    }
    /* replay the parse's diagnostics */
    uint64_t dg = h->diags;
    if (!r.bad && h->n_diags) {
        if (dg >= r.size || h->n_diags > (r.size - dg) / sizeof(dyad_image_diag)) {
            r.bad = 1;
        } else {
            dyad_image_diag *diags = (dyad_image_diag *)(base + dg);
            for (uint64_t i = 0; i < h->n_diags && !r.bad; i++) {
                fix(&r, &diags[i].file, 1);
                fix(&r, &diags[i].msg, 1);
            }
            if (!r.bad) {
                d->replay = diags;
                d->n_replay = h->n_diags;
            }
        }
    }
    if (r.bad) goto bad;
    /* adopt the tables; keep our own bookkeeping (arena, diag settings,
     * recorded sources, cache directory) */
    dyad_dict own = *d;
    *d = *x;
    d->arena = own.arena;
    d->diag = own.diag;
    d->diag_ud = own.diag_ud;
    d->replay = own.replay;
    d->n_replay = own.n_replay;
    d->cache_dir = own.cache_dir;
    d->sources = own.sources;
    d->n_sources = own.n_sources;
    d->recorded = own.recorded;
    d->n_recorded = own.n_recorded;
    *map_out = base;
    *map_len_out = map_len;
    return DYAD_OK;
bad:
    munmap(base, map_len);
    return DYAD_EPARSE;
}
