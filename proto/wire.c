/*  wire: frame layout and bounded protobuf pack/unpack shared by all processes.
    Every decoder here takes outside bytes and must not crash, whatever they are. */
#include "wire.h"
#include "util.h"

#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

/* Argument count bounds per command. */
static const struct {
    const char *name;
    size_t min, max;
} s_cmds[WIRE_CMD_COUNT] = {
    [WIRE_SUBMIT] = {"SUBMIT", 2, 2},
    [WIRE_ACK] = {"ACK", 3, 3},
    [WIRE_NACK] = {"NACK", 2, 2},
    [WIRE_ADMIN] = {"ADMIN", 2, 3},
    [WIRE_ADMINR] = {"ADMINR", 3, 3},
    [WIRE_HELLO] = {"HELLO", 3, 3},
    [WIRE_READY] = {"READY", 1, 1},
    [WIRE_HB] = {"HB", 0, 0},
    [WIRE_JOB] = {"JOB", 3, 3},
    [WIRE_RESULT] = {"RESULT", 2, 2},
    [WIRE_FAIL] = {"FAIL", 3, 3},
    [WIRE_COMMITTED] = {"COMMITTED", 1, WIRE_MAX_ARGS - 1},
    [WIRE_BYE] = {"BYE", 0, 0},
    [WIRE_REFUSED] = {"REFUSED", 3, 3},
};

const char *wire_cmd_name(wire_cmd_t cmd)
{
    if (cmd <= 0 || cmd >= WIRE_CMD_COUNT)
        return "?";
    return s_cmds[cmd].name;
}

const char *wire_strerror(int rc)
{
    switch (rc) {
    case 0: return "ok";
    case WIRE_EFRAMES: return "wrong number of frames for the command";
    case WIRE_EPROTO: return "not a crossclaim message (frame 0 is not CC1)";
    case WIRE_ECOMMAND: return "unknown command";
    case WIRE_EARG: return "malformed argument";
    case WIRE_ETOOBIG: return "message over the size limit";
    case WIRE_EPROTOBUF: return "protobuf failed to unpack or is incomplete";
    case WIRE_ERESULT: return "result content out of bounds";
    default: return rc < 0 ? strerror(-rc) : "unknown error";
    }
}

int wire_arg_u64(const uint8_t *s, size_t len, uint64_t *out)
{
    if (len == 0 || len > 18)
        return WIRE_EARG;
    uint64_t v = 0;
    for (size_t i = 0; i < len; i++) {
        if (s[i] < '0' || s[i] > '9')
            return WIRE_EARG;
        v = v * 10 + (uint64_t)(s[i] - '0');
    }
    *out = v;
    return 0;
}

static bool s_eq(const uint8_t *p, size_t n, const char *s)
{
    size_t m = strlen(s);
    return n == m && memcmp(p, s, m) == 0;
}

