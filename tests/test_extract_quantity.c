/*  Tests for extract_quantity: numbers in digits and words, vague amounts and bounds,
    normalized subjects and predicates, and claim keys that meet when the fact is the same
    and differ when it is not. */
#include <criterion/criterion.h>
#include <stdio.h>
#include <string.h>

#include "extract.h"
#include "extract_quantity.h"

static extract_t *ex;
static void setup(void) { ex = extract_new(); }
static void teardown(void) { extract_destroy(&ex); }
TestSuite(extract_quantity, .init = setup, .fini = teardown);

static extract_quantity_t s_one(const char *body)
{
    extract_doc_t d = {(const uint8_t *)body, strlen(body), 0, "", NULL};
    extract_result_t r;
    int rc = extract_run(ex, &d, &r);
    cr_assert_eq(rc, 0, "%s", extract_strerror(rc));
    cr_assert_geq(r.n_quantities, 1, "no quantity in: %s", body);
    return r.quantities[0];
}

/* The key is copied: the result is gone after the next run. */
static const char *s_key(const char *body)
{
    static char buf[8][256];
    static int k;
    extract_quantity_t q = s_one(body);
    char *out = buf[k++ % 8];
    snprintf(out, 256, "%s", q.key);
    return out;
}

Test(extract_quantity, values)
{
    cr_assert_eq(s_one("Seven Norwegian sailors were rescued.\n").value, 7);
    cr_assert_eq(s_one("The flood displaced 2,100 families.\n").value, 2100);
    cr_assert_eq(s_one("The flood displaced 4 million people.\n").value, 4e6);
    cr_assert_eq(s_one("The flood displaced twenty-one families.\n").value, 21);
    extract_quantity_t q = s_one("Dozens of protesters were arrested.\n");
    cr_assert(q.approx);
    cr_assert_eq(q.value, 24);
    cr_assert_str_eq(q.subject, "protesters");
    cr_assert_str_eq(q.predicate, "arrested");
    q = s_one("At least 56 miners died in the collapse.\n");
    cr_assert(q.approx);
    cr_assert_eq(q.bound, '>');
    cr_assert_str_eq(q.predicate, "killed");
    cr_assert_str_eq(q.span.text, "56");
}

Test(extract_quantity, predicates_normalize)
{
    cr_assert_str_eq(extract_quantity_predicate("died"), "killed");
    cr_assert_str_eq(extract_quantity_predicate("dead"), "killed");
    cr_assert_str_eq(extract_quantity_predicate("toll"), "killed");
    cr_assert_str_eq(extract_quantity_predicate("injured"), "wounded");
    cr_assert_null(extract_quantity_predicate("table"));
    double v;
    bool approx;
    cr_assert_eq(extract_quantity_number(NULL, 0, 0, &v, &approx), 0);
}

Test(extract_quantity, same_fact_same_key)
{
    const char *a = s_key("Seven Norwegian sailors were killed when the ship sank.\n");
    const char *b = s_key("The sinking left five Norwegian sailors dead.\n");
    const char *c = s_key("The killing of seven Norwegian sailors shocked the town.\n");
    cr_assert_str_eq(a, b);
    cr_assert_str_eq(a, c);
    /* owner from a demonym and from the clause subject */
    const char *d = s_key("Norway has 12 research stations in Antarctica.\n");
    const char *e = s_key("Storms cut off the 12 Norwegian research stations in Antarctica.\n");
    cr_assert_str_eq(d, e);
}

Test(extract_quantity, different_facts_differ)
{
    const char *event = s_key("Seven Norwegian sailors were killed when the ship sank.\n");
    const char *other_place = s_key("Seven Norwegian sailors were killed in Bergen.\n");
    const char *total = s_key("At least 56 Norwegian sailors have been killed in February alone.\n");
    const char *other_kind = s_key("Seven Norwegian sailors were wounded when the ship sank.\n");
    const char *other_owner = s_key("Seven Danish sailors were killed when the ship sank.\n");
    cr_assert_str_neq(event, other_place);
    cr_assert_str_neq(event, total);
    cr_assert_str_neq(event, other_kind);
    cr_assert_str_neq(event, other_owner);
}

