/*  report: `crossclaim report` (see report.h). */
#include "report.h"
#include "db.h"
#include "db_web.h"

#include <errno.h>
#include <getopt.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define REPORT_DEFAULT_DATA "./crossclaim-data"

static int s_usage(const char *msg)
{
    fprintf(stderr, "crossclaim report: %s (see 'crossclaim report --help')\n", msg);
    return 2;
}

/* True when s is YYYY, YYYY-MM or YYYY-MM-DD. */
static bool s_is_date(const char *s)
{
    size_t n = strlen(s);
    static const char shape[] = "dddd-dd-dd";
    if (n != 4 && n != 7 && n != 10)
        return false;
    for (size_t i = 0; i < n; i++)
        if (shape[i] == 'd' ? (s[i] < '0' || s[i] > '9') : s[i] != '-')
            return false;
    return true;
}

static bool s_count(const char *s, unsigned long max, unsigned long *out)
{
    char *end;
    errno = 0;
    unsigned long v = strtoul(s, &end, 10);
    if (!*s || *s == '-' || *end || errno || v > max)
        return false;
    *out = v;
    return true;
}

int report_cmd(int argc, char **argv)
{
    const char *data = REPORT_DEFAULT_DATA;
    db_web_filter_t f = {0};
    db_web_format_t fmt = DB_WEB_TEXT;
    unsigned long v;
    static const struct option opts[] = {
        {"data", required_argument, 0, 'd'}, {"story", required_argument, 0, 'y'},
        {"outlet", required_argument, 0, 'o'}, {"since", required_argument, 0, 's'},
        {"until", required_argument, 0, 'u'}, {"min-sources", required_argument, 0, 'm'},
        {"status", required_argument, 0, 'S'}, {"limit", required_argument, 0, 'n'},
        {"format", required_argument, 0, 'f'}, {"help", no_argument, 0, 'h'}, {0, 0, 0, 0}};
    int c;
    optind = 1;
    while ((c = getopt_long(argc, argv, "hd:f:n:", opts, NULL)) != -1) {
        switch (c) {
        case 'd': data = optarg; break;
        case 'y':
            if (strlen(optarg) < 4 || strspn(optarg, "0123456789abcdef") != strlen(optarg))
                return s_usage("--story wants a story id, or its first 4 or more hex digits");
            f.story = optarg;
            break;
        case 'o': f.outlet = optarg; break;
        case 's':
        case 'u':
            if (!s_is_date(optarg))
                return s_usage(c == 's' ? "--since wants YYYY, YYYY-MM or YYYY-MM-DD"
                                        : "--until wants YYYY, YYYY-MM or YYYY-MM-DD");
            if (c == 's')
                f.since = optarg;
            else
                f.until = optarg;
            break;
        case 'm':
            if (!s_count(optarg, 1000, &v))
                return s_usage("--min-sources wants a number from 0 to 1000");
            f.min_sources = (unsigned)v;
            break;
        case 'S':
            if (strcmp(optarg, "conflict") && strcmp(optarg, "corroborated")
                && strcmp(optarg, "single") && strcmp(optarg, "all"))
                return s_usage("--status is conflict, corroborated, single or all");
            f.status = optarg;
            break;
        case 'n':
            if (!s_count(optarg, 100000000, &v))
                return s_usage("--limit wants a number (0: all)");
            f.limit = v;
            break;
        case 'f':
            if (!strcmp(optarg, "text")) fmt = DB_WEB_TEXT;
            else if (!strcmp(optarg, "json")) fmt = DB_WEB_JSON;
            else if (!strcmp(optarg, "csv")) fmt = DB_WEB_CSV;
            else if (!strcmp(optarg, "html")) fmt = DB_WEB_HTML;
            else return s_usage("--format is text, json, csv or html");
            break;
        case 'h':
            printf("usage: crossclaim report [--data DIR] [--story ID] [--outlet O] [--since D]\n"
                   "                         [--until D] [--min-sources N] [--status S] [--limit N]\n"
                   "                         [--format text|json|csv|html]\n"
                   "\n"
                   "The report `crossclaim run` prints, read from the database (nothing is read\n"
                   "again): the conflicts and corroborations by story, each fact in words\n"
                   "(\"killed · passenger · port alder\") with its key, each claim with its value,\n"
                   "outlet, date, its article's full source and its whole sentence. Safe while\n"
                   "the store runs.\n"
                   "\n"
                   "  -d, --data DIR        data dir (default %s)\n"
                   "      --story ID        one story (its id, or the id's first 4+ hex digits)\n"
                   "      --outlet O        facts with a claim from outlet O\n"
                   "      --since D         facts with a claim published on or after D\n"
                   "      --until D         ... on or before D (YYYY, YYYY-MM or YYYY-MM-DD)\n"
                   "      --min-sources N   facts with at least N independent sources\n"
                   "      --status S        conflict, corroborated, single or all (default:\n"
                   "                        conflicts, then corroborations)\n"
                   "  -n, --limit N         at most N facts of each status (default: all)\n"
                   "  -f, --format F        text (default); json: one JSON object per fact per\n"
                   "                        line (the export's xref line under \"xref\", with\n"
                   "                        \"label\" and each article's source and title); csv:\n"
                   "                        one row per claim; html: one standalone page\n",
                   REPORT_DEFAULT_DATA);
            return 0;
        default: return s_usage("unknown option");
        }
    }
    if (optind < argc)
        return s_usage("takes no PATH (crossclaim run PATH ingests)");
    db_t *db;
    int rc = db_open(data, true, &db);
    if (rc) {
        fprintf(stderr, "crossclaim report: cannot open the results database in %s: %s\n"
                        "(run 'crossclaim run PATH' or start crossclaim-store with --data %s first)\n",
                data, db_strerror(rc), data);
        return 1;
    }
    rc = db_web_report(db, &f, fmt, stdout);
    db_destroy(&db);
    if (rc) {
        fprintf(stderr, "crossclaim report: %s\n", db_strerror(rc));
        return 1;
    }
    return 0;
}
