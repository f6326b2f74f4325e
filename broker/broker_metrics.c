/*  broker_metrics: renders the broker's counters as Prometheus text for the metrics
    server (metrics.c serves it over HTTP). Part of the broker (broker/broker.h); see
    broker_internal.h. */

#include "broker_internal.h"
#include "auth.h"

#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>

/* Histogram bounds for submit-to-commit latency, seconds. */
const double brk_buckets[BRK_NBUCKETS] = {0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5,
                                           1, 2.5, 5, 10, 30, 60, 120, 300};

static void s_mprintf(broker_t *self, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

static void s_mprintf(broker_t *self, const char *fmt, ...)
{
    for (;;) {
        va_list ap;
        va_start(ap, fmt);
        int n = vsnprintf(self->mbuf + self->mlen, self->mcap - self->mlen, fmt, ap);
        va_end(ap);
        if (n < 0)
            return;
        if ((size_t)n < self->mcap - self->mlen) {
            self->mlen += (size_t)n;
            return;
        }
        self->mcap = self->mcap * 2 + (size_t)n;
        self->mbuf = util_realloc(self->mbuf, self->mcap);
    }
}

static void s_metric(broker_t *self, const char *name, const char *type, const char *help,
                     uint64_t v)
{
    s_mprintf(self, "# HELP %s %s\n# TYPE %s %s\n%s %" PRIu64 "\n", name, help, name, type,
              name, v);
}

void brk_publish_metrics(broker_t *self)
{
    if (!self->metrics)
        return;
    queue_stats_t qs;
    queue_stats(self->queue, &qs);
    self->mlen = 0;
    s_metric(self, "crossclaim_queue_depth", "gauge", "Jobs queued, waiting for a worker.", qs.queued);
    s_metric(self, "crossclaim_inflight", "gauge", "Jobs with workers.", qs.inflight - self->awaiting);
    s_metric(self, "crossclaim_awaiting_commit", "gauge",
             "Jobs whose result went to the store, not yet committed.", self->awaiting);
    s_metric(self, "crossclaim_store_credit", "gauge",
             "Jobs the store can take at once (0: no store, or no bound): dispatch holds while "
             "this many are with workers or awaiting commit.", self->store_credit);
    s_metric(self, "crossclaim_jobs_out", "gauge",
             "Jobs out of the queue: with workers or awaiting commit.", zhashx_size(self->jobs));
    s_metric(self, "crossclaim_workers", "gauge", "Connected workers.", self->nworkers);
    s_metric(self, "crossclaim_worker_credit", "gauge", "Jobs the workers can take now.", self->credit_total);
    s_metric(self, "crossclaim_store_connected", "gauge", "1 when a store is connected.", self->store_id != NULL);
    s_metric(self, "crossclaim_paused", "gauge", "1 when dispatch is paused.", self->paused);
    s_metric(self, "crossclaim_dead_letters", "gauge", "Jobs in the dead-letter set.", qs.dead);
    s_metric(self, "crossclaim_submitted_total", "counter", "New jobs accepted.", self->submitted);
    s_metric(self, "crossclaim_duplicates_total", "counter",
             "Submissions of jobs already queued, in flight, dead or done.", self->duplicates);
    s_metric(self, "crossclaim_completed_total", "counter", "Jobs committed by the store.", self->completed);
    s_metric(self, "crossclaim_redelivered_total", "counter",
             "Jobs taken back from a worker or the store and queued again.", self->redelivered);
    s_metric(self, "crossclaim_dead_total", "counter", "Jobs moved to the dead-letter set.", self->dead_total);
    s_metric(self, "crossclaim_late_results_total", "counter",
             "Results or failures for jobs no longer assigned, dropped.", self->late_results);
    s_metric(self, "crossclaim_store_refused_total", "counter",
             "Results the store REFUSED, counted as failed attempts.", self->store_refused);
    s_metric(self, "crossclaim_worker_rehello_total", "counter",
             "Repeated HELLOs from a connected worker (its jobs requeued, no attempt counted).",
             self->rehello);
    s_metric(self, "crossclaim_queue_corrupt_records_total", "counter",
             "Corrupt queue records quarantined (skipped once, dead-lettered when possible).",
             self->corrupt);
    s_metric(self, "crossclaim_storage_full_total", "counter",
             "SUBMIT batches refused because the queue's map or disk is full.", self->storage_full);
    s_metric(self, "crossclaim_windows1252_total", "counter",
             "Results of articles that were not valid UTF-8, decoded as Windows-1252.",
             self->windows1252);
    s_metric(self, "crossclaim_auth_accepted_total", "counter",
             "CURVE handshakes whose client key is in the allow dir.", auth_accepted(self->cfg.auth));
    s_metric(self, "crossclaim_auth_denied_total", "counter",
             "CURVE handshakes refused: client key not in the allow dir.", auth_denied(self->cfg.auth));
    s_metric(self, "crossclaim_auth_plain_refused_total", "counter",
             "Handshakes refused on a CURVE endpoint: the client ran plain tcp, without CURVE.",
             auth_plain_refused(self->cfg.auth));
    s_metric(self, "crossclaim_broker_connections_refused_total", "counter",
             "Connections closed as accepted: the open-file limit was nearly reached.",
             conns_refused());
    long open = conns_open();
    if (open >= 0)
        s_metric(self, "crossclaim_broker_connections_open", "gauge",
                 "Connected sockets the broker holds (clients of every endpoint, scrapes).",
                 (uint64_t)open);
    s_mprintf(self, "# HELP crossclaim_rejected_total Messages rejected, by reason.\n"
                    "# TYPE crossclaim_rejected_total counter\n");
    for (int r = 0; r < R_COUNT; r++)
        s_mprintf(self, "crossclaim_rejected_total{reason=\"%s\"} %" PRIu64 "\n",
                  brk_reason_names[r], self->rejected[r]);
    s_mprintf(self, "# HELP crossclaim_submit_to_commit_seconds Time from submit to store commit.\n"
                    "# TYPE crossclaim_submit_to_commit_seconds histogram\n");
    uint64_t cum = 0;
    for (size_t b = 0; b < BRK_NBUCKETS; b++) {
        cum += self->lat_buckets[b];
        s_mprintf(self, "crossclaim_submit_to_commit_seconds_bucket{le=\"%g\"} %" PRIu64 "\n",
                  brk_buckets[b], cum);
    }
    s_mprintf(self, "crossclaim_submit_to_commit_seconds_bucket{le=\"+Inf\"} %" PRIu64 "\n"
                    "crossclaim_submit_to_commit_seconds_sum %.6f\n"
                    "crossclaim_submit_to_commit_seconds_count %" PRIu64 "\n",
              self->lat_count, self->lat_sum, self->lat_count);
    metrics_ready(self->metrics, self->queue != NULL, "queue not open");
    metrics_publish(self->metrics, self->mbuf, self->mlen);
}
