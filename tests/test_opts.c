/*  Tests for proto/opts (flags from the environment and an ini file, flags winning over
    the environment over the file) and proto/util's log line formats. */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "opts.h"
#include "util.h"

#define CHECK(expr) do { char err_[256] = ""; int rc_ = (expr); \
    cr_assert_eq(rc_, 0, "%s -> %d: %s", #expr, rc_, err_); } while (0)

static const struct option s_flags[] = {
    {"data", required_argument, NULL, 'd'},
    {"heartbeat-ms", required_argument, NULL, 'H'},
    {"metrics-port", required_argument, NULL, 'p'},
    {"quiet", no_argument, NULL, 'q'},
    {"insecure", no_argument, NULL, 'I'},
    {"help", no_argument, NULL, 'h'},
    {NULL, 0, NULL, 0},
};

static char s_ini[256];

static void s_write_ini(const char *text)
{
    snprintf(s_ini, sizeof s_ini, "/tmp/cc-test-opts-%d.ini", (int)getpid());
    FILE *f = fopen(s_ini, "w");
    cr_assert(f);
    fputs(text, f);
    fclose(f);
}

static void s_clean_env(void)
{
    unsetenv("CROSSCLAIM_DATA");
    unsetenv("CROSSCLAIM_HEARTBEAT_MS");
    unsetenv("CROSSCLAIM_METRICS_PORT");
    unsetenv("CROSSCLAIM_QUIET");
    unsetenv("CROSSCLAIM_INSECURE");
    unsetenv("CROSSCLAIM_CONFIG");
    unsetenv("CROSSCLAIM_HELP");
}

static char **s_out;    /* the last merged argv; the parsed values point into it */

static void s_teardown(void)
{
    if (s_ini[0])
        unlink(s_ini);
    opts_free(s_out);
    s_out = NULL;
}

/* Runs getopt_long over the merged argv the way a daemon does: the last value wins. */
typedef struct {
    const char *data, *hb, *port;
    bool quiet, insecure;
    int rest;      /* arguments left after the flags */
} s_seen_t;

static s_seen_t s_parse(int argc, char **argv)
{
    s_seen_t s = {0};
    optind = 1;
    int c;
    while ((c = getopt_long(argc, argv, "h", s_flags, NULL)) != -1) {
        switch (c) {
        case 'd': s.data = optarg; break;
        case 'H': s.hb = optarg; break;
        case 'p': s.port = optarg; break;
        case 'q': s.quiet = true; break;
        case 'I': s.insecure = true; break;
        default: cr_assert_fail("unexpected flag %c", c);
        }
    }
    s.rest = argc - optind;
    return s;
}

static s_seen_t s_load(char **in, int n, int *rc_out, char *err, size_t errlen)
{
    char **out = NULL;
    int nout = 0;
    *rc_out = opts_load("broker", s_flags, n, in, &nout, &out, err, errlen);
    s_seen_t s = {0};
    if (*rc_out == 0) {
        opts_free(s_out);
        s_out = out;
        s = s_parse(nout, out);
    }
    return s;
}

TestSuite(opts, .init = s_clean_env, .fini = s_teardown);

Test(opts, flag_wins_over_environment_wins_over_file)
{
    s_write_ini("; shared\nheartbeat-ms = 100\nmetrics-port = 1\n"
                "[broker]\ndata = /from/file\nquiet = yes\n"
                "[worker]\nthis-key-is-only-for-workers = 1\n");
    setenv("CROSSCLAIM_METRICS_PORT", "2", 1);
    setenv("CROSSCLAIM_DATA", "/from/env", 1);
    char *argv[] = {"prog", "--config", s_ini, "--data", "/from/flag", NULL};
    int rc;
    char err[256] = "";
    s_seen_t s = s_load(argv, 5, &rc, err, sizeof err);
    cr_assert_eq(rc, 0, "%s", err);
    cr_assert_str_eq(s.data, "/from/flag");   /* flag over env over file */
    cr_assert_str_eq(s.port, "2");            /* env over file */
    cr_assert_str_eq(s.hb, "100");            /* file, outside any section */
    cr_assert(s.quiet);                       /* file, own section */
    cr_assert_not(s.insecure);
    cr_assert_eq(s.rest, 0, "--config FILE is not passed on");
}

Test(opts, environment_alone_and_config_from_environment)
{
    s_write_ini("[broker]\nheartbeat-ms = 250\n");
    setenv("CROSSCLAIM_CONFIG", s_ini, 1);
    setenv("CROSSCLAIM_INSECURE", "true", 1);
    setenv("CROSSCLAIM_DATA", "", 1);   /* empty counts as unset */
    char *argv[] = {"prog", "extra", NULL};
    int rc;
    char err[256] = "";
    s_seen_t s = s_load(argv, 2, &rc, err, sizeof err);
    cr_assert_eq(rc, 0, "%s", err);
    cr_assert_str_eq(s.hb, "250");
    cr_assert(s.insecure);
    cr_assert_null(s.data);
    cr_assert_eq(s.rest, 1, "positional arguments stay");
}

Test(opts, environment_turns_off_a_switch_the_file_turned_on)
{
    s_write_ini("quiet = on\n");
    setenv("CROSSCLAIM_QUIET", "0", 1);
    char *argv[] = {"prog", "--config", s_ini, NULL};
    int rc;
    char err[256] = "";
    s_seen_t s = s_load(argv, 3, &rc, err, sizeof err);
    cr_assert_eq(rc, 0, "%s", err);
    cr_assert_not(s.quiet);
}

Test(opts, errors_name_the_file_line_key_or_variable)
{
    char err[256] = "";
    int rc;
    s_write_ini("data = /x\n[broker]\nheartbeat-ms = 5\nmetrcs-port = 9\n");
    char *argv[] = {"prog", "--config", s_ini, NULL};
    s_load(argv, 3, &rc, err, sizeof err);
    cr_assert_neq(rc, 0);
    cr_assert(strstr(err, ":4:") && strstr(err, "metrcs-port"), "%s", err);

    s_write_ini("quiet = maybe\n");
    s_load(argv, 3, &rc, err, sizeof err);
    cr_assert_neq(rc, 0);
    cr_assert(strstr(err, "quiet") && strstr(err, "maybe"), "%s", err);

    s_write_ini("help = 1\n");   /* --help is never a setting */
    s_load(argv, 3, &rc, err, sizeof err);
    cr_assert_neq(rc, 0);

    s_write_ini("ok = 1\n");
    setenv("CROSSCLAIM_INSECURE", "sometimes", 1);
    char *argv2[] = {"prog", NULL};
    s_load(argv2, 1, &rc, err, sizeof err);
    cr_assert_neq(rc, 0);
    cr_assert(strstr(err, "CROSSCLAIM_INSECURE"), "%s", err);

    unsetenv("CROSSCLAIM_INSECURE");
    char *argv3[] = {"prog", "--config", "/nonexistent/cc.ini", NULL};
    s_load(argv3, 3, &rc, err, sizeof err);
    cr_assert_neq(rc, 0);
    cr_assert(strstr(err, "/nonexistent/cc.ini"), "%s", err);
}

Test(opts, usage_lists_each_flags_variable)
{
    char *buf = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&buf, &len);
    opts_usage(f, "broker", s_flags);
    fclose(f);
    cr_assert(strstr(buf, "CROSSCLAIM_HEARTBEAT_MS"), "%s", buf);
    cr_assert(strstr(buf, "CROSSCLAIM_METRICS_PORT"), "%s", buf);
    cr_assert(strstr(buf, "[broker]"), "%s", buf);
    cr_assert_null(strstr(buf, "CROSSCLAIM_HELP"), "%s", buf);
    free(buf);
}

