/*  Tests for extract_attrib: direct and indirect speech, "according to", addressees,
    appositions, inverted speakers, pronoun resolution, and the cue lexicon. */
#include <criterion/criterion.h>
#include <string.h>

#include "extract.h"
#include "extract_attrib.h"

static extract_t *ex;
static void setup(void) { ex = extract_new(); }
static void teardown(void) { extract_destroy(&ex); }
TestSuite(extract_attrib, .init = setup, .fini = teardown);

static extract_result_t s_run(const char *body)
{
    extract_doc_t d = {(const uint8_t *)body, strlen(body), 0, "", NULL};
    extract_result_t r;
    int rc = extract_run(ex, &d, &r);
    cr_assert_eq(rc, 0, "%s", extract_strerror(rc));
    return r;
}

#define SPAN_IS(sp, str) cr_assert((sp).text && strcmp((sp).text, (str)) == 0, \
    "%s is \"%s\", want \"%s\"", #sp, (sp).text ? (sp).text : "(null)", (str))

Test(extract_attrib, cue_lexicon)
{
    cr_assert_eq(extract_attrib_cue_class("said"), ATTRIB_CUE_VERB);
    cr_assert_eq(extract_attrib_cue_class("told"), ATTRIB_CUE_TELL);
    cr_assert_eq(extract_attrib_cue_class("adding"), ATTRIB_CUE_PART);
    cr_assert_eq(extract_attrib_cue_class("according"), ATTRIB_CUE_ACCORD);
    cr_assert_eq(extract_attrib_cue_class("table"), ATTRIB_CUE_NONE);
    cr_assert_eq(extract_attrib_cue_class(""), ATTRIB_CUE_NONE);
}

Test(extract_attrib, direct_quote_then_speaker)
{
    const char *body = "\xe2\x80\x9cThe bridge is safe,\xe2\x80\x9d Mayor Lena Holt said on Monday.\n";
    extract_result_t r = s_run(body);
    cr_assert_eq(r.n_attrs, 1);
    const extract_attr_t *a = &r.attrs[0];
    cr_assert(a->direct);
    SPAN_IS(a->cue, "said");
    SPAN_IS(a->speaker, "Mayor Lena Holt");
    SPAN_IS(a->content, "\xe2\x80\x9cThe bridge is safe,\xe2\x80\x9d");
    cr_assert_str_eq(a->speaker_entity, "per:holt");
    cr_assert_eq(a->content.start, 0);
}

Test(extract_attrib, indirect_speech_and_pronoun)
{
    extract_result_t r = s_run(
        "Lena Holt said that the bridge would reopen in May.\n"
        "\xe2\x80\x9cWe are nearly done,\xe2\x80\x9d she said.\n");
    cr_assert_eq(r.n_attrs, 2);
    cr_assert_not(r.attrs[0].direct);
    SPAN_IS(r.attrs[0].content, "the bridge would reopen in May");
    SPAN_IS(r.attrs[1].speaker, "she");
    cr_assert_str_eq(r.attrs[1].speaker_entity, "per:holt");
}

Test(extract_attrib, according_to_both_ways)
{
    extract_result_t r = s_run(
        "According to the Harbour Authority, ten ships were delayed.\n"
        "Ten ships were delayed, according to port records.\n");
    cr_assert_eq(r.n_attrs, 2);
    SPAN_IS(r.attrs[0].cue, "According to");
    SPAN_IS(r.attrs[0].speaker, "the Harbour Authority");
    SPAN_IS(r.attrs[0].content, "ten ships were delayed");
    SPAN_IS(r.attrs[1].speaker, "port records");
    SPAN_IS(r.attrs[1].content, "Ten ships were delayed");
}

Test(extract_attrib, told_with_addressee)
{
    extract_result_t r = s_run("Karl Brandt told reporters that the vote was fair.\n");
    cr_assert_eq(r.n_attrs, 1);
    SPAN_IS(r.attrs[0].addressee, "reporters");
    SPAN_IS(r.attrs[0].content, "the vote was fair");
    SPAN_IS(r.attrs[0].speaker, "Karl Brandt");
}

