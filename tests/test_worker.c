/*  Tests for worker_build_result: the extractor's result becomes a Result protobuf that
    survives the same bounded unpacking the broker and store apply, with every span inside
    the document and pointing at the bytes it names. */
#include <criterion/criterion.h>
#include <string.h>
#include "worker.h"
#include "wire.h"
#include "util.h"

static Crossclaim__Article s_article(const char *title, const char *text, size_t body_start,
                                     char id[UTIL_ID_HEX + 1])
{
    Crossclaim__Article a = CROSSCLAIM__ARTICLE__INIT;
    util_job_id(title, strlen(title), text, strlen(text), id);
    a.id = id;
    a.title = (char *)title;
    a.source = "test.txt";
    a.outlet = "test";
    a.published = "2023-05-10";
    a.text.data = (uint8_t *)text;
    a.text.len = strlen(text);
    a.body_start = (uint32_t)body_start;
    return a;
}

static void s_check_span(const Crossclaim__Span *sp, const char *text, size_t len)
{
    if (!sp)
        return;
    cr_assert_leq(sp->start, sp->end);
    cr_assert_leq(sp->end, len);
}

Test(worker, result_packs_unpacks_and_spans_point_into_the_document)
{
    const char *text = "Bridge closed after crash\n"
                       "Police closed the Harlow Bridge on Monday after a crash injured 6 people, "
                       "a police spokeswoman said.\n\n"
                       "\"We expect the bridge to reopen tomorrow,\" said Anna Verhoeven, the city's "
                       "transport director.\n";
    char id[UTIL_ID_HEX + 1];
    Crossclaim__Article a = s_article("Bridge closed after crash", text,
                                      strlen("Bridge closed after crash\n"), id);
    extract_t *ex = extract_new();
    cr_assert_not_null(ex);
    Crossclaim__Result r;
    const char *reason = NULL;
    cr_assert_eq(worker_build_result(ex, &a, &r, &reason), 0, "%s", reason ? reason : "");
    cr_assert_str_eq(r.job_id, id);
    cr_assert_eq(r.text_bytes, strlen(text));
    cr_assert_eq(r.article->text.len, 0, "the text is not sent back");
    cr_assert_gt(r.n_attributions, 0, "an attribution was found");
    cr_assert_gt(r.n_quantities, 0, "a quantity was found");

    size_t len;
    uint8_t *buf = wire_pack_result(&r, &len);
    Crossclaim__Result *back;
    cr_assert_eq(wire_unpack_result(buf, len, &back), 0);
    cr_assert_eq(back->n_attributions, r.n_attributions);
    for (size_t i = 0; i < back->n_attributions; i++) {
        Crossclaim__Attribution *t = back->attributions[i];
        s_check_span(t->speaker, text, strlen(text));
        s_check_span(t->cue, text, strlen(text));
        s_check_span(t->content, text, strlen(text));
        cr_assert_not_null(t->cue, "every attribution has a cue");
        /* The cue's text is the document's bytes at its offsets. */
        cr_assert_eq(strncmp(text + t->cue->start, t->cue->text, t->cue->end - t->cue->start), 0,
                     "cue '%s' is not at [%u,%u)", t->cue->text, t->cue->start, t->cue->end);
    }
    for (size_t i = 0; i < back->n_quantities; i++) {
        Crossclaim__Quantity *q = back->quantities[i];
        cr_assert_not_null(q->span);
        cr_assert_eq(strncmp(text + q->span->start, q->span->text, q->span->end - q->span->start), 0);
        cr_assert_neq(q->key[0], 0, "every quantity has a claim key");
    }
    crossclaim__result__free_unpacked(back, NULL);
    free(buf);
    worker_result_clear(&r);
    extract_destroy(&ex);
    cr_assert_null(ex);
}

Test(worker, empty_body_is_an_error_with_a_reason)
{
    const char *text = "Only a title\n   \n";
    char id[UTIL_ID_HEX + 1];
    Crossclaim__Article a = s_article("Only a title", text, strlen("Only a title\n"), id);
    extract_t *ex = extract_new();
    Crossclaim__Result r;
    const char *reason = NULL;
    cr_assert_lt(worker_build_result(ex, &a, &r, &reason), 0);
    cr_assert_not_null(reason);
    extract_destroy(&ex);
}