int wire_decode(const uint8_t *const *frames, const size_t *sizes, size_t nframes,
                wire_msg_t *out)
{
    if (nframes < 2)
        return WIRE_EFRAMES;
    if (!s_eq(frames[0], sizes[0], WIRE_PROTO))
        return WIRE_EPROTO;
    wire_cmd_t cmd = 0;
    for (int c = 1; c < WIRE_CMD_COUNT; c++)
        if (s_eq(frames[1], sizes[1], s_cmds[c].name)) {
            cmd = c;
            break;
        }
    if (!cmd)
        return WIRE_ECOMMAND;
    size_t nargs = nframes - 2;
    if (nargs < s_cmds[cmd].min || nargs > s_cmds[cmd].max)
        return WIRE_EFRAMES;
    /* A result may be bigger than the article it came from (spans, keys, mentions): its
       frame has a limit of its own. */
    for (size_t i = 0; i < nargs; i++)
        if (sizes[i + 2] > (cmd == WIRE_RESULT && i == 1 ? WIRE_MAX_RESULT : WIRE_MAX_MESSAGE))
            return WIRE_ETOOBIG;
    out->cmd = cmd;
    out->nargs = nargs;
    for (size_t i = 0; i < nargs; i++) {
        out->arg[i] = frames[i + 2];
        out->arg_len[i] = sizes[i + 2];
    }
    uint64_t n;
    switch (cmd) {
    case WIRE_SUBMIT:
    case WIRE_NACK:
    case WIRE_ADMIN:
    case WIRE_ADMINR:
        if (out->arg_len[0] > WIRE_MAX_TAG)
            return WIRE_EARG;
        break;
    case WIRE_ACK:
        if (out->arg_len[0] > WIRE_MAX_TAG || !util_is_job_id(out->arg[1], out->arg_len[1]))
            return WIRE_EARG;
        break;
    case WIRE_HELLO:
        if (!s_eq(out->arg[0], out->arg_len[0], "worker") &&
            !s_eq(out->arg[0], out->arg_len[0], "store"))
            return WIRE_EARG;
        if (out->arg_len[1] > 256 || wire_arg_u64(out->arg[2], out->arg_len[2], &n) != 0 ||
            n > 1000000)
            return WIRE_EARG;
        break;
    case WIRE_READY:
        if (wire_arg_u64(out->arg[0], out->arg_len[0], &n) != 0 || n > 1000000)
            return WIRE_EARG;
        break;
    case WIRE_JOB:
        if (!util_is_job_id(out->arg[0], out->arg_len[0]) ||
            wire_arg_u64(out->arg[1], out->arg_len[1], &n) != 0)
            return WIRE_EARG;
        break;
    case WIRE_RESULT:
        if (!util_is_job_id(out->arg[0], out->arg_len[0]))
            return WIRE_EARG;
        break;
    case WIRE_FAIL:
    case WIRE_REFUSED:
        if (!util_is_job_id(out->arg[0], out->arg_len[0]) || out->arg_len[1] > WIRE_MAX_WHY ||
            !(s_eq(out->arg[2], out->arg_len[2], "0") || s_eq(out->arg[2], out->arg_len[2], "1")))
            return WIRE_EARG;
        break;
    case WIRE_COMMITTED:
        for (size_t i = 0; i < nargs; i++)
            if (!util_is_job_id(out->arg[i], out->arg_len[i]))
                return WIRE_EARG;
        break;
    default:
        break;
    }
    return 0;
}

int wire_decode_msg(zmsg_t *msg, bool routed, zframe_t **identity, wire_msg_t *out)
{
    const uint8_t *frames[WIRE_MAX_ARGS + 2];
    size_t sizes[WIRE_MAX_ARGS + 2];
    size_t n = 0;
    zframe_t *f = zmsg_first(msg);
    if (routed) {
        if (!f)
            return WIRE_EFRAMES;
        if (identity)
            *identity = f;
        f = zmsg_next(msg);
    }
    for (; f; f = zmsg_next(msg)) {
        if (n == WIRE_MAX_ARGS + 2)
            return WIRE_EFRAMES;
        frames[n] = zframe_data(f);
        sizes[n] = zframe_size(f);
        n++;
    }
    return wire_decode(frames, sizes, n, out);
}

int wire_send(zsock_t *sock, zframe_t *identity, wire_cmd_t cmd, size_t nargs,
              const void *const *args, const size_t *lens)
{
    assert(cmd > 0 && cmd < WIRE_CMD_COUNT);
    zmsg_t *msg = zmsg_new();
    if (identity)
        zmsg_append(msg, &(zframe_t *){zframe_dup(identity)});
    zmsg_addmem(msg, WIRE_PROTO, strlen(WIRE_PROTO));
    zmsg_addstr(msg, s_cmds[cmd].name);
    for (size_t i = 0; i < nargs; i++)
        zmsg_addmem(msg, args[i], lens[i]);
    int rc = zmsg_send(&msg, sock);
    if (rc != 0)
        zmsg_destroy(&msg);
    return rc;
}

int wire_sendv(zsock_t *sock, zframe_t *identity, wire_cmd_t cmd, ...)
{
    const void *args[WIRE_MAX_ARGS];
    size_t lens[WIRE_MAX_ARGS];
    size_t n = 0;
    va_list ap;
    va_start(ap, cmd);
    const char *s;
    while ((s = va_arg(ap, const char *)) != NULL) {
        assert(n < WIRE_MAX_ARGS);
        args[n] = s;
        lens[n] = strlen(s);
        n++;
    }
    va_end(ap);
    return wire_send(sock, identity, cmd, n, args, lens);
}

uint8_t *wire_pack_article(const Crossclaim__Article *a, size_t *len)
{
    *len = crossclaim__article__get_packed_size(a);
    uint8_t *buf = util_malloc(*len);
    crossclaim__article__pack(a, buf);
    return buf;
}