Test(extract_attrib, apposition_and_inverted)
{
    extract_result_t r = s_run(
        "Hugh Hill, a doctor at the clinic, said the wards were full.\n"
        "The wards were full, said Nora Vik.\n");
    cr_assert_eq(r.n_attrs, 2);
    SPAN_IS(r.attrs[0].speaker, "Hugh Hill");
    SPAN_IS(r.attrs[0].content, "the wards were full");
    SPAN_IS(r.attrs[1].speaker, "Nora Vik");
    SPAN_IS(r.attrs[1].content, "The wards were full");
}

Test(extract_attrib, clause_before_speaker)
{
    extract_result_t r = s_run("The talks had failed, the minister said on Friday.\n");
    cr_assert_eq(r.n_attrs, 1);
    SPAN_IS(r.attrs[0].speaker, "the minister");
    SPAN_IS(r.attrs[0].content, "The talks had failed");
}

Test(extract_attrib, speaker_colon_quote_and_adding)
{
    extract_result_t r = s_run(
        "Ines Soto said: \xe2\x80\x9cWe will appeal.\xe2\x80\x9d\n"
        "Soto said the court erred, adding that the fine was too high.\n");
    cr_assert_eq(r.n_attrs, 3);
    cr_assert(r.attrs[0].direct);
    SPAN_IS(r.attrs[0].content, "\xe2\x80\x9cWe will appeal.\xe2\x80\x9d");
    SPAN_IS(r.attrs[1].content, "the court erred");
    SPAN_IS(r.attrs[2].cue, "adding");
    SPAN_IS(r.attrs[2].content, "the fine was too high");
    cr_assert_str_eq(r.attrs[2].speaker_entity, "per:soto");
}

Test(extract_attrib, no_attribution_without_cue)
{
    extract_result_t r = s_run("The bridge opened in May and the river rose.\n");
    cr_assert_eq(r.n_attrs, 0);
}

/* Beliefs, wishes and expectations are attributions too; nouns that look like verbs
   ("plans") are not cues. */
Test(extract_attrib, cognition_verbs)
{
    cr_assert_eq(extract_attrib_cue_class("believes"), ATTRIB_CUE_VERB);
    cr_assert_eq(extract_attrib_cue_class("wants"), ATTRIB_CUE_VERB);
    cr_assert_eq(extract_attrib_cue_class("hoping"), ATTRIB_CUE_PART);
    cr_assert_eq(extract_attrib_cue_class("plans"), ATTRIB_CUE_NONE);
    extract_result_t r = s_run("Marta Quill believes the ferry fares will fall next spring.\n");
    cr_assert_eq(r.n_attrs, 1);
    SPAN_IS(r.attrs[0].cue, "believes");
    SPAN_IS(r.attrs[0].speaker, "Marta Quill");
    SPAN_IS(r.attrs[0].content, "the ferry fares will fall next spring");
}

/* "Asked whether C, X said": the question is its own attribution, without a speaker. */
Test(extract_attrib, asked_question_opener)
{
    extract_result_t r = s_run(
        "Asked whether the dam would hold, Peter Ulm said the engineers were confident.\n");
    cr_assert_eq(r.n_attrs, 2);
    SPAN_IS(r.attrs[0].cue, "Asked");
    cr_assert_null(r.attrs[0].speaker.text);
    SPAN_IS(r.attrs[0].content, "whether the dam would hold");
    SPAN_IS(r.attrs[1].speaker, "Peter Ulm");
    SPAN_IS(r.attrs[1].content, "the engineers were confident");
}

/* PolNeAR gives a token to one attribution: a cue inside another's content is not its own,
   unless it opens a clause of its own, which then ends the outer content. */
Test(extract_attrib, nested_cue_belongs_to_outer_content)
{
    extract_result_t r = s_run("Vera Lind said the council believes the tax is fair.\n");
    cr_assert_eq(r.n_attrs, 1);
    SPAN_IS(r.attrs[0].cue, "said");
    SPAN_IS(r.attrs[0].content, "the council believes the tax is fair");
}

