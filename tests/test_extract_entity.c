/*  Tests for extract_entity: kinds, in-article linking of short to long forms, acronyms,
    demonyms, cross-article keys, and a missing iso-codes file. */
#include <criterion/criterion.h>
#include <stdlib.h>
#include <stdio.h>
#include <string.h>

#include "extract.h"
#include "extract_entity.h"

static extract_t *ex;
static void setup(void) { ex = extract_new(); }
static void teardown(void) { extract_destroy(&ex); }
TestSuite(extract_entity, .init = setup, .fini = teardown);

static extract_result_t s_run(const char *body)
{
    extract_doc_t d = {(const uint8_t *)body, strlen(body), 0, "", NULL};
    extract_result_t r;
    int rc = extract_run(ex, &d, &r);
    cr_assert_eq(rc, 0, "%s", extract_strerror(rc));
    return r;
}

static const extract_entity_t *s_find(const extract_result_t *r, const char *key)
{
    for (size_t i = 0; i < r->n_entities; i++)
        if (strcmp(r->entities[i].key, key) == 0)
            return &r->entities[i];
    return NULL;
}

Test(extract_entity, person_short_forms_link_to_long_form)
{
    extract_result_t r = s_run(
        "Mayor Anna Kowalczyk opened the bridge on Monday. Kowalczyk said it was late.\n"
        "Anna Kowalczyk later thanked the workers.\n");
    const extract_entity_t *e = s_find(&r, "per:kowalczyk");
    cr_assert(e, "no per:kowalczyk");
    cr_assert_str_eq(e->kind, "person");
    cr_assert_str_eq(e->name, "Anna Kowalczyk");
    cr_assert_eq(e->n_mentions, 3);
    cr_assert_eq(e->n_aliases, 1);
    cr_assert_str_eq(e->aliases[0], "Kowalczyk");
    /* the mention spans point at the text */
    cr_assert_eq(e->mentions[0].start, strlen("Mayor "));
}

Test(extract_entity, diacritics_fold_into_one_key)
{
    extract_result_t r = s_run("Prime Minister Jörg Müller spoke. Muller said he was tired.\n");
    const extract_entity_t *e = s_find(&r, "per:muller");
    cr_assert(e);
    cr_assert_eq(e->n_mentions, 2);
}

Test(extract_entity, acronym_defined_and_alone_share_a_key)
{
    extract_result_t r = s_run(
        "The Coastal Rescue Volunteer Association (CRVA) counted the boats. "
        "A CRVA officer said more were coming.\n");
    const extract_entity_t *e = s_find(&r, "org:crva");
    cr_assert(e, "no org:crva");
    cr_assert_str_eq(e->kind, "org");
    cr_assert_str_eq(e->name, "Coastal Rescue Volunteer Association");
    cr_assert_eq(e->n_mentions, 3, "long form, (CRVA) and CRVA: got %zu", e->n_mentions);
    /* an article that writes only the acronym */
    r = s_run("Boats were counted by the CRVA on Sunday, officials said.\n");
    cr_assert(s_find(&r, "org:crva"));
    /* an article that spells it out without the acronym */
    r = s_run("The Coastal Rescue Volunteer Association counted the boats.\n");
    cr_assert(s_find(&r, "org:crva"));
}

Test(extract_entity, countries_and_demonyms)
{
    extract_result_t r = s_run("Norwegian ships left Norway. The Kenyan envoy flew to Kenya.\n");
    const extract_entity_t *no = s_find(&r, "loc:norway");
    cr_assert(no);
    cr_assert_str_eq(no->kind, "place");
    cr_assert_eq(no->n_mentions, 2);
    const extract_entity_t *ke = s_find(&r, "loc:kenya");
    cr_assert(ke);
    cr_assert_eq(ke->n_mentions, 2, "derived demonym Kenyan should link");
}

Test(extract_entity, org_words_and_titles)
{
    extract_result_t r = s_run("Finance Minister Tomas Varga met the Baltic Grain Council in Riga.\n");
    cr_assert(s_find(&r, "per:varga"));
    const extract_entity_t *o = NULL;
    for (size_t i = 0; i < r.n_entities; i++)
        if (strcmp(r.entities[i].kind, "org") == 0)
            o = &r.entities[i];
    cr_assert(o, "no org");
    cr_assert_str_eq(o->name, "Baltic Grain Council");
    const extract_entity_t *p = s_find(&r, "loc:riga");
    cr_assert(p, "no place after 'in'");
}

Test(extract_entity, resources)
{
    extract_t *x = extract_new();
    cr_assert(x);
    extract_destroy(&x);
    xres_t *r = extract_entity_res_new("/nonexistent/iso.json");
    cr_assert(r, "a missing iso-codes file degrades, it does not fail");
    bool dem = false;
    cr_assert_str_eq(extract_entity_country(r, "turkey", &dem), "Turkey");
    cr_assert_null(extract_entity_country(r, "atlantis", &dem));
    extract_entity_res_destroy(&r);
    cr_assert_null(r);
    r = extract_entity_res_new(NULL);
    if (extract_entity_res_size(r) > 300) {
        cr_assert_str_eq(extract_entity_country(r, "turkish", &dem), "Turkey");
        cr_assert(dem);
        cr_assert_str_eq(extract_entity_country(r, "syrian", &dem), "Syria");
        cr_assert_str_eq(extract_entity_country(r, "russian federation", &dem), "Russia");
    }
    extract_entity_res_destroy(&r);
}

Test(extract_entity, seeds_share_keys_across_articles)
{
    const char *dir = getenv("CC_SHARED_DIR");
    if (!dir)
        cr_skip_test("CC_SHARED_DIR not set: the shared corpus is not available");
    const char *names[] = {"000_b7d63dcc61ccc5fb.txt", "001_3ad319cec848881d.txt",
                           "002_c857583229b8a2df.txt", "003_a7c4854ecb2b92b3.txt",
                           "004_4f14d8da0196f631.txt"};
    int erdogan = 0, sohr = 0;
    for (int i = 0; i < 5; i++) {
        char path[4096];
        snprintf(path, sizeof path, "%s/corpus/seeds/%s", dir, names[i]);
        FILE *f = fopen(path, "rb");
        if (!f)
            cr_skip_test("seed %s missing", path);
        static char buf[1 << 16];
        size_t n = fread(buf, 1, sizeof buf, f);
        fclose(f);
        const char *nl = memchr(buf, '\n', n);
        extract_doc_t d = {(const uint8_t *)buf, n, nl ? (size_t)(nl - buf) + 1 : 0, "", NULL};
        extract_result_t r;
        cr_assert_eq(extract_run(ex, &d, &r), 0);
        erdogan += s_find(&r, "per:erdogan") != NULL;
        sohr += s_find(&r, "org:sohr") != NULL;
    }
    cr_assert_eq(erdogan, 5);
    cr_assert_geq(sohr, 3, "org:sohr in %d seed articles", sohr);
}

Test(extract_entity, first_run_without_names)
{
    /* A fresh extractor whose first article names nothing (the fuzzer found a NULL sort
       here): no entities, no crash. */
    extract_t *x = extract_new();
    const char *body = "it was cold and wet all week.\n";
    extract_doc_t d = {(const uint8_t *)body, strlen(body), 0, "", NULL};
    extract_result_t r;
    cr_assert_eq(extract_run(x, &d, &r), 0);
    cr_assert_eq(r.n_entities, 0);
    extract_destroy(&x);
}

static const extract_entity_t *s_kind(const extract_result_t *r, const char *kind)
{
    for (size_t i = 0; i < r->n_entities; i++)
        if (strcmp(r->entities[i].kind, kind) == 0)
            return &r->entities[i];
    return NULL;
}

