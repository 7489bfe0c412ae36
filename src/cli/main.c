/* main.c: the dyad command-line tool (code, validate, version, help).
 * Uses nothing but the public header include/dyad.h, as SQLite's shell uses
 * only sqlite3.h. */
#include "cli_common.h"
#include "dyad.h"
#include "cmd_store.h"
#include "cmd_serve.h"
#include "cmd_dict.h"
#include "parallel.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Exit statuses, one place (jq's main.c keeps them in an enum too). */
enum {
    EXIT_DONE = 0,    /* everything was coded */
    EXIT_PARTIAL = 1, /* some input was skipped or damaged, or a write failed */
    EXIT_USAGE = 2    /* bad command line; nothing was done */
};

#define OUT_BUFSIZE (1u << 20) /* output buffer: events are small and many */
#define MAX_DICTS 256          /* --dict options on one command line */

static const char usage_text[] =
    "usage: dyad <command> [options]\n"
    "\n"
    "commands:\n"
    "  code [options] INPUT...    code news articles into CAMEO events\n"
    "  validate [-v] RECORDS.xml  run PETRARCH unit-test records\n"
    "  split [--stats] INPUT...   read and split into sentences only (bench floor)\n"
    "  ingest [--db DB] [--window DAYS] [code options] INPUT...\n"
    "                             code articles into an event store (docs/store.md)\n"
    "  events [--db DB] [filters] [--format jsonl|csv|gdelt|plover] [--mentions FILE]\n"
    "                             merged events of a store\n"
    "  stats [--db DB] [filters] [--format text|csv]  counts by dyad, day, root, quad\n"
    "  search [--db DB] [--limit N] QUERY  full-text search of stored articles\n"
    "  serve [--db DB] [--port 8080] [--host 127.0.0.1] [--dict PATH]...\n"
    "                             HTTP API and web page over a store (docs/serve.md)\n"
    "  dict lint|lookup|stats [--dict PATH]... [--no-builtin] [--date D] [PHRASE]\n"
    "                             check, query and measure the dictionaries\n"
    "  eval GOLD PRED             precision and recall of events (JSON Lines)\n"
    "  version                    print the version\n"
    "  help                       print this text\n"
    "\n"
    "options of code:\n"
    "  --dict PATH          load a dictionary file or directory (repeatable)\n"
    "  --no-builtin         do not load the built-in dictionaries\n"
    "  --no-cache           parse the dictionaries, do not use or write their\n"
    "                       compiled image (~/.cache/dyad; or DYAD_NO_CACHE=1)\n"
    "  --date YYYY-MM-DD    date for articles that carry none\n"
    "  --format FMT         jsonl (default), csv or tsv\n"
    "  -o FILE              write events to FILE instead of standard output\n"
    "  -j N, --threads N    code with N worker threads (0: one per CPU; default\n"
    "                       1); the output is the same, in input order\n"
    "  --stats              print articles, sentences, events and sentences/s\n"
    "                       to standard error at the end\n"
    "  --unknown            list capitalized phrases that matched no actor\n"
    "                       (instead of the events, unless -o FILE)\n"
    "\n"
    "INPUT is a plain-text file (optional first line `date YYYY-MM-DD`), a\n"
    "JSON Lines file (.jsonl, .ndjson), a directory (read recursively, sorted)\n"
    "or - for standard input.\n"
    "\n"
    "options of the store commands:\n"
    "  --db DB              SQLite file (default dyad.db) or postgresql://...\n"
    "  filters: --actor CODE  --dyad A:B  --code 04*  --root 04\n"
    "           --since YYYY-MM-DD  --until YYYY-MM-DD\n"
    "\n"
    "exit status: 0 all coded, 1 some input skipped or damaged, 2 usage error\n";

/* Diagnostics from the library: printed, and errors counted so that the exit
 * status can say some input was damaged. */
typedef struct diag_count {
    size_t errors, warnings;
    dyad_diag_fn fwd; /* -j N: set while par_code runs (parallel.h) */
    void *fwd_ud;
} diag_count;

static void on_diag(void *ud, dyad_severity sev, const char *file, long line,
                    const char *msg)
{
    diag_count *dc = ud;

    if (dc->fwd) {
        dc->fwd(dc->fwd_ud, sev, file, line, msg);
        return;
    }
    if (sev == DYAD_DIAG_ERROR)
        dc->errors++;
    else
        dc->warnings++;
    char text[8192];
    cli_diag_line(text, sizeof text, sev, file, line, msg);
    fputs(text, stderr);
}


