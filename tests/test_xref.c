/*  test_xref: the verdict on one fact's claims (store/xref.h), a table of cases: what is
    a conflict, a corroboration or neither; one source per outlet, per wire service and per
    copied sentence; intervals; weak frames; figures that evolved over time. */
#include <criterion/criterion.h>
#include <criterion/parameterized.h>
#include <stdlib.h>
#include <string.h>

#include "frame.h"
#include "xref.h"

#define MAXC 6

typedef struct {
    const char *source, *date;
    double v;
    frame_bound_t bound;
    int copy;            /* claims with the same non-zero number have one long sentence */
} s_in_t;

typedef struct {
    const char *name;
    s_in_t c[MAXC];
    unsigned flags;      /* XREF_WEAK, XREF_AGE */
    const char *status;
    unsigned sources;
    bool evolving;
    double latest;
} s_case_t;

static const char *const s_sentences[] = {
    "",
    "Officials said at least fourteen passengers were killed when the ferry overturned near the harbour on Tuesday.",
    "The regional council confirmed that the new bridge would open to traffic before the end of the summer season.",
};

static const s_case_t s_cases[] = {
    {"one claim", {{"a", NULL, 7}}, false, "single", 1, false, 0},
    {"two outlets agree", {{"a", NULL, 7}, {"b", NULL, 7}}, false, "corroborated", 2, false, 0},
    {"two outlets disagree", {{"a", NULL, 7}, {"b", NULL, 5}}, false, "conflict", 2, false, 0},
    {"three, one disagrees", {{"a", NULL, 7}, {"b", NULL, 7}, {"c", NULL, 5}}, false, "conflict", 3, false, 0},
    {"one outlet twice, agreeing", {{"a", NULL, 7}, {"a", NULL, 7}}, false, "single", 1, false, 0},
    {"one outlet lists two values", {{"a", NULL, 7}, {"a", NULL, 5}}, false, "single", 1, false, 0},
    {"a self-contradicting outlet takes no side", {{"a", NULL, 7}, {"a", NULL, 5}, {"b", NULL, 9}}, false, "single", 2, false, 0},
    {"about 150 meets 150", {{"a", NULL, 150, FRAME_ABOUT}, {"b", NULL, 150}}, false, "corroborated", 2, false, 0},
    {"about 150 meets 155", {{"a", NULL, 150, FRAME_ABOUT}, {"b", NULL, 155}}, false, "corroborated", 2, false, 0},
    {"about 600 against about 700", {{"a", NULL, 600, FRAME_ABOUT}, {"b", NULL, 700, FRAME_ABOUT}}, false, "conflict", 2, false, 0},
    {"more than 400 against 129", {{"a", NULL, 400, FRAME_ATLEAST}, {"b", NULL, 129}}, false, "conflict", 2, false, 0},
    {"more than 400 meets 450", {{"a", NULL, 400, FRAME_ATLEAST}, {"b", NULL, 450}}, false, "corroborated", 2, false, 0},
    {"up to 40 meets 30", {{"a", NULL, 40, FRAME_UPTO}, {"b", NULL, 30}}, false, "corroborated", 2, false, 0},
    {"nearly 100 meets 95", {{"a", NULL, 100, FRAME_NEARLY}, {"b", NULL, 95}}, false, "corroborated", 2, false, 0},
    {"nearly 100 against 101", {{"a", NULL, 100, FRAME_NEARLY}, {"b", NULL, 101}}, false, "conflict", 2, false, 0},
    {"a weak frame never conflicts", {{"a", NULL, 2}, {"b", NULL, 4}}, true, "single", 2, false, 0},
    {"a weak frame corroborates", {{"a", NULL, 2}, {"b", NULL, 2}}, true, "corroborated", 2, false, 0},
    {"a wire service is one source", {{"wire:ap", NULL, 7}, {"wire:ap", NULL, 7}}, false, "single", 1, false, 0},
    {"copied sentences are one source", {{"a", NULL, 14, 0, 1}, {"b", NULL, 14, 0, 1}}, false, "single", 1, false, 0},
    {"copies and an independent outlet", {{"a", NULL, 14, 0, 1}, {"b", NULL, 14, 0, 1}, {"c", NULL, 14, 0, 2}}, false, "corroborated", 2, false, 0},
    {"a copy that changed the figure takes no side", {{"a", NULL, 14, 0, 1}, {"b", NULL, 12, 0, 1}, {"c", NULL, 14}}, false, "single", 2, false, 0},
    {"a rising toll evolves", {{"a", "2020-01-01", 5}, {"b", "2020-01-02", 8}, {"c", "2020-01-03", 12}}, false, "conflict", 3, true, 12},
    {"a toll that rose then fell is a conflict", {{"a", "2020-01-01", 5}, {"b", "2020-01-02", 12}, {"c", "2020-01-03", 8}}, false, "conflict", 3, false, 0},
    {"one day, two figures: a contradiction", {{"a", "2020-01-01", 5}, {"b", "2020-01-01", 8}}, false, "conflict", 2, false, 0},
    {"an undated report: no evolution known", {{"a", "2020-01-01", 5}, {"b", NULL, 8}}, false, "conflict", 2, false, 0},
    {"undated ages two years apart: two times, the higher the later", {{"a", NULL, 27}, {"b", NULL, 29}, {"c", NULL, 27}}, XREF_AGE, "conflict", 3, true, 29},
    {"undated ages four years apart evolve too", {{"a", NULL, 32}, {"b", NULL, 36}}, XREF_AGE, "conflict", 2, true, 36},
    {"undated ages one year apart: a contradiction", {{"a", NULL, 38}, {"b", NULL, 39}}, XREF_AGE, "conflict", 2, false, 0},
    {"undated ages one and five years apart: the one-year gap is a contradiction", {{"a", NULL, 30}, {"b", NULL, 31}, {"c", NULL, 35}}, XREF_AGE, "conflict", 3, false, 0},
    {"undated counts years apart are no ages: no evolving", {{"a", NULL, 27}, {"b", NULL, 29}}, 0, "conflict", 2, false, 0},
    {"the same gap in a count is no evolution", {{"a", NULL, 27}, {"b", NULL, 29}}, 0, "conflict", 2, false, 0},
    {"an age that rises with the dates evolves", {{"a", "2007-04-10", 38}, {"b", "2008-06-01", 39}}, XREF_AGE, "conflict", 2, true, 39},
    {"an age that falls with the dates is a contradiction", {{"a", "2007-04-10", 39}, {"b", "2008-06-01", 38}}, XREF_AGE, "conflict", 2, false, 0},
    {"one day, two ages: a contradiction", {{"a", "2007-04-10", 38}, {"b", "2007-04-10", 39}}, XREF_AGE, "conflict", 2, false, 0},
    {"ages that agree", {{"a", NULL, 36}, {"b", NULL, 36}}, XREF_AGE, "corroborated", 2, false, 0},
};