Test(extract_entity, craft_named_by_context)
{
    extract_result_t r = s_run("The tanker Silver Heron ran aground on Monday. "
                               "The Silver Heron was refloated two days later.\n");
    const extract_entity_t *e = s_find(&r, "veh:silver heron");
    cr_assert(e, "no veh:silver heron");
    cr_assert_str_eq(e->kind, "vehicle");
    cr_assert_eq(e->n_mentions, 2, "the bare name joins the craft: %zu", e->n_mentions);
    cr_assert_null(s_kind(&r, "person"));
    /* a ship prefix, a quoted name, an apposition, "aboard" */
    r = s_run("MV Kestrel Dawn left port.\n");
    e = s_find(&r, "veh:kestrel dawn");
    cr_assert(e);
    cr_assert_str_eq(e->name, "MV Kestrel Dawn");
    r = s_run("Her yacht \"Blue Otter\" was found adrift.\n");
    cr_assert(s_find(&r, "veh:blue otter"));
    r = s_run("The vessel, the Grey Gannet, sank in minutes.\n");
    cr_assert(s_find(&r, "veh:grey gannet"));
    r = s_run("Forty tourists were aboard the Lucky Pelican.\n");
    cr_assert(s_find(&r, "veh:lucky pelican"));
}

Test(extract_entity, craft_cues_leave_people_alone)
{
    /* "on board" as an idiom, a comma without "the", a role between noun and name */
    extract_result_t r = s_run("Donors came on board Maria Lopez's campaign.\n");
    cr_assert_null(s_kind(&r, "vehicle"));
    r = s_run("He missed the ferry, Tomas Berg said.\n");
    cr_assert(s_find(&r, "per:berg"));
    r = s_run("The ferry operator Ana Ruiz said the crossing was calm.\n");
    const extract_entity_t *e = s_find(&r, "per:ruiz");
    cr_assert(e);
    cr_assert_str_eq(e->kind, "person");
}

Test(extract_entity, names_after_the_are_not_people)
{
    extract_result_t r = s_run("Lawmakers praised the Harbor Renewal Plan on Monday, "
                               "and the mayor, Anna Kowalczyk, agreed.\n");
    const extract_entity_t *p = s_kind(&r, "person");
    cr_assert(p, "the mayor is still a person");
    cr_assert_str_eq(p->key, "per:kowalczyk");
    for (size_t i = 0; i < r.n_entities; i++)
        cr_assert(strcmp(r.entities[i].kind, "person") != 0
                  || strcmp(r.entities[i].key, "per:kowalczyk") == 0,
                  "%s taken for a person", r.entities[i].key);
}

Test(extract_entity, shipping_and_air_lines_are_organizations)
{
    extract_result_t r = s_run("Gannet Ferry Line said it would pay. Kittiwake Air Lines agreed.\n");
    cr_assert_null(s_kind(&r, "person"));
    int orgs = 0;
    for (size_t i = 0; i < r.n_entities; i++)
        orgs += strcmp(r.entities[i].kind, "org") == 0;
    cr_assert_eq(orgs, 2);
}

Test(extract_entity, a_middle_initial_stays_inside_the_name)
{
    /* the key is the surname, whatever initials the article gives */
    extract_result_t r = s_run("Police said Dana R. Whitcombe was questioned on Monday. "
                               "J. Porter Amsel, her lawyer, declined to comment.\n");
    const extract_entity_t *e = s_find(&r, "per:whitcombe");
    cr_assert(e, "no per:whitcombe");
    cr_assert_str_eq(e->name, "Dana R. Whitcombe");
    cr_assert_null(s_find(&r, "per:r"));
    cr_assert(s_find(&r, "per:amsel"), "no per:amsel");
}

/* ---- junk that is not an entity (issue 12) ------------------------------------------ */

static bool s_key_has(const extract_result_t *r, const char *part)
{
    for (size_t i = 0; i < r->n_entities; i++)
        if (strstr(r->entities[i].key, part))
            return true;
    return false;
}

Test(extract_entity, contractions_are_not_names)
{
    extract_result_t r = s_run("\"I'm staying,\" the baker said. I'm told the oven broke. "
                               "\"Don't wait,\" she said. Don't ask.\n");
    cr_assert_not(s_key_has(&r, "i'm"), "a pronoun taken for an entity");
    cr_assert_not(s_key_has(&r, "don't"), "a contraction taken for an entity");
}

Test(extract_entity, lower_case_compounds_are_not_names)
{
    extract_result_t r = s_run("A Lisbon-based bakery closed. Another Lisbon-based shop opened "
                               "and a former Census-taker bought it. The Census-taker smiled.\n");
    cr_assert_not(s_key_has(&r, "-based"), "an adjective taken for an entity");
    cr_assert_not(s_key_has(&r, "-taker"), "a common noun taken for an entity");
}

Test(extract_entity, headings_are_not_organizations)
{
    extract_result_t r = s_run("Harbor board meets\n\nSUMMARY.\n\nThe harbor board met on Monday."
                               "\n\nFULL STORY:\n\nMembers argued for an hour.\n");
    cr_assert_not(s_key_has(&r, "summary"), "a section label taken for an entity");
    cr_assert_not(s_key_has(&r, "full story"), "a section label taken for an entity");
    /* a dateline is still a place */
    r = s_run("VALLETTA, Malta - The harbor board met on Monday.\n");
    cr_assert(s_find(&r, "loc:valletta"));
}

Test(extract_entity, sentence_openers_are_not_names)
{
    extract_result_t r = s_run("Overall, the vote was close. Overall, turnout fell.\n");
    cr_assert_not(s_key_has(&r, "overall"), "a sentence opener taken for an entity");
    r = s_run("Reportedly Dana Whitcombe left early. Dana Whitcombe denied it.\n");
    const extract_entity_t *e = s_find(&r, "per:whitcombe");
    cr_assert(e);
    cr_assert_str_eq(e->name, "Dana Whitcombe");
    for (size_t i = 0; i < e->n_aliases; i++)
        cr_assert_null(strstr(e->aliases[i], "Reportedly"), "alias %s", e->aliases[i]);
}

Test(extract_entity, new_begins_a_place_name)
{
    extract_result_t r = s_run("Voters in New Hampshire lined up early. New Hampshire votes first.\n");
    const extract_entity_t *e = s_find(&r, "loc:new hampshire");
    cr_assert(e, "no loc:new hampshire");
    cr_assert_eq(e->n_mentions, 2);
    cr_assert_null(s_kind(&r, "person"));
    cr_assert_null(s_find(&r, "loc:hampshire"));
}

Test(extract_entity, titles_and_common_nouns_are_not_people)
{
    /* a quoted title, a name closed by a word also written in lower case, a name that
       ends like a common noun */
    extract_result_t r = s_run("She watched \"Silent Harbor\" again. \"Silent Harbor\" aired in May.\n");
    cr_assert_null(s_kind(&r, "person"), "a show taken for a person");
    r = s_run("Readers of Garden Circle wrote in. The circle of readers grew.\n");
    cr_assert_null(s_kind(&r, "person"), "a magazine taken for a person");
    r = s_run("Coastal Protection said it would act.\n");
    cr_assert_null(s_kind(&r, "person"), "an agency taken for a person");
    /* people are still people */
    r = s_run("Dana Whitcombe said it would act.\n");
    cr_assert(s_find(&r, "per:whitcombe"));
}

