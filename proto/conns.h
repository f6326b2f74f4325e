/*  conns: the connection cap of a daemon that listens (the broker, the store). Every
    connection is a file, and libzmq's ipc listener aborts the process when accept() finds
    no file left; conns.c defines accept() and accept4() for the executable that links it
    and refuses connections short of the open-file limit instead (conns.c says how). */
#ifndef CC_CONNS_H
#define CC_CONNS_H

#include <stdint.h>

/* Caps the connections the process accepts under `nofile` open files (what
   util_raise_nofile returns; 0 or unlimited: no cap): a connection that would leave fewer
   than a reserve of files free is closed at once and counted (conns_refused), instead of
   libzmq aborting on the accept that finds none. Call it once, before binding. This
   function can't fail. */
void conns_cap(unsigned long nofile);

/* Lets the connections of `listener` (the metrics server's) use the cap's reserve too, all
   but a few files of it: a scrape must still get through when clients fill the cap, to
   show it. */
void conns_exempt(int listener);

/* Connections refused at the cap since the start (any thread may have counted them). */
uint64_t conns_refused(void);

/* Connected sockets the process holds now (clients of every endpoint, metrics scrapes
   included), from /proc/self/fd; -1 where there is no /proc. */
long conns_open(void);

/* Logs a refusal episode once as it starts and once as it ends; call it every tick. */
void conns_log(void);

#endif
