/*  mdbfile: checks of an LMDB data file that LMDB itself does not make, shared by the
    broker's queue (broker/queue.c) and the store's database (store/db.c).

    LMDB trusts its file. It makes a fresh environment of an empty or missing data.mdb,
    silently dropping whatever was acknowledged into it, and it maps pages past the end of
    a file cut short, so the first touch of one is SIGBUS. These checks turn both into a
    clear error at open:
    - mdbfile_check_before: before mdb_env_open, a data file that exists but is empty, or
      is missing where a marker file says a database was made, is refused;
    - mdbfile_check_size: after mdb_env_open and before any page past the two meta pages
      is read, a file shorter than the environment's last page is refused;
    - mdbfile_mark: after a good open, the marker is made (once). */
#ifndef CC_MDBFILE_H
#define CC_MDBFILE_H

#include <lmdb.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Refuses (returns -1, with the reason in why[0..cap)) a data file `data` that exists but
   is empty, or that is missing while `marker` (may be NULL: no marker) exists. Returns 0
   otherwise; *size (may be NULL) gets the file's size, 0 when it is missing. */
int mdbfile_check_before(const char *data, const char *marker, uint64_t *size, char *why,
                         size_t cap);

/* Refuses (returns -1, with the reason in why) the open environment `env` whose data file
   `data` is shorter than its last page. Reads only the meta pages. Returns 0 when the file
   holds every page, or a positive errno / LMDB code when it can't tell. */
int mdbfile_check_size(MDB_env *env, const char *data, char *why, size_t cap);

/* Refuses (returns -1, with the reason in why) the LMDB data file `data` whose pages do
   not make sound trees, read from the file itself, without LMDB: LMDB keeps no checksum
   and trusts every page it reaches, so a damaged header or node sends its reads and, worse,
   its writes anywhere (a live page handed out by a damaged free list is overwritten; a
   page whose bounds are off is copied past its buffer). Checks, from the meta page LMDB
   would use: every page of the main database, of each named one and of the free list is
   in the file, reached once, of the kind its level wants, with its nodes, keys, data and
   overflow pages inside it and its keys in order; each database's entry and page counts
   match its pages; every page the free list gives is in the file, given once, and in no
   tree. Named databases with sorted duplicates are not walked. Bounded reads only: any
   bytes give an answer, never a crash. Returns 0 when sound, or a positive errno when the
   file can't be read. Run it with no writer on the file. */
int mdbfile_check_pages(const char *data, char *why, size_t cap);

/* Makes the marker file `marker` if it is not there. Returns 0 or -errno. */
int mdbfile_mark(const char *marker);

#endif