Test(extract_entity, two_organizations_joined_by_and_the_stay_two)
{
    extract_result_t r = s_run("The figures came from the Harbor Council and the Valley Board.\n");
    int orgs = 0;
    for (size_t i = 0; i < r.n_entities; i++)
        if (strcmp(r.entities[i].kind, "org") == 0) {
            orgs++;
            cr_assert_null(strstr(r.entities[i].name, " and "), "merged: %s", r.entities[i].name);
        }
    cr_assert_eq(orgs, 2);
    /* an organization's own "and" stays inside it */
    r = s_run("The Justice and Harmony Party won.\n");
    cr_assert(s_kind(&r, "org"));
    cr_assert_str_eq(s_kind(&r, "org")->name, "Justice and Harmony Party");
}

Test(extract_entity, a_surname_after_a_place_preposition_is_the_person)
{
    extract_result_t r = s_run("Dana Whitcombe spoke on Monday. The crowd cheered at Whitcombe "
                               "and left.\n");
    const extract_entity_t *e = s_find(&r, "per:whitcombe");
    cr_assert(e);
    cr_assert_eq(e->n_mentions, 2);
    cr_assert_null(s_find(&r, "loc:whitcombe"));
}

Test(extract_entity, a_bare_surname_joins_the_name_with_a_particle)
{
    extract_result_t r = s_run("Omar al-Haddad spoke on Monday. Officials said Haddad left. "
                               "President Haddad returned later.\n");
    const extract_entity_t *e = s_find(&r, "per:haddad");
    cr_assert(e, "no per:haddad");
    cr_assert_eq(e->n_mentions, 3, "got %zu", e->n_mentions);
    cr_assert_null(s_find(&r, "per:haddad haddad"));
}

Test(extract_entity, a_one_time_opener_before_lower_case_is_not_a_name)
{
    extract_result_t r = s_run("Turnout rose. Remarks on the budget came late. Of course, "
                               "turnout fell. Remarks on taxes followed. Of course, it rained.\n");
    cr_assert_not(s_key_has(&r, "remarks"), "a sentence's first word taken for an entity");
    cr_assert_not(s_key_has(&r, ":of"), "'Of' taken for an entity");
    /* a surname opening a sentence, capitalized inside one elsewhere, stays */
    r = s_run("Voters cheered Anna Kowalczyk on Monday. Kowalczyk said it was late.\n");
    cr_assert_eq(s_find(&r, "per:kowalczyk")->n_mentions, 2);
}

Test(extract_entity, a_common_word_seen_in_lower_case_does_not_open_a_name)
{
    /* the lower-case set must answer for every word, whatever its hash */
    const char *words[] = {"Harbor", "Valley", "Garden", "Bridge", "Market", "Forest",
                           "Winter", "Summer", "River", "Castle", NULL};
    for (const char **w = words; *w; w++) {
        char body[256], low[32];
        snprintf(low, sizeof low, "%s", *w);
        low[0] = (char)(low[0] - 'A' + 'a');
        snprintf(body, sizeof body, "%s Dana Whitcombe left early. The %s was quiet.\n", *w, low);
        extract_result_t r = s_run(body);
        const extract_entity_t *e = s_find(&r, "per:whitcombe");
        cr_assert(e, "%s", body);
        cr_assert_str_eq(e->name, "Dana Whitcombe", "%s", body);
    }
}

Test(extract_entity, initials_are_not_names_on_their_own)
{
    extract_result_t r = s_run("Funds came from Carla M. and Peter T. Brandt. They chose X, "
                               "and X won.\n");
    cr_assert_null(s_find(&r, "per:m"), "a name cut at an initial");
    cr_assert_not(s_key_has(&r, ":x"), "a letter taken for an entity");
}

Test(extract_entity, a_day_or_a_street_is_not_a_person)
{
    extract_result_t r = s_run("Polls close on Founders Day. Traffic stopped on Cable Lane.\n");
    cr_assert_null(s_kind(&r, "person"), "%s", r.n_entities ? r.entities[0].key : "");
}

Test(extract_entity, an_event_or_a_group_of_people_is_not_a_person)
{
    extract_result_t r = s_run("He wrote about Harbor War history. Pay rose for Kestrel Workers "
                               "on Monday.\n");
    cr_assert_null(s_kind(&r, "person"), "%s", s_kind(&r, "person") ? s_kind(&r, "person")->key : "");
}

Test(extract_entity, a_person_of_an_organization_is_two_entities)
{
    extract_result_t r = s_run("Figures came from Dana Whitcombe of the Harbor Renewal Council.\n");
    const extract_entity_t *p = s_find(&r, "per:whitcombe");
    cr_assert(p, "no per:whitcombe");
    cr_assert_str_eq(p->name, "Dana Whitcombe");
    const extract_entity_t *o = s_kind(&r, "org");
    cr_assert(o);
    cr_assert_str_eq(o->name, "Harbor Renewal Council");
    /* an organization's own "of" stays */
    r = s_run("The Bank of Harbor Valley lent the money.\n");
    cr_assert_null(s_kind(&r, "person"));
}

Test(extract_entity, an_and_inside_an_organization_name_stays_inside)
{
    extract_result_t r = s_run("Analysts at the Center for Maritime and Coastal Studies agreed.\n");
    const extract_entity_t *o = s_kind(&r, "org");
    cr_assert(o);
    cr_assert_str_eq(o->name, "Center for Maritime and Coastal Studies");
    r = s_run("Polls by WXQR and Lakeside Radio agreed.\n");
    int orgs = 0;
    for (size_t i = 0; i < r.n_entities; i++)
        orgs += strcmp(r.entities[i].kind, "org") == 0;
    cr_assert_eq(orgs, 2, "an acronym and an organization");
}

Test(extract_entity, a_function_word_after_a_title_is_not_the_name)
{
    extract_result_t r = s_run("Profits Fell, Says Director Of Harbor Freight\n\nThe firm said so.\n");
    for (size_t i = 0; i < r.n_entities; i++)
        cr_assert_null(strstr(r.entities[i].name, "Of "), "a headline's 'Of' in %s",
                       r.entities[i].name);
}

Test(extract_entity, an_organization_then_a_title_then_its_holder)
{
    extract_result_t r = s_run("Harbor Council Chairman Dana Whitcombe opened the hall.\n");
    const extract_entity_t *p = s_find(&r, "per:whitcombe");
    cr_assert(p, "no per:whitcombe");
    cr_assert_str_eq(p->kind, "person");
    const extract_entity_t *o = s_kind(&r, "org");
    cr_assert(o);
    cr_assert_str_eq(o->name, "Harbor Council");
    /* a title word that is no head, before a name */
    r = s_run("It went to Harbor Court Justice Lena Morrow in May.\n");
    cr_assert(s_find(&r, "per:morrow"), "no per:morrow");
    cr_assert_str_eq(s_kind(&r, "org")->name, "Harbor Court");
    r = s_run("The Harbor Council Foreign Relations Committee met.\n");
    cr_assert_null(s_kind(&r, "person"));
    /* a title that goes on with "of" belongs to the name */
    r = s_run("The Office of the Director of Coastal Safety agreed.\n");
    cr_assert_null(s_kind(&r, "person"));
    cr_assert_str_eq(s_kind(&r, "org")->name, "Office of the Director of Coastal Safety");
}

Test(extract_entity, a_person_after_a_place_preposition_stays_a_person)
{
    extract_result_t r = s_run("Crowds turned out in Dana Whitcombe's town. Many voted for "
                               "Dana Whitcombe on Monday, and Dana Whitcombe thanked them.\n");
    cr_assert_null(s_kind(&r, "place"), "%s", s_kind(&r, "place") ? s_kind(&r, "place")->key : "");
    cr_assert_eq(s_find(&r, "per:whitcombe")->n_mentions, 3);
}