Test(extract_attrib, coordinated_clause_ends_outer_content)
{
    extract_result_t r = s_run(
        "Vera Lind said the roads were clear but Omar Diaz warned that ice would form.\n");
    cr_assert_eq(r.n_attrs, 2);
    SPAN_IS(r.attrs[0].content, "the roads were clear");
    SPAN_IS(r.attrs[1].speaker, "Omar Diaz");
    SPAN_IS(r.attrs[1].content, "ice would form");
}

/* A stance verb's content is its object, not the rest of the clause. */
Test(extract_attrib, object_cue_content_is_the_object)
{
    extract_result_t r = s_run("The Harbour Union endorsed Mayor Lena Holt last week.\n"
                               "Two ferry captains backed Holt and then left the hall.\n");
    cr_assert_eq(r.n_attrs, 2);
    SPAN_IS(r.attrs[0].cue, "endorsed");
    SPAN_IS(r.attrs[0].speaker, "The Harbour Union");
    SPAN_IS(r.attrs[0].content, "Mayor Lena Holt");
    SPAN_IS(r.attrs[1].cue, "backed");
    SPAN_IS(r.attrs[1].content, "Holt");
}

/* Measured additions to the lexicon: speech, cognition and stance forms. */
Test(extract_attrib, measured_lexicon)
{
    cr_assert_eq(extract_attrib_cue_class("learned"), ATTRIB_CUE_VERB);
    cr_assert_eq(extract_attrib_cue_class("worries"), ATTRIB_CUE_VERB);
    cr_assert_eq(extract_attrib_cue_class("discussing"), ATTRIB_CUE_PART);
    cr_assert_eq(extract_attrib_cue_class("backed"), ATTRIB_CUE_VERB);
    cr_assert_eq(extract_attrib_cue_class("support"), ATTRIB_CUE_NONE);
    extract_result_t r = s_run("Ada Brook learned that the tunnel would close in June.\n");
    cr_assert_eq(r.n_attrs, 1);
    SPAN_IS(r.attrs[0].speaker, "Ada Brook");
    SPAN_IS(r.attrs[0].content, "the tunnel would close in June");
}

/* An inverted speaker keeps its prepositional tail ("a spokesman to the mayor"); a verb
   after a plain word ("is being denied the chance") has no inverted speaker. */
Test(extract_attrib, inverted_speaker_with_of_phrase)
{
    extract_result_t r = s_run(
        "\xe2\x80\x9cWe will reopen the bridge in May,\xe2\x80\x9d said a spokesman to the mayor.\n"
        "Ada Brook says she is being denied the chance to speak at the hall.\n");
    cr_assert_eq(r.n_attrs, 2);
    SPAN_IS(r.attrs[0].speaker, "a spokesman to the mayor");
    SPAN_IS(r.attrs[1].cue, "says");
    SPAN_IS(r.attrs[1].content, "she is being denied the chance to speak at the hall");
}

/* "X, who estimated C, said D": the relative clause's content stops before the main verb. */
Test(extract_attrib, relative_clause_content_stops_at_main_verb)
{
    extract_result_t r = s_run(
        "Mr. Ulm, who estimated that half the boats were idle, said he would sell his own.\n");
    cr_assert_eq(r.n_attrs, 2);
    SPAN_IS(r.attrs[0].cue, "estimated");
    SPAN_IS(r.attrs[0].content, "half the boats were idle");
    SPAN_IS(r.attrs[1].cue, "said");
    SPAN_IS(r.attrs[1].content, "he would sell his own");
}

/* A verb of saying with its own speaker outranks a weaker cue whose content runs over it:
   the weaker content stops before it. */
