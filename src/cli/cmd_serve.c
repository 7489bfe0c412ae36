/* cmd_serve.c: `dyad serve`: the options, the dictionaries (loaded once),
 * the store check, the listening socket, and the wait for SIGINT or
 * SIGTERM; the HTTP server itself is serve_http.c (docs/serve.md). */
#include "cli_common.h"
#include "cmd_serve.h"
#include "serve.h"

#include <errno.h>
#include <netdb.h>
#include <netinet/in.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

enum { EXIT_DONE = 0, EXIT_FAILED = 1, EXIT_USAGE = 2 };

#define MAX_DICTS 256

/* A whole number in [min, max]; -1 otherwise. */
static long number(const char *v, long min, long max)
{
    char *end;
    long n;
    errno = 0;
    n = strtol(v, &end, 10);
    if (!*v || *end || errno || n < min || n > max || v[0] == '+' || v[0] == ' ')
        return -1;
    return n;
}

static void on_dict_diag(void *ud, dyad_severity sev, const char *file,
                         long line, const char *msg)
{
    char text[8192];
    (void)ud;
    cli_diag_line(text, sizeof text, sev, file, line, msg);
    fputs(text, stderr);
}

/* A listening TCP socket on host:port (port 0: any free one); its port in
 * *bound. -1 with a message on failure. */
static int listen_on(const char *host, long port, int *bound)
{
    struct addrinfo hints, *res = NULL, *ai;
    struct sockaddr_storage sa;
    socklen_t salen = sizeof sa;
    char ps[24];
    int fd = -1, one = 1, rc;

    memset(&hints, 0, sizeof hints);
    hints.ai_family = AF_UNSPEC;
    hints.ai_socktype = SOCK_STREAM;
    hints.ai_flags = AI_PASSIVE | AI_NUMERICSERV;
    snprintf(ps, sizeof ps, "%ld", port);
    if ((rc = getaddrinfo(host, ps, &hints, &res)) != 0) {
        cli_errorf("--host %s: %s", host, gai_strerror(rc));
        return -1;
    }
    for (ai = res; ai; ai = ai->ai_next) {
        if ((fd = socket(ai->ai_family, ai->ai_socktype | SOCK_CLOEXEC,
                         ai->ai_protocol)) < 0)
            continue;
        setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
        if (bind(fd, ai->ai_addr, ai->ai_addrlen) == 0 && listen(fd, 256) == 0)
            break;
        rc = errno;
        close(fd);
        fd = -1;
        errno = rc;
    }
    freeaddrinfo(res);
    if (fd < 0) {
        cli_errorf("cannot listen on %s port %ld: %s", host, port, strerror(errno));
        return -1;
    }
    *bound = (int)port;
    if (getsockname(fd, (struct sockaddr *)&sa, &salen) == 0)
        *bound = sa.ss_family == AF_INET6
                     ? ntohs(((struct sockaddr_in6 *)&sa)->sin6_port)
                     : ntohs(((struct sockaddr_in *)&sa)->sin_port);
    return fd;
}

