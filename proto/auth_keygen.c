/*  auth_keygen: writes new CURVE key pairs as czmq certificates, the job of
    `crossclaim keygen` (auth.h's auth_keygen). Apart from auth.c because it shares
    nothing with the running side (the ZAP handler, endpoints) but the file format. */
#include "auth.h"
#include "util.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static bool s_name_ok(const char *name)
{
    size_t n = strlen(name);
    if (n == 0 || n > 100 || name[0] == '.')
        return false;
    for (size_t i = 0; i < n; i++) {
        char c = name[i];
        if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
              c == '.' || c == '_' || c == '-'))
            return false;
    }
    return true;
}

/* Creates `path` with `mode`, failing if it exists: the mode holds from the first byte. */
static int s_create(const char *path, mode_t mode, char *err, size_t errlen)
{
    int fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, mode);
    if (fd < 0) {
        int e = errno;
        snprintf(err, errlen, e == EEXIST ? "%s exists already: keys are never overwritten"
                                          : "cannot create %s: %s", path, strerror(e));
        return -e;
    }
    /* O_CREAT's mode is filtered by the umask; the secret must not depend on it. */
    fchmod(fd, mode);
    close(fd);
    return 0;
}

int auth_keygen(const char *dir, const char *name, char *pub_path, char *sec_path, size_t cap,
                char *err, size_t errlen)
{
    if (!s_name_ok(name)) {
        snprintf(err, errlen, "'%s' is not a key name: use letters, digits, '.', '_' and '-' "
                 "(at most 100, not starting with '.')", name);
        return -EINVAL;
    }
    if (!zsys_has_curve()) {
        snprintf(err, errlen, "this libzmq was built without CURVE support");
        return -ENOTSUP;
    }
    int rc = util_mkdirs(dir);
    if (rc) {
        snprintf(err, errlen, "cannot create %s: %s", dir, strerror(-rc));
        return rc;
    }
    char pub[4096], sec[4096];
    if ((size_t)snprintf(pub, sizeof pub, "%s/%s.key", dir, name) >= sizeof pub ||
        (size_t)snprintf(sec, sizeof sec, "%s/%s.key_secret", dir, name) >= sizeof sec) {
        snprintf(err, errlen, "the path %s is too long", dir);
        return -ENAMETOOLONG;
    }
    if ((rc = s_create(sec, 0600, err, errlen)) != 0)
        return rc;
    if ((rc = s_create(pub, 0644, err, errlen)) != 0) {
        unlink(sec);
        return rc;
    }
    zcert_t *cert = zcert_new();
    zcert_set_meta(cert, "name", "%s", name);
    if (zcert_save_secret(cert, sec) != 0 || zcert_save_public(cert, pub) != 0) {
        int e = errno ? errno : EIO;
        snprintf(err, errlen, "cannot write the key files in %s: %s", dir, strerror(e));
        unlink(sec);
        unlink(pub);
        zcert_destroy(&cert);
        return -e;
    }
    zcert_destroy(&cert);
    if (pub_path)
        snprintf(pub_path, cap, "%s", pub);
    if (sec_path)
        snprintf(sec_path, cap, "%s", sec);
    return 0;
}