Test(extract_attrib, saying_outranks_weaker_cue)
{
    extract_result_t r = s_run(
        "Mr. Ulm, citing the charm of the old port, said the town could grow.\n");
    cr_assert_eq(r.n_attrs, 2);
    SPAN_IS(r.attrs[0].cue, "citing");
    SPAN_IS(r.attrs[0].content, "the charm of the old port");
    SPAN_IS(r.attrs[1].cue, "said");
    SPAN_IS(r.attrs[1].speaker, "Mr. Ulm");
    SPAN_IS(r.attrs[1].content, "the town could grow");
}

/* A participle after a determiner is an adjective, not a cue. */
Test(extract_attrib, participle_after_determiner_is_no_cue)
{
    extract_result_t r = s_run("The pledged funds reached the harbour fund in May.\n");
    cr_assert_eq(r.n_attrs, 0);
}

/* Base forms that are as often nouns or infinitives are cues only after a subject. */
Test(extract_attrib, base_form_needs_a_subject)
{
    extract_result_t r = s_run(
        "Port records show that the ferry ran late all winter.\n"
        "The show was cancelled before the ferry ran again.\n");
    cr_assert_eq(r.n_attrs, 1);
    SPAN_IS(r.attrs[0].cue, "show");
    SPAN_IS(r.attrs[0].speaker, "Port records");
    SPAN_IS(r.attrs[0].content, "the ferry ran late all winter");
}

/* Transcripts: a paragraph that opens with a name and a colon; list entries are not. */
Test(extract_attrib, transcript_colon)
{
    extract_result_t r = s_run(
        "The interview went on for an hour.\n"
        "HOLT: We will reopen the old bridge before the winter comes.\n"
        "Holt: 1,200\n");
    cr_assert_eq(r.n_attrs, 1);
    SPAN_IS(r.attrs[0].cue, ":");
    SPAN_IS(r.attrs[0].speaker, "HOLT");
    SPAN_IS(r.attrs[0].content, "We will reopen the old bridge before the winter comes");
}

/* A noun of saying after a possessive is a cue of its own. */
Test(extract_attrib, noun_cue_after_possessive)
{
    extract_result_t r = s_run(
        "The crowd cheered Mayor Holt's criticism of the harbour board.\n"
        "The crowd heard her claim that the board had lied.\n");
    cr_assert_eq(r.n_attrs, 2);
    SPAN_IS(r.attrs[0].cue, "criticism of");
    SPAN_IS(r.attrs[0].speaker, "Mayor Holt's");
    SPAN_IS(r.attrs[0].content, "the harbour board");
    SPAN_IS(r.attrs[1].cue, "claim");
    SPAN_IS(r.attrs[1].speaker, "her");
    SPAN_IS(r.attrs[1].content, "the board had lied");
}

/* "In a poll ..., C" is the poll's attribution. */
Test(extract_attrib, in_a_poll)
{
    extract_result_t r = s_run(
        "In a harbour survey released Monday, most boat owners backed the new fees.\n");
    cr_assert_geq(r.n_attrs, 1);
    SPAN_IS(r.attrs[0].cue, "In");
    SPAN_IS(r.attrs[0].speaker, "a harbour survey released Monday");
    SPAN_IS(r.attrs[0].content, "most boat owners backed the new fees");
}

/* Verbs and adjectives that report only with "about", "of" or "on". */
Test(extract_attrib, about_cues)
{
    extract_result_t r = s_run(
        "Ada Brook spoke about the flooding of the lower town.\n"
        "Ada Brook spoke to the crowd at noon.\n"
        "Omar Diaz is skeptical of the new harbour plan.\n");
    cr_assert_eq(r.n_attrs, 2);
    SPAN_IS(r.attrs[0].cue, "spoke about");
    SPAN_IS(r.attrs[0].speaker, "Ada Brook");
    SPAN_IS(r.attrs[0].content, "the flooding of the lower town");
    SPAN_IS(r.attrs[1].cue, "skeptical of");
    SPAN_IS(r.attrs[1].speaker, "Omar Diaz");
    SPAN_IS(r.attrs[1].content, "the new harbour plan");
}

