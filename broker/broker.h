/*  broker: crossclaim's job broker. Owns job state: takes SUBMITs from producers on the
    front end, acknowledges them once durable in the queue (group commit), hands jobs to
    workers by credit on the back end, forwards their RESULTs to the store, and removes a
    job only when the store reports it COMMITTED. Heartbeats both ways; jobs of silent
    workers and jobs past their deadline are redelivered; repeated failures go to the
    dead-letter set. Answers ADMIN requests and publishes Prometheus metrics.

    Single-threaded: broker_run is the event loop; only the metrics HTTP thread runs
    beside it, and it sees nothing but a published text snapshot. */
#ifndef CC_BROKER_H
#define CC_BROKER_H

#include <stdint.h>
#include <stdbool.h>
#include <signal.h>

typedef struct broker_t broker_t;

typedef struct {
    const char *data_dir;      /* the queue lives in data_dir/broker */
    const char *frontend;      /* endpoint to bind for producers and admin clients */
    const char *backend;       /* endpoint to bind for workers and the store */
    unsigned heartbeat_ms;     /* heartbeat interval, both ways */
    unsigned liveness;         /* heartbeats missed before a peer is dropped */
    unsigned deadline_s;       /* a job's deadline with a worker, and awaiting commit */
    unsigned max_attempts;     /* failed attempts before a job is dead */
    unsigned metrics_port;     /* 0 = no HTTP metrics */
    const char *metrics_addr;  /* address for the metrics server */
    struct auth_t *auth;       /* CURVE for tcp endpoints (auth.h), borrowed; NULL: ipc only */
    unsigned map_mib;          /* queue's initial LMDB map, MiB (0: 1024) */
    unsigned map_max_mib;      /* the map never grows past this, MiB (0: 1 TiB) */
    bool resume;               /* lift a pause kept from before the start */
} broker_config_t;

/* Opens the queue, binds both sockets through cfg->auth (CURVE on tcp, ipc files 0600)
   and starts the metrics server. Returns 0 and *out, or a negative error; on error `err`
   (size `errlen`) says what failed, for the user. */
int broker_new(const broker_config_t *cfg, broker_t **out, char *err, size_t errlen);

/* Stops, closes the sockets and the queue; nothing on NULL; sets *self_p = NULL. */
void broker_destroy(broker_t **self_p);

/* Runs the event loop until *stop becomes non-zero (set it from a signal handler).
   Returns 0 on a clean stop, or a negative error if the queue failed fatally. */
int broker_run(broker_t *self, volatile sig_atomic_t *stop);


#endif
