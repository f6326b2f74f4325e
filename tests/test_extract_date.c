/*  Tests for extract_date: ISO parsing and resolution of date expressions against the
    publication date, seen through the time of quantity claims. */
#include <criterion/criterion.h>
#include <stdio.h>
#include <string.h>

#include "extract.h"
#include "extract_date.h"

static extract_t *ex;
static void setup(void) { ex = extract_new(); }
static void teardown(void) { extract_destroy(&ex); }
TestSuite(extract_date, .init = setup, .fini = teardown);

/* Runs a one-sentence body and returns the first quantity's time (or "(none)"). */
static const char *s_time(const char *body, const char *published, bool *resolved)
{
    static char out[64];
    extract_doc_t d = {(const uint8_t *)body, strlen(body), 0, "", published};
    extract_result_t r;
    int rc = extract_run(ex, &d, &r);
    cr_assert_eq(rc, 0, "%s", extract_strerror(rc));
    cr_assert_geq(r.n_quantities, 1, "no quantity in: %s", body);
    snprintf(out, sizeof out, "%s", r.quantities[0].time ? r.quantities[0].time : "(none)");
    *resolved = r.quantities[0].time_resolved;
    return out;
}

Test(extract_date, parse_iso)
{
    int y, m, d;
    cr_assert(extract_date_parse_iso("2020-02-29", &y, &m, &d));
    cr_assert_eq(y, 2020);
    cr_assert_eq(m, 2);
    cr_assert_eq(d, 29);
    cr_assert_not(extract_date_parse_iso("2020-2-29", &y, &m, &d));
    cr_assert_not(extract_date_parse_iso("2020-13-01", &y, &m, &d));
    cr_assert_not(extract_date_parse_iso(NULL, &y, &m, &d));
    cr_assert_eq(extract_date_month("sept"), 9);
    cr_assert_eq(extract_date_month("dog"), 0);
}

Test(extract_date, month_day_resolves_with_publication_year)
{
    bool res;
    /* 2020-03-04 is a Wednesday */
    cr_assert_str_eq(s_time("Four miners were killed on Feb. 3 in the pit.", "2020-03-04", &res),
                     "2020-02-03");
    cr_assert(res);
    /* a month later than publication is last year's */
    cr_assert_str_eq(s_time("Four miners were killed on Dec. 30 in the pit.", "2020-01-04", &res),
                     "2019-12-30");
    cr_assert_str_eq(s_time("Four miners were killed on Feb. 3 in the pit.", NULL, &res), "--02-03");
    cr_assert_not(res);
}

Test(extract_date, weekdays_and_relative)
{
    bool res;
    /* published Wednesday 2020-03-04: "Friday" is 2020-02-28 */
    cr_assert_str_eq(s_time("On Friday, four miners were killed in the pit.", "2020-03-04", &res),
                     "2020-02-28");
    cr_assert(res);
    cr_assert_str_eq(s_time("Four miners were killed in the pit last week.", "2020-03-04", &res),
                     "2020-W09");
    cr_assert_str_eq(s_time("Four miners were killed in the pit yesterday.", "2020-03-01", &res),
                     "2020-02-29");
    cr_assert_str_eq(s_time("Four miners were killed on Friday.", NULL, &res), "friday");
    cr_assert_not(res);
}

Test(extract_date, full_dates_and_periods)
{
    bool res;
    cr_assert_str_eq(s_time("Four miners were killed on September 17, 2018 in the pit.", NULL, &res),
                     "2018-09-17");
    cr_assert(res);
    cr_assert_str_eq(s_time("Four miners were killed in early February.", "2020-03-04", &res),
                     "2020-02");
    cr_assert_str_eq(s_time("Four miners were killed this month.", "2020-03-04", &res), "2020-03");
}