typedef struct code_opts {
    const char *dicts[MAX_DICTS];
    int ndicts;
    int no_builtin;
    int unknown; /* --unknown: report phrases no actor covers */
    int no_cache; /* --no-cache: parse the dictionaries, no compiled image */
    int threads;  /* -j N: worker threads (parallel.c); 1: this thread */
    int stats;    /* --stats: figures on stderr at the end */
    const char *date;
    dyad_format fmt;
    const char *out_path;
    char **inputs;
    int ninputs;
} code_opts;

/* Strict option parsing: every unknown option is a usage error; "--" ends
 * the options; "-" alone is an input (standard input). */
static int parse_code_opts(int argc, char **argv, code_opts *o)
{
    int i, first_input = -1, n_in = 0;

    memset(o, 0, sizeof *o);
    o->fmt = DYAD_FMT_JSONL;
    o->threads = 1;
    /* Inputs are collected in place: argv entries are moved to the front of
     * the tail as they are found. */
    for (i = 1; i < argc; i++) {
        const char *a = argv[i], *v;
        int missing = 0;

        if (strcmp(a, "--") == 0) {
            for (i++; i < argc; i++) {
                if (first_input < 0)
                    first_input = i;
                argv[first_input + n_in++] = argv[i];
            }
            break;
        }
        if (a[0] != '-' || strcmp(a, "-") == 0) {
            if (first_input < 0)
                first_input = i;
            argv[first_input + n_in++] = argv[i];
            continue;
        }
        if (strcmp(a, "--no-builtin") == 0) {
            o->no_builtin = 1;
        } else if (strcmp(a, "--unknown") == 0) {
            o->unknown = 1;
        } else if (strcmp(a, "--no-cache") == 0) {
            o->no_cache = 1;
        } else if (strcmp(a, "--stats") == 0) {
            o->stats = 1;
        } else if ((strncmp(a, "-j", 2) == 0 && a[2] >= '0' && a[2] <= '9' &&
                    (v = a + 2)) ||
                   (v = cli_opt_value(argc, argv, &i, "-j", &missing)) ||
                   (!missing &&
                    (v = cli_opt_value(argc, argv, &i, "--threads", &missing)))) {
            if ((o->threads = par_threads_parse(v)) < 0)
                return cli_usage("bad -j/--threads '%s' (want a number, "
                                   "0 for one per CPU)", v);
        } else if (strcmp(a, "--help") == 0 || strcmp(a, "-h") == 0) {
            fputs(usage_text, stdout);
            return -1;
        } else if ((v = cli_opt_value(argc, argv, &i, "--dict", &missing))) {
            if (o->ndicts >= MAX_DICTS)
                return cli_usage("too many --dict options (at most %s)",
                                   "256");
            o->dicts[o->ndicts++] = v;
        } else if ((v = cli_opt_value(argc, argv, &i, "--date", &missing))) {
            if (!dyad_date_valid(v))
                return cli_usage("bad --date '%s' (want YYYY-MM-DD)", v);
            o->date = v;
        } else if ((v = cli_opt_value(argc, argv, &i, "--format", &missing))) {
            int f = dyad_format_parse(v);
            if (f < 0)
                return cli_usage("bad --format '%s' (jsonl, csv or tsv)", v);
            o->fmt = (dyad_format)f;
        } else if ((v = cli_opt_value(argc, argv, &i, "-o", &missing)) ||
                   (!missing &&
                    (v = cli_opt_value(argc, argv, &i, "--output", &missing)))) {
            o->out_path = v;
        } else if (missing) {
            return cli_usage("option %s needs an argument", a);
        } else {
            return cli_usage("unknown option '%s'", a);
        }
        if (missing)
            return cli_usage("option %s needs an argument", a);
    }
    if (n_in == 0)
        return cli_usage("%s", "no input (give files, directories or -)");
    o->inputs = argv + first_input;
    o->ninputs = n_in;
    return 0;
}