Test(extract_entity, a_phrase_in_capitals_is_not_a_name)
{
    extract_result_t r = s_run("The board said CRAB PRICES DOUBLE THIS YEAR in its note, "
                               "and fishers said AT LEAST twelve boats stayed home.\n");
    cr_assert_eq(r.n_entities, 0, "%s", r.n_entities ? r.entities[0].key : "");
    /* a shouted "New" place is still a name */
    r = s_run("Boats came from NEW HAVERFORD on Monday.\n");
    bool found = false;
    for (size_t i = 0; i < r.n_entities; i++)
        found |= strcmp(r.entities[i].name, "NEW HAVERFORD") == 0;
    cr_assert(found, "NEW HAVERFORD dropped");
}

Test(extract_entity, a_headline_inside_the_text_names_only_what_the_body_names)
{
    extract_result_t r = s_run("Weather.\n\nCrews Took On Storms.\n\n"
                               "Crews led by Dana Whitcombe cleared the harbor on Monday.\n");
    cr_assert_null(s_kind(&r, "person") && strcmp(s_kind(&r, "person")->key, "per:whitcombe")
                   ? s_kind(&r, "person") : NULL, "a headline's capitals made a person");
    for (size_t i = 0; i < r.n_entities; i++)
        cr_assert_null(strstr(r.entities[i].key, "storms"), "%s", r.entities[i].key);
    cr_assert(s_find(&r, "per:whitcombe"));
}

Test(extract_entity, a_given_name_alone_is_the_one_person_who_has_it)
{
    extract_result_t r = s_run("Dana Whitcombe spoke on Monday. Voters said they liked Dana, "
                               "and Dana waved.\n");
    const extract_entity_t *e = s_find(&r, "per:whitcombe");
    cr_assert(e);
    cr_assert_eq(e->n_mentions, 3, "got %zu", e->n_mentions);
    cr_assert_null(s_kind(&r, "other"));
    /* two people with that given name: neither */
    r = s_run("Dana Whitcombe and Dana Morrow spoke. Voters liked Dana, and Dana waved.\n");
    cr_assert_eq(s_find(&r, "per:whitcombe")->n_mentions, 1);
}

Test(extract_entity, plural_titles_and_prepositions_do_not_open_a_name)
{
    extract_result_t r = s_run("Voters in the port cheered loudly. Besides Whitcombe, two "
                               "others spoke. Senators Morrow and Lindqvist voted no.\n");
    for (size_t i = 0; i < r.n_entities; i++) {
        cr_assert_null(strstr(r.entities[i].name, "Besides"), "%s", r.entities[i].name);
        cr_assert_null(strstr(r.entities[i].name, "Senators"), "%s", r.entities[i].name);
    }
    cr_assert(s_find(&r, "per:morrow"), "a plural title still names its person");
}

Test(extract_entity, namesakes_in_one_article_both_take_their_given_names)
{
    extract_result_t r = s_run("Dana Whitcombe won the race. Her brother, Rob Whitcombe, "
                               "finished second. Whitcombe thanked the crowd.\n");
    cr_assert(s_find(&r, "per:dana whitcombe"), "the first namesake kept the bare key");
    cr_assert(s_find(&r, "per:rob whitcombe"));
    cr_assert_null(s_find(&r, "per:whitcombe"));
    /* alone with its surname, a person keeps the bare key */
    r = s_run("Dana Whitcombe won the race. Whitcombe thanked the crowd.\n");
    cr_assert(s_find(&r, "per:whitcombe"));
}

Test(extract_entity, a_compass_word_begins_a_place)
{
    extract_result_t r = s_run("Farmers from South Ardmore and Upper Kestrel met.\n");
    cr_assert_null(s_kind(&r, "person"), "%s", s_kind(&r, "person") ? s_kind(&r, "person")->key : "");
    cr_assert(s_find(&r, "loc:south ardmore"));
    cr_assert(s_find(&r, "loc:upper kestrel"));
}

Test(extract_entity, a_name_after_a_possessive_is_not_a_person)
{
    extract_result_t r = s_run("She watched the network's Morning Harbor on Monday.\n");
    cr_assert_null(s_kind(&r, "person"), "%s", s_kind(&r, "person") ? s_kind(&r, "person")->key : "");
    /* a person the article names elsewhere still links by surname */
    r = s_run("Dana Whitcombe spoke. The club's Dana Whitcombe agreed.\n");
    cr_assert_eq(s_find(&r, "per:whitcombe")->n_mentions, 2);
}

Test(extract_entity, a_name_made_of_another_name_is_not_a_person)
{
    extract_result_t r = s_run("Dana Whitcombe won the vote. Fans cheered for Whitcombe Victory "
                               "and people in Ardmore cheered Ardmore Lanterns players, said "
                               "Lena Morrow.\n");
    for (size_t i = 0; i < r.n_entities; i++)
        if (strcmp(r.entities[i].kind, "person") == 0)
            cr_assert(strcmp(r.entities[i].key, "per:whitcombe") == 0
                      || strcmp(r.entities[i].key, "per:morrow") == 0, "%s taken for a person",
                      r.entities[i].name);
    cr_assert(s_find(&r, "per:morrow"), "a person beside them is still one");
}

Test(extract_entity, one_word_after_from_is_a_place_only_when_placed_otherwise)
{
    extract_result_t r = s_run("A statement from Harborcorp came late on Monday.\n");
    cr_assert_null(s_kind(&r, "place"), "%s", s_kind(&r, "place") ? s_kind(&r, "place")->key : "");
    r = s_run("Farmers in Ardmore waited. Boats came from Ardmore on Monday.\n");
    const extract_entity_t *e = s_find(&r, "loc:ardmore");
    cr_assert(e);
    cr_assert_eq(e->n_mentions, 2);
}

Test(extract_entity, an_adjective_does_not_open_a_persons_name)
{
    extract_result_t r = s_run("He praised the gains of National Harborworkers and the work of "
                               "Presidential Stewards, said Lena Morrow.\n");
    for (size_t i = 0; i < r.n_entities; i++)
        if (strcmp(r.entities[i].kind, "person") == 0)
            cr_assert_str_eq(r.entities[i].key, "per:morrow", "%s taken for a person",
                             r.entities[i].name);
    /* given names of that length and ending are still names */
    r = s_run("He praised Jamal Morrow and Faisal Lindqvist.\n");
    cr_assert(s_find(&r, "per:morrow"));
    cr_assert(s_find(&r, "per:lindqvist"));
}

Test(extract_entity, a_plural_before_a_name_is_not_part_of_it)
{
    extract_result_t r = s_run("Rallies drew crowds. Floridians Dana Whitcombe and Rob Morrow "
                               "spoke first.\n");
    const extract_entity_t *e = s_find(&r, "per:whitcombe");
    cr_assert(e);
    cr_assert_str_eq(e->name, "Dana Whitcombe");
    /* an organization that begins with a plural keeps it */
    r = s_run("Funds came from Harborites for Clean Water Council.\n");
    cr_assert_str_eq(s_kind(&r, "org")->name, "Harborites for Clean Water Council");
}

Test(extract_entity, a_name_after_at_is_a_place_only_with_a_place_word)
{
    extract_result_t r = s_run("Lena Morrow, an analyst at Kestrelcorp, agreed with a "
                               "professor at Ardmore.\n");
    cr_assert_null(s_kind(&r, "place"), "%s", s_kind(&r, "place") ? s_kind(&r, "place")->key : "");
    r = s_run("They met at Harbor Square on Monday.\n");
    cr_assert(s_find(&r, "loc:harbor square"));
}

