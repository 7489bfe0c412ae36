/* cmd_split.c: `dyad split [--stats] INPUT...`, the benchmark's floor: read
 * the inputs as `dyad code` does and split them into sentences and tokens,
 * nothing else; prints nothing but messages and, with --stats, the figures. */
#include "cli_common.h"
#include "parallel.h"

#include <stdio.h>
#include <string.h>

typedef struct split_diag {
    size_t errors;
} split_diag;

static void split_on_diag(void *ud, dyad_severity sev, const char *file,
                          long line, const char *msg)
{
    split_diag *d = ud;

    if (sev == DYAD_DIAG_ERROR)
        d->errors++;
    char text[8192];
    cli_diag_line(text, sizeof text, sev, file, line, msg);
    fputs(text, stderr);
}

int cmd_split(int argc, char **argv)
{
    split_diag dg = {0};
    par_result res;
    dyad_reader *r;
    double t0 = par_now();
    size_t failed = 0, tokens = 0;
    int i, stats = 0, ninputs = 0, opts = 1, rc;

    memset(&res, 0, sizeof res);
    if (!(r = dyad_reader_new(split_on_diag, &dg))) {
        fputs("dyad: error: out of memory\n", stderr);
        return 1;
    }
    for (i = 1; i < argc; i++) {
        const char *a = argv[i];
        if (opts && strcmp(a, "--") == 0) {
            opts = 0;
        } else if (opts && strcmp(a, "--stats") == 0) {
            stats = 1;
        } else if (opts && (strcmp(a, "--help") == 0 || strcmp(a, "-h") == 0)) {
            fputs("usage: dyad split [--stats] INPUT...\n"
                  "read and split the inputs into sentences and tokens only "
                  "(the benchmark's floor)\n", stdout);
            dyad_reader_free(r);
            return 0;
        } else if (opts && a[0] == '-' && a[1] != '\0') {
            fprintf(stderr, "dyad: error: unknown option '%s'\n"
                            "(try 'dyad help')\n", a);
            dyad_reader_free(r);
            return 2;
        } else {
            ninputs++;
            if ((rc = dyad_reader_add(r, a)) != DYAD_OK) {
                fprintf(stderr, "dyad: error: %s: %s\n", a, dyad_strerror(rc));
                failed++;
            }
        }
    }
    if (ninputs == 0) {
        fputs("dyad: error: no input (give files, directories or -)\n"
              "(try 'dyad help')\n", stderr);
        dyad_reader_free(r);
        return 2;
    }
    for (;;) {
        dyad_article a;
        size_t ns, nt;
        rc = dyad_reader_next(r, &a);
        if (rc == 0)
            break;
        if (rc < 0) {
            fprintf(stderr, "dyad: error: reading input: %s\n",
                    dyad_strerror(rc));
            failed++;
            break;
        }
        if ((rc = dyad_split_article(&a, &ns, &nt)) != DYAD_OK) {
            fprintf(stderr, "dyad: error: %s:%ld: cannot split article %s: %s\n",
                    a.origin ? a.origin : "?", a.line, a.id ? a.id : "?",
                    dyad_strerror(rc));
            failed++;
            continue;
        }
        res.articles++;
        res.sentences += ns;
        tokens += nt;
    }
    if (stats) {
        double s = par_now() - t0;
        fprintf(stderr,
                "articles %zu, sentences %zu, tokens %zu, seconds %.3f, "
                "sentences/s %.0f\n",
                res.articles, res.sentences, tokens, s,
                s > 0 ? (double)res.sentences / s : 0.0);
    }
    rc = failed || dg.errors || dyad_reader_errors(r) ? 1 : 0;
    dyad_reader_free(r);
    return rc;
}
