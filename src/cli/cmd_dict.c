/* cmd_dict.c: `dyad dict lint|lookup|stats` (tools to keep the dictionaries
 * right, docs/dictionaries.md "Tools") and the report of `dyad code
 * --unknown`. Uses only dyad.h. */
#include "cmd_dict.h"
#include "cli_common.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#define MAX_DICTS 256

static const char dict_usage[] =
    "usage: dyad dict lint   [--dict PATH]... [--no-builtin]\n"
    "       dyad dict lookup [--dict PATH]... [--no-builtin] [--date YYYY-MM-DD] PHRASE\n"
    "       dyad dict stats  [--dict PATH]... [--no-builtin]\n";

static int usage(const char *fmt, const char *arg) {
    fputs("dyad: error: ", stderr);
    fprintf(stderr, fmt, arg);
    fputs("\n", stderr);
    fputs(dict_usage, stderr);
    return 2;
}

/* Loader diagnostics (and lint problems) as FILE:LINE: message on stdout for
 * lint, on stderr otherwise; counted. */
typedef struct sink {
    FILE *f;
    size_t n;
} sink;

static void on_msg(void *ud, dyad_severity sev, const char *file, long line,
                   const char *msg) {
    sink *s = ud;
    const char *kind = sev == DYAD_DIAG_ERROR ? "error" : "warning";
    s->n++;
    if (file && line > 0)
        fprintf(s->f, "%s:%ld: %s: %s\n", file, line, kind, msg);
    else
        fprintf(s->f, "%s: %s: %s\n", file ? file : "dyad", kind, msg);
}

static void on_match(void *ud, const dyad_dict_match *m) {
    (void)ud;
    printf("%-10s %-6s %-28s %s:%ld  %s  %s\n", m->code ? m->code : "(none)",
           m->kind, m->words, m->file, m->line, m->entry, m->all_codes);
}