Test(extract_entity, an_adjective_closes_no_name_and_a_person_and_the_org_stay_two)
{
    extract_result_t r = s_run("Leaders of Middle Eastern nations met. Imports came from "
                               "Far Western ports.\n");
    cr_assert_null(s_kind(&r, "person"), "%s", s_kind(&r, "person") ? s_kind(&r, "person")->key : "");
    cr_assert_null(s_kind(&r, "place"), "%s", s_kind(&r, "place") ? s_kind(&r, "place")->key : "");
    r = s_run("Leader Dana Whitcombe and House Speaker Rob Morrow agreed.\n");
    for (size_t i = 0; i < r.n_entities; i++)
        cr_assert_null(strstr(r.entities[i].name, " and "), "merged: %s", r.entities[i].name);
    /* a demonym may be a surname */
    r = s_run("Writers like Dana French agreed.\n");
    cr_assert(s_find(&r, "per:french"));
}

Test(extract_entity, a_person_of_a_place_is_the_person_and_the_place)
{
    extract_result_t r = s_run("Senator Rob Morrow of Vermont agreed. Help came from Dana Whit of "
                               "New Ardmore.\n");
    const extract_entity_t *p = s_find(&r, "per:morrow");
    cr_assert(p, "no per:morrow");
    cr_assert_str_eq(p->name, "Rob Morrow");
    p = s_find(&r, "per:whit");
    cr_assert(p, "no per:whit");
    cr_assert_str_eq(p->name, "Dana Whit");
    /* one word before "of" is a place's own name */
    r = s_run("Ships waited in the Gulf of Kestrel for a week.\n");
    cr_assert_null(s_kind(&r, "person"));
}

Test(extract_entity, an_abbreviated_place_word_stays_in_the_name)
{
    extract_result_t r = s_run("The storm reached St. Ardmore on Monday, then Ft. Kestrel and "
                               "later Fort Kestrel again, and Mt. Harrow.\n");
    cr_assert(s_find(&r, "loc:saint ardmore"));
    const extract_entity_t *f = s_find(&r, "loc:fort kestrel");
    cr_assert(f);
    cr_assert_eq(f->n_mentions, 2);
    cr_assert(s_find(&r, "loc:mount harrow"));
    cr_assert_null(s_find(&r, "loc:st"));
    cr_assert_null(s_find(&r, "loc:ft"));
}

Test(extract_entity, a_headline_after_a_title_word_is_no_name)
{
    extract_result_t r = s_run("Senators Meet Over Harbor Budget Plans Before Recess\n"
                               "The vote came late.\n");
    cr_assert_null(s_kind(&r, "person"), "%s", s_kind(&r, "person") ? s_kind(&r, "person")->key : "");
}

/* Three initials are many names across articles: a name of three capitalized words goes by
   its initials only when the article writes them; four or more stay the key. */
Test(extract_entity, three_initials_key_a_name_only_when_the_article_writes_them)
{
    extract_result_t r = s_run("On Monday, the Woodmont Country Club voted.\n");
    cr_assert(s_find(&r, "org:woodmont country club"));
    cr_assert_null(s_find(&r, "org:wcc"));
    r = s_run("The Woodmont Country Club (WCC) voted. A WCC member objected.\n");
    cr_assert(s_find(&r, "org:wcc"));
    r = s_run("The Coastal Rescue Volunteer Association counted the boats.\n");
    cr_assert(s_find(&r, "org:crva"));
}

/* After a place's preposition a name is a person's when the article also writes its last
   word alone, as one writes a surname; a place's last word is not written alone. */
Test(extract_entity, a_name_after_a_preposition_is_a_person_when_its_surname_stands_alone)
{
    extract_result_t r = s_run("The money came from Tomas Vell, the records show. Vell said "
                               "nothing.\n");
    cr_assert(s_find(&r, "per:vell"));
    cr_assert_null(s_kind(&r, "place"), "%s", s_kind(&r, "place") ? s_kind(&r, "place")->key : "");
    r = s_run("Flights from Port Kestrel landed in San Ardmore late.\n");
    cr_assert_null(s_kind(&r, "person"), "%s", s_kind(&r, "person") ? s_kind(&r, "person")->key : "");
    /* a title's qualifier opens no name */
    r = s_run("Former Ardmore governor Dana Whit spoke.\n");
    for (size_t i = 0; i < r.n_entities; i++)
        cr_assert_null(strstr(r.entities[i].name, "Former"), "%s", r.entities[i].name);
    cr_assert(s_find(&r, "per:whit"));
}

/* A short form of an organization ends as it does; its first words are a place or a name
   of their own ("New York" beside "New York Times"). */
Test(extract_entity, the_first_words_of_an_organization_are_not_its_short_form)
{
    extract_result_t r = s_run("The New Ardmore Times reported it first. Crowds cheered New "
                               "Ardmore on Monday.\n");
    const extract_entity_t *o = s_find(&r, "org:new ardmore times");
    cr_assert(o);
    cr_assert_eq(o->n_mentions, 1, "the org took 'New Ardmore'");
}

/* A generational suffix is no surname: "Jr" made one person of every Jr across articles
   (per:jr held Biden, Comey and Falwell). It stays in the key after the surname, so a son
   is not his father. */
Test(extract_entity, a_generational_suffix_is_kept_after_the_surname)
{
    extract_result_t r = s_run("Rob Morrow Jr. spoke before Rob Morrow arrived. Morrow Jr. left "
                               "early.\n");
    cr_assert(s_find(&r, "per:morrow jr"));
    cr_assert(s_find(&r, "per:morrow"), "the father took the son's key");
    for (size_t i = 0; i < r.n_entities; i++)
        cr_assert_str_neq(r.entities[i].key, "per:jr");
    r = s_run("Judge Dana K. Whitcombe III ruled on Monday, and Whitcombe left.\n");
    const extract_entity_t *e = s_find(&r, "per:whitcombe iii");
    cr_assert(e);
    cr_assert_eq(e->n_mentions, 2);
}

/* "(AP)" after a dateline in capitals credits the wire; it does not make the dateline the
   agency's long form. */
Test(extract_entity, a_dateline_is_not_the_long_form_of_the_acronym_after_it)
{
    extract_result_t r = s_run("KESTREL HARBOR (AP) - The council voted on Monday, the AP said.\n");
    const extract_entity_t *o = s_find(&r, "org:ap");
    cr_assert(o, "no org:ap");
    cr_assert_str_eq(o->name, "AP");
    for (size_t i = 0; i < o->n_aliases; i++)
        cr_assert_null(strstr(o->aliases[i], "KESTREL"), "%s", o->aliases[i]);
}

/* A name the article also writes after "the" is a thing's, not a person's. */
Test(extract_entity, a_name_the_article_writes_with_the_is_no_person)
{
    extract_result_t r = s_run("Towns across the Kestrel Belt voted on Monday. Kestrel Belt voters "
                               "stayed home.\n");
    cr_assert_null(s_kind(&r, "person"), "%s", s_kind(&r, "person") ? s_kind(&r, "person")->key : "");
    r = s_run("The Harbor spoke first. Dana Whitcombe said so.\n");
    cr_assert(s_find(&r, "per:whitcombe"));
}

/* A time zone after a clock time, or a title's qualifier on its own, names nothing. */
Test(extract_entity, a_time_zone_or_a_lone_qualifier_is_no_entity)
{
    extract_result_t r = s_run("The letter went out at 7:19 p.m. EST on Monday. Former Ardmore "
                               "Gov. Dana Whit said so at 10:30 IST.\n");
    for (size_t i = 0; i < r.n_entities; i++) {
        cr_assert_str_neq(r.entities[i].key, "org:est");
        cr_assert_str_neq(r.entities[i].key, "org:ist");
        cr_assert_null(strstr(r.entities[i].name, "Former"), "%s", r.entities[i].name);
    }
    cr_assert(s_find(&r, "per:whit"));
}

