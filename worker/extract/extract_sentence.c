/*  extract_sentence: one pass for sentences, one for quotes. */
#include "extract_sentence.h"
#include "util.h"

#include <string.h>

static bool s_in(const char *f, const char *const *list)
{
    /* First byte before strcmp: most words differ there, and the call dominates. */
    for (; *list; list++)
        if ((*list)[0] == f[0] && strcmp(f, *list) == 0)
            return true;
    return false;
}

/* Titles and similar: a period after them never ends a sentence. */
static const char *const s_abbr_title[] = {
    "mr", "mrs", "ms", "dr", "gen", "lt", "col", "maj", "capt", "sgt", "cpl", "adm", "sen",
    "rep", "gov", "prof", "st", "rev", "hon", "pres", "supt", "insp", "det", "messrs", "fr",
    "gens", "reps", "sens", "mt", "ft", "vs", "v", "cmdr", "brig", "lieut", "atty", NULL};
/* Months and "No.": they end a sentence only when no number follows. */
static const char *const s_abbr_num[] = {
    "jan", "feb", "mar", "apr", "jun", "jul", "aug", "sep", "sept", "oct", "nov", "dec",
    "no", "nos", "art", "p", "pp", "vol", "fig", NULL};
/* Company suffixes and the like: a sentence ends after them only before a usual opener. */
static const char *const s_abbr_other[] = {
    "inc", "corp", "co", "ltd", "etc", "jr", "sr", "bros", "plc", "u.s", "u.k", "u.n",
    "a.m", "p.m", "d.c", "e.u", "approx", "est", "al", NULL};
/* Words that usually open a sentence. */
static const char *const s_opener[] = {
    "the", "a", "an", "he", "she", "it", "they", "we", "i", "but", "and", "in", "on", "at",
    "this", "that", "these", "those", "there", "his", "her", "their", "its", "our", "after",
    "when", "while", "as", "if", "some", "many", "however", "meanwhile", "still", "yet",
    "for", "with", "by", "from", "no", "one", "last", "earlier", "later", "also", "so", NULL};

bool extract_sentence_is_abbrev(const char *f, const char *next)
{
    if (s_in(f, s_abbr_title))
        return true;
    if (s_in(f, s_abbr_num))
        return next && next[0] >= '0' && next[0] <= '9';
    if (s_in(f, s_abbr_other))
        return !(next && s_in(next, s_opener));
    return false;
}

static bool s_is_term(const xtok_t *t)
{
    if (!(t->flags & TK_PUNCT))
        return false;
    const char *f = t->f;
    return strcmp(f, ".") == 0 || strcmp(f, "!") == 0 || strcmp(f, "?") == 0
        || strcmp(f, "...") == 0 || strcmp(f, "\xe2\x80\xa6") == 0;
}

static bool s_is_closer(const xtok_t *t)
{
    if (!(t->flags & TK_PUNCT))
        return false;
    return t->f[0] == '"' || t->f[0] == ')' || t->f[0] == ']' || t->f[0] == '\'';
}

void extract_sentence_split(xctx_t *c)
{
    xtok_t *t = c->tok.v;
    size_t n = c->tok.n;
    c->sent.n = 0;
    if (n == 0)
        return;
    size_t start = 0;
    for (size_t i = 1; i <= n; i++) {
        bool cut = false;
        if (i == n || (t[i].flags & TK_PARA)
            || ((t[i].flags & TK_TITLE) != (t[i - 1].flags & TK_TITLE)))
            cut = true;
        else {
            /* Is the token before i the end of a sentence? Look back over closers. */
            size_t k = i - 1;
            while (k > start && s_is_closer(&t[k]) && t[k].s == t[k - 1].e)
                k--;
            const xtok_t *nx = &t[i];
            bool next_ok = (nx->flags & (TK_CAP | TK_NUM | TK_QUOTE))
                || (nx->flags & TK_PUNCT && (nx->f[0] == '(' || nx->f[0] == '['));
            /* An opening quote right after a terminator is fine; a closing one is not. */
            /* ".41" after a space is a number, not a period: "a level of .41" */
            bool lead_dot = k == i - 1 && t[k].f[0] == '.' && t[k].f[1] == 0
                            && (nx->flags & TK_NUM) && nx->s == t[k].e && k > start
                            && t[k - 1].e < t[k].s;
            if (s_is_term(&t[k]) && next_ok && !lead_dot
                && !(nx->flags & TK_QUOTE && nx->s == t[i - 1].e)) {
                cut = true;
                if (t[k].f[0] == '.' && t[k].f[1] == 0 && k > start && t[k - 1].e == t[k].s
                    && (t[k - 1].flags & TK_WORD)) {
                    const xtok_t *p = &t[k - 1];
                    /* An initial: one upper-case letter. */
                    if ((p->flags & TK_CAP) && p->e - p->s == 1)
                        cut = false;
                    else if (extract_sentence_is_abbrev(p->f, nx->f))
                        cut = false;
                }
            } else if ((t[k].flags & TK_ABBR) && k == i - 1 && c->w[t[k].e - 1] == '.'
                       && (nx->flags & TK_CAP)) {
                /* "... in the U.S. The next ..." */
                static const char *const op[] = {"the", "he", "she", "it", "they", "we",
                                                 "but", "this", "in", "a", NULL};
                cut = s_in(nx->f, op);
            }
        }
        if (cut) {
            xsent_t s = {(uint32_t)start, (uint32_t)i};
            for (size_t j = start; j < i; j++)
                t[j].sent = (int32_t)c->sent.n;
            t[start].flags |= TK_SSTART;
            XVEC_PUSH(c->sent, s);
            start = i;
        }
    }
}

