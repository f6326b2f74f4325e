/*  Tests for extract_text: UTF-8 validation, the Windows-1252 path and its offsets,
    folding, boilerplate, SimHash, and bytes that must give errors rather than crashes. */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "extract.h"
#include "extract_lex.h"
#include "extract_quantity.h"
#include "extract_text.h"
#include "frame.h"

#define CHECK_RC(expr) do { int rc_ = (expr); \
    cr_assert(rc_ == 0, "%s: %d (%s)", #expr, rc_, extract_strerror(rc_)); } while (0)

static extract_t *ex;
static void setup(void) { ex = extract_new(); cr_assert(ex); }
static void teardown(void) { extract_destroy(&ex); cr_assert_null(ex); }
TestSuite(extract_text, .init = setup, .fini = teardown);

static int s_run(const char *text, size_t len, extract_result_t *r)
{
    const char *nl = memchr(text, '\n', len);
    extract_doc_t d = {(const uint8_t *)text, len, nl ? (size_t)(nl - text) + 1 : 0, "", NULL};
    return extract_run(ex, &d, r);
}

Test(extract_text, folds_case_and_diacritics)
{
    char out[64];
    extract_text_fold((const uint8_t *)"Erdoğan", strlen("Erdoğan"), out, sizeof out);
    cr_assert_str_eq(out, "erdogan");
    extract_text_fold((const uint8_t *)"ÇAVUŞOĞLU", strlen("ÇAVUŞOĞLU"), out, sizeof out);
    cr_assert_str_eq(out, "cavusoglu");
    extract_text_fold((const uint8_t *)"Aydınlık", strlen("Aydınlık"), out, sizeof out);
    cr_assert_str_eq(out, "aydinlik");
    /* never splits a character when the buffer is short */
    size_t n = extract_text_fold((const uint8_t *)"ééé", 6, out, 3);
    cr_assert_eq(n, 2);
    cr_assert_str_eq(out, "ee");
}

Test(extract_text, validates_utf8)
{
    cr_assert(extract_text_valid_utf8((const uint8_t *)"plain \xc3\xa9", 8));
    cr_assert_not(extract_text_valid_utf8((const uint8_t *)"bad \xa3", 5));
    cr_assert_not(extract_text_valid_utf8((const uint8_t *)"\xed\xa0\x80", 3)); /* surrogate */
    cr_assert_not(extract_text_valid_utf8((const uint8_t *)"\xc3", 1));         /* truncated */
}

Test(extract_text, windows_1252_keeps_original_offsets)
{
    /* \xa3 is a Latin-1 pound sign, \x93 \x94 curly quotes, \xe9 an e-acute: each one
       byte in the original and two or three once decoded. */
    const char *text = "Fees rise\n\x93The caf\xe9 fee is \xa3" "5 now,\x94 the mayor said.\n";
    extract_result_t r;
    CHECK_RC(s_run(text, strlen(text), &r));
    cr_assert_str_eq(r.encoding, "windows-1252");
    cr_assert_eq(r.n_warnings, 1);
    cr_assert_str_eq(r.warnings[0], "not valid UTF-8: decoded as Windows-1252");
    cr_assert_eq(r.n_attrs, 1);
    const extract_attr_t *a = &r.attrs[0];
    /* offsets are into the original bytes */
    const char *said = strstr(text, "said");
    cr_assert_eq(a->cue.start, (uint32_t)(said - text));
    cr_assert_eq(a->cue.end, a->cue.start + 4);
    const char *open = strchr(text, '\x93');
    const char *close = strchr(text, '\x94');
    cr_assert_eq(a->content.start, (uint32_t)(open - text));
    cr_assert_eq(a->content.end, (uint32_t)(close - text) + 1);
    /* and the span text is UTF-8 */
    cr_assert(strstr(a->content.text, "caf\xc3\xa9"));
    cr_assert(strstr(a->content.text, "\xc2\xa3"));
}

Test(extract_text, undefined_1252_byte_is_an_error)
{
    const char *text = "T\nThe \x81 byte has no meaning in Windows-1252.\n";
    extract_result_t r;
    cr_assert_eq(s_run(text, strlen(text), &r), EXTRACT_EDECODE);
    cr_assert_eq(r.n_attrs, 0);
    cr_assert_str_neq(extract_strerror(EXTRACT_EDECODE), "unknown extract error");
}

Test(extract_text, nul_bytes_empty_and_huge)
{
    extract_result_t r;
    const char with_nul[] = "Title\nThe minister said\0 the talks\0 had failed.\n";
    CHECK_RC(s_run(with_nul, sizeof with_nul - 1, &r));
    cr_assert_eq(r.n_attrs, 1);
    cr_assert_eq(s_run("", 0, &r), EXTRACT_EEMPTY);
    cr_assert_eq(s_run("Only a title\n   \n\t", 19, &r), EXTRACT_EEMPTY);
    extract_doc_t d = {NULL, 0, 0, "", NULL};
    cr_assert_eq(extract_run(ex, &d, &r), EXTRACT_EEMPTY);
    cr_assert_lt(extract_run(NULL, &d, &r), 0);
    cr_assert_lt(extract_run(ex, NULL, &r), 0);
    size_t big = (size_t)40 << 20;
    char *huge = malloc(big);
    cr_assert(huge);
    memset(huge, 'a', big);
    extract_doc_t h = {(const uint8_t *)huge, big, 0, "", NULL};
    cr_assert_eq(extract_run(ex, &h, &r), EXTRACT_ETOOBIG);
    free(huge);
    /* body_start past the end is clamped, not trusted */
    extract_doc_t bad = {(const uint8_t *)"abc", 3, 99, "", NULL};
    cr_assert_eq(extract_run(ex, &bad, &r), EXTRACT_EEMPTY);
}

Test(extract_text, boilerplate_is_not_extracted)
{
    const char *text =
        "Rain expected\n"
        "Rain expected\n"
        "Forecasters said the storm would arrive on Tuesday.\n"
        "Writing by Jane Roe; Editing by John Doe, who said nothing\n"
        "Our Standards: The Thomson Reuters Trust Principles.\n"
        "Please enter your comment! Editors said you must.\n";
    extract_result_t r;
    CHECK_RC(s_run(text, strlen(text), &r));
    cr_assert_eq(r.n_attrs, 1, "only the story's attribution, got %zu", r.n_attrs);
    cr_assert_str_eq(r.attrs[0].speaker.text, "Forecasters");
    const extract_span_t *s;
    size_t n;
    const char *nl = strchr(text, '\n');
    extract_doc_t d = {(const uint8_t *)text, strlen(text), (size_t)(nl - text) + 1, "", NULL};
    CHECK_RC(extract_sentences(ex, &d, &s, &n));
    /* title + the one story sentence; the repeated title and footers are gone */
    cr_assert_eq(n, 2, "got %zu sentences", n);
}

static int s_bits(uint64_t x) { return __builtin_popcountll(x); }

Test(extract_text, simhash_is_near_for_near_duplicates)
{
    const char *a = "T\nThe council voted on Monday to close the old library on the hill, "
                    "citing the cost of repairs to its roof and the fall in the number of "
                    "visitors over the last ten years, and to move its books to the school.\n";
    const char *b = "T\nThe council voted on Monday to close the old library on the hill, "
                    "citing the cost of repairs to its roof and the fall in the number of "
                    "visitors over the past ten years, and to move its books to the school.\n";
    const char *c = "T\nA striker scored twice in the second half as the visitors came from "
                    "behind to win the derby and move three points clear at the top.\n";
    extract_result_t r;
    CHECK_RC(s_run(a, strlen(a), &r));
    uint64_t ha = r.simhash;
    CHECK_RC(s_run(a, strlen(a), &r));
    cr_assert_eq(r.simhash, ha, "deterministic");
    CHECK_RC(s_run(b, strlen(b), &r));
    uint64_t hb = r.simhash;
    CHECK_RC(s_run(c, strlen(c), &r));
    uint64_t hc = r.simhash;
    /* The store's copy rule (frame.h) is applied to each claim's sentence, not to this
       article hash: in a 40-word text a one-word edit changes 3 of 38 shingles, about 8
       bits, past FRAME_COPY_BITS. The article hash must still tell the near copy from
       other text by a wide margin; the long article below is held to the store's bound. */
    cr_assert_lt(2 * s_bits(ha ^ hb), s_bits(ha ^ hc), "near copy %d bits, other text %d bits",
                 s_bits(ha ^ hb), s_bits(ha ^ hc));
    cr_assert_gt(s_bits(ha ^ hc), 2 * FRAME_COPY_BITS, "other text differs in only %d bits",
                 s_bits(ha ^ hc));
    /* What the store decides on: the copy hash of each sentence and frame_is_copy. */
    const char *sa = a + 2, *sb = b + 2, *sc = c + 2;
    cr_assert(frame_is_copy(frame_copy_hash(sa), frame_copy_hash(sb)),
              "a one-word edit is not a copy for the store: %d bits apart",
              s_bits(frame_copy_hash(sa) ^ frame_copy_hash(sb)));
    cr_assert_not(frame_is_copy(frame_copy_hash(sa), frame_copy_hash(sc)),
                  "unrelated sentences are a copy for the store: %d bits apart",
                  s_bits(frame_copy_hash(sa) ^ frame_copy_hash(sc)));
}

Test(extract_text, corpus_latin1_article)
{
    const char *dir = getenv("CC_SHARED_DIR");
    if (!dir)
        cr_skip_test("CC_SHARED_DIR not set: the shared corpus is not available");
    char cmd[4096];
    /* Walk the BBC corpus and check every article runs; the Latin-1 one decodes. */
    snprintf(cmd, sizeof cmd, "find %s/corpus/bbc -name '*.txt' | sort", dir);
    FILE *p = popen(cmd, "r");
    if (!p)
        cr_skip_test("can't list the corpus");
    char path[2048];
    int files = 0, latin = 0;
    while (fgets(path, sizeof path, p)) {
        path[strcspn(path, "\n")] = 0;
        FILE *f = fopen(path, "rb");
        if (!f)
            continue;
        static char buf[1 << 20];
        size_t n = fread(buf, 1, sizeof buf, f);
        fclose(f);
        extract_result_t r;
        int rc = s_run(buf, n, &r);
        cr_assert(rc == 0 || rc == EXTRACT_EEMPTY, "%s: %s", path, extract_strerror(rc));
        files++;
        if (rc == 0 && strcmp(r.encoding, "windows-1252") == 0)
            latin++;
    }
    pclose(p);
    if (files == 0)
        cr_skip_test("no BBC articles under %s", dir);
    cr_assert_geq(latin, 1, "the Latin-1 article should decode as Windows-1252");
}

/* Past 255 shingles the bit-sliced counters flush; a long near copy must stay near. */
Test(extract_text, simhash_long_article_near_copy)
{
    static char a[8192], b[8192];
    const char *para = "The ferry company said the new timetable would add two crossings "
                       "a day from May, and the harbour board agreed to dredge the channel. ";
    strcpy(a, "T\n");
    for (int k = 0; k < 40; k++)
        strcat(a, para);
    strcat(a, "\n");
    strcpy(b, a);
    memcpy(strstr(b, "ferry"), "barge", 5);
    extract_result_t r;
    CHECK_RC(s_run(a, strlen(a), &r));
    uint64_t ha = r.simhash;
    CHECK_RC(s_run(b, strlen(b), &r));
    cr_assert_neq(ha, 0);
    /* One word changed in a long wire story: a copy by the store's own rule. */
    cr_assert(frame_is_copy(ha, r.simhash), "near copy differs in %d bits, the store's copy "
              "rule allows %d", s_bits(ha ^ r.simhash), FRAME_COPY_BITS);
}

/* Every module's lists meet in one lexicon: a word carries the union of its classes and
   the values the rules read (a number word's value, a month, a predicate). */
Test(extract_text, word_classes_from_every_module)
{
    const xlex_t *x = extract_lex_find("twenty-one");
    cr_assert(x && (x->bits & WC_NUMWORD));
    cr_assert_eq(x->num, 21);
    x = extract_lex_find("hundreds");
    cr_assert(x && (x->bits & WC_VAGUE));
    cr_assert_eq(x->num, 200);
    x = extract_lex_find("million");
    cr_assert(x && (x->bits & WC_SCALE));
    cr_assert_eq(x->scale, 6);
    x = extract_lex_find("sept");
    cr_assert(x && (x->bits & WC_MONTH));
    cr_assert_eq(x->month, 9);
    x = extract_lex_find("sunday");
    cr_assert(x && (x->bits & WC_WEEKDAY));
    cr_assert_eq(x->wday, 6);
    /* "in" is in several lists at once */
    uint64_t in = extract_lex_bits("in");
    cr_assert_eq(in & (WC_PLACE_PREP | WC_QPLACE_PREP | WC_NP_END | WC_STOP_CAP),
                 WC_PLACE_PREP | WC_QPLACE_PREP | WC_NP_END | WC_STOP_CAP);
    cr_assert(extract_lex_bits("minister") & WC_TITLE_HEAD);
    cr_assert(extract_lex_bits("ministry") & WC_ORG);
    cr_assert_str_eq(extract_quantity_predicate("perished"), "killed");
    /* "one" is no count, and unknown words have no class */
    cr_assert_eq(extract_lex_bits("one") & WC_NUMWORD, 0);
    cr_assert_null(extract_lex_find("xylophone"));
    cr_assert_eq(extract_lex_bits(""), 0);
}

/* Control bytes become spaces (CR a newline) wherever they sit among ASCII, which the
   decoder reads eight bytes at a time, and offsets still point into the input. */
Test(extract_text, controls_blanked_at_any_position)
{
    const char text[] = "Title\nAlphabetical\x01order of the\x7f"
                        "files.\rSecond line\x1fhere.\n";
    const size_t len = sizeof text - 1;
    extract_doc_t d = {(const uint8_t *)text, len, 6, "", NULL};
    const extract_span_t *sp;
    size_t n;
    CHECK_RC(extract_sentences(ex, &d, &sp, &n));
    cr_assert_eq(n, 3);   /* the title line is a sentence too */
    cr_assert_str_eq(sp[1].text, "Alphabetical order of the files.");
    cr_assert_eq(sp[1].start, 6);
    cr_assert_eq(sp[1].end, 6 + strlen("Alphabetical\x01order of the\x7f" "files."));
    cr_assert_str_eq(sp[2].text, "Second line here.");
    cr_assert_eq(memcmp(text + sp[2].start, "Second", 6), 0);
}