/* Close the output and report a write error; 0 when all was written. */
static int close_output(FILE *out, const char *name)
{
    int bad = ferror(out);

    if (fclose(out) != 0)
        bad = 1;
    if (bad)
        cli_errorf("cannot write %s: %s", name, strerror(errno ? errno : EIO));
    return bad;
}

static int cmd_code(int argc, char **argv)
{
    static char outbuf[OUT_BUFSIZE];
    code_opts o;
    diag_count dict_diag = {0, 0, NULL, NULL}, in_diag = {0, 0, NULL, NULL};
    dyad_dict *dict = NULL;
    dyad_coder *coder = NULL;
    dyad_reader *reader = NULL;
    dyad_unknown *unknown = NULL;
    FILE *out = stdout;
    const char *out_name = "standard output";
    size_t failed = 0;
    int i, rc, status = EXIT_PARTIAL, write_failed = 0;
    par_result st = {0}; /* --stats */
    double t0 = par_now();

    if ((rc = parse_code_opts(argc, argv, &o)) != 0)
        return rc < 0 ? EXIT_DONE : rc;

    if (!(dict = cli_load_dicts(o.dicts, o.ndicts, o.no_builtin, !o.no_cache, on_diag,
                                &dict_diag)))
        goto done;
    /* with -j N the workers make their own coders: none here */
    if (o.threads == 1) {
        if (!(coder = dyad_coder_new(dict))) {
            cli_errorf("out of memory");
            goto done;
        }
        dyad_coder_set_diag(coder, on_diag, &in_diag);
    }
    if (o.unknown && !(unknown = dyad_unknown_new(dict))) {
        cli_errorf("out of memory");
        goto done;
    }
    /* (--date was checked with the options: dyad_date_valid) */
    if (coder && o.date && dyad_coder_set_default_date(coder, o.date) != DYAD_OK) {
        status = cli_usage("bad --date '%s' (want YYYY-MM-DD)", o.date);
        goto done;
    }
    if (!(reader = dyad_reader_new(on_diag, &in_diag))) {
        cli_errorf("out of memory");
        goto done;
    }
    for (i = 0; i < o.ninputs; i++) {
        if ((rc = dyad_reader_add(reader, o.inputs[i])) != DYAD_OK) {
            cli_errorf("%s: %s", o.inputs[i], dyad_strerror(rc));
            failed++;
        }
    }

    if (o.out_path) {
        if (!(out = fopen(o.out_path, "w"))) {
            cli_errorf("cannot open %s: %s", o.out_path, strerror(errno));
            out = stdout;
            goto done;
        }
        out_name = o.out_path;
    }
    setvbuf(out, outbuf, _IOFBF, sizeof outbuf);
    if (dyad_write_header(out, o.fmt) != DYAD_OK)
        write_failed = 1;

    if (o.threads > 1) {
        par_config pc = {o.threads, dict, o.date, o.fmt,
                         !(unknown && !o.out_path), unknown,
                         &in_diag.fwd, &in_diag.fwd_ud};
        par_code(&pc, reader, out, &st);
        in_diag.errors += st.diag_errors;
        failed += st.failed;
        write_failed = st.write_failed;
    }
    while (o.threads == 1 && !write_failed) {
        dyad_article art;
        dyad_doc *doc;
        size_t n;

        rc = dyad_reader_next(reader, &art);
        if (rc == 0)
            break;
        if (rc < 0) {
            cli_errorf("reading input: %s", dyad_strerror(rc));
            failed++;
            break;
        }
        if (!(doc = dyad_code_article(coder, &art, &rc))) {
            if (art.origin && art.line > 0)
                cli_errorf("%s:%ld: cannot code article %s: %s", art.origin,
                       art.line, art.id ? art.id : "?", dyad_strerror(rc));
            else
                cli_errorf("%s: cannot code article %s: %s",
                       art.origin ? art.origin : "?", art.id ? art.id : "?",
                       dyad_strerror(rc));
            failed++;
            if (rc == DYAD_ENOMEM)
                break;
            continue;
        }
        if (unknown && dyad_unknown_add(unknown, &art) != DYAD_OK) {
            cli_errorf("out of memory");
            failed++;
        }
        st.articles++;
        st.sentences += dyad_doc_sentence_count(doc);
        st.events += dyad_doc_event_count(doc);
        /* with --unknown and no -o, the report replaces the events */
        n = unknown && !o.out_path ? 0 : dyad_doc_event_count(doc);
        if (n && dyad_write_doc(out, o.fmt, doc) != DYAD_OK)
            write_failed = 1;
        dyad_doc_free(doc);
    }

    if (unknown && !write_failed && print_unknown(stdout, unknown, 200))
        write_failed = 1;
    if (o.stats)
        par_print_stats(&st, par_now() - t0);
    if (failed == 0 && in_diag.errors == 0 && dyad_reader_errors(reader) == 0)
        status = EXIT_DONE;
done:
    if (out != stdout) {
        if (close_output(out, out_name))
            write_failed = 1;
    } else if (fflush(stdout) != 0 || ferror(stdout)) {
        write_failed = 1;
    }
    if (write_failed) {
        if (out == stdout)
            cli_errorf("cannot write %s: %s", out_name,
                   strerror(errno ? errno : EIO));
        status = EXIT_PARTIAL;
    }
    dyad_reader_free(reader);
    dyad_unknown_free(unknown);
    dyad_coder_free(coder);
    dyad_dict_free(dict);
    return status;
}

