/*  test_progress: `crossclaim run` and `crossclaim submit` show a progress line (count of
    total, rate, ETA) on a terminal and nothing of it when their output is piped. The
    terminal is a real pseudo-terminal from script(1); the commands are the real binaries
    against real processes. */
#include "pipeline_util.h"

#include <signal.h>

static char *s_dir;

/* Writes n small articles of my own into DIR/in. */
static void s_articles(int n)
{
    pu_sh("mkdir -p %s/in", s_dir);
    for (int i = 0; i < n; i++) {
        char path[800];
        snprintf(path, sizeof path, "%s/in/p%03d.txt", s_dir, i);
        FILE *f = fopen(path, "w");
        cr_assert_not_null(f);
        fprintf(f, "Notice %d\nThe harbour office said %d boats were moored at pier %d.\n", i,
                10 + i, i % 9);
        fclose(f);
    }
}

static void s_setup(void)
{
    if (pu_sh("command -v script >/dev/null") != 0)
        cr_skip_test("script(1) is not installed (util-linux)");
    s_dir = pu_tmpdir();
    s_articles(120);
}

static void s_teardown(void)
{
    if (s_dir)
        pu_sh("rm -rf %s", s_dir);
    free(s_dir);
    s_dir = NULL;
}

TestSuite(progress, .init = s_setup, .fini = s_teardown, .timeout = 180);

Test(progress, run_on_a_terminal_shows_count_rate_eta)
{
    cr_assert_eq(pu_sh("script -qec '%s/crossclaim run --workers 1 --no-report --data %s/d %s/in' "
                       "/dev/null > %s/tty.txt", pu_bin(), s_dir, s_dir, s_dir), 0);
    pu_sh("tr '\\r' '\\n' < %s/tty.txt | cat -v >&2", s_dir);
    /* The first line is drawn after the first article: count of total, rate, ETA. */
    cr_assert_eq(pu_sh("tr '\\r' '\\n' < %s/tty.txt | grep -Eq "
                       "'^submitted: [0-9]+/120 \\([0-9]+%%\\), [0-9]+/s, ETA [0-9]+s'", s_dir), 0,
                 "no submitted line with count, rate and ETA");
    cr_assert_eq(pu_sh("tr '\\r' '\\n' < %s/tty.txt | grep -Eq "
                       "'^submitted: 120/120 \\(100%%\\), [0-9]+/s.* in [0-9.]+s'", s_dir), 0,
                 "no final submitted line");
    cr_assert_eq(pu_sh("tr '\\r' '\\n' < %s/tty.txt | grep -Eq "
                       "'^processed: 120/120 \\(100%%\\), [0-9]+/s.* in [0-9.]+s'", s_dir), 0,
                 "no final processed line");
}

Test(progress, run_piped_prints_no_progress)
{
    cr_assert_eq(pu_sh("%s/crossclaim run --workers 1 --no-report --data %s/d %s/in "
                       "> %s/out.txt 2> %s/err.txt", pu_bin(), s_dir, s_dir, s_dir, s_dir), 0);
    cr_assert_eq(pu_sh("grep -q '120 articles read, 120 new' %s/out.txt", s_dir), 0);
    cr_assert_eq(pu_sh("grep -Eq 'submitted|processed|ETA' %s/err.txt %s/out.txt", s_dir, s_dir), 1,
                 "progress text in piped output");
    cr_assert_eq(pu_sh("grep -q \"$(printf '\\r')\" %s/err.txt %s/out.txt", s_dir, s_dir), 1,
                 "a carriage return in piped output");
}

Test(progress, submit_on_a_terminal_and_piped)
{
    char broker[600];
    snprintf(broker, sizeof broker, "%s/crossclaim-broker", pu_bin());
    pid_t pid = fork();
    cr_assert(pid >= 0);
    if (pid == 0) {
        execl(broker, broker, "--data", s_dir, "--quiet", (char *)NULL);
        _exit(127);
    }
    /* No workers: submit's part ends when the broker holds every article. */
    int rc = pu_sh("script -qec '%s/crossclaim submit --data %s %s/in' /dev/null > %s/tty.txt",
                   pu_bin(), s_dir, s_dir, s_dir);
    int rc2 = pu_sh("%s/crossclaim submit --data %s %s/in > %s/out.txt 2> %s/err.txt", pu_bin(),
                    s_dir, s_dir, s_dir, s_dir);
    kill(pid, SIGTERM);
    waitpid(pid, NULL, 0);
    cr_assert_eq(rc, 0);
    cr_assert_eq(rc2, 0);
    cr_assert_eq(pu_sh("tr '\\r' '\\n' < %s/tty.txt | grep -Eq "
                       "'^submitted: [0-9]+/120 \\([0-9]+%%\\), [0-9]+/s, ETA [0-9]+s'", s_dir), 0,
                 "no submitted line with count, rate and ETA on the terminal");
    cr_assert_eq(pu_sh("grep -q '120 sent, 120 queued' %s/tty.txt", s_dir), 0);
    /* Piped: only the closing summary (all 120 already known now). */
    cr_assert_eq(pu_sh("grep -q '120 sent, 0 queued, 120 already known' %s/err.txt", s_dir), 0);
    cr_assert_eq(pu_sh("grep -Eq 'submitted:|ETA' %s/err.txt %s/out.txt", s_dir, s_dir), 1,
                 "progress text in piped output");
}