static bool s_is_open_mark(const xctx_t *c, const xtok_t *t)
{
    const uint8_t *p = c->w + t->s;
    if (p[0] == '`')
        return true;
    /* U+201C, U+201E, U+00AB open */
    return (p[0] == 0xE2 && p[1] == 0x80 && (p[2] == 0x9C || p[2] == 0x9E))
        || (p[0] == 0xC2 && p[1] == 0xAB);
}

static bool s_is_close_mark(const xctx_t *c, const xtok_t *t)
{
    const uint8_t *p = c->w + t->s;
    return (p[0] == 0xE2 && p[1] == 0x80 && p[2] == 0x9D) || (p[0] == 0xC2 && p[1] == 0xBB);
}

static void s_close(xctx_t *c, size_t open, size_t last)
{
    xquote_t q = {(uint32_t)open, (uint32_t)(last + 1)};
    for (size_t j = open; j <= last; j++)
        c->tok.v[j].quote = (int32_t)c->quote.n;
    c->tok.v[open].flags |= TK_QOPEN;
    if (c->tok.v[last].flags & TK_QUOTE)
        c->tok.v[last].flags |= TK_QCLOSE;
    XVEC_PUSH(c->quote, q);
}

void extract_sentence_quotes(xctx_t *c)
{
    xtok_t *t = c->tok.v;
    size_t n = c->tok.n;
    long open = -1;
    c->quote.n = 0;
    for (size_t i = 0; i < n; i++) {
        if ((t[i].flags & TK_PARA) && open >= 0 && i > 0) {
            /* A quote left open at a paragraph end goes on only if this paragraph opens
               with a mark; otherwise it ends with the previous paragraph. */
            if (!(t[i].flags & TK_QUOTE) || s_is_close_mark(c, &t[i])
                || (t[i].flags & TK_TITLE) != (t[open].flags & TK_TITLE)
                || (t[open].flags & TK_TITLE)) {
                s_close(c, (size_t)open, i - 1);
                open = -1;
            } else {
                continue;   /* the continuation mark */
            }
        }
        if (!(t[i].flags & TK_QUOTE))
            continue;
        bool is_open = s_is_open_mark(c, &t[i]);
        bool is_close = s_is_close_mark(c, &t[i]);
        /* Spacing beats shape when they disagree: a mark glued to the word before it and
           not to the word after it closes ("here,“ said"), and the other way round. */
        bool glued_before = i > 0 && t[i - 1].e == t[i].s && !(t[i].flags & TK_PARA);
        bool glued_after = i + 1 < n && t[i + 1].s == t[i].e && !(t[i + 1].flags & TK_PARA);
        if (is_open && glued_before && !glued_after && open >= 0) {
            is_open = false;
            is_close = true;
        } else if (is_close && glued_after && !glued_before && open < 0) {
            is_close = false;
            is_open = true;
        }
        if (!is_open && !is_close) {
            /* A straight mark: open unless one is open. */
            if (open < 0)
                is_open = true;
            else
                is_close = true;
        }
        if (is_open) {
            if (open >= 0 && (size_t)open + 1 < i)
                s_close(c, (size_t)open, i - 1);
            open = (long)i;
        } else if (is_close && open >= 0) {
            s_close(c, (size_t)open, i);
            open = -1;
        }
    }
    if (open >= 0)
        s_close(c, (size_t)open, n - 1);
}
