/*  mdbfile: refusing an LMDB data file that is empty, missing or cut short (mdbfile.h). */
#include "mdbfile.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

int mdbfile_check_before(const char *data, const char *marker, uint64_t *size, char *why,
                         size_t cap)
{
    struct stat sb;
    bool have = stat(data, &sb) == 0;
    if (size)
        *size = have ? (uint64_t)sb.st_size : 0;
    if (have && sb.st_size == 0) {
        snprintf(why, cap, "%s is empty (truncated?): refusing to start a new database over it",
                 data);
        return -1;
    }
    if (!have && marker && access(marker, F_OK) == 0) {
        snprintf(why, cap, "%s is missing, but %s says a database was made here", data, marker);
        return -1;
    }
    return 0;
}

int mdbfile_check_size(MDB_env *env, const char *data, char *why, size_t cap)
{
    MDB_envinfo info;
    MDB_stat est;
    struct stat sb;
    int rc;
    if ((rc = mdb_env_info(env, &info)) != 0 || (rc = mdb_env_stat(env, &est)) != 0)
        return rc;
    if (stat(data, &sb) != 0)
        return errno;
    uint64_t need = ((uint64_t)info.me_last_pgno + 1) * est.ms_psize;
    if ((uint64_t)sb.st_size < need) {
        snprintf(why, cap, "%s is %lld bytes but its pages reach %llu: truncated", data,
                 (long long)sb.st_size, (unsigned long long)need);
        return -1;
    }
    return 0;
}

int mdbfile_mark(const char *marker)
{
    if (access(marker, F_OK) == 0)
        return 0;
    int fd = open(marker, O_WRONLY | O_CREAT | O_CLOEXEC, 0600);
    if (fd < 0)
        return -errno;
    close(fd);
    return 0;
}
