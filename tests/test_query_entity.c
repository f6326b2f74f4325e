/*  `crossclaim query --entity NAME` on a real database: the project's samples/ through the
    pipeline, plus two articles written here. A name as written (any case, diacritics,
    a bare surname, an acronym) finds the entity through its folded key, name and
    aliases; several matches are all listed; each record lists the articles naming it
    and its statements. */
#include "pipeline_util.h"

static char *s_dir;

/* Runs the pipeline once for every test of this file. */
static void s_setup(void)
{
    s_dir = pu_tmpdir();
    const char *src = getenv("CC_SOURCE_DIR");
    cr_assert_not_null(src, "CC_SOURCE_DIR is not set (run through ctest)");
    cr_assert_eq(pu_sh("mkdir -p %s/in && cp %s/samples/*.txt %s/in/", s_dir, src, s_dir), 0);
    FILE *f;
    char path[512];
    snprintf(path, sizeof path, "%s/in/ruiz-a.txt", s_dir);
    cr_assert_not_null(f = fopen(path, "w"));
    fputs("Coach praises young squad\n\nCoach Ana Ruiz said the squad was ready for the final. "
          "Ruiz added that two players were hurt.\n", f);
    fclose(f);
    snprintf(path, sizeof path, "%s/in/ruiz-b.txt", s_dir);
    cr_assert_not_null(f = fopen(path, "w"));
    fputs("Floods close roads\n\nHeavy rain closed three roads near the river on Tuesday. "
          "The water rose overnight in Ruiz and stayed high.\n", f);
    fclose(f);
    cr_assert_eq(pu_sh("%s/crossclaim run --no-report --workers 1 --data %s/data %s/in > /dev/null",
                       pu_bin(), s_dir, s_dir), 0);
}

static void s_teardown(void)
{
    pu_sh("rm -rf %s", s_dir);
    free(s_dir);
}

TestSuite(query_entity, .init = s_setup, .fini = s_teardown, .timeout = 120);

/* Runs `query --offline --entity NAME` into out.jsonl; returns the exit status. */
static int s_query(const char *name)
{
    return pu_sh("%s/crossclaim query --offline --data %s/data --entity '%s' > %s/out.jsonl",
                 pu_bin(), s_dir, name, s_dir);
}

/* Runs a Python check over the query's lines (`recs`, a list of dicts); 0 when it holds. */
static int s_check(const char *expr)
{
    return pu_sh("python3 -c \"import json,sys; recs=[json.loads(l) for l in open('%s/out.jsonl')]; "
                 "ok=(%s); print(recs if not ok else '', file=sys.stderr); sys.exit(0 if ok else 1)\"",
                 s_dir, expr);
}

Test(query_entity, a_name_as_written_finds_the_person)
{
    cr_assert_eq(s_query("lena OSTROVA"), 0);
    cr_assert_eq(s_check("recs[0]['key'] == 'per:ostrova' and recs[0]['match'] == 'name'"), 0);
    /* diacritics fold: a name typed with marks finds the one written without */
    cr_assert_eq(s_query("Léna Östrova"), 0);
    cr_assert_eq(s_check("recs[0]['key'] == 'per:ostrova'"), 0);
    /* the bare surname, an alias */
    cr_assert_eq(s_query("Ostrova"), 0);
    cr_assert_eq(s_check("recs[0]['key'] == 'per:ostrova'"), 0);
}

Test(query_entity, an_acronym_and_a_key_find_the_organization)
{
    cr_assert_eq(s_query("pama"), 0);
    cr_assert_eq(s_check("recs[0]['key'] == 'org:pama' and "
                         "recs[0]['name'] == 'Port Alder Maritime Authority'"), 0);
    cr_assert_eq(s_query("org:pama"), 0);
    cr_assert_eq(s_check("recs[0]['key'] == 'org:pama' and recs[0]['match'] == 'key'"), 0);
}

Test(query_entity, the_record_lists_its_articles_and_statements)
{
    cr_assert_eq(s_query("Lena Ostrova"), 0);
    cr_assert_eq(s_check("len(recs[0]['in_articles']) == recs[0]['articles'] >= 2 and "
                         "all(len(a['id']) == 32 and a['outlet'] and a['as'] == 'Lena Ostrova' "
                         "for a in recs[0]['in_articles'])"), 0);
    cr_assert_eq(s_check("recs[0]['statements'] and recs[0]['statements_total'] == "
                         "len(recs[0]['statements']) and all(s['speaker']['entity'] == 'per:ostrova' "
                         "and s['article'] in [a['id'] for a in recs[0]['in_articles']] "
                         "for s in recs[0]['statements'])"), 0);
}

Test(query_entity, several_matches_are_listed_best_first)
{
    cr_assert_eq(s_query("Ruiz"), 0);
    cr_assert_eq(s_check("sorted(r['key'] for r in recs) == ['loc:ruiz', 'per:ruiz'] and "
                         "all(r['matches'] == 2 for r in recs)"), 0);
    /* the person has the statement; the place has none */
    cr_assert_eq(s_check("[r for r in recs if r['key'] == 'per:ruiz'][0]['statements_total'] >= 1 "
                         "and [r for r in recs if r['key'] == 'loc:ruiz'][0]['statements'] == []"), 0);
}

Test(query_entity, an_unknown_name_exits_4)
{
    cr_assert_eq(s_query("Nobody Atall"), 4);
    /* the store is not running: the name is still answered from the database */
    cr_assert_eq(pu_sh("%s/crossclaim query --data %s/data --entity 'PAMA' > %s/out.jsonl",
                       pu_bin(), s_dir, s_dir), 0);
    cr_assert_eq(s_check("recs[0]['key'] == 'org:pama'"), 0);
}