/* ---- log lines ---- */

/* Runs `fn` with stderr sent to a file and returns what it wrote (static buffer). */
static const char *s_capture(void (*fn)(void))
{
    static char out[8192];
    char path[128];
    snprintf(path, sizeof path, "/tmp/cc-test-log-%d.txt", (int)getpid());
    fflush(stderr);
    int saved = dup(2);
    FILE *f = freopen(path, "w", stderr);
    cr_assert(f);
    fn();
    fflush(stderr);
    dup2(saved, 2);
    close(saved);
    FILE *r = fopen(path, "r");
    size_t n = fread(out, 1, sizeof out - 1, r);
    out[n] = 0;
    fclose(r);
    unlink(path);
    return out;
}

static void s_log_some(void)
{
    util_info("hello %d", 1);
    util_warn("quote \" and backslash \\ and\nnewline");
    util_error("bye");
}

Test(log, text_lines_have_an_rfc3339_time_program_pid_and_level)
{
    util_log_init("crossclaim-test");
    cr_assert_eq(util_log_format("text"), 0);
    const char *out = s_capture(s_log_some);
    /* 2025-06-01T12:00:00.123Z crossclaim-test[123] info: hello 1 */
    int y, mo, d, h, mi, s, ms, pid;
    char level[16], prog[64];
    cr_assert_eq(sscanf(out, "%4d-%2d-%2dT%2d:%2d:%2d.%3dZ %63[^[][%d] %15[^:]:", &y, &mo, &d,
                        &h, &mi, &s, &ms, prog, &pid, level), 10, "%s", out);
    cr_assert_str_eq(prog, "crossclaim-test");
    cr_assert_eq(pid, (int)getpid());
    cr_assert_str_eq(level, "info");
    cr_assert(strstr(out, "] warning: quote"), "%s", out);
    cr_assert(strstr(out, "] error: bye\n"), "%s", out);
}

Test(log, json_lines_are_one_object_each)
{
    util_log_init("crossclaim-test");
    cr_assert_eq(util_log_format("json"), 0);
    cr_assert_neq(util_log_format("xml"), 0);
    const char *out = s_capture(s_log_some);
    int lines = 0;
    for (const char *p = out; *p; p++)
        lines += *p == '\n';
    cr_assert_eq(lines, 3, "the newline in a message is escaped: %s", out);
    cr_assert(strstr(out, "{\"time\":\"20"), "%s", out);
    cr_assert(strstr(out, "\"program\":\"crossclaim-test\",\"pid\":"), "%s", out);
    cr_assert(strstr(out, "\"level\":\"warning\",\"msg\":\"quote \\\" and backslash \\\\ and\\nnewline\"}\n"),
              "%s", out);
    cr_assert(strstr(out, "\"level\":\"error\",\"msg\":\"bye\"}\n"), "%s", out);
}
