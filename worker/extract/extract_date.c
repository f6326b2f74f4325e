/*  extract_date: a small hand-written recognizer over folded tokens. Day arithmetic uses
    days since 1970-01-01 (Howard Hinnant's civil-from-days), so no time.h locale games. */
#include "extract_date.h"

#include "extract_lex.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *const s_months[] = {
    "january", "february", "march", "april", "may", "june", "july", "august", "september",
    "october", "november", "december"};
static const char *const s_mabbr[] = {
    "jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"};
static const char *const s_days[] = {
    "monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"};

void extract_date_lex(void)
{
    for (int i = 0; i < 12; i++) {
        extract_lex_add(s_months[i], WC_MONTH)->month = (uint8_t)(i + 1);
        extract_lex_add(s_mabbr[i], WC_MONTH)->month = (uint8_t)(i + 1);
    }
    extract_lex_add("sept", WC_MONTH)->month = 9;
    for (int i = 0; i < 7; i++)
        extract_lex_add(s_days[i], WC_WEEKDAY)->wday = (uint8_t)i;
    static const char *const starts[] = {"early", "mid", "mid-", "late", "last", "yesterday",
                                         "today", "tonight", "this", "next", NULL};
    for (const char *const *w = starts; *w; w++)
        extract_lex_add(*w, WC_DATE_START);
}

int extract_date_month(const char *f)
{
    const xlex_t *x = extract_lex_find(f);
    return x && (x->bits & WC_MONTH) ? x->month : 0;
}

/* Month (1-12) of a token, 0 when none. */
static int s_month(const xtok_t *t)
{
    return (t->wc & WC_MONTH) ? extract_lex_entry(t->lex)->month : 0;
}

/* Weekday (0 Monday) of a token, -1 when none. */
static int s_weekday(const xtok_t *t)
{
    return (t->wc & WC_WEEKDAY) ? extract_lex_entry(t->lex)->wday : -1;
}

bool extract_date_parse_iso(const char *s, int *y, int *m, int *d)
{
    if (!s)
        return false;
    for (int i = 0; i < 10; i++) {
        if (i == 4 || i == 7) {
            if (s[i] != '-')
                return false;
        } else if (s[i] < '0' || s[i] > '9') {
            return false;
        }
    }
    *y = atoi(s);
    *m = atoi(s + 5);
    *d = atoi(s + 8);
    return *m >= 1 && *m <= 12 && *d >= 1 && *d <= 31;
}

static long s_days_from_civil(int y, int m, int d)
{
    y -= m <= 2;
    long era = (y >= 0 ? y : y - 399) / 400;
    long yoe = y - era * 400;
    long doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
    long doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + doe - 719468;
}

static void s_civil_from_days(long z, int *y, int *m, int *d)
{
    z += 719468;
    long era = (z >= 0 ? z : z - 146096) / 146097;
    long doe = z - era * 146097;
    long yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    long yy = yoe + era * 400;
    long doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    long mp = (5 * doy + 2) / 153;
    *d = (int)(doy - (153 * mp + 2) / 5 + 1);
    *m = (int)(mp < 10 ? mp + 3 : mp - 9);
    *y = (int)(yy + (*m <= 2));
}

/* 0 = Monday. 1970-01-01 was a Thursday. */
static int s_dow(long z)
{
    long r = (z + 3) % 7;
    return (int)(r < 0 ? r + 7 : r);
}

static void s_set_day(extract_date_t *o, long z)
{
    s_civil_from_days(z, &o->y, &o->m, &o->d);
    o->gran = 'd';
    o->resolved = true;
    snprintf(o->iso, sizeof o->iso, "%04d-%02d-%02d", o->y, o->m, o->d);
}