Test(extract_quantity, years_of_events)
{
    extract_quantity_t q = s_one("The border has been closed since the civil war began in 1991.\n");
    cr_assert(q.year);
    cr_assert_eq(q.value, 1991);
    cr_assert_str_eq(q.key, "f|year|civil war||began||");
    const char *a = s_key("Under a 2015 deal with its neighbour, the country cut tariffs.\n");
    const char *b = s_key("Both sides broke their 2015 trade agreement.\n");
    cr_assert_str_eq(a, b);
    /* the year of a full date is not an event year */
    extract_doc_t d = {(const uint8_t *)"The memo dated May 4, 2017 was read.\n", 37, 0, "", NULL};
    extract_result_t r;
    cr_assert_eq(extract_run(ex, &d, &r), 0);
    cr_assert_eq(r.n_quantities, 0);
}

/* The quantity of the sentence whose span text is `text`, copied out (or a failed test). */
static extract_quantity_t s_find(const char *body, const char *text, char *key, size_t cap)
{
    extract_doc_t d = {(const uint8_t *)body, strlen(body), 0, "", NULL};
    extract_result_t r;
    int rc = extract_run(ex, &d, &r);
    cr_assert_eq(rc, 0, "%s", extract_strerror(rc));
    for (size_t k = 0; k < r.n_quantities; k++)
        if (strcmp(r.quantities[k].span.text, text) == 0) {
            snprintf(key, cap, "%s", r.quantities[k].key);
            return r.quantities[k];
        }
    cr_assert_fail("no quantity '%s' in: %s", text, body);
    extract_quantity_t none = {0};
    return none;
}

Test(extract_quantity, people_aboard_a_craft_meet_across_wordings)
{
    char a[256], b[256], c[256], d[256];
    extract_quantity_t q = s_find("The ferry Coral Wren was carrying 86 passengers when it sank.\n",
                                  "86", a, sizeof a);
    cr_assert_str_eq(q.predicate, "aboard");
    cr_assert_str_eq(a, "f||passenger|coral wren|aboard||");
    s_find("Officials said the Coral Wren had 86 passengers on board.\n", "86", b, sizeof b);
    s_find("The search began for 86 passengers aboard the ferry Coral Wren.\n", "86", c,
           sizeof c);
    cr_assert_str_eq(a, b);
    cr_assert_str_eq(a, c);
    /* another craft is another fact */
    s_find("The ferry Amber Tern was carrying 86 passengers when it sank.\n", "86", d, sizeof d);
    cr_assert_str_neq(a, d);
    /* only people are aboard: not goods, and "carried out" is no carrying */
    q = s_find("A truck carrying 20 tonnes of grain overturned.\n", "20", d, sizeof d);
    cr_assert_str_neq(q.predicate, "aboard");
    q = s_find("Inspectors carried out checks on 9,000 passengers.\n", "9,000", d, sizeof d);
    cr_assert_str_neq(q.predicate, "aboard");
}

Test(extract_quantity, year_a_craft_or_group_was_built_or_founded)
{
    char a[256], b[256], c[256];
    extract_quantity_t q = s_find("The ferry Coral Wren was built in 1994.\n", "1994", a, sizeof a);
    cr_assert(q.year);
    cr_assert_eq(q.value, 1994);
    cr_assert_str_eq(a, "f|year||veh:coral wren|built||");
    s_find("The Coral Wren, built in 1994, was sold last year.\n"
           "Earlier the yacht Coral Wren had sailed.\n", "1994", b, sizeof b);
    s_find("The ferry Coral Wren sank on Monday. Records show the ferry had been built in "
           "1994.\n", "1994", c, sizeof c);
    cr_assert_str_eq(a, b);
    cr_assert_str_eq(a, c);
    s_find("The Harbour Pilots Association was founded in 1990.\n", "1990", a, sizeof a);
    cr_assert_str_eq(a, "f|year||org:hpa|founded||");
    /* without a named thing there is no key to meet on: "f|year||bridge|built||" would merge
       every bridge */
    extract_doc_t d = {(const uint8_t *)"The bridge was built in 1994.\n", 30, 0, "", NULL};
    extract_result_t r;
    cr_assert_eq(extract_run(ex, &d, &r), 0);
    cr_assert_eq(r.n_quantities, 0);
}

Test(extract_quantity, a_head_that_names_the_outcome_is_the_predicate)
{
    const char *a = s_key("Divers had recovered 41 survivors by nightfall.\n");
    const char *b = s_key("Fishermen pulled 41 survivors from the sea.\n");
    const char *c = s_key("Officials said 41 survivors had been taken to a clinic.\n");
    cr_assert_str_eq(a, "f||survivor||survived||");
    cr_assert_str_eq(a, b);
    cr_assert_str_eq(a, c);
    /* a verb that says more keeps its own predicate */
    cr_assert_str_eq(s_one("Storms killed 41 survivors of the first wave.\n").predicate, "killed");
}
