/* Benchmark helper: runs a command and appends its peak resident set size
 * (KiB, from wait4's rusage), exit status and CPU seconds to a file, so the command's
 * own standard streams stay untouched. Usage: peakrss OUTFILE CMD [ARG]... */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>

int main(int argc, char **argv) {
    if (argc < 3) {
        fputs("usage: peakrss OUTFILE CMD [ARG]...\n", stderr);
        return 2;
    }
    pid_t pid = fork();
    if (pid < 0) {
        perror("peakrss: fork");
        return 1;
    }
    if (pid == 0) {
        execvp(argv[2], argv + 2);
        fprintf(stderr, "peakrss: cannot run %s\n", argv[2]);
        _exit(127);
    }
    int st = 0;
    struct rusage ru;
    memset(&ru, 0, sizeof ru);
    if (wait4(pid, &st, 0, &ru) < 0) {
        perror("peakrss: wait4");
        return 1;
    }
    int code = WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st);
    FILE *f = fopen(argv[1], "a");
    if (!f) {
        perror("peakrss: output file");
        return 1;
    }
    /* Linux reports ru_maxrss in KiB; then the CPU seconds (user + system),
     * which a busy machine disturbs less than wall time. */
    fprintf(f, "%ld %d %.6f\n", ru.ru_maxrss, code,
            (double)(ru.ru_utime.tv_sec + ru.ru_stime.tv_sec) +
                (double)(ru.ru_utime.tv_usec + ru.ru_stime.tv_usec) / 1e6);
    if (fclose(f) != 0) return 1;
    return code;
}