/* No entity's key holds the '-' of a party and state tag ("R-N.H."). */
static void s_no_tag_entity(const extract_result_t *r)
{
    for (size_t i = 0; i < r->n_entities; i++)
        cr_assert_null(strchr(r->entities[i].key, '-'), "%s (%s)", r->entities[i].key,
                       r->entities[i].kind);
}

/* A party and state tag after a senator's name is neither an acronym of the name nor an
   entity: "Sen. Dana Whit (R-N.H.)" stays a person. */
Test(extract_entity, a_party_and_state_tag_is_no_acronym_and_no_entity)
{
    extract_result_t r = s_run("The vote helped Sen. Dana Whit (R-N.H.) on Monday, and Sen. Rob "
                               "Morrow, D-S.C., agreed.\n");
    cr_assert(s_find(&r, "per:whit"));
    cr_assert(s_find(&r, "per:morrow"));
    s_no_tag_entity(&r);
}

/* A person's key gives its surname and suffix in one reading, for the ages ("trump jr")
   and the story terms ("trump"). */
Test(extract_entity, a_person_key_gives_its_surname_and_suffix)
{
    size_t len = 0;
    const char *suf = "x";
    const char *s = extract_entity_key_surname("per:joseph biden jr", &len, &suf);
    cr_assert_str_eq(s, "biden jr");
    cr_assert_eq(len, 5);
    cr_assert_str_eq(suf, "jr");
    s = extract_entity_key_surname("per:whitcombe", &len, &suf);
    cr_assert_str_eq(s, "whitcombe");
    cr_assert_eq(len, 9);
    cr_assert_null(suf);
    s = extract_entity_key_surname("per:dana whitcombe", &len, NULL);
    cr_assert_str_eq(s, "whitcombe");
    cr_assert_str_eq(extract_entity_key_surname("per:trump iii", NULL, NULL), "trump iii");
}

/* A party and state tag without inner periods is a tag too, not a name: "(R-Utah)",
   "(D-Calif.)", "(I-Vt.)", "R-TX". Written twice, "R-Utah" was an entity of its own. */
Test(extract_entity, a_party_tag_without_inner_periods_is_no_entity)
{
    extract_result_t r = s_run("Sen. Dana Whit (R-Utah) spoke on Monday, and Rep. Kay Halden "
                               "(R-Utah) agreed.\n");
    cr_assert(s_find(&r, "per:whit"));
    cr_assert(s_find(&r, "per:halden"));
    s_no_tag_entity(&r);
    r = s_run("Rep. Rob Morrow (D-Calif.) and Sen. Ted Ardmore (I-Vt.) agreed, as did Rep. Kay "
              "Halden, R-TX, and Rep. Dana Morrow (D-Calif.).\n");
    cr_assert(s_find(&r, "per:ardmore"));
    cr_assert(s_find(&r, "per:halden"));
    s_no_tag_entity(&r);
}

/* A party's word is who a person is, not a name: "Ohio Republican Dana Whitcombe" is
   Dana Whitcombe, and "Vermont Democrats" or "the Republicans" name no entity, while an
   organization word still makes one ("Democratic Party"). */
Test(extract_entity, a_party_word_names_no_entity)
{
    extract_result_t r = s_run("Ohio Republican Dana Whitcombe spoke at the mill on Monday. "
                               "Several Vermont Democrats agreed, but the Republicans did not, "
                               "and the Democratic Party said nothing.\n");
    const extract_entity_t *e = s_find(&r, "per:whitcombe");
    cr_assert(e, "no per:whitcombe");
    cr_assert_str_eq(e->name, "Dana Whitcombe");
    cr_assert(s_find(&r, "org:democratic party"));
    for (size_t i = 0; i < r.n_entities; i++)
        cr_assert(!strstr(r.entities[i].key, "republican")
                      && !strstr(r.entities[i].key, "vermont democrats"),
                  "entity %s", r.entities[i].key);
}

/* A name of two words or more whose first word the article writes in lower case is no
   person's without a cue ("Family Voices" beside "family": "other", which a single mention
   does not export), unless the article writes its last word alone as a surname; a
   pastor's or a rabbi's title is a title. */
Test(extract_entity, a_name_opened_by_a_common_word_is_no_person)
{
    extract_result_t r = s_run("The mayor's family was not told. Reporters said Family Voices "
                               "would march on Friday, and Pastor Rob Morrow led a prayer.\n");
    cr_assert_null(s_find(&r, "per:voices"));
    const extract_entity_t *e = s_find(&r, "per:morrow");
    cr_assert(e, "no per:morrow");
    cr_assert_str_eq(e->name, "Rob Morrow");
    /* a given name that is also a word: the surname alone says it is a person */
    r = s_run("The bill passed on Monday. Reporters said Bill Ardmore voted for it, and "
              "Ardmore said so again.\n");
    cr_assert(s_find(&r, "per:ardmore"));
}

/* The title line capitalizes its small words ("Just", "By"): such a word ends a name,
   and the parts around it count only when the body names them, so the headline is no
   organization of its own. */
Test(extract_entity, a_headline_small_word_ends_a_name)
{
    const char *body = "Harbor News Panel Just Dismissed Dana Whitcombe\n"
                       "Dana Whitcombe said on Monday that she would run again.\n";
    extract_doc_t d = {(const uint8_t *)body, strlen(body), strchr(body, '\n') - body + 1, "",
                       NULL};
    extract_result_t r;
    cr_assert_eq(extract_run(ex, &d, &r), 0);
    cr_assert(s_find(&r, "per:whitcombe"));
    for (size_t i = 0; i < r.n_entities; i++)
        cr_assert(!strstr(r.entities[i].name, "Just") && !strstr(r.entities[i].name, "Panel"),
                  "entity %s", r.entities[i].key);
}

/* An organization, a title and a person: the person may have initials and a place after
   "of", the title may join two with "and", and the title follows the last organization
   word. None of it makes one organization of the whole run. */
Test(extract_entity, an_organization_title_and_person_with_initials_split)
{
    extract_result_t r = s_run("Harbor Council Minority Whip Dana R. Whitcombe of Vermont spoke "
                               "on Monday, and Coastal Safety Board Chairman and CEO Rob Morrow "
                               "agreed with Ardmore Trade Committee Chairman Kay Halden.\n");
    const extract_entity_t *e = s_find(&r, "per:whitcombe");
    cr_assert(e, "no per:whitcombe");
    cr_assert_str_eq(e->name, "Dana R. Whitcombe");
    cr_assert(s_find(&r, "per:morrow"));
    cr_assert(s_find(&r, "per:halden"));
    cr_assert(s_find(&r, "org:harbor council"));
    cr_assert(s_find(&r, "org:ardmore trade committee"));
    for (size_t i = 0; i < r.n_entities; i++)
        cr_assert(strcmp(r.entities[i].kind, "org") != 0
                      || (!strstr(r.entities[i].name, "Whit") && !strstr(r.entities[i].name, "Rob")
                          && !strstr(r.entities[i].name, "Kay")),
                  "entity %s", r.entities[i].key);
}

/* A group of people or its adjective alone names no entity ("Floridians", "Islamists",
   "Buddhist"), nor a place after a preposition; a plural demonym is its country's, as
   the singular is; a surname of the same ending still links to its person. */
Test(extract_entity, a_group_word_alone_is_no_entity)
{
    extract_result_t r = s_run("Rob Parrish spoke to Floridians on Monday. Floridians cheered, "
                               "and Islamists listened. Later Islamists left, Parrish said, and "
                               "Syrians waved. The Buddhist monks and Buddhist nuns prayed.\n");
    for (size_t i = 0; i < r.n_entities; i++)
        cr_assert(!strstr(r.entities[i].key, "floridians") && !strstr(r.entities[i].key, "islam")
                      && !strstr(r.entities[i].key, "buddhist"),
                  "entity %s", r.entities[i].key);
    cr_assert(s_find(&r, "loc:syria"));
    const extract_entity_t *e = s_find(&r, "per:parrish");
    cr_assert(e, "no per:parrish");
    cr_assert_eq(e->n_mentions, 2);
}

