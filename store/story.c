/*  story: the pairwise "same event" decision (see story.h). */
#include "story.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

double story_overlap(const story_term_t *a, size_t na, const story_term_t *b, size_t nb)
{
    double s = 0;
    for (size_t i = 0; i < na; i++)
        for (size_t j = 0; j < nb; j++)
            if (a[i].term[0] == b[j].term[0] && strcmp(a[i].term, b[j].term) == 0) {
                s += a[i].weight < b[j].weight ? a[i].weight : b[j].weight;
                break;
            }
    return s;
}

long story_days(const char *d)
{
    int y, m, day;
    if (!d || strlen(d) < 10 || sscanf(d, "%4d-%2d-%2d", &y, &m, &day) != 3 || m < 1 || m > 12
        || day < 1 || day > 31)
        return -1;
    /* days from civil (Howard Hinnant's algorithm) */
    y -= m <= 2;
    long era = (y >= 0 ? y : y - 399) / 400;
    long yoe = y - era * 400;
    long doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + day - 1;
    long doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + doe - 719468;
}

bool story_linked(const story_term_t *a, size_t na, const char *date_a,
                  const story_term_t *b, size_t nb, const char *date_b)
{
    long da = story_days(date_a), db = story_days(date_b);
    if (da >= 0 && db >= 0 && labs(da - db) > STORY_DAYS)
        return false;
    bool entity = false;
    for (size_t i = 0; i < na && !entity; i++)
        for (size_t j = 0; j < nb && !entity; j++)
            entity = a[i].term[0] == 'e' && strcmp(a[i].term, b[j].term) == 0;
    return entity && story_overlap(a, na, b, nb) >= STORY_LINK;
}

bool story_close(const story_term_t *a, size_t na, const char *date_a,
                 const story_term_t *b, size_t nb, const char *date_b)
{
    size_t pa = na < STORY_PROBE ? na : STORY_PROBE, pb = nb < STORY_PROBE ? nb : STORY_PROBE;
    size_t shared = 0;
    for (size_t i = 0; i < pa; i++)
        for (size_t j = 0; j < pb; j++)
            if (strcmp(a[i].term, b[j].term) == 0) {
                shared++;
                break;
            }
    return shared >= STORY_SHARED && story_linked(a, na, date_a, b, nb, date_b)
           && story_overlap(a, na, b, nb) >= STORY_CLOSE;
}