/* "C, X said, adding D": C is what was said, and the participle keeps the speaker. */
Test(extract_attrib, said_then_adding)
{
    extract_result_t r = s_run(
        "The ferry will run in May, Mr. Ulm said, adding that the port would open too.\n"
        "Mr. Ulm said the port is \xe2\x80\x9cthe only hope for the town,\xe2\x80\x9d"
        " adding that it needs money.\n");
    cr_assert_eq(r.n_attrs, 4);
    SPAN_IS(r.attrs[0].content, "The ferry will run in May");
    SPAN_IS(r.attrs[1].cue, "adding");
    SPAN_IS(r.attrs[1].speaker, "Mr. Ulm");
    SPAN_IS(r.attrs[1].content, "the port would open too");
    SPAN_IS(r.attrs[2].content, "the port is \xe2\x80\x9cthe only hope for the town,\xe2\x80\x9d");
    SPAN_IS(r.attrs[3].content, "it needs money");
}

/* "C1, X discussed C2, the Times reported": the report holds the other cue. */
Test(extract_attrib, report_after_clause_with_cue)
{
    extract_result_t r = s_run(
        "In one letter, Carter discussed how he had lost a card, the Harbour Times reported.\n");
    cr_assert_eq(r.n_attrs, 1);
    SPAN_IS(r.attrs[0].cue, "reported");
    SPAN_IS(r.attrs[0].speaker, "the Harbour Times");
    SPAN_IS(r.attrs[0].content, "In one letter, Carter discussed how he had lost a card");
}

/* "Asked on TV who leads, he said Ulm": the question over adjuncts, and a one-word
   answer. */
Test(extract_attrib, asked_with_adjuncts_and_short_answer)
{
    extract_result_t r = s_run("Asked on Harbour Radio who leads the town, he said Ulm.\n");
    cr_assert_eq(r.n_attrs, 2);
    SPAN_IS(r.attrs[0].cue, "Asked");
    SPAN_IS(r.attrs[0].content, "who leads the town");
    SPAN_IS(r.attrs[1].cue, "said");
    SPAN_IS(r.attrs[1].content, "Ulm");
}

/* A party and state in parentheses stays with the speaker's name. */
Test(extract_attrib, parenthesis_after_speaker)
{
    extract_result_t r = s_run(
        "\xe2\x80\x9cThe port must stay open,\xe2\x80\x9d Sen. Lena Holt (D-Ore.) said.\n");
    cr_assert_eq(r.n_attrs, 1);
    SPAN_IS(r.attrs[0].speaker, "Sen. Lena Holt (D-Ore.)");
    cr_assert(r.attrs[0].direct);
}

/* A transcript pasted as a quotation keeps its speakers. */
Test(extract_attrib, transcript_in_quotation)
{
    extract_result_t r = s_run(
        "\"HOLT: We will reopen the old bridge before the winter comes.\n"
        "\"DIAZ: And who is going to pay for all of that work?\"\n");
    cr_assert_eq(r.n_attrs, 2);
    SPAN_IS(r.attrs[0].speaker, "HOLT");
    SPAN_IS(r.attrs[1].speaker, "DIAZ");
    SPAN_IS(r.attrs[1].content, "And who is going to pay for all of that work?\"");
}

/* Poll shares are subjects ("more than 5 in 10"), and a clause of their own ends the
   content before them. */
Test(extract_attrib, poll_share_speakers)
{
    extract_result_t r = s_run(
        "Four in 10 voters said the fees were fair, and more than 5 in 10 said they were too high.\n");
    cr_assert_eq(r.n_attrs, 2);
    SPAN_IS(r.attrs[0].speaker, "Four in 10 voters");
    SPAN_IS(r.attrs[0].content, "the fees were fair");
    SPAN_IS(r.attrs[1].speaker, "more than 5 in 10");
    SPAN_IS(r.attrs[1].content, "they were too high");
}

/* A quotation that a preposition carries on is part of a longer content. */
Test(extract_attrib, quotation_inside_indirect_content)
{
    extract_result_t r = s_run(
        "Ryan Holt said \xe2\x80\x9cwe need more time\xe2\x80\x9d about the port deal.\n");
    cr_assert_eq(r.n_attrs, 1);
    SPAN_IS(r.attrs[0].content, "\xe2\x80\x9cwe need more time\xe2\x80\x9d about the port deal");
}

