/* parallel.h: `dyad code -j N` (worker threads, output in input order),
 * `--stats`, and `dyad split`, the benchmark's floor (parallel.c, cmd_split.c). */
#ifndef DYAD_PARALLEL_H
#define DYAD_PARALLEL_H

#include "dyad.h"

#include <stddef.h>
#include <stdio.h>

typedef struct par_config {
    int threads;           /* worker threads, >= 2 */
    const dyad_dict *dict; /* finished; shared by the workers' coders */
    const char *date;      /* --date, or NULL */
    dyad_format fmt;
    int events;            /* 0: code but write no events (--unknown, no -o) */
    dyad_unknown *unknown; /* --unknown, or NULL; fed in input order */
    /* The reader's diagnostic callback forwards to *fwd(*fwd_ud, ...) when
     * *fwd is set: par_code sets both while it runs, so that the reader's
     * messages come out in input order with the workers' ones. */
    dyad_diag_fn *fwd;
    void **fwd_ud;
} par_config;

typedef struct par_result {
    size_t articles, sentences, events; /* coded */
    size_t diag_errors; /* error diagnostics (reader and coder) */
    size_t failed;      /* articles that could not be coded, read failures */
    int write_failed;   /* the output could not be written */
} par_result;

/* Codes every article of r with cfg->threads workers and writes the events
 * to out, and the messages to stderr, byte for byte as one thread would. */
void par_code(const par_config *cfg, dyad_reader *r, FILE *out,
              par_result *res);

/* -j / --threads value: N >= 1, or 0 for the number of online CPUs.
 * Returns the thread count, or -1 when s is not such a number. */
int par_threads_parse(const char *s);

/* Monotonic seconds, and the --stats line on stderr:
 * "articles N, sentences N, events N, seconds S, sentences/s R". */
double par_now(void);
void par_print_stats(const par_result *res, double seconds);

/* `dyad split [--stats] INPUT...`: read and split only (cmd_split.c). */
int cmd_split(int argc, char **argv);

#endif