static int cmd_validate(int argc, char **argv)
{
    dyad_validate_result res;
    const char *path = NULL;
    int i, verbose = 0, rc;

    for (i = 1; i < argc; i++) {
        if (strcmp(argv[i], "-v") == 0 || strcmp(argv[i], "--verbose") == 0)
            verbose = 1;
        else if (strcmp(argv[i], "--help") == 0 || strcmp(argv[i], "-h") == 0) {
            fputs(usage_text, stdout);
            return EXIT_DONE;
        } else if (argv[i][0] == '-' && argv[i][1] != '\0')
            return cli_usage("unknown option '%s'", argv[i]);
        else if (path)
            return cli_usage("validate takes one file, not also '%s'",
                               argv[i]);
        else
            path = argv[i];
    }
    if (!path)
        return cli_usage("%s", "validate needs a records file");
    memset(&res, 0, sizeof res);
    rc = dyad_validate_file(path, stdout, verbose, &res);
    if (rc != DYAD_OK) {
        cli_errorf("cannot validate %s: %s", path, dyad_strerror(rc));
        return EXIT_USAGE;
    }
    return EXIT_DONE;
}

int main(int argc, char **argv)
{
    const char *cmd = argc > 1 ? argv[1] : NULL;
    int status;

    if (!cmd) {
        fputs(usage_text, stderr);
        return EXIT_USAGE;
    }
    if (strcmp(cmd, "code") == 0)
        status = cmd_code(argc - 1, argv + 1);
    else if (strcmp(cmd, "ingest") == 0)
        status = cmd_ingest(argc - 1, argv + 1);
    else if (strcmp(cmd, "events") == 0)
        status = cmd_events(argc - 1, argv + 1);
    else if (strcmp(cmd, "stats") == 0)
        status = cmd_stats(argc - 1, argv + 1);
    else if (strcmp(cmd, "serve") == 0)
        status = cmd_serve(argc - 1, argv + 1);
    else if (strcmp(cmd, "search") == 0)
        status = cmd_search(argc - 1, argv + 1);
    else if (strcmp(cmd, "validate") == 0)
        status = cmd_validate(argc - 1, argv + 1);
    else if (strcmp(cmd, "split") == 0)
        status = cmd_split(argc - 1, argv + 1);
    else if (strcmp(cmd, "dict") == 0)
        status = cmd_dict(argc - 1, argv + 1);
    else if (strcmp(cmd, "eval") == 0)
        status = cmd_eval(argc - 1, argv + 1);
    else if (strcmp(cmd, "version") == 0 || strcmp(cmd, "--version") == 0) {
        printf("dyad %s\n", DYAD_VERSION);
        status = EXIT_DONE;
    } else if (strcmp(cmd, "help") == 0 || strcmp(cmd, "--help") == 0 ||
               strcmp(cmd, "-h") == 0) {
        fputs(usage_text, stdout);
        status = EXIT_DONE;
    } else {
        return cli_usage("unknown command '%s'", cmd);
    }
    /* A full disk or a closed pipe shows up only here (jq checks the same). */
    if (fclose(stdout) != 0 && status == EXIT_DONE) {
        cli_errorf("cannot write standard output: %s", strerror(errno));
        status = EXIT_PARTIAL;
    }
    return status;
}
