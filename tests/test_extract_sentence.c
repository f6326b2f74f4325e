/*  Tests for extract_sentence: boundaries that survive abbreviations, initials and
    quotes; paragraphs; quotation regions across paragraphs (seen through attributions). */
#include <criterion/criterion.h>
#include <string.h>

#include "extract.h"
#include "extract_sentence.h"

#define CHECK_RC(expr) do { int rc_ = (expr); \
    cr_assert(rc_ == 0, "%s: %d (%s)", #expr, rc_, extract_strerror(rc_)); } while (0)

static extract_t *ex;
static void setup(void) { ex = extract_new(); }
static void teardown(void) { extract_destroy(&ex); }
TestSuite(extract_sentence, .init = setup, .fini = teardown);

/* Splits a body (no title) and returns the count; *s gets the spans. */
static size_t s_split(const char *body, const extract_span_t **s)
{
    extract_doc_t d = {(const uint8_t *)body, strlen(body), 0, "", NULL};
    size_t n = 0;
    CHECK_RC(extract_sentences(ex, &d, s, &n));
    return n;
}

Test(extract_sentence, abbreviations_and_initials)
{
    const extract_span_t *s;
    size_t n = s_split("Gen. Smith met Dr. Jones on Feb. 3 in the U.S. capital. "
                       "J. R. Hartley wrote it. The talks ended.", &s);
    cr_assert_eq(n, 3, "got %zu", n);
    cr_assert_str_eq(s[0].text, "Gen. Smith met Dr. Jones on Feb. 3 in the U.S. capital.");
    cr_assert_str_eq(s[1].text, "J. R. Hartley wrote it.");
}

Test(extract_sentence, abbreviation_can_still_end_a_sentence)
{
    const extract_span_t *s;
    size_t n = s_split("The firm moved to the U.S. The move cost jobs. It was Feb. Then it rained.", &s);
    cr_assert_eq(n, 4, "got %zu", n);
    cr_assert_str_eq(s[1].text, "The move cost jobs.");
}

Test(extract_sentence, quotes_and_paragraphs)
{
    const extract_span_t *s;
    size_t n = s_split("\xe2\x80\x9cWe will win.\xe2\x80\x9d" " The crowd cheered!\n"
                       "Was it over? Nobody knew\nA new paragraph", &s);
    cr_assert_eq(n, 5, "got %zu", n);
    cr_assert_str_eq(s[0].text, "\xe2\x80\x9cWe will win.\xe2\x80\x9d");
    cr_assert_str_eq(s[3].text, "Nobody knew");
    cr_assert_str_eq(s[4].text, "A new paragraph");
    /* offsets point at the text */
    cr_assert_eq(s[1].start, strlen("\xe2\x80\x9cWe will win.\xe2\x80\x9d" " "));
}

Test(extract_sentence, abbrev_table)
{
    cr_assert(extract_sentence_is_abbrev("mr", "smith"));
    cr_assert(extract_sentence_is_abbrev("feb", "3"));
    cr_assert_not(extract_sentence_is_abbrev("feb", "then"));
    cr_assert_not(extract_sentence_is_abbrev("inc", "the"));
    cr_assert_not(extract_sentence_is_abbrev("dog", "the"));
}

Test(extract_sentence, quote_runs_across_paragraphs)
{
    /* A quote left open at a paragraph end and reopened on the next paragraph is one
       quotation: its content ends at the final closing mark. */
    const char *text = "Harbour plans\n"
                       "\xe2\x80\x9cThe harbour will be rebuilt. It will take years.\n"
                       "\xe2\x80\x9c" "But we will do it,\xe2\x80\x9d the mayor said.\n";
    extract_doc_t d = {(const uint8_t *)text, strlen(text), 14, "", NULL};
    extract_result_t r;
    CHECK_RC(extract_run(ex, &d, &r));
    cr_assert_eq(r.n_attrs, 1);
    cr_assert(r.attrs[0].direct);
    cr_assert_eq(r.attrs[0].content.start, 14);
    const char *close = strstr(text, "it,\xe2\x80\x9d");
    cr_assert_eq(r.attrs[0].content.end, (uint32_t)(close - text) + 6);
}

Test(extract_sentence, glued_opening_mark_closes)
{
    /* A typo'd closing mark that has the shape of an opening one still closes the quote
       when it is glued to the word before it and not to the word after it. */
    const char *text = "\xe2\x80\x9cThe ferry will run again next week,\xe2\x80\x9c"
                       " said Omar Diaz, who runs the port.\n";
    extract_doc_t d = {(const uint8_t *)text, strlen(text), 0, "", NULL};
    extract_result_t r;
    CHECK_RC(extract_run(ex, &d, &r));
    cr_assert_eq(r.n_attrs, 1);
    cr_assert(r.attrs[0].direct);
    cr_assert_str_eq(r.attrs[0].speaker.text, "Omar Diaz");
    cr_assert_eq(r.attrs[0].content.start, 0);
}