static void s_set_week(extract_date_t *o, long monday)
{
    /* ISO week of the week's Thursday. */
    long thu = monday + 3;
    int y, m, d;
    s_civil_from_days(thu, &y, &m, &d);
    long jan1 = s_days_from_civil(y, 1, 1);
    int week = (int)((thu - jan1) / 7 + 1);
    o->y = y;
    o->m = m;
    o->gran = 'w';
    o->resolved = true;
    o->period = true;
    snprintf(o->iso, sizeof o->iso, "%04d-W%02d", y, week);
}

static int s_num(const xtok_t *t)
{
    if (!(t->flags & TK_NUM))
        return -1;
    const char *f = t->f;
    int v = 0, k = 0;
    while (f[k] >= '0' && f[k] <= '9' && k < 5)
        v = v * 10 + (f[k++] - '0');
    /* allow ordinal suffixes: 3rd, 17th */
    if (f[k] && strcmp(f + k, "st") && strcmp(f + k, "nd") && strcmp(f + k, "rd")
        && strcmp(f + k, "th"))
        return -1;
    return v;
}

bool extract_date_at(const xctx_t *c, size_t i, size_t end, const int *pub, extract_date_t *o)
{
    const xtok_t *t = c->tok.v;
    if (i >= end)
        return false;
    /* Most tokens can't start a date: one test of their word classes first. */
    if (!extract_date_may_start(&t[i]))
        return false;
    memset(o, 0, sizeof *o);
    o->t0 = (uint32_t)i;
    const char *f = t[i].f;
    size_t j = i;
    int part = 0;   /* early/mid/late modifier */
    if (strcmp(f, "early") == 0 || strcmp(f, "mid") == 0 || strcmp(f, "late") == 0
        || strcmp(f, "mid-") == 0) {
        if (i + 1 < end && (s_month(&t[i + 1]) || s_weekday(&t[i + 1]) >= 0)) {
            part = f[0] == 'e' ? 1 : f[0] == 'm' ? 2 : 3;
            j = i + 1;
            f = t[j].f;
        }
    }
    int mon = s_month(&t[j]);
    /* "May" and "march" are words too: require a capital letter for months. */
    if (mon && !(t[j].flags & TK_CAP))
        mon = 0;
    if (mon) {
        size_t k = j + 1;
        if (k < end && xtok_punct(c, k, '.') && t[k].s == t[j].e)
            k++;
        o->m = mon;
        int day = k < end ? s_num(&t[k]) : -1;
        if (day >= 1 && day <= 31) {
            o->d = day;
            k++;
        } else if (day >= 1900 && day <= 2100) {
            o->y = day;
            k++;
        }
        if (o->d && k < end && xtok_punct(c, k, ',') && k + 1 < end) {
            int yr = s_num(&t[k + 1]);
            if (yr >= 1900 && yr <= 2100) {
                o->y = yr;
                k += 2;
            }
        } else if (o->d && k < end) {
            int yr = s_num(&t[k]);
            if (yr >= 1900 && yr <= 2100) {
                o->y = yr;
                k++;
            }
        }
        o->t1 = (uint32_t)k;
        o->gran = o->d ? 'd' : 'm';
        o->period = !o->d && !part;
        if (!o->y && pub) {
            o->y = pub[0];
            if (mon > pub[1])
                o->y--;
        }
        o->resolved = o->y != 0;
        if (o->d && o->y)
            snprintf(o->iso, sizeof o->iso, "%04d-%02d-%02d", o->y, o->m, o->d);
        else if (o->d)
            snprintf(o->iso, sizeof o->iso, "--%02d-%02d", o->m, o->d);
        else if (o->y)
            snprintf(o->iso, sizeof o->iso, "%04d-%02d", o->y, o->m);
        else
            snprintf(o->iso, sizeof o->iso, "--%02d", o->m);
        return true;
    }
    /* "3 February 2020" */
    int dn = s_num(&t[i]);
    if (dn >= 1 && dn <= 31 && i + 1 < end && s_month(&t[i + 1])
        && (t[i + 1].flags & TK_CAP)) {
        o->d = dn;
        o->m = s_month(&t[i + 1]);
        size_t k = i + 2;
        if (k < end && xtok_punct(c, k, '.'))
            k++;
        int yr = k < end ? s_num(&t[k]) : -1;
        if (yr >= 1900 && yr <= 2100) {
            o->y = yr;
            k++;
        } else if (pub) {
            o->y = pub[0] - (o->m > pub[1]);
        }
        o->t1 = (uint32_t)k;
        o->gran = 'd';
        o->resolved = o->y != 0;
        if (o->y)
            snprintf(o->iso, sizeof o->iso, "%04d-%02d-%02d", o->y, o->m, o->d);
        else
            snprintf(o->iso, sizeof o->iso, "--%02d-%02d", o->m, o->d);
        return true;
    }
    int wd = s_weekday(&t[j]);
    if (wd >= 0) {
        o->t1 = (uint32_t)j + 1;
        o->gran = 'd';
        if (pub) {
            /* News usage: a bare weekday is the latest such day on or before publication. */
            long z = s_days_from_civil(pub[0], pub[1], pub[2]);
            int back = (s_dow(z) - wd + 7) % 7;
            s_set_day(o, z - back);
        } else {
            snprintf(o->iso, sizeof o->iso, "%s", s_days[wd]);
        }
        return true;
    }
    long rel = 0;
    char g = 0;
    size_t k = i + 1;
    if (strcmp(f, "yesterday") == 0) {
        rel = -1, g = 'd';
    } else if (strcmp(f, "today") == 0 || strcmp(f, "tonight") == 0) {
        rel = 0, g = 'd';
    } else if ((strcmp(f, "last") == 0 || strcmp(f, "this") == 0 || strcmp(f, "next") == 0)
               && i + 1 < end) {
        const char *u = t[i + 1].f;
        int dir = f[0] == 'l' ? -1 : f[0] == 'n' ? 1 : 0;
        k = i + 2;
        if (strcmp(u, "week") == 0)
            g = 'w', rel = dir;
        else if (strcmp(u, "month") == 0)
            g = 'm', rel = dir;
        else if (strcmp(u, "year") == 0)
            g = 'y', rel = dir;
        else if (strcmp(u, "night") == 0 && dir == -1)
            g = 'd', rel = -1;
        else if (strcmp(u, "weekend") == 0)
            g = 'w', rel = dir;
        else
            return false;
    } else {
        int yr = s_num(&t[i]);
        if (yr >= 1900 && yr <= 2100 && t[i].e - t[i].s == 4) {
            o->y = yr;
            o->t1 = (uint32_t)i + 1;
            o->gran = 'y';
            o->resolved = true;
            o->period = true;
            snprintf(o->iso, sizeof o->iso, "%04d", yr);
            return true;
        }
        return false;
    }
    o->t1 = (uint32_t)k;
    o->gran = g;
    /* "this month", "last year" cover a period; "last week" is when something happened */
    o->period = g == 'm' || g == 'y';
    if (!pub) {
        size_t n = 0;
        for (size_t q = i; q < k && n + 12 < sizeof o->iso; q++)
            n += (size_t)snprintf(o->iso + n, sizeof o->iso - n, "%s%s", q > i ? " " : "", t[q].f);
        return true;
    }
    long z = s_days_from_civil(pub[0], pub[1], pub[2]);
    if (g == 'd') {
        s_set_day(o, z + rel);
    } else if (g == 'w') {
        long monday = z - s_dow(z) + 7 * rel;
        s_set_week(o, monday);
    } else if (g == 'm') {
        int y = pub[0], m = pub[1] + (int)rel;
        if (m < 1)
            m += 12, y--;
        if (m > 12)
            m -= 12, y++;
        o->y = y, o->m = m, o->resolved = true;
        snprintf(o->iso, sizeof o->iso, "%04d-%02d", y, m);
    } else {
        o->y = pub[0] + (int)rel, o->resolved = true;
        snprintf(o->iso, sizeof o->iso, "%04d", o->y);
    }
    return true;
}