int cmd_serve(int argc, char **argv)
{
    const char *dicts[MAX_DICTS], *host = "127.0.0.1", *v;
    serve_config cfg;
    serve_limits lim;
    long port = 8080, n;
    int ndicts = 0, no_builtin = 0, no_cache = 0, i, fd, bound = 0, sig = 0;
    dyad_store *probe = NULL;
    dyad_dict *dict = NULL;
    struct MHD_Daemon *d;
    sigset_t stop;
    char err[600];

    memset(&cfg, 0, sizeof cfg);
    cfg.db = "dyad.db";
    cfg.query_ms = 5000;
    lim.threads = 4;
    lim.max_conns = 512;
    lim.max_per_ip = 128;
    lim.timeout_s = 10;
    lim.conn_memory = 64 * 1024;
    for (i = 1; i < argc; i++) {
        const char *a = argv[i];
        int missing = 0;
        if (strcmp(a, "--no-builtin") == 0)
            no_builtin = 1;
        else if (strcmp(a, "--no-cache") == 0)
            no_cache = 1;
        else if ((v = cli_opt_value(argc, argv, &i, "--db", &missing)))
            cfg.db = v;
        else if (!missing && (v = cli_opt_value(argc, argv, &i, "--host", &missing)))
            host = v;
        else if (!missing && (v = cli_opt_value(argc, argv, &i, "--port", &missing))) {
            if ((port = number(v, 0, 65535)) < 0)
                return cli_usage("bad --port '%s' (want 0 to 65535; 0: any free port)", v);
        } else if (!missing && (v = cli_opt_value(argc, argv, &i, "--dict", &missing))) {
            if (ndicts >= MAX_DICTS)
                return cli_usage("too many --dict options (at most %d)", MAX_DICTS);
            dicts[ndicts++] = v;
        } else if (!missing && (v = cli_opt_value(argc, argv, &i, "--threads", &missing))) {
            if ((n = number(v, 1, 64)) < 0)
                return cli_usage("bad --threads '%s' (want 1 to 64)", v);
            lim.threads = (unsigned)n;
        } else if (!missing && (v = cli_opt_value(argc, argv, &i, "--max-connections", &missing))) {
            if ((n = number(v, 1, 100000)) < 0)
                return cli_usage("bad --max-connections '%s' (want 1 to 100000)", v);
            lim.max_conns = (unsigned)n;
        } else if (!missing && (v = cli_opt_value(argc, argv, &i, "--max-per-ip", &missing))) {
            if ((n = number(v, 1, 100000)) < 0)
                return cli_usage("bad --max-per-ip '%s' (want 1 to 100000)", v);
            lim.max_per_ip = (unsigned)n;
        } else if (!missing && (v = cli_opt_value(argc, argv, &i, "--timeout", &missing))) {
            if ((n = number(v, 1, 3600)) < 0)
                return cli_usage("bad --timeout '%s' (want 1 to 3600 seconds)", v);
            lim.timeout_s = (unsigned)n;
        } else if (!missing && (v = cli_opt_value(argc, argv, &i, "--query-ms", &missing))) {
            if ((n = number(v, 0, 3600000)) < 0)
                return cli_usage("bad --query-ms '%s' (want 0 to 3600000; 0: no limit)", v);
            cfg.query_ms = n;
        } else if (missing)
            return cli_usage("option %s needs an argument", a);
        else
            return cli_usage("unknown option '%s'", a);
    }

    /* The store must be there and be a dyad store before anything listens.
     * A store of an older schema is migrated as ingest would (spans, the
     * index of pages) when it can be written; else it is served as is. */
    if (dyad_store_open(cfg.db, DYAD_STORE_READONLY, &probe, err, sizeof err) != DYAD_OK) {
        cli_errorf("%s", err);
        return EXIT_FAILED;
    }
    dyad_store_close(probe);
    probe = NULL;
    if (dyad_store_open(cfg.db, 0, &probe, err, sizeof err) == DYAD_OK)
        dyad_store_close(probe);
    if (!(dict = cli_load_dicts(dicts, ndicts, no_builtin, !no_cache, on_dict_diag, NULL)))
        return EXIT_FAILED;
    cfg.dict = dict;
    serve_static_init();
    if ((fd = listen_on(host, port, &bound)) < 0) {
        dyad_dict_free(dict);
        return EXIT_FAILED;
    }

    /* SIGINT and SIGTERM are taken by sigwait here; the server's threads
     * inherit the mask and never see them. */
    sigemptyset(&stop);
    sigaddset(&stop, SIGINT);
    sigaddset(&stop, SIGTERM);
    pthread_sigmask(SIG_BLOCK, &stop, NULL);
    signal(SIGPIPE, SIG_IGN);
    if (!(d = serve_http_start(&cfg, &lim, fd, err, sizeof err))) {
        cli_errorf("%s", err);
        close(fd);
        dyad_dict_free(dict);
        return EXIT_FAILED;
    }
    fprintf(stderr, "dyad serve: listening on http://%s%s%s:%d/\n",
            strchr(host, ':') ? "[" : "", host, strchr(host, ':') ? "]" : "",
            bound);
    fflush(stderr);
    while (sigwait(&stop, &sig) != 0)
        ;
    serve_http_stop(d);
    serve_workers_free();
    dyad_dict_free(dict);
    return EXIT_DONE;
}