int cmd_dict(int argc, char **argv) {
    const char *dicts[MAX_DICTS], *date = NULL, *phrase = NULL, *sub;
    int ndicts = 0, no_builtin = 0, i;

    if (argc < 2) return usage("%s", "dict needs lint, lookup or stats");
    sub = argv[1];
    if (!strcmp(sub, "--help") || !strcmp(sub, "-h") || !strcmp(sub, "help")) {
        fputs(dict_usage, stdout);
        return 0;
    }
    if (strcmp(sub, "lint") && strcmp(sub, "lookup") && strcmp(sub, "stats"))
        return usage("unknown dict command '%s' (lint, lookup, stats)", sub);
    for (i = 2; i < argc; i++) {
        const char *a = argv[i];
        if (!strcmp(a, "--no-builtin")) {
            no_builtin = 1;
        } else if (!strncmp(a, "--dict", 6) && (a[6] == 0 || a[6] == '=')) {
            const char *v = a[6] == '=' ? a + 7 : (i + 1 < argc ? argv[++i] : NULL);
            if (!v) return usage("option %s needs an argument", "--dict");
            if (ndicts == MAX_DICTS) return usage("too many --dict options%s", "");
            dicts[ndicts++] = v;
        } else if (!strncmp(a, "--date", 6) && (a[6] == 0 || a[6] == '=')) {
            const char *v = a[6] == '=' ? a + 7 : (i + 1 < argc ? argv[++i] : NULL);
            if (!v) return usage("option %s needs an argument", "--date");
            if (!dyad_date_valid(v)) return usage("bad --date '%s' (want YYYY-MM-DD)", v);
            date = v;
        } else if (!strcmp(a, "--")) {
            if (i + 1 < argc && !phrase) phrase = argv[++i];
        } else if (a[0] == '-' && a[1]) {
            return usage("unknown option '%s'", a);
        } else if (!strcmp(sub, "lookup") && !phrase) {
            phrase = a;
        } else {
            return usage("unexpected argument '%s'", a);
        }
    }
    if (!strcmp(sub, "lookup") && !phrase)
        return usage("%s", "dict lookup needs a PHRASE");
    if (date && strcmp(sub, "lookup"))
        return usage("--date is an option of dict lookup, not of %s", sub);

    int lint = !strcmp(sub, "lint");
    sink loads = {lint ? stdout : stderr, 0};
    dyad_dict *d = dyad_dict_new();
    if (!d) {
        cli_errorf("out of memory");
        return 1;
    }
    int rc, status = 0;
    dyad_dict_set_diag(d, on_msg, &loads);
    if (!no_builtin && (rc = dyad_dict_load_builtin(d)) != DYAD_OK) {
        cli_errorf("cannot load the built-in dictionaries: %s", dyad_strerror(rc));
        dyad_dict_free(d);
        return 1;
    }
    for (i = 0; i < ndicts; i++)
        if ((rc = dyad_dict_load_path(d, dicts[i])) != DYAD_OK) {
            cli_errorf("cannot load dictionary %s: %s", dicts[i], dyad_strerror(rc));
            status = 1;
        }
    if ((rc = dyad_dict_finish(d)) != DYAD_OK) {
        cli_errorf("cannot build the dictionary indexes: %s", dyad_strerror(rc));
        dyad_dict_free(d);
        return 1;
    }

    if (lint) {
        sink probs = {stdout, 0};
        dyad_dict_lint(d, on_msg, &probs);
        size_t total = loads.n + probs.n;
        fprintf(stderr, "dyad dict lint: %zu problem%s (%zu from loading, %zu from lint)\n",
                total, total == 1 ? "" : "s", loads.n, probs.n);
        if (total) status = 1;
    } else if (!strcmp(sub, "lookup")) {
        printf("%s%s%s\n", phrase, date ? " on " : "", date ? date : "");
        rc = dyad_dict_lookup(d, phrase, date, on_match, NULL);
        if (rc == 0) {
            printf("(no dictionary entry)\n");
            status = 1;
        } else if (rc < 0) {
            cli_errorf("lookup: %s", dyad_strerror(rc));
            status = 1;
        }
    } else {
        dyad_dict_coverage_t c;
        dyad_dict_coverage(d, &c);
        printf("countries and territories  %zu\n", c.countries);
        printf("actors                     %zu (%zu phrases)\n", c.actors, c.actor_phrases);
        printf("dated roles                %zu\n", c.dated_roles);
        printf("IGOs                       %zu\n", c.igos);
        printf("armed groups               %zu\n", c.armed_groups);
        printf("agents                     %zu (%zu phrases)\n", c.agents, c.agent_phrases);
        printf("verb blocks                %zu (%zu verb forms)\n", c.verb_blocks, c.verb_forms);
        printf("verb patterns              %zu\n", c.patterns);
        printf("synonym sets               %zu\n", c.synsets);
        printf("discards                   %zu\n", c.discards);
        printf("CAMEO codes covered        %zu of %zu\n", c.cameo_covered, c.cameo_total);
        printf("CAMEO roots covered        %zu of 20\n", c.roots_covered);
        /* the codes still missing, so that they can be filled in */
        size_t n = dyad_cameo_count(), k = 0;
        for (size_t j = 0; j < n; j++) {
            const dyad_cameo *e = dyad_cameo_at(j);
            if (strlen(e->code) < 3 || dyad_dict_code_covered(d, e->code)) continue;
            printf(k++ ? " %s" : "codes not covered          %s", e->code);
        }
        if (k) putchar('\n');
    }
    dyad_dict_free(d);
    return status;
}

/* A stub: "ABDEL_FATTAH_AL-SISI_", words upper-cased, spaces as '_'. */
int print_unknown(FILE *f, dyad_unknown *u, size_t limit) {
    size_t n = dyad_unknown_count(u);
    if (limit && n > limit) n = limit;
    fprintf(f, "# dyad code --unknown: capitalized phrases that matched no "
               "actor, most frequent first\n"
               "# paste a line into an actors file and replace [---] with the "
               "actor's code(s)\n");
    for (size_t i = 0; i < n; i++) {
        const dyad_unknown_phrase *p = dyad_unknown_at(u, i);
        if (!p) return 1;
        char stub[512];
        size_t o = 0;
        for (const char *c = p->phrase; *c && o + 2 < sizeof stub; c++)
            stub[o++] = *c == ' ' ? '_' : (char)toupper((unsigned char)*c);
        stub[o++] = '_';
        stub[o] = 0;
        /* the example on one line, shortened */
        char ex[241];
        size_t e = 0;
        for (const char *c = p->example; *c && e + 1 < sizeof ex; c++)
            ex[e++] = (*c == '\n' || *c == '\t') ? ' ' : *c;
        ex[e] = 0;
        fprintf(f, "%-40s [---]  # %zu: %s: \"%s\"\n", stub, p->count, p->doc, ex);
    }
    return ferror(f) ? 1 : 0;
}
