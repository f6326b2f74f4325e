/*  Operator-facing integration tests: a real broker, store and workers started as separate
    processes, and the commands an operator types: status, pause/resume, top (driven under
    tmux and read off the screen), and the broker's Prometheus metrics checked by promtool. */
#include "pipeline_util.h"

#include <signal.h>
#include <sys/stat.h>
#include <time.h>

static char *s_dir;
static pid_t s_broker, s_store, s_workers[2];
static unsigned s_port;

static pid_t s_start(char *const argv[])
{
    pid_t pid = fork();
    cr_assert(pid >= 0);
    if (pid == 0) {
        execv(argv[0], argv);
        _exit(127);
    }
    return pid;
}

static void s_stop(pid_t *pid)
{
    if (*pid > 0) {
        kill(*pid, SIGTERM);
        waitpid(*pid, NULL, 0);
        *pid = 0;
    }
}

static void s_setup(void)
{
    s_dir = pu_tmpdir();
    s_port = 21000 + (unsigned)(getpid() % 20000);
    char bin[3][600], port[16], back[700];
    snprintf(bin[0], sizeof bin[0], "%s/crossclaim-broker", pu_bin());
    snprintf(bin[1], sizeof bin[1], "%s/crossclaim-store", pu_bin());
    snprintf(bin[2], sizeof bin[2], "%s/crossclaim-worker", pu_bin());
    snprintf(port, sizeof port, "%u", s_port);
    snprintf(back, sizeof back, "ipc://%s/backend.ipc", s_dir);
    s_broker = s_start((char *[]){bin[0], "--data", s_dir, "--metrics-port", port, "--quiet", NULL});
    s_store = s_start((char *[]){bin[1], "--data", s_dir, "--quiet", NULL});
    s_workers[0] = s_start((char *[]){bin[2], "--broker", back, "--name", "alpha", "--quiet", NULL});
    s_workers[1] = s_start((char *[]){bin[2], "--broker", back, "--name", "beta", "--quiet", NULL});
    /* Up when status answers with both workers and the store. */
    for (int i = 0; i < 100; i++) {
        if (pu_sh("%s/crossclaim status --data %s 2>/dev/null | grep -q '\"store_connected\":true.*' && "
                  "%s/crossclaim status --data %s | grep -q '\"connected_workers\":2'",
                  pu_bin(), s_dir, pu_bin(), s_dir) == 0)
            return;
        usleep(100000);
    }
    cr_assert_fail("the pipeline did not come up");
}

static void s_teardown(void)
{
    s_stop(&s_workers[0]);
    s_stop(&s_workers[1]);
    s_stop(&s_store);
    s_stop(&s_broker);
    pu_sh("tmux kill-session -t cc-top-%d 2>/dev/null", (int)getpid());
    pu_sh("rm -rf %s", s_dir);
    free(s_dir);
}

/* Writes n small distinct articles into DIR/in. */
static void s_articles(int n)
{
    pu_sh("mkdir -p %s/in", s_dir);
    for (int i = 0; i < n; i++) {
        char path[800];
        snprintf(path, sizeof path, "%s/in/a%03d.txt", s_dir, i);
        FILE *f = fopen(path, "w");
        cr_assert_not_null(f);
        fprintf(f, "Report %d\nThe council said %d new homes were built in district %d last year.\n",
                i, 100 + i, i);
        fclose(f);
    }
}

TestSuite(ops, .init = s_setup, .fini = s_teardown, .timeout = 120);

