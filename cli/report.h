/*  report: `crossclaim report`, the report of `crossclaim run` read again from the
    database, without re-ingesting, filtered and in text, JSON Lines, CSV or HTML
    (db_web_report in store/db_web.h). */
#ifndef CC_REPORT_H
#define CC_REPORT_H

/* Parses the command line (argv[0] is "report") and writes the report to stdout.
   Returns the exit status: 0, 1 (the database could not be read), 2 (bad usage). */
int report_cmd(int argc, char **argv);

#endif
