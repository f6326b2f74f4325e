/*  extract_date: date and time expressions ("Feb. 3", "on Friday", "last week",
    "in February", "early February", "September 17, 2018", "2011"), resolved against the
    publication date when it is known. Without one, relative expressions stay unresolved
    and month-day dates keep an ISO form without the year ("--02-03"). */
#ifndef CC_EXTRACT_DATE_H
#define CC_EXTRACT_DATE_H

#include "extract_internal.h"

typedef struct {
    uint32_t t0, t1;      /* tokens of the expression [t0, t1) */
    int y, m, d;          /* what is known, 0 when not */
    char gran;            /* 'd' day, 'w' week, 'm' month, 'y' year */
    bool resolved;        /* y (and m, d as gran requires) are known */
    bool period;          /* names a whole period ("in February", "this month") */
    char iso[32];         /* "2020-02-03", "2020-02", "2020", "2020-W06", "--02-03", "--02",
                             or the folded phrase when nothing better is known */
} extract_date_t;

/* Parses "YYYY-MM-DD" (more may follow) into y, m, d. Returns true when well formed. */
bool extract_date_parse_iso(const char *s, int *y, int *m, int *d);

/* False when token t surely starts no date (most tokens): a number, a capitalized month
   or weekday, or "early", "last", "yesterday"... can. Lets a caller skip the call. */
static inline bool extract_date_may_start(const xtok_t *t)
{
    return (t->flags & TK_NUM) || (t->wc & WC_DATE_START)
           || ((t->flags & TK_CAP) && (t->wc & (WC_MONTH | WC_WEEKDAY)));
}

/* Tries to read a date expression starting at token i (within sentence bounds [i, end)).
   `pub` is the publication date {y, m, d} or NULL. Returns true and fills *out when one
   starts there. Can't fail otherwise. */
bool extract_date_at(const xctx_t *c, size_t i, size_t end, const int *pub, extract_date_t *out);

/* Registers the date words with extract_lex (months, weekdays, "early", "last"...).
   Called once by extract_lex_init. */
void extract_date_lex(void);

/* Month number (1-12) of a folded month name or abbreviation, 0 if none. */
int extract_date_month(const char *f);

#endif
