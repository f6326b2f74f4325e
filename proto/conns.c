/*  conns: the connection cap of a daemon that listens (the broker, the store). Every connection is a file, and libzmq's ipc listener
    aborts the process (errno_assert in ipc_listener.cpp) when accept() finds no file left;
    its tcp listener tolerates that but then spins on the listening socket. Neither can be
    told to stop accepting in time from outside: a socket monitor or a zmq_unbind acts
    from this thread, after libzmq's I/O thread has already accepted what came in the
    meanwhile, and a burst of clients is faster than that.

    So the cap sits in accept() itself. This file defines accept() and accept4() for the
    process, ahead of libc's (the executable comes first in symbol lookup, so libzmq's and
    libmicrohttpd's calls land here), and passes each call to libc's. A connection whose
    file is numbered at or over the cap (the open-file limit less CONNS_FD_RESERVE: files
    are numbered lowest first, so at most the reserve is left) is closed at once, counted
    and reported to the caller as ECONNABORTED, which every listener takes as a client
    that left before it was accepted. An accept that finds no file left (EMFILE, ENFILE:
    the reserve was taken by something else) closes a spare file kept for that, takes and
    closes the connection, so that the listener does not spin on it, and reports it the
    same way. The refused client sees its connection closed, and libzmq's reconnects
    after its interval. A metrics scrape may use the reserve but CONNS_FD_SPARE files: the
    page must show a full daemon. See conns.h. */

#include "conns.h"
#include "util.h"

#include <assert.h>
#include <dirent.h>
#include <dlfcn.h>
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>

#define CONNS_FD_RESERVE 16   /* files kept for the daemon's own use past the last connection */
#define CONNS_FD_SPARE   4    /* of those, what even a metrics scrape leaves */

typedef int (s_accept4_fn)(int, struct sockaddr *, socklen_t *, int);

static atomic_long s_cap;               /* refuse a connection on a file >= this; 0: no cap */
static atomic_long s_cap_exempt;        /* the same for s_exempt's connections */
static atomic_int s_exempt = -1;        /* the metrics server's listener, or -1 */
static atomic_uint_fast64_t s_refused;  /* connections refused, ever */
static pthread_mutex_t s_spare_lock = PTHREAD_MUTEX_INITIALIZER;
static int s_spare = -1;                /* a file given up to take a connection at EMFILE */
/* The log's view, from the event loop only: one line when refusing starts, one when a
   whole tick went by without a refusal. */
static bool s_episode;                  /* refusing, as far as the log said */
static uint64_t s_episode_from;         /* s_refused when the episode began */
static uint64_t s_seen;                 /* s_refused at the last conns_log */

static s_accept4_fn *s_libc_accept4(void)
{
    static _Atomic(s_accept4_fn *) fn;
    s_accept4_fn *f = atomic_load(&fn);
    if (!f) {
        f = (s_accept4_fn *)dlsym(RTLD_NEXT, "accept4");
        assert(f);   /* glibc has had accept4 since 2.10 */
        atomic_store(&fn, f);
    }
    return f;
}

/* The cap on what libc's accept4 returned: fd, or -1 with errno. */
static int s_vet(int listener, int fd, int flags)
{
    long cap = atomic_load(listener == atomic_load(&s_exempt) ? &s_cap_exempt : &s_cap);
    if (fd >= 0) {
        if (cap <= 0 || fd < cap)
            return fd;
        close(fd);
    } else if (errno == EMFILE || errno == ENFILE) {
        /* Free a file for the connection waiting, only to close it: left in the backlog,
           it would wake the listener again at once, for ever. */
        pthread_mutex_lock(&s_spare_lock);
        if (s_spare >= 0) {
            close(s_spare);
            int c = s_libc_accept4()(listener, NULL, NULL, flags | SOCK_CLOEXEC);
            if (c >= 0)
                close(c);
            s_spare = open("/dev/null", O_RDONLY | O_CLOEXEC);
        }
        pthread_mutex_unlock(&s_spare_lock);
    } else {
        return -1;
    }
    atomic_fetch_add(&s_refused, 1);
    errno = ECONNABORTED;
    return -1;
}

int accept4(int fd, struct sockaddr *addr, socklen_t *len, int flags)
{
    return s_vet(fd, s_libc_accept4()(fd, addr, len, flags), flags);
}

int accept(int fd, struct sockaddr *addr, socklen_t *len)
{
    return s_vet(fd, s_libc_accept4()(fd, addr, len, 0), 0);
}

void conns_cap(unsigned long nofile)
{
    s_libc_accept4();
    pthread_mutex_lock(&s_spare_lock);
    if (s_spare < 0)
        s_spare = open("/dev/null", O_RDONLY | O_CLOEXEC);
    pthread_mutex_unlock(&s_spare_lock);
    long cap = nofile > 2 * CONNS_FD_RESERVE && nofile <= (unsigned long)INT32_MAX
                   ? (long)(nofile - CONNS_FD_RESERVE) : 0;
    if (nofile > 0 && nofile <= 2 * CONNS_FD_RESERVE)
        cap = (long)(nofile / 2);
    atomic_store(&s_cap, cap);
    long spare = cap ? (long)nofile - CONNS_FD_SPARE : 0;
    atomic_store(&s_cap_exempt, spare > cap ? spare : cap);
    if (cap)
        util_info("connections beyond file %ld of %lu are refused (%lu kept for the daemon)",
                  cap, nofile, nofile - (unsigned long)cap);
}

void conns_exempt(int listener)
{
    atomic_store(&s_exempt, listener);
}

uint64_t conns_refused(void)
{
    return atomic_load(&s_refused);
}

long conns_open(void)
{
    DIR *d = opendir("/proc/self/fd");
    if (!d)
        return -1;
    long n = 0;
    for (struct dirent *e; (e = readdir(d));) {
        char *end;
        long fd = strtol(e->d_name, &end, 10);
        struct stat st;
        struct sockaddr_storage ss;
        socklen_t len = sizeof ss;
        /* a socket with a peer: not a listener, not the daemon's own files */
        if (*end == 0 && e->d_name[0] && fd != dirfd(d) && fstat((int)fd, &st) == 0 &&
            S_ISSOCK(st.st_mode) && getpeername((int)fd, (struct sockaddr *)&ss, &len) == 0)
            n++;
    }
    closedir(d);
    return n;
}

void conns_log(void)
{
    uint64_t refused = atomic_load(&s_refused);
    if (!s_episode && refused > s_episode_from) {
        util_warn("refusing connections: the open-file limit is nearly reached (%ld "
                  "connections open); clients get in again as others leave. Raise the limit "
                  "(ulimit -Hn, LimitNOFILE=) for more", conns_open());
        s_episode = true;
    } else if (s_episode && refused == s_seen) {
        util_info("accepting connections again, after %" PRIu64 " refused",
                  refused - s_episode_from);
        s_episode = false;
        s_episode_from = refused;
    }
    s_seen = refused;
}