static int s_cmp(const void *a, const void *b)
{
    return strcmp(((const xref_claim_t *)a)->source, ((const xref_claim_t *)b)->source);
}

Test(xref, table_of_cases)
{
    for (size_t k = 0; k < sizeof s_cases / sizeof *s_cases; k++) {
        const s_case_t *t = &s_cases[k];
        xref_claim_t c[MAXC], scratch[MAXC];
        size_t n = 0;
        for (; n < MAXC && t->c[n].source; n++) {
            const s_in_t *in = &t->c[n];
            c[n] = (xref_claim_t){in->source, in->date, in->v, frame_interval(in->v, in->bound),
                                  in->copy ? frame_copy_hash(s_sentences[in->copy]) : 0};
        }
        qsort(c, n, sizeof *c, s_cmp);
        xref_verdict_t out;
        xref_judge(c, n, t->flags, scratch, &out);
        cr_expect_str_eq(out.status, t->status, "%s: status %s, want %s", t->name, out.status,
                         t->status);
        cr_expect_eq(out.sources, t->sources, "%s: %u sources, want %u", t->name, out.sources,
                     t->sources);
        cr_expect_eq(out.evolving, t->evolving, "%s: evolving %d", t->name, out.evolving);
        if (t->evolving)
            cr_expect_eq(out.latest, t->latest, "%s: latest %g", t->name, out.latest);
    }
}

Test(xref, flags_of_frames)
{
    cr_expect_eq(xref_flags("f|age|age|per:orozco|age||"), XREF_AGE);
    cr_expect_eq(xref_flags("f||people||killed||"), 0u);
    cr_expect_eq(xref_flags("f||game|per:bush|count||"), XREF_WEAK);
    cr_expect_eq(xref_flags("f|usd|offer|per:brand|count||"), XREF_WEAK, "a sum of no event is weak");
    cr_expect_eq(xref_flags("f|agency|age||age||"), 0u, "only the age unit");
    cr_expect_eq(xref_flags(""), 0u);
}

Test(xref, copy_hash_sees_light_edits_not_other_sentences)
{
    const char *a = "Officials said at least 14 passengers were killed when the ferry overturned "
                    "near the harbour entrance on Tuesday night.";
    const char *case_punct = "OFFICIALS said, at least 14 passengers were killed when the ferry "
                             "overturned near the harbour entrance on Tuesday night";
    const char *one_word = "Officials said at least 14 passengers were killed when the ferry "
                           "capsized near the harbour entrance on Tuesday night.";
    const char *other = "The coast guard reported that twelve people died after a storm hit the "
                        "vessel close to the port late on Tuesday.";
    uint64_t h = frame_copy_hash(a);
    cr_expect_neq(h, 0);
    cr_expect_eq(frame_copy_hash(case_punct), h, "case and punctuation are folded");
    cr_expect(frame_is_copy(h, frame_copy_hash(one_word)), "one word changed is a copy");
    cr_expect(!frame_is_copy(h, frame_copy_hash(other)), "another sentence is no copy");
    cr_expect_eq(frame_copy_hash("Three people died on Tuesday."), 0, "short: unknown");
    cr_expect(!frame_is_copy(0, 0), "unknown is never a copy");
}

Test(xref, source_keys)
{
    char out[64];
    char *ap[] = {"ap"};
    cr_expect_str_eq(xref_source(out, sizeof out, "times", ap, 1, "id1"), "wire:ap");
    cr_expect_str_eq(xref_source(out, sizeof out, "times", NULL, 0, "id1"), "times");
    cr_expect_str_eq(xref_source(out, sizeof out, "", NULL, 0, "id1"), "id1",
                     "no outlet: the article is its own source");
}

Test(xref, weak_frames)
{
    cr_expect(frame_weak("f||game||count||"));
    cr_expect(frame_weak("f||people||have||"));
    cr_expect(!frame_weak("f||people||killed||"), "a harm predicate is a fact");
    cr_expect(frame_weak("f||game|per:bush|count||"), "an owner's count: a game or a season?");
    cr_expect(!frame_weak("f|age|age|per:bush|age||"), "a measure ties it to one fact");
    cr_expect(!frame_weak("not a frame"));
}