/* A law's or a pact's name is no person and no place: "Harbor Fairness Act" was
   per:act, "North Harbor Fishing Accord" a place by its first word. */
Test(extract_entity, a_law_is_no_person_and_no_place)
{
    extract_result_t r = s_run("Lawmakers passed the Harbor Fairness Act on Monday, and the "
                               "North Harbor Fishing Accord was signed. Critics said the Harbor "
                               "Fairness Act and the North Harbor Fishing Accord went too far.\n");
    cr_assert_null(s_find(&r, "per:act"));
    cr_assert_null(s_find(&r, "loc:north harbor fishing accord"));
    const extract_entity_t *e = s_find(&r, "oth:harbor fairness act");
    cr_assert(e, "no oth:harbor fairness act");
    cr_assert_str_eq(e->kind, "other");
}

/* A word in capitals that the article also writes in lower case is emphasis, not an
   acronym: "They break them CONSTANTLY" was org:constantly. */
Test(extract_entity, a_shouted_common_word_is_no_organization)
{
    extract_result_t r = s_run("The rules change constantly, Dana Whit said. \"They break them "
                               "CONSTANTLY and nothing is done,\" she wrote, and the NTSB agreed.\n");
    cr_assert_null(s_find(&r, "org:constantly"));
    cr_assert(s_find(&r, "org:ntsb"));
}

/* A company's or a publication's head noun makes a run an organization: "Ardmore
   Magazine", "Harbor Systems" were people by their capitals. */
Test(extract_entity, a_company_head_noun_makes_an_organization)
{
    extract_result_t r = s_run("A reporter for Ardmore Magazine asked whether Harbor Systems "
                               "would sell.\n");
    const extract_entity_t *e = s_find(&r, "org:ardmore magazine");
    cr_assert(e, "no org:ardmore magazine");
    cr_assert(s_find(&r, "org:harbor systems"));
    cr_assert_null(s_find(&r, "per:magazine"));
}

/* A run closed by a function word is a slogan or a phrase, no person ("Keep Harbor Great
   Again" was per:again), unless the article writes that word alone as a surname. */
Test(extract_entity, a_name_closed_by_a_function_word_is_no_person)
{
    extract_result_t r = s_run("Dana Whit wore a Keep Harbor Great Again cap on Monday, and her "
                               "aides wore Keep Harbor Great Again shirts. Ian Still spoke next, "
                               "and Still said little.\n");
    cr_assert_null(s_find(&r, "per:again"));
    cr_assert(s_find(&r, "per:still"));
}

/* A place's name opened by a saint or an article ("San Ardmo", "Los Harbos", "Tel
   Arbel") is a place, not a person with a surname; a title after the place still gives
   the person ("San Ardmo Sheriff Dana Whit"). */
Test(extract_entity, a_saint_or_article_opens_a_place)
{
    extract_result_t r = s_run("Voters in San Ardmo and Los Harbos met on Monday, as did "
                               "rabbis from Tel Arbel. San Ardmo Sheriff Dana Whit spoke.\n");
    cr_assert_null(s_find(&r, "per:ardmo"));
    cr_assert_null(s_find(&r, "per:harbos"));
    cr_assert_null(s_find(&r, "per:arbel"));
    cr_assert(s_find(&r, "loc:san ardmo"));
    cr_assert(s_find(&r, "loc:los harbos"));
    const extract_entity_t *e = s_find(&r, "per:whit");
    cr_assert(e, "no per:whit");
    cr_assert_str_eq(e->name, "Dana Whit");
}

/* An organization whose name holds a title's qualifier before its last organization
   word ("Harbor Foreign Trade Committee Chairman Rob Morrow") still splits from its
   chairman; a lone adjective ("Presidential") is no entity; "Co" and "LLC" close a
   company's name. */
Test(extract_entity, organization_title_adjective_and_company_suffix)
{
    extract_result_t r = s_run("Harbor Foreign Trade Committee Chairman Rob Morrow met "
                               "Presidential aides on Monday. Later, Presidential staff left, "
                               "and a loan came from Ardmore Motor Credit Co and Whitcombe "
                               "Holdings LLC.\n");
    const extract_entity_t *e = s_find(&r, "per:morrow");
    cr_assert(e, "no per:morrow");
    cr_assert_str_eq(e->name, "Rob Morrow");
    cr_assert(s_find(&r, "org:hftc"));
    cr_assert_null(s_find(&r, "oth:presidential"));
    cr_assert_null(s_find(&r, "per:co"));
    e = s_find(&r, "org:amcc");
    cr_assert(e, "no org:amcc");
    cr_assert_str_eq(e->name, "Ardmore Motor Credit Co");
}

/* A word in capitals ending like a participle or an adverb is emphasis ("WINNING"), no
   organization's acronym. */
Test(extract_entity, a_shouted_participle_is_no_entity)
{
    extract_result_t r = s_run("Dana Whit said WINNING mattered, and the NTSB agreed. WINNING, "
                               "she said, was all.\n");
    cr_assert_null(s_find(&r, "org:winning"));
    cr_assert(s_find(&r, "org:ntsb"));
}

/* A run closed by a common noun's ending ("Security", "Economics", "Conference") is no
   person's name; a surname that ends alike but otherwise ("Garrity") still is. */
Test(extract_entity, a_name_closed_by_a_noun_ending_is_no_person)
{
    extract_result_t r = s_run("Dana Whit praised Harbor Security and Ardmore Economics on "
                               "Monday at the Coastal Trade Conference, as did Rob Garrity.\n");
    cr_assert_null(s_find(&r, "per:security"));
    cr_assert_null(s_find(&r, "per:economics"));
    cr_assert_null(s_find(&r, "per:conference"));
    cr_assert(s_find(&r, "per:garrity"));
}

/* One word after a party's word is the article's person of that surname ("Republican
   Whitcombe"), not a person of two words; a former one before a name is no part of it
   ("Former Dana Whitcombe"). */
Test(extract_entity, a_party_word_or_former_before_a_name)
{
    extract_result_t r = s_run("Dana Whitcombe spoke on Monday. Later, Republican Whitcombe "
                               "left, and Former Rob Morrow stayed.\n");
    const extract_entity_t *e = s_find(&r, "per:whitcombe");
    cr_assert(e, "no per:whitcombe");
    cr_assert_str_eq(e->name, "Dana Whitcombe");
    cr_assert_eq(e->n_mentions, 2);
    e = s_find(&r, "per:morrow");
    cr_assert(e, "no per:morrow");
    cr_assert_str_eq(e->name, "Rob Morrow");
}

/* "Beach", "Park", "Heights" end places' names ("Ardmo Beach" was per:beach), unless the
   article writes such a word alone, as a surname ("Dana Park ... Park said"). */
Test(extract_entity, a_beach_or_park_ends_a_place)
{
    extract_result_t r = s_run("Visitors crowded Ardmo Beach and Whitby Heights on Monday. "
                               "Dana Park said so, and Park smiled.\n");
    cr_assert_null(s_find(&r, "per:beach"));
    cr_assert_null(s_find(&r, "per:heights"));
    cr_assert(s_find(&r, "loc:ardmo beach"));
    cr_assert(s_find(&r, "loc:whitby heights"));
    const extract_entity_t *e = s_find(&r, "per:park");
    cr_assert(e, "no per:park");
    cr_assert_str_eq(e->name, "Dana Park");
}

