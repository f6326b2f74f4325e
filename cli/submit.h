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
    uint64_t unreadable;     /* of those, inputs that are not articles (file:line said why) */
    uint64_t refused;        /* of those, articles the broker refused (NACK) */
    bool failed;             /* the broker went silent for give_up_ms */
    bool interrupted;        /* ^C */
} submit_result_t;

/* Submits everything under `paths` and waits until each article is answered. Returns 0
   when all were answered (some may be bad: see out->bad), -1 when the broker went silent
   or the user interrupted (see out->failed, out->interrupted). */
/* Writes " (U unreadable inputs, R refused by the broker)" for a summary line when any
   were rejected, else nothing. This function can't fail. */
void submit_rejected_detail(const submit_result_t *r, char *out, size_t cap);

int submit_paths(client_t *client, const char *const *paths, int n, unsigned give_up_ms,
                 submit_result_t *out);

#endif
