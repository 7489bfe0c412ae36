/* split_api.c: dyad_split_article, the benchmark's floor: normalize an
 * article's text and split it into sentences and tokens, as the coder does
 * first, and nothing else. */
#include "dyad.h"
#include "text.h"
#include "util/arena.h"

#include <string.h>

int dyad_split_article(const dyad_article *a, size_t *n_sentences,
                       size_t *n_tokens)
{
    dyad_arena arena;
    dyad_sent *sents;
    dyad_tok *toks;
    char *norm = NULL;
    size_t norm_n = 0, n_invalid = 0, ns = 0, nt = 0, len;
    int rc;

    if (n_sentences)
        *n_sentences = 0;
    if (n_tokens)
        *n_tokens = 0;
    if (!a)
        return DYAD_EINVAL;
    len = a->text ? (a->text_len ? a->text_len : strlen(a->text)) : 0;
    dyad__arena_init(&arena, 0);
    rc = dyad__text_normalize(&arena, a->text ? a->text : "", len, &norm,
                              &norm_n, &n_invalid);
    if (rc == DYAD_OK)
        rc = dyad__text_split(&arena, norm, norm_n, &sents, &ns, &toks, &nt);
    dyad__arena_free(&arena);
    if (rc != DYAD_OK)
        return rc;
    if (n_sentences)
        *n_sentences = ns;
    if (n_tokens)
        *n_tokens = nt;
    return DYAD_OK;
}
