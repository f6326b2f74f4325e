/*  submit: reads every input path and submits its articles through a client, with a
    progress line on a terminal and one clear message per bad input or refused article.
    Shared by `crossclaim submit` and `crossclaim run`. */
#ifndef CC_SUBMIT_H
#define CC_SUBMIT_H

#include <stdbool.h>
#include <stdint.h>
#include "client.h"

typedef struct {
    client_stats_t client;   /* sent, queued, duplicate, resent, pending */
    uint64_t bad;            /* bad inputs plus articles the broker refused */
    bool failed;             /* the broker went silent for give_up_ms */
    bool interrupted;        /* ^C */
} submit_result_t;

/* Submits everything under `paths` and waits until each article is answered. Returns 0
   when all were answered (some may be bad: see out->bad), -1 when the broker went silent
   or the user interrupted (see out->failed, out->interrupted). */
int submit_paths(client_t *client, const char *const *paths, int n, unsigned give_up_ms,
                 submit_result_t *out);

#endif
