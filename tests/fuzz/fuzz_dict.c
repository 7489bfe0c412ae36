/* fuzz_dict.c: libFuzzer target for the dictionary loader. The first byte
 * picks the kind (actors, agents, verbs, discards, auto); the rest is the
 * file. The loaded set is then used to code a fixed sentence. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "dyad.h"

static void quiet(void *ud, dyad_severity sev, const char *file, long line,
                  const char *msg) {
    (void)ud; (void)sev; (void)file; (void)line; (void)msg;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    if (size < 1) return 0;
    static const dyad_dict_kind kinds[] = {DYAD_DICT_ACTORS, DYAD_DICT_AGENTS,
                                           DYAD_DICT_VERBS, DYAD_DICT_DISCARDS,
                                           DYAD_DICT_AUTO};
    dyad_dict_kind kind = kinds[data[0] % 5];
    dyad_dict *d = dyad_dict_new();
    if (!d) return 0;
    dyad_dict_set_diag(d, quiet, NULL);
    dyad_dict_load_buffer(d, "fuzz.txt", (const char *)data + 1, size - 1, kind);
    if (dyad_dict_finish(d) == DYAD_OK) {
        dyad_coder *c = dyad_coder_new(d);
        if (c) {
            dyad_coder_set_diag(c, quiet, NULL);
            static const char text[] =
                "Russia and China held talks in Moscow on Monday. The Ministry "
                "of Foreign Affairs of Gondor condemned an attack by Arnor "
                "soldiers and promised aid to Bree, officials said.";
            dyad_article a;
            memset(&a, 0, sizeof a);
            a.id = "fuzz";
            a.date = "2021-08-17";
            a.text = text;
            a.text_len = sizeof text - 1;
            int rc;
            dyad_doc *doc = dyad_code_article(c, &a, &rc);
            if (doc) {
                for (size_t i = 0; i < dyad_doc_event_count(doc); i++) {
                    const dyad_event *e = dyad_doc_event(doc, i);
                    if (!e->source || !e->target || !e->code) abort();
                    if (e->source_span.off + e->source_span.len > strlen(e->text)) abort();
                }
                dyad_doc_free(doc);
            }
            dyad_coder_free(c);
        }
    }
    dyad_dict_free(d);
    return 0;
}
