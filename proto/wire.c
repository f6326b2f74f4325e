/*  wire: frame layout and bounded protobuf pack/unpack shared by all processes.
    Every decoder here takes outside bytes and must not crash, whatever they are. */
#include "wire.h"
#include "util.h"

#include <errno.h>
#include <stdarg.h>
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
    for (size_t i = 0; i < nargs; i++)
        if (sizes[i + 2] > WIRE_MAX_MESSAGE)
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
        if (!util_is_job_id(out->arg[0], out->arg_len[0]) || out->arg_len[1] > 1024 ||
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

static bool s_span_ok(const Crossclaim__Span *s, uint32_t limit)
{
    return !s || (s->start <= s->end && s->end <= limit);
}

int wire_unpack_result(const uint8_t *data, size_t len, Crossclaim__Result **out)
{
    *out = NULL;
    if (len > WIRE_MAX_RESULT)
        return WIRE_ETOOBIG;
    Crossclaim__Result *r = crossclaim__result__unpack(NULL, len, data);
    if (!r)
        return WIRE_EPROTOBUF;
    bool ok = util_is_job_id(r->job_id, strlen(r->job_id)) && r->article;
    uint32_t lim = r->text_bytes;
    for (size_t i = 0; ok && i < r->n_attributions; i++) {
        Crossclaim__Attribution *t = r->attributions[i];
        ok = s_span_ok(t->speaker, lim) && s_span_ok(t->cue, lim) &&
             s_span_ok(t->content, lim) && s_span_ok(t->addressee, lim);
    }
    for (size_t i = 0; ok && i < r->n_quantities; i++)
        ok = s_span_ok(r->quantities[i]->span, lim);
    for (size_t i = 0; ok && i < r->n_entities; i++)
        for (size_t j = 0; ok && j < r->entities[i]->n_spans; j++)
            ok = s_span_ok(r->entities[i]->spans[j], lim);
    if (!ok) {
        crossclaim__result__free_unpacked(r, NULL);
        return WIRE_EPROTOBUF;
    }
    *out = r;
    return 0;
}