/* A transcript turn is one content: cues inside it are the speaker's words. */
Test(extract_attrib, transcript_turn_is_one_content)
{
    extract_result_t r = s_run(
        "The interview went on for an hour.\n"
        "HOLT: Well, I think the bridge will open soon. I said so to the council last week.\n");
    cr_assert_eq(r.n_attrs, 1);
    SPAN_IS(r.attrs[0].speaker, "HOLT");
    SPAN_IS(r.attrs[0].content,
            "Well, I think the bridge will open soon. I said so to the council last week");
}

/* "C, she says, D": one content around the speaker and the cue. */
Test(extract_attrib, parenthetical_speaker_mid_sentence)
{
    extract_result_t r = s_run(
        "Things have changed at the port, she says, especially since the storm.\n");
    cr_assert_eq(r.n_attrs, 1);
    SPAN_IS(r.attrs[0].speaker, "she");
    SPAN_IS(r.attrs[0].content,
            "Things have changed at the port, she says, especially since the storm");
}

/* A title-case line in the body is a headline too. */
Test(extract_attrib, title_case_line_in_body)
{
    extract_result_t r = s_run("The evening news.\nMayor Holt Says The Bridge Will Open\n");
    cr_assert_eq(r.n_attrs, 1);
    SPAN_IS(r.attrs[0].cue, "Says");
    SPAN_IS(r.attrs[0].speaker, "Mayor Holt");
    SPAN_IS(r.attrs[0].content, "The Bridge Will Open");
}

/* "appeared on a show" is showing up; "show up" and a title-case "Show" are not cues. */
Test(extract_attrib, appeared_on_and_show_up)
{
    extract_result_t r = s_run(
        "Mayor Holt appeared on a radio programme on Monday.\n"
        "Many voters show up early at the harbour hall.\n");
    cr_assert_eq(r.n_attrs, 0);
}

/* A passive cue with "by": the agent speaks, the subject is what was said. */
Test(extract_attrib, passive_with_agent)
{
    extract_result_t r = s_run("The ferry plan was first reported by the Harbour Times.\n");
    cr_assert_eq(r.n_attrs, 1);
    SPAN_IS(r.attrs[0].cue, "reported");
    SPAN_IS(r.attrs[0].speaker, "the Harbour Times");
    SPAN_IS(r.attrs[0].content, "The ferry plan");
}

/* A participle in an opening clause: the subject comes after the clause, and the content
   ends with it. */
Test(extract_attrib, participle_in_opening_clause)
{
    extract_result_t r = s_run("After saying the port was safe, Mayor Holt left the hall.\n");
    cr_assert_eq(r.n_attrs, 1);
    SPAN_IS(r.attrs[0].cue, "saying");
    SPAN_IS(r.attrs[0].speaker, "Mayor Holt");
    SPAN_IS(r.attrs[0].content, "the port was safe");
}

/* Light verbs report with a noun of saying: "made clear", "made several comments about". */
Test(extract_attrib, light_verb_cues)
{
    extract_result_t r = s_run(
        "Mayor Holt made it clear that the bridge would open in May.\n"
        "Omar Diaz made several comments about the harbour fees.\n"
        "Omar Diaz made a boat out of old planks.\n"
        "The port released a statement that the ferry is safe.\n");
    cr_assert_eq(r.n_attrs, 3);
    SPAN_IS(r.attrs[0].cue, "made it clear");
    SPAN_IS(r.attrs[0].speaker, "Mayor Holt");
    SPAN_IS(r.attrs[0].content, "the bridge would open in May");
    SPAN_IS(r.attrs[1].cue, "made several comments about");
    SPAN_IS(r.attrs[1].content, "the harbour fees");
    SPAN_IS(r.attrs[2].cue, "released a statement");
    SPAN_IS(r.attrs[2].content, "the ferry is safe");
}