/* A place's name cut at a title's abbreviation is the place ("North Ardmo Gov." was
   loc:north ardmo gov); "El" opens a place's name as "San" does. */
Test(extract_entity, a_place_before_a_title_abbreviation)
{
    extract_result_t r = s_run("Former North Ardmo Gov. Dana Whit spoke in El Harbo on Monday, "
                               "and El Harbo cheered.\n");
    cr_assert_null(s_find(&r, "loc:north ardmo gov"));
    cr_assert(s_find(&r, "loc:north ardmo"));
    cr_assert_null(s_find(&r, "per:harbo"));
}

/* A company's head noun ends a company's name ("Whitby Pharmaceuticals" was a person)
   but names nothing alone ("Consulting"); "Latinos" and "European" alone are groups and
   adjectives, no entities. */
Test(extract_entity, a_company_head_and_more_group_words)
{
    extract_result_t r = s_run("Analysts at Whitby Pharmaceuticals said Consulting was slow. "
                               "Consulting, they said, would recover. Latinos and European "
                               "envoys agreed, and Latinos said European banks would too.\n");
    const extract_entity_t *e = s_find(&r, "org:whitby pharmaceuticals");
    cr_assert(e, "no org:whitby pharmaceuticals");
    cr_assert_null(s_find(&r, "org:consulting"));
    cr_assert_null(s_find(&r, "oth:latinos"));
    cr_assert_null(s_find(&r, "oth:european"));
}

/* "OK" and "O.K." are words, no acronyms of organizations. */
Test(extract_entity, ok_is_no_organization)
{
    extract_result_t r = s_run("Dana Whit said it was OK to wait, and Rob Morrow said O.K. "
                               "twice. It was OK, and O.K. again.\n");
    cr_assert_null(s_find(&r, "org:ok"));
    cr_assert_null(s_find(&r, "org:o.k."));
    cr_assert(s_find(&r, "per:whit"));
}

/* A run closed by a plural group word names a group, no entity: "Ardmo Americans" was
   a person. */
Test(extract_entity, a_run_closed_by_a_group_word_is_no_entity)
{
    extract_result_t r = s_run("Dana Whit spoke to Ardmo Americans on Monday, and Ardmo "
                               "Americans cheered.\n");
    for (size_t i = 0; i < r.n_entities; i++)
        cr_assert(!strstr(r.entities[i].key, "americans"), "entity %s", r.entities[i].key);
    cr_assert(s_find(&r, "per:whit"));
}

/* A handle or a hashtag is no name as written: "@DanaWhit" was oth:danawhit. */
Test(extract_entity, a_handle_or_hashtag_is_no_entity)
{
    extract_result_t r = s_run("Thanks to @DanaWhit and #HarborStrong fans, said Rob Morrow, "
                               "and @DanaWhit agreed with #HarborStrong again.\n");
    cr_assert_null(s_find(&r, "oth:danawhit"));
    cr_assert_null(s_find(&r, "oth:harborstrong"));
    cr_assert(s_find(&r, "per:morrow"));
}

/* A lone adjective where a place would stand ("near Coastal", "Southern county") is no
   place. */
Test(extract_entity, a_lone_adjective_is_no_place)
{
    extract_result_t r = s_run("Dana Whit toured a Southern county on Monday and lives near "
                               "Coastal, she said.\n");
    cr_assert_null(s_find(&r, "loc:southern"));
    cr_assert_null(s_find(&r, "loc:coastal"));
    cr_assert(s_find(&r, "per:whit"));
}

/* "Former" before an organization is no part of its name: "Former Harbor Council chief
   Dana Whit" names the Harbor Council, not org:former harbor council. */
Test(extract_entity, former_before_an_organization_is_no_part_of_it)
{
    extract_result_t r = s_run("Former Harbor Council chief Dana Whit spoke on Monday.\n");
    cr_assert_null(s_find(&r, "org:former harbor council"));
    cr_assert(s_find(&r, "org:harbor council"));
}

/* A generational suffix in capitals closes a person's name, and a bare surname that two
   people of the article share is the one the article named first (a man, then his wife). */
Test(extract_entity, a_roman_suffix_and_a_bare_surname_of_two_people)
{
    extract_result_t r = s_run(
        "Orrin Velasquez III, 41, was charged on Tuesday. Velasquez had left the office.\n"
        "Records name his wife, Marisol Velasquez, as the owner of the boat. Velasquez "
        "said nothing.\n");
    const extract_entity_t *him = s_find(&r, "per:velasquez iii");
    cr_assert(him, "no per:velasquez iii");
    cr_expect_str_eq(him->name, "Orrin Velasquez III");
    cr_expect_eq(him->n_mentions, 3, "his full name and both bare surnames");
    const extract_entity_t *her = s_find(&r, "per:velasquez");
    cr_assert(her, "no per:velasquez");
    cr_expect_str_eq(her->name, "Marisol Velasquez");
    cr_expect_eq(her->n_mentions, 1);
    bool spoke = false;
    for (size_t i = 0; i < r.n_attrs; i++)
        if (r.attrs[i].speaker_entity
            && strcmp(r.attrs[i].speaker_entity, "per:velasquez iii") == 0)
            spoke = true;
    cr_expect(spoke, "the bare surname speaking is him");
}

/* A hotel, an inn or a museum names a business or an institution, not a person: "Harbor
   Garden Inn" was a person of surname Inn. */
Test(extract_entity, a_hotel_or_a_museum_is_no_person)
{
    extract_result_t r = s_run("The workout was held at a Harbor Garden Inn on Monday, and the "
                               "rally at the Whitcombe Museum drew hundreds.\n");
    cr_expect_null(s_find(&r, "per:inn"));
    cr_expect_null(s_find(&r, "per:museum"));
    const extract_entity_t *e = s_find(&r, "org:harbor garden inn");
    cr_assert(e, "no org:harbor garden inn");
    cr_expect_str_eq(e->kind, "org");
}

/* A headline in title case inside the text is no name: six words or more, two of them
   small words in capitals, made an organization of its initials (org:sjritmmtfsia). */
Test(extract_entity, a_title_case_headline_in_the_text_is_no_name)
{
    extract_result_t r = s_run("Read more. Son Just Received In The Mail Made The FBI Spring "
                               "Into Action. Dana Whitcombe of the Harbor Center for Maritime and "
                               "Coastal Studies disagreed.\n");
    for (size_t i = 0; i < r.n_entities; i++)
        cr_expect(strstr(r.entities[i].name, "Mail") == NULL, "a headline as %s",
                  r.entities[i].key);
    cr_expect(s_find(&r, "per:whitcombe"));
    const extract_entity_t *e = s_find(&r, "org:hcmcs");
    cr_assert(e, "a name with its small words in lower case stays whole");
    cr_expect_str_eq(e->name, "Harbor Center for Maritime and Coastal Studies");
}

/* A word of an address ("whitcombe.com", "@whitcombe") is no sighting of it in lower
   case, which would make the name a common word; and "St" closes no person's name. */
Test(extract_entity, an_address_is_no_lower_case_word_and_st_is_a_street)
{
    extract_result_t r = s_run("The court asked whether Dana Whitcombe and the State Department "
                               "kept the whitcombe.com email system. Followers of @whitcombe "
                               "met on Monday. The rally on Spring St drew hundreds.\n");
    const extract_entity_t *e = s_find(&r, "per:whitcombe");
    cr_assert(e, "no per:whitcombe");
    cr_expect_str_eq(e->kind, "person");
    cr_expect_null(s_find(&r, "per:spring st"));
    cr_expect_null(s_find(&r, "per:st"));
}
