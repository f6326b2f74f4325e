/*  run: the all-in-one `crossclaim run`. Starts a broker, a store and N workers as child
    processes on ipc endpoints under the data dir, submits the inputs, waits until the
    queue has drained (every job committed or dead), prints the report and stops the
    children cleanly; with `serve`, it keeps them up and serves the web view (serve.h)
    until Ctrl-C. Children get PR_SET_PDEATHSIG, so a killed `run` leaves no orphans. */
#ifndef CC_RUN_H
#define CC_RUN_H

#include <stdbool.h>
#include <sys/types.h>

typedef struct {
    const char *data_dir;     /* default ./crossclaim-data */
    unsigned workers;         /* default: one per core */
    const char *const *paths; /* inputs */
    int n_paths;
    bool quiet;               /* no report, only the summary */
    bool no_report;
    bool keep_text;            /* Article.keep_text on every article submitted */
    unsigned metrics_port;    /* broker metrics (0: off) */
    unsigned stall_s;         /* give up after this long without progress (0: 120 s) */
    bool serve;               /* after ingest, keep everything up and serve the web view */
    const char *serve_addr;   /* its address (NULL: 127.0.0.1) */
    unsigned serve_port;      /* its port (0: any free one) */
    const char *serve_token;  /* its token, or NULL */
    bool serve_insecure;      /* another address without a token */
} run_config_t;

/* Runs the pipeline. Returns the process exit code: 0 all went in, 3 some inputs were
   rejected or went to dead letters, 1 a fatal error (message printed). */
int run_main(const run_config_t *cfg);

/* Paths of the sibling binaries (crossclaim-broker, ...), next to the running one.
   Writes into `out` (size `cap`). Returns 0 or -1. */
int run_sibling(const char *name, char *out, size_t cap);

/* Starts `argv[0]` (a full path) as a child that dies with us. Returns its pid or -1. */
pid_t run_spawn(char *const argv[]);

/* Sends SIGTERM and waits up to `ms`; then SIGKILL. Returns the exit status. */
int run_stop(pid_t pid, unsigned ms);

#endif
