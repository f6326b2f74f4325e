/*  opts: what every crossclaim program's command line shares, in one place.

    Every program: `--version` prints "PROGRAM VERSION" (version.h, from CMake's project
    version) and exits 0; `--log-format text|json` (or CROSSCLAIM_LOG_FORMAT) picks the log
    line format (util.h).

    Daemons (broker, store, worker) also take each of their flags from two more places,
    so that systemd units, containers and Kubernetes can configure them without a long
    command line:
      - the environment: `--metrics-port 9100` is CROSSCLAIM_METRICS_PORT=9100 (upper
        case, dashes as underscores); a flag without a value is on for 1/true/yes/on and
        off for 0/false/no/off; an empty variable counts as unset;
      - a config file, `--config FILE` (or CROSSCLAIM_CONFIG=FILE), in ini format read by
        libinih: `metrics-port = 9100`. A program reads the keys before any section and
        those in its own section ([broker], [store], [worker]); other sections are skipped,
        so one file can serve all three. An unknown key in what it reads is an error.
    A flag on the command line wins over the environment, which wins over the file.

    opts_load does this by building a new argv: the file's and the environment's settings
    first, as flags, then the real command line, so a parser where the last flag wins
    (getopt_long, and every daemon's) needs no other change. */
#ifndef CC_OPTS_H
#define CC_OPTS_H

#include <getopt.h>
#include <stdio.h>

/* Handles --version and --log-format FORMAT (also --log-format=FORMAT, and
   CROSSCLAIM_LOG_FORMAT) for program `prog`, and removes them from argv (which stays
   NULL-terminated; *argc is updated). Names the process for logging (util_log_init).
   --version prints and exits 0; a bad format prints why and exits 2. A --log-format
   given here is exported as CROSSCLAIM_LOG_FORMAT, so child processes log the same way.
   Scans up to a "--" argument. */
void opts_common(const char *prog, int *argc, char **argv);

/* Merges the config file and the environment into a daemon's command line. `flags` is
   the daemon's getopt_long table (terminated by a zero entry; "help" is never taken from
   the environment or a file); `section` is its ini section name ("broker"). On success
   returns 0 with a new argv in *argv_out (free with opts_free) and its count in
   *argc_out; the "--config FILE" arguments are not in it. On error returns -EINVAL (bad
   value, unknown key, unreadable file) with a message in `err`. Call opts_common first. */
int opts_load(const char *section, const struct option *flags, int argc, char **argv,
              int *argc_out, char ***argv_out, char *err, size_t errlen);

/* Frees an argv made by opts_load; nothing on NULL. Can't fail. */
void opts_free(char **argv);

/* Writes the --help paragraph on the environment, the config file and --version/
   --log-format, with each flag's variable name. Can't fail. */
void opts_usage(FILE *out, const char *section, const struct option *flags);

#endif