Test(ops, pause_submit_top_resume_and_status)
{
    if (pu_sh("command -v tmux >/dev/null") != 0)
        cr_skip_test("tmux is not installed (deploy/install-deps.sh installs it)");
    s_articles(50);
    cr_assert_eq(pu_sh("%s/crossclaim pause --data %s > /dev/null", pu_bin(), s_dir), 0);
    cr_assert_eq(pu_sh("%s/crossclaim submit --data %s %s/in 2> %s/submit.txt", pu_bin(), s_dir,
                       s_dir, s_dir), 0);
    cr_assert_eq(pu_sh("grep -q '50 sent, 50 queued' %s/submit.txt", s_dir), 0);

    /* top in a real terminal (tmux), read off the screen. */
    cr_assert_eq(pu_sh("tmux new-session -d -s cc-top-%d -x 120 -y 30 '%s/crossclaim top --data %s'",
                       (int)getpid(), pu_bin(), s_dir), 0);
    bool seen = false;
    for (int i = 0; i < 50 && !seen; i++) {
        usleep(100000);
        seen = pu_sh("tmux capture-pane -p -t cc-top-%d > %s/screen1.txt && "
                     "grep -q 'depth 50 ' %s/screen1.txt && grep -q PAUSED %s/screen1.txt && "
                     "grep -q alpha %s/screen1.txt && grep -q beta %s/screen1.txt",
                     (int)getpid(), s_dir, s_dir, s_dir, s_dir, s_dir) == 0;
    }
    cr_assert(seen, "top does not show the paused queue and both workers (see %s/screen1.txt)", s_dir);

    cr_assert_eq(pu_sh("%s/crossclaim resume --data %s > /dev/null", pu_bin(), s_dir), 0);
    seen = false;
    for (int i = 0; i < 100 && !seen; i++) {
        usleep(100000);
        seen = pu_sh("tmux capture-pane -p -t cc-top-%d > %s/screen2.txt && "
                     "grep -q 'completed 50 ' %s/screen2.txt && grep -q 'depth 0 ' %s/screen2.txt",
                     (int)getpid(), s_dir, s_dir, s_dir) == 0;
    }
    cr_assert(seen, "top does not show the queue drained (see %s/screen2.txt)", s_dir);
    pu_sh("cat %s/screen2.txt >&2", s_dir);
    /* q quits top. */
    pu_sh("tmux send-keys -t cc-top-%d q", (int)getpid());

    cr_assert_eq(pu_sh("%s/crossclaim status --json --data %s > %s/status.json", pu_bin(), s_dir, s_dir), 0);
    cr_assert_eq(pu_sh("python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); "
                       "assert d[\"broker\"][\"completed\"]==50, d; assert d[\"store\"][\"articles\"]==50, d' "
                       "%s/status.json", s_dir), 0, "status --json disagrees");
}

Test(ops, metrics_pass_promtool)
{
    if (pu_sh("command -v promtool >/dev/null && command -v curl >/dev/null") != 0)
        cr_skip_test("promtool or curl is not installed (deploy/install-deps.sh installs them)");
    s_articles(20);
    cr_assert_eq(pu_sh("%s/crossclaim submit --data %s %s/in 2>/dev/null", pu_bin(), s_dir, s_dir), 0);
    for (int i = 0; i < 50; i++) {
        if (pu_sh("%s/crossclaim status --data %s | grep -q '\"completed\":20'", pu_bin(), s_dir) == 0)
            break;
        usleep(100000);
    }
    usleep(700000); /* the metrics page is re-rendered every 500 ms */
    cr_assert_eq(pu_sh("curl -sf http://127.0.0.1:%u/metrics > %s/metrics.txt", s_port, s_dir), 0);
    const char *names[] = {"crossclaim_queue_depth", "crossclaim_inflight", "crossclaim_workers",
                           "crossclaim_submitted_total", "crossclaim_completed_total",
                           "crossclaim_redelivered_total", "crossclaim_dead_total",
                           "crossclaim_submit_to_commit_seconds_bucket"};
    for (size_t i = 0; i < sizeof names / sizeof *names; i++)
        cr_assert_eq(pu_sh("grep -q '^%s' %s/metrics.txt", names[i], s_dir), 0, "no %s", names[i]);
    cr_assert_eq(pu_sh("grep -q '^crossclaim_completed_total 20' %s/metrics.txt", s_dir), 0);
    int rc = pu_sh("promtool check metrics < %s/metrics.txt > %s/promtool.txt 2>&1", s_dir, s_dir);
    pu_sh("cat %s/promtool.txt >&2", s_dir);
    cr_assert_eq(rc, 0, "promtool check metrics failed");
}

/* `submit --rate` spaces the articles evenly: 21 at 40 a second span 20 intervals of
   25 ms, so the submit can't take less than 0.5 s (without pacing it takes a few ms);
   every one is still queued, and the broker reports its latency quantiles. */
Test(ops, submit_at_a_fixed_rate)
{
    s_articles(21);
    struct timespec a, b;
    clock_gettime(CLOCK_MONOTONIC, &a);
    cr_assert_eq(pu_sh("%s/crossclaim submit --data %s --rate 40 %s/in 2> %s/submit.txt", pu_bin(),
                       s_dir, s_dir, s_dir), 0);
    clock_gettime(CLOCK_MONOTONIC, &b);
    double took = (double)(b.tv_sec - a.tv_sec) + (double)(b.tv_nsec - a.tv_nsec) / 1e9;
    cr_expect_geq(took, 0.5, "21 articles at 40/s took %.3f s", took);
    cr_expect_eq(pu_sh("grep -q '21 sent, 21 queued' %s/submit.txt", s_dir), 0);
    cr_expect_eq(pu_sh("%s/crossclaim status --json --data %s | grep -q '\"latency_p999_s\":'",
                       pu_bin(), s_dir), 0);
    cr_expect_neq(pu_sh("%s/crossclaim submit --data %s --rate 0 %s/in 2>/dev/null", pu_bin(),
                        s_dir, s_dir), 0, "a rate of 0 is refused");
}
