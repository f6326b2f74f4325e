/*  Tests for proto/wire (frame decoding, bounded protobuf unpacking), proto/json and
    proto/util (job ids). */
#include <criterion/criterion.h>
#include <math.h>
#include <string.h>
#include "wire.h"
#include "json.h"
#include "util.h"

#define CHECK(expr) do { int rc_ = (expr); \
    cr_assert_eq(rc_, 0, "%s -> %s", #expr, wire_strerror(rc_)); } while (0)

static const char *ID = "0123456789abcdef0123456789abcdef";

static int decode(wire_msg_t *m, size_t n, ...)
{
    const uint8_t *f[16];
    size_t s[16];
    va_list ap;
    va_start(ap, n);
    for (size_t i = 0; i < n; i++) {
        f[i] = va_arg(ap, const uint8_t *);
        s[i] = strlen((const char *)f[i]);
    }
    va_end(ap);
    return wire_decode(f, s, n, m);
}

Test(wire, decodes_each_command_with_its_arguments)
{
    wire_msg_t m;
    CHECK(decode(&m, 4, "CC1", "SUBMIT", "tag1", "payload"));
    cr_assert_eq(m.cmd, WIRE_SUBMIT);
    cr_assert_eq(m.nargs, 2);
    cr_assert_eq(memcmp(m.arg[1], "payload", 7), 0);
    CHECK(decode(&m, 5, "CC1", "HELLO", "worker", "w1", "4"));
    cr_assert_eq(m.cmd, WIRE_HELLO);
    CHECK(decode(&m, 2, "CC1", "HB"));
    CHECK(decode(&m, 5, "CC1", "JOB", ID, "2", "pb"));
    CHECK(decode(&m, 5, "CC1", "COMMITTED", ID, ID, ID));
    cr_assert_eq(m.nargs, 3);
    CHECK(decode(&m, 5, "CC1", "FAIL", ID, "bad text", "1"));
}

Test(wire, rejects_malformed_messages_with_the_right_code)
{
    wire_msg_t m;
    cr_assert_eq(decode(&m, 1, "CC1"), WIRE_EFRAMES);
    cr_assert_eq(decode(&m, 2, "XX9", "HB"), WIRE_EPROTO);
    cr_assert_eq(decode(&m, 2, "CC1", "NOPE"), WIRE_ECOMMAND);
    cr_assert_eq(decode(&m, 3, "CC1", "SUBMIT", "tag"), WIRE_EFRAMES, "SUBMIT needs 2 args");
    cr_assert_eq(decode(&m, 3, "CC1", "HB", "x"), WIRE_EFRAMES);
    cr_assert_eq(decode(&m, 4, "CC1", "RESULT", "not-a-job-id", "pb"), WIRE_EARG);
    cr_assert_eq(decode(&m, 4, "CC1", "RESULT", "0123456789ABCDEF0123456789ABCDEF", "pb"), WIRE_EARG,
                 "upper-case hex is not a job id");
    cr_assert_eq(decode(&m, 5, "CC1", "HELLO", "martian", "w", "1"), WIRE_EARG);
    cr_assert_eq(decode(&m, 3, "CC1", "READY", "-1"), WIRE_EARG);
    cr_assert_eq(decode(&m, 3, "CC1", "READY", "99999999999999999999"), WIRE_EARG);
    cr_assert_eq(decode(&m, 5, "CC1", "FAIL", ID, "r", "2"), WIRE_EARG);
    char tag[WIRE_MAX_TAG + 2];
    memset(tag, 't', sizeof tag - 1);
    tag[sizeof tag - 1] = 0;
    cr_assert_eq(decode(&m, 4, "CC1", "SUBMIT", tag, "pb"), WIRE_EARG, "oversized tag");
    cr_assert_eq(decode(&m, 3, "CC1", "COMMITTED", "zz"), WIRE_EARG);
}

Test(wire, article_round_trip_and_limits)
{
    Crossclaim__Article a = CROSSCLAIM__ARTICLE__INIT;
    char id[UTIL_ID_HEX + 1];
    const char *text = "Title\nBody.";
    util_job_id("Title", 5, text, strlen(text), id);
    a.id = id;
    a.title = "Title";
    a.source = "s.txt";
    a.text.data = (uint8_t *)text;
    a.text.len = strlen(text);
    a.body_start = 6;
    size_t len;
    uint8_t *buf = wire_pack_article(&a, &len);
    Crossclaim__Article *b;
    CHECK(wire_unpack_article(buf, len, &b));
    cr_assert_str_eq(b->id, id);
    cr_assert_eq(b->body_start, 6);
    crossclaim__article__free_unpacked(b, NULL);
    free(buf);

    a.body_start = 999; /* past the end of the text */
    buf = wire_pack_article(&a, &len);
    cr_assert_eq(wire_unpack_article(buf, len, &b), WIRE_EPROTOBUF);
    cr_assert_null(b);
    free(buf);

    a.body_start = 0;
    a.id = "short";
    buf = wire_pack_article(&a, &len);
    cr_assert_eq(wire_unpack_article(buf, len, &b), WIRE_EPROTOBUF);
    free(buf);

    uint8_t garbage[] = {0xff, 0xff, 0xff, 0xff, 0x0f, 0x12};
    cr_assert_eq(wire_unpack_article(garbage, sizeof garbage, &b), WIRE_EPROTOBUF);
}

Test(wire, result_spans_must_lie_inside_the_text)
{
    Crossclaim__Article meta = CROSSCLAIM__ARTICLE__INIT;
    meta.id = (char *)ID;
    Crossclaim__Span sp = CROSSCLAIM__SPAN__INIT;
    sp.start = 3;
    sp.end = 8;
    sp.text = "hello";
    Crossclaim__Quantity q = CROSSCLAIM__QUANTITY__INIT;
    q.span = &sp;
    Crossclaim__Quantity *qs[] = {&q};
    Crossclaim__Result r = CROSSCLAIM__RESULT__INIT;
    r.job_id = (char *)ID;
    r.article = &meta;
    r.quantities = qs;
    r.n_quantities = 1;
    r.text_bytes = 10;
    size_t len;
    uint8_t *buf = wire_pack_result(&r, &len);
    Crossclaim__Result *out;
    CHECK(wire_unpack_result(buf, len, &out));
    crossclaim__result__free_unpacked(out, NULL);
    free(buf);
    r.text_bytes = 5;
    buf = wire_pack_result(&r, &len);
    cr_assert_eq(wire_unpack_result(buf, len, &out), WIRE_ERESULT, "span past the text");
    free(buf);
}

/* The crafted results of issue 10: NaN values, 5,000-byte keys and 100k entities from one
   article are refused by the one shared check, with a reason. */
Test(wire, crafted_results_are_refused_with_a_reason)
{
    Crossclaim__Article meta = CROSSCLAIM__ARTICLE__INIT;
    meta.id = (char *)ID;
    Crossclaim__Quantity q = CROSSCLAIM__QUANTITY__INIT;
    q.value = 7;
    q.low = q.high = 7;
    q.key = "|soldier|||killed||";
    Crossclaim__Quantity *qs[] = {&q};
    Crossclaim__Result r = CROSSCLAIM__RESULT__INIT;
    r.job_id = (char *)ID;
    r.article = &meta;
    r.quantities = qs;
    r.n_quantities = 1;
    r.text_bytes = 1000;
    char why[256];
    CHECK(wire_result_check(&r, why, sizeof why));

    q.value = NAN;
    cr_assert_eq(wire_result_check(&r, why, sizeof why), WIRE_ERESULT);
    cr_assert(strstr(why, "finite"), "%s", why);
    size_t len;
    uint8_t *buf = wire_pack_result(&r, &len);
    Crossclaim__Result *out = NULL;
    cr_assert_eq(wire_unpack_result_why(buf, len, &out, why, sizeof why), WIRE_ERESULT);
    cr_assert_null(out);
    cr_assert(strstr(why, "quantity 0"), "%s", why);
    free(buf);
    q.value = 7;
    q.high = INFINITY;
    cr_assert_eq(wire_result_check(&r, NULL, 0), WIRE_ERESULT, "an infinite bound");
    q.high = 7;

    char *longkey = malloc(5001);
    memset(longkey, 'k', 5000);
    longkey[5000] = 0;
    q.key = longkey;
    cr_assert_eq(wire_result_check(&r, why, sizeof why), WIRE_ERESULT);
    cr_assert(strstr(why, "key"), "%s", why);
    q.key = "k";
    Crossclaim__Entity e = CROSSCLAIM__ENTITY__INIT;
    e.key = longkey;
    Crossclaim__Entity *ep[] = {&e};
    r.entities = ep;
    r.n_entities = 1;
    cr_assert_eq(wire_result_check(&r, why, sizeof why), WIRE_ERESULT, "5,000-byte entity key");
    e.key = "per:x";
    CHECK(wire_result_check(&r, why, sizeof why));
    free(longkey);

    size_t n = 100000;
    Crossclaim__Entity *ents = calloc(n, sizeof *ents);
    Crossclaim__Entity **entp = calloc(n, sizeof *entp);
    for (size_t i = 0; i < n; i++) {
        crossclaim__entity__init(&ents[i]);
        ents[i].key = "per:x";
        entp[i] = &ents[i];
    }
    r.entities = entp;
    r.n_entities = n;
    r.text_bytes = WIRE_MAX_ARTICLE;
    CHECK(wire_result_check(&r, why, sizeof why));   /* 100k in 8 MiB is plausible */
    r.text_bytes = 5000;
    cr_assert_eq(wire_result_check(&r, why, sizeof why), WIRE_ERESULT,
                 "100k entities from a 5,000-byte article");
    cr_assert(strstr(why, "too many items for 5000 bytes"), "%s", why);
    r.n_entities = (size_t)WIRE_MAX_ITEMS + 1;
    r.text_bytes = WIRE_MAX_ARTICLE;
    cr_assert_eq(wire_result_check(&r, NULL, 0), WIRE_ERESULT, "over the absolute cap");
    free(ents);
    free(entp);
}

Test(wire, result_frames_have_their_own_limit_and_refused_decodes)
{
    static const char *const cmd = "RESULT";
    size_t big = WIRE_MAX_MESSAGE + 1;
    uint8_t *blob = calloc(1, WIRE_MAX_RESULT + 1);
    const uint8_t *frames[4] = {(const uint8_t *)"CC1", (const uint8_t *)cmd,
                                (const uint8_t *)ID, blob};
    size_t sizes[4] = {3, strlen(cmd), strlen(ID), big};
    wire_msg_t m;
    CHECK(wire_decode(frames, sizes, 4, &m));
    sizes[3] = WIRE_MAX_RESULT + 1;
    cr_assert_eq(wire_decode(frames, sizes, 4, &m), WIRE_ETOOBIG);
    /* Every other argument keeps the message limit. */
    frames[1] = (const uint8_t *)"SUBMIT";
    sizes[1] = 6;
    frames[2] = (const uint8_t *)"t";
    sizes[2] = 1;
    sizes[3] = big;
    cr_assert_eq(wire_decode(frames, sizes, 4, &m), WIRE_ETOOBIG);
    free(blob);

    const uint8_t *rf[5] = {(const uint8_t *)"CC1", (const uint8_t *)"REFUSED",
                            (const uint8_t *)ID, (const uint8_t *)"bad key", (const uint8_t *)"0"};
    size_t rs[5] = {3, 7, strlen(ID), 7, 1};
    CHECK(wire_decode(rf, rs, 5, &m));
    cr_assert_eq(m.cmd, WIRE_REFUSED);
    rf[4] = (const uint8_t *)"2";
    cr_assert_eq(wire_decode(rf, rs, 5, &m), WIRE_EARG, "permanent is 0 or 1");
    rf[4] = (const uint8_t *)"1";
    rf[2] = (const uint8_t *)"not-an-id";
    rs[2] = 9;
    cr_assert_eq(wire_decode(rf, rs, 5, &m), WIRE_EARG);
    cr_assert_str_eq(wire_cmd_name(WIRE_REFUSED), "REFUSED");
    cr_assert_eq(WIRE_BYE, 13, "existing command numbers never change");
}

Test(util, job_id_is_a_hash_of_title_and_text)
{
    char a[UTIL_ID_HEX + 1], b[UTIL_ID_HEX + 1], c[UTIL_ID_HEX + 1];
    util_job_id("T", 1, "body", 4, a);
    util_job_id("T", 1, "body", 4, b);
    util_job_id("T", 1, "bodY", 4, c);
    cr_assert_str_eq(a, b);
    cr_assert_str_neq(a, c);
    cr_assert(util_is_job_id(a, strlen(a)));
    /* The NUL separator keeps ("ab","c") and ("a","bc") apart. */
    util_job_id("ab", 2, "c", 1, a);
    util_job_id("a", 1, "bc", 2, b);
    cr_assert_str_neq(a, b);
}

Test(json, writes_valid_escaped_json)
{
    json_t *j = json_new();
    json_obj_begin(j);
    json_key(j, "s"); json_str(j, "a\"b\\c\n\x01\xc3\xa9");
    json_key(j, "bad"); json_strn(j, "x\xff", 2);
    json_key(j, "n"); json_num(j, 7);
    json_key(j, "f"); json_num(j, 2.5);
    json_key(j, "arr"); json_arr_begin(j); json_int(j, 1); json_null(j); json_bool(j, true); json_arr_end(j);
    json_key(j, "nil"); json_str(j, NULL);
    json_obj_end(j);
    cr_assert_str_eq(json_data(j), "{\"s\":\"a\\\"b\\\\c\\n\\u0001\xc3\xa9\",\"bad\":\"x\xef\xbf\xbd\","
                                   "\"n\":7,\"f\":2.5,\"arr\":[1,null,true],\"nil\":null}");
    json_destroy(&j);
    cr_assert_null(j);
}