uint8_t *wire_pack_result(const Crossclaim__Result *r, size_t *len)
{
    *len = crossclaim__result__get_packed_size(r);
    uint8_t *buf = util_malloc(*len);
    crossclaim__result__pack(r, buf);
    return buf;
}

int wire_unpack_article(const uint8_t *data, size_t len, Crossclaim__Article **out)
{
    *out = NULL;
    if (len > WIRE_MAX_MESSAGE)
        return WIRE_ETOOBIG;
    Crossclaim__Article *a = crossclaim__article__unpack(NULL, len, data);
    if (!a)
        return WIRE_EPROTOBUF;
    int rc = 0;
    if (a->text.len > WIRE_MAX_ARTICLE)
        rc = WIRE_ETOOBIG;
    else if (!util_is_job_id(a->id, strlen(a->id)) || a->body_start > a->text.len)
        rc = WIRE_EPROTOBUF;
    if (rc) {
        crossclaim__article__free_unpacked(a, NULL);
        return rc;
    }
    *out = a;
    return 0;
}

/* Writes "what" (printf) into why; returns WIRE_ERESULT. */
static int s_why(char *why, size_t cap, const char *fmt, ...) __attribute__((format(printf, 3, 4)));

static int s_why(char *why, size_t cap, const char *fmt, ...)
{
    if (why && cap) {
        va_list ap;
        va_start(ap, fmt);
        vsnprintf(why, cap, fmt, ap);
        va_end(ap);
    }
    return WIRE_ERESULT;
}

/* A span: ordered, within the text, and its text not much longer than its bytes
   (Windows-1252 decodes one byte into at most 3 of UTF-8; slack for normalization). */
static bool s_span_ok(const Crossclaim__Span *s, uint32_t limit)
{
    if (!s)
        return true;
    if (s->start > s->end || s->end > limit)
        return false;
    return !s->text || strnlen(s->text, WIRE_MAX_RESULT) <= 4 * (size_t)(s->end - s->start) + 64;
}

static bool s_str_ok(const char *s, size_t max)
{
    return !s || strnlen(s, max + 1) <= max;
}

int wire_result_check(const Crossclaim__Result *r, char *why, size_t cap)
{
    if (!r)
        return s_why(why, cap, "no result");
    uint32_t lim = r->text_bytes;
    if (lim > WIRE_MAX_ARTICLE)
        return s_why(why, cap, "text_bytes %u over the article limit", lim);
    if (r->n_entities > WIRE_MAX_ITEMS || r->n_attributions > WIRE_MAX_ITEMS ||
        r->n_quantities > WIRE_MAX_ITEMS || r->n_terms > WIRE_MAX_ITEMS ||
        r->n_warnings > WIRE_MAX_ITEMS || r->n_wire > WIRE_MAX_ITEMS)
        return s_why(why, cap, "too many items (%zu entities, %zu attributions, %zu "
                     "quantities, %zu terms; at most %u each)", r->n_entities,
                     r->n_attributions, r->n_quantities, r->n_terms, WIRE_MAX_ITEMS);
    /* Density: what each item needs of the text at the least. text_bytes itself is
       checked by the broker against the article it sent. */
    if (r->n_entities > WIRE_PER_ENTITY_MAX(lim) || r->n_attributions > WIRE_PER_ATTR_MAX(lim) ||
        r->n_quantities > WIRE_PER_QUANTITY_MAX(lim))
        return s_why(why, cap, "too many items for %u bytes of text (%zu entities, %zu "
                     "attributions, %zu quantities)", lim, r->n_entities, r->n_attributions,
                     r->n_quantities);
    if (!isfinite(r->extract_seconds) || r->extract_seconds < 0)
        return s_why(why, cap, "extract_seconds not a finite positive number");
    if (!s_str_ok(r->encoding, 64) || !s_str_ok(r->worker, WIRE_MAX_STRING))
        return s_why(why, cap, "encoding or worker name too long");
    size_t nspans = 0;
    for (size_t i = 0; i < r->n_entities; i++) {
        const Crossclaim__Entity *e = r->entities[i];
        if (!s_str_ok(e->key, WIRE_MAX_KEY))
            return s_why(why, cap, "entity %zu: key over %u bytes", i, WIRE_MAX_KEY);
        if (!s_str_ok(e->name, WIRE_MAX_STRING) || !s_str_ok(e->kind, 64))
            return s_why(why, cap, "entity %zu: name or kind too long", i);
        if (e->n_aliases > WIRE_MAX_ITEMS)
            return s_why(why, cap, "entity %zu: %zu aliases", i, e->n_aliases);
        for (size_t a = 0; a < e->n_aliases; a++)
            if (!s_str_ok(e->aliases[a], WIRE_MAX_STRING))
                return s_why(why, cap, "entity %zu: alias %zu too long", i, a);
        nspans += e->n_spans;
        if (nspans > WIRE_MAX_SPANS || nspans > (size_t)lim + 16)
            return s_why(why, cap, "more entity mention spans than %u or than bytes of text",
                         WIRE_MAX_SPANS);
        for (size_t j = 0; j < e->n_spans; j++)
            if (!s_span_ok(e->spans[j], lim))
                return s_why(why, cap, "entity %zu: span %zu outside the text", i, j);
    }
    for (size_t i = 0; i < r->n_attributions; i++) {
        const Crossclaim__Attribution *t = r->attributions[i];
        if (!s_span_ok(t->speaker, lim) || !s_span_ok(t->cue, lim) ||
            !s_span_ok(t->content, lim) || !s_span_ok(t->addressee, lim))
            return s_why(why, cap, "attribution %zu: span outside the text", i);
        if (!s_str_ok(t->speaker_entity, WIRE_MAX_KEY))
            return s_why(why, cap, "attribution %zu: speaker key over %u bytes", i, WIRE_MAX_KEY);
    }
    for (size_t i = 0; i < r->n_quantities; i++) {
        const Crossclaim__Quantity *q = r->quantities[i];
        if (!isfinite(q->value) || !isfinite(q->low) || !isfinite(q->high))
            return s_why(why, cap, "quantity %zu: value or bound not a finite number", i);
        if (!s_span_ok(q->span, lim) || !s_span_ok(q->sentence, lim))
            return s_why(why, cap, "quantity %zu: span outside the text", i);
        if (!s_str_ok(q->key, WIRE_MAX_KEY) || !s_str_ok(q->whose, WIRE_MAX_KEY))
            return s_why(why, cap, "quantity %zu: key over %u bytes", i, WIRE_MAX_KEY);
        const char *f[] = {q->subject, q->predicate, q->place, q->time, q->unit, q->what,
                           q->scope};
        for (size_t k = 0; k < sizeof f / sizeof f[0]; k++)
            if (!s_str_ok(f[k], WIRE_MAX_STRING))
                return s_why(why, cap, "quantity %zu: a field over %u bytes", i, WIRE_MAX_STRING);
    }
    for (size_t i = 0; i < r->n_terms; i++)
        if (!s_str_ok(r->terms[i]->term, WIRE_MAX_KEY) || !isfinite(r->terms[i]->weight))
            return s_why(why, cap, "story term %zu: too long or weight not finite", i);
    for (size_t i = 0; i < r->n_warnings; i++)
        if (!s_str_ok(r->warnings[i], WIRE_MAX_STRING))
            return s_why(why, cap, "warning %zu too long", i);
    for (size_t i = 0; i < r->n_wire; i++)
        if (!s_str_ok(r->wire[i], 64))
            return s_why(why, cap, "wire credit %zu too long", i);
    if (why && cap)
        why[0] = 0;
    return 0;
}

int wire_unpack_result_why(const uint8_t *data, size_t len, Crossclaim__Result **out,
                           char *why, size_t cap)
{
    *out = NULL;
    if (why && cap)
        why[0] = 0;
    if (len > WIRE_MAX_RESULT)
        return WIRE_ETOOBIG;
    Crossclaim__Result *r = crossclaim__result__unpack(NULL, len, data);
    if (!r) {
        s_why(why, cap, "result protobuf failed to unpack");
        return WIRE_EPROTOBUF;
    }
    int rc = 0;
    if (!util_is_job_id(r->job_id, strlen(r->job_id)) || !r->article)
        rc = WIRE_EPROTOBUF, s_why(why, cap, "result without a job id or an article");
    else
        rc = wire_result_check(r, why, cap);
    if (rc) {
        crossclaim__result__free_unpacked(r, NULL);
        return rc;
    }
    *out = r;
    return 0;
}

int wire_unpack_result(const uint8_t *data, size_t len, Crossclaim__Result **out)
{
    return wire_unpack_result_why(data, len, out, NULL, 0);
}
