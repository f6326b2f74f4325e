/*  auth: CURVE keys, the ZAP handler and endpoint setup. See auth.h (writing new key
    pairs is in auth_keygen.c).

    The ZAP handler is a czmq actor (one thread) with a REP socket on
    inproc://zeromq.zap.01. libzmq's I/O thread asks it about every CURVE handshake on the
    process's server sockets and holds the handshake until it answers; the answer is a
    lookup of the client's key among those read from the allow dirs, and the roles of the
    dirs holding it go back to libzmq as connection metadata. The dirs are read again when
    one's mtime changes, so adding or removing a key needs no restart. The same thread
    reads the server sockets' handshake-failure monitors, where a plain client shows (it
    never reaches ZAP). Counters are atomics that the owner's thread reads for its
    metrics. */
#include "auth.h"
#include "util.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <signal.h>
#include <sodium.h>
#include <stdatomic.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define S_ZAP_EP     "inproc://zeromq.zap.01"
#define S_ZAP_DOMAIN "crossclaim"
#define S_KEY_Z85    40     /* a 32-byte key in Z85 */
#define S_LOG_GAP_US (30u * 1000000u)  /* a refused key is logged again after this */
#define S_MAX_MON    8      /* server sockets watched for plain clients, per process */

void auth_usage_roles(FILE *out)
{
    fputs("  --allow-producers DIR  public keys that may only submit (tcp; beside\n"
          "                         --curve-allow DIR, whose keys may do anything)\n"
          "  --allow-workers DIR    public keys that may only work (HELLO worker)\n"
          "  --allow-stores DIR     public keys that may only be the store (HELLO store)\n"
          "  --allow-admins DIR     public keys that may only send admin requests (status,\n"
          "                         top, dead, pause, resume, requeue)\n"
          "                         A key in several dirs has each of their roles; anything\n"
          "                         outside its roles is refused, counted and logged.\n", out);
}

void auth_usage(FILE *out, bool client, bool server)
{
    fputs("  --curve-key FILE    this process's CURVE key pair (NAME.key_secret, mode 0600,\n"
          "                      from 'crossclaim keygen NAME')\n", out);
    if (client)
        fputs("  --curve-server FILE the server's public key (its NAME.key), for tcp\n", out);
    if (server)
        fputs("  --curve-allow DIR   public keys (*.key) of the clients let in over tcp; files\n"
              "                      added or removed count from the next handshake\n", out);
    fputs("  --insecure          plain tcp without keys: anyone on the network can read\n"
          "                      and send. Without keys or this, tcp is refused.\n", out);
}

/* One allow dir and the roles its keys get. */
typedef struct {
    char *path;
    unsigned roles;               /* AUTH_ROLE_* bits */
    struct timespec mtime;        /* the dir's mtime when last read; {0} while unread */
} s_allow_t;

/* One allowed key. */
typedef struct {
    char *name;                   /* its file name without .key, in the first dir holding it */
    unsigned roles;               /* the roles of every dir holding it, together */
} s_key_t;

#define S_ROLES_PROP "Crossclaim-Roles"   /* ZAP metadata: the peer's roles, in decimal */

/* State of the ZAP handler; owned by the actor thread once it runs. */
typedef struct {
    s_allow_t allow[1 + AUTH_NROLES];     /* the any-role dir first, then role dirs */
    int nallow;
    char *dirs;                   /* their paths, for log lines */
    zhashx_t *keys;               /* Z85 public key -> s_key_t* */
    zsock_t *rep;                 /* bound to S_ZAP_EP */
    atomic_uint_fast64_t *denied, *accepted, *plain;  /* in auth_t */
    char last_refused[S_KEY_Z85 + 1];
    uint64_t last_log_us;
    zsock_t *mon[S_MAX_MON];      /* PAIRs reading the server sockets' handshake failures */
    int nmon;
    uint64_t plain_log_us;        /* when a plain client was last logged */
} s_zap_t;

struct auth_t {
    auth_config_t cfg;            /* strings borrowed from the caller */
    bool has_key, has_server;
    uint8_t pub[32], sec[32];     /* own key pair */
    uint8_t server[32];           /* the server's public key */
    s_zap_t *zap;                 /* handler state, for a server; owned by `actor` */
    zactor_t *actor;              /* the ZAP handler, or NULL */
    atomic_uint_fast64_t denied, accepted, plain;
    bool roles;                   /* role allow dirs were given: peers' roles are checked */
    zsock_t *watch;               /* PAIR receiving the watched socket's handshake events */
    unsigned nwatch;              /* watches made, for unique inproc names */
    int last;                     /* auth_check's answer so far */
};

const char *auth_strerror(int rc)
{
    switch (rc) {
    case AUTH_EPLAIN: return "a network endpoint needs CURVE keys or --insecure";
    case AUTH_EREFUSED: return "the server refused this process's CURVE key";
    case AUTH_EHANDSHAKE:
        return "the security handshake failed (wrong --curve-server key, or only one side uses CURVE)";
    case AUTH_ENEEDCURVE:
        return "the server requires CURVE and this process runs plain tcp (--insecure): give "
               "--curve-key FILE and --curve-server FILE, with this key in the server's allow dir";
    case AUTH_ENOCURVE:
        return "the server runs plain tcp (--insecure) and this process uses CURVE: drop the "
               "keys and give --insecure, or give the server --curve-key and --curve-allow";
    default: return rc < 0 ? strerror(-rc) : "success";
    }
}

bool auth_is_network(const char *ep)
{
    if (strncmp(ep, "inproc://", 9) == 0)
        return false;
    if (strncmp(ep, "ipc://", 6) == 0 && ep[6] != '@')
        return false;
    return true;
}

/* ---------------------------------------------------------------- key files */

/* Reads a zcert file into `pub` and, when `sec` is not NULL, `sec` (then the file must be
   private to its owner and hold a secret key matching the public one). */
static int s_load_key(const char *path, uint8_t pub[32], uint8_t sec[32], char *err,
                      size_t errlen)
{
    struct stat st;
    if (stat(path, &st) != 0) {
        int e = errno;
        snprintf(err, errlen, "cannot read key file %s: %s", path, strerror(e));
        return -e;
    }
    if (!S_ISREG(st.st_mode)) {
        snprintf(err, errlen, "key file %s is not a regular file", path);
        return -EINVAL;
    }
    zconfig_t *root = zconfig_load(path);
    if (!root) {
        snprintf(err, errlen, "cannot read key file %s", path);
        return -EIO;
    }
    int rc = 0;
    const char *p = zconfig_get(root, "/curve/public-key", NULL);
    const char *s = zconfig_get(root, "/curve/secret-key", NULL);
    if (!p || strlen(p) != S_KEY_Z85 || !zmq_z85_decode(pub, p)) {
        snprintf(err, errlen, "%s has no valid curve public-key (make keys with "
                 "'crossclaim keygen NAME')", path);
        rc = -EINVAL;
    } else if (sec && (!s || strlen(s) != S_KEY_Z85 || !zmq_z85_decode(sec, s))) {
        snprintf(err, errlen, "%s has no secret key: give the NAME.key_secret file, "
                 "not the public NAME.key", path);
        rc = -EINVAL;
    } else if (sec && (st.st_mode & 077)) {
        snprintf(err, errlen, "key file %s is open to group or others (mode %04o): "
                 "chmod 600 %s", path, (unsigned)(st.st_mode & 07777), path);
        rc = -EPERM;
    } else if (sec) {
        uint8_t derived[32];
        if (crypto_scalarmult_base(derived, sec) != 0 || sodium_memcmp(derived, pub, 32) != 0) {
            snprintf(err, errlen, "%s: the secret key does not match the public key", path);
            rc = -EINVAL;
        }
    }
    zconfig_destroy(&root);
    return rc;
}

static void s_key_free(void **item)
{
    s_key_t *k = *item;
    if (k) {
        free(k->name);
        free(k);
        *item = NULL;
    }
}

/* Adds every *.key file in allow dir `a` to `keys`, with a's roles. */
static int s_load_dir(s_allow_t *a, zhashx_t *keys, char *err, size_t errlen)
{
    struct stat st;
    if (stat(a->path, &st) != 0 || !S_ISDIR(st.st_mode)) {
        snprintf(err, errlen, "cannot read the allow dir %s: %s", a->path,
                 errno ? strerror(errno) : "not a directory");
        return -ENOTDIR;
    }
    DIR *d = opendir(a->path);
    if (!d) {
        int e = errno;
        snprintf(err, errlen, "cannot read the allow dir %s: %s", a->path, strerror(e));
        return -e;
    }
    size_t before = zhashx_size(keys);
    struct dirent *e;
    while ((e = readdir(d)) != NULL) {
        size_t n = strlen(e->d_name);
        if (e->d_name[0] == '.' || n <= 4 || strcmp(e->d_name + n - 4, ".key") != 0)
            continue;   /* NAME.key_secret and anything else is not a public key */
        char path[4096], why[512];
        uint8_t pub[32];
        char z85[S_KEY_Z85 + 1];
        snprintf(path, sizeof path, "%s/%s", a->path, e->d_name);
        if (s_load_key(path, pub, NULL, why, sizeof why) != 0) {
            util_warn("allow dir: skipping %s", why);
            continue;
        }
        zmq_z85_encode(z85, pub, 32);
        s_key_t *k = zhashx_lookup(keys, z85);
        if (k) {
            k->roles |= a->roles;
            continue;
        }
        k = util_calloc(1, sizeof *k);
        k->name = util_strndup(e->d_name, n - 4);
        k->roles = a->roles;
        zhashx_insert(keys, z85, k);
    }
    closedir(d);
    if (st.st_mode & 022)
        util_warn("allow dir %s is writable by group or others (mode %04o): anyone who can "
                  "write there can let a key in; chmod go-w it", a->path,
                  (unsigned)(st.st_mode & 07777));
    if (zhashx_size(keys) == before)
        util_warn("allow dir %s holds no public keys (*.key)%s", a->path,
                  a->roles == AUTH_ROLE_ANY ? ": every CURVE client is refused" : "");
    a->mtime = st.st_mtim;
    return 0;
}

/* Reads every allow dir into a fresh key set. */
static int s_load_allow(s_zap_t *z, char *err, size_t errlen)
{
    zhashx_t *keys = zhashx_new();
    zhashx_set_destructor(keys, s_key_free);
    for (int i = 0; i < z->nallow; i++) {
        int rc = s_load_dir(&z->allow[i], keys, err, errlen);
        if (rc) {
            zhashx_destroy(&keys);
            return rc;
        }
    }
    zhashx_destroy(&z->keys);
    z->keys = keys;
    return 0;
}

/* Reads the allow dirs again when one changed. Fails closed: while one is unreadable (or
   vanished), no key gets in. */
static void s_allow_refresh(s_zap_t *z)
{
    bool changed = false;
    for (int i = 0; i < z->nallow; i++) {
        struct stat st;
        s_allow_t *a = &z->allow[i];
        if (stat(a->path, &st) != 0) {
            zhashx_purge(z->keys);
            a->mtime = (struct timespec){0};
            return;
        }
        changed |= st.st_mtim.tv_sec != a->mtime.tv_sec || st.st_mtim.tv_nsec != a->mtime.tv_nsec;
    }
    char err[512];
    if (changed && s_load_allow(z, err, sizeof err) != 0) {
        util_warn("%s", err);
        zhashx_purge(z->keys);
    }
}

/* ---------------------------------------------------------------- ZAP handler */

/* A ZAP reply; `roles` (AUTH_ROLE_* bits) goes into the connection's metadata as
   S_ROLES_PROP when not 0. libzmq puts the handler's properties before the peer's own
   handshake metadata, so a peer can't claim roles by sending that property itself. */
static void s_zap_reply(zsock_t *rep, zframe_t *req_id, const char *code, const char *text,
                        const char *user, unsigned roles)
{
    zmsg_t *r = zmsg_new();
    zmsg_addstr(r, "1.0");
    if (req_id)
        zmsg_append(r, &req_id);
    else
        zmsg_addstr(r, "");
    zmsg_addstr(r, code);
    zmsg_addstr(r, text);
    zmsg_addstr(r, user);
    if (roles) {
        /* ZMTP metadata: name length (1 byte), name, value length (4 bytes, big-endian),
           value. */
        uint8_t md[64];
        char v[16];
        size_t nl = strlen(S_ROLES_PROP), vl = (size_t)snprintf(v, sizeof v, "%u", roles), n = 0;
        md[n++] = (uint8_t)nl;
        memcpy(md + n, S_ROLES_PROP, nl);
        n += nl;
        md[n++] = 0;
        md[n++] = 0;
        md[n++] = 0;
        md[n++] = (uint8_t)vl;
        memcpy(md + n, v, vl);
        n += vl;
        zmsg_addmem(r, md, n);
    } else {
        zmsg_addmem(r, NULL, 0);   /* no metadata */
    }
    zmsg_send(&r, rep);
}

/* Answers one ZAP request: 200 for a CURVE key in the allow dir, 400 otherwise. The
   request comes from libzmq, yet the key in it is the peer's: nothing here trusts it
   beyond looking it up. */
static void s_zap_handle(s_zap_t *z)
{
    zmsg_t *req = zmsg_recv(z->rep);
    if (!req)
        return;
    zframe_t *version = zmsg_pop(req), *req_id = zmsg_pop(req), *domain = zmsg_pop(req),
             *address = zmsg_pop(req), *identity = zmsg_pop(req), *mech = zmsg_pop(req),
             *cred = zmsg_pop(req);
    char addr[64] = "?";
    if (address)
        util_sample(zframe_data(address), zframe_size(address), addr, sizeof addr);
    s_allow_refresh(z);
    if (!version || !zframe_streq(version, "1.0") || !mech) {
        s_zap_reply(z->rep, req_id, "500", "bad ZAP request", "", 0);
        req_id = NULL;
    } else if (!zframe_streq(mech, "CURVE") || !cred || zframe_size(cred) != 32) {
        atomic_fetch_add(z->denied, 1);
        char m[32];
        util_warn("refused a %s handshake from %s: only CURVE is accepted",
                  util_sample(zframe_data(mech), zframe_size(mech), m, sizeof m), addr);
        s_zap_reply(z->rep, req_id, "400", "CURVE only", "", 0);
        req_id = NULL;
    } else {
        char z85[S_KEY_Z85 + 1];
        zmq_z85_encode(z85, zframe_data(cred), 32);
        const s_key_t *k = zhashx_lookup(z->keys, z85);
        if (k) {
            atomic_fetch_add(z->accepted, 1);
            util_info("CURVE key '%s' accepted from %s", k->name, addr);
            s_zap_reply(z->rep, req_id, "200", "OK", k->name, k->roles);
        } else {
            atomic_fetch_add(z->denied, 1);
            uint64_t now = util_mono_us();
            if (strcmp(z85, z->last_refused) != 0 || now - z->last_log_us >= S_LOG_GAP_US) {
                util_warn("refused CURVE key %s from %s: not in the allow dir%s %s", z85, addr,
                          z->nallow > 1 ? "s" : "", z->dirs);
                memcpy(z->last_refused, z85, sizeof z85);
                z->last_log_us = now;
            }
            s_zap_reply(z->rep, req_id, "400", "key not allowed", "", 0);
        }
        req_id = NULL;
    }
    zframe_destroy(&version);
    zframe_destroy(&req_id);
    zframe_destroy(&domain);
    zframe_destroy(&address);
    zframe_destroy(&identity);
    zframe_destroy(&mech);
    zframe_destroy(&cred);
    zmsg_destroy(&req);
}

/* Reads the handshake failures of one watched server socket: a mechanism mismatch is a
   client without CURVE, which the ZAP handler never hears of. Each event is two frames:
   2 bytes event and 4 bytes value, then the socket's endpoint. */
static void s_zap_monitor(s_zap_t *z, zsock_t *mon)
{
    void *h = zsock_resolve(mon);
    uint8_t ev[6];
    char ep[256];
    while (zmq_recv(h, ev, sizeof ev, ZMQ_DONTWAIT) >= 0) {
        int more = 0, n = 0;
        size_t len = sizeof more;
        zmq_getsockopt(h, ZMQ_RCVMORE, &more, &len);
        if (more && (n = zmq_recv(h, ep, sizeof ep - 1, ZMQ_DONTWAIT)) < 0)
            n = 0;
        ep[n < (int)sizeof ep ? n : (int)sizeof ep - 1] = 0;
        uint16_t event;
        uint32_t value;
        memcpy(&event, ev, sizeof event);
        memcpy(&value, ev + 2, sizeof value);
        if (event != ZMQ_EVENT_HANDSHAKE_FAILED_PROTOCOL ||
            value != ZMQ_PROTOCOL_ERROR_ZMTP_MECHANISM_MISMATCH)
            continue;
        atomic_fetch_add(z->plain, 1);
        uint64_t now = util_mono_us();
        if (z->plain_log_us == 0 || now - z->plain_log_us >= S_LOG_GAP_US) {
            util_warn("refused a plain tcp client (no CURVE: run with --insecure or without "
                      "keys?) on %s: only CURVE keys in the allow dirs (%s) get in", ep, z->dirs);
            z->plain_log_us = now;
        }
    }
}

/* "WATCH" EP from auth_bind: reads the monitor bound at EP from now on. Signals 0 once
   connected (no event can be lost to a monitor without reader), -1 when it can't. */
static void s_zap_watch(s_zap_t *z, zsock_t *pipe, const char *ep)
{
    zsock_t *mon = z->nmon < S_MAX_MON ? zsock_new(ZMQ_PAIR) : NULL;
    if (mon && zsock_connect(mon, "%s", ep) == 0) {
        z->mon[z->nmon++] = mon;
        zsock_signal(pipe, 0);
        return;
    }
    zsock_destroy(&mon);
    zsock_signal(pipe, 1);
}

static void s_zap_actor(zsock_t *pipe, void *arg)
{
    s_zap_t *z = arg;
    /* Signals are the owner's business: let them reach its thread, not this one. */
    sigset_t all;
    sigfillset(&all);
    pthread_sigmask(SIG_BLOCK, &all, NULL);
    zmq_pollitem_t items[2 + S_MAX_MON] = {
        {zsock_resolve(pipe), 0, ZMQ_POLLIN, 0},
        {zsock_resolve(z->rep), 0, ZMQ_POLLIN, 0},
    };
    zsock_signal(pipe, 0);
    /* Only $TERM or the context's end stop the handler: while a server socket is open,
       a missing handler would let any key in. */
    for (;;) {
        for (int i = 0; i < z->nmon; i++)
            items[2 + i] = (zmq_pollitem_t){zsock_resolve(z->mon[i]), 0, ZMQ_POLLIN, 0};
        if (zmq_poll(items, 2 + z->nmon, -1) < 0) {
            if (zmq_errno() == EINTR)
                continue;
            break;
        }
        if (items[1].revents & ZMQ_POLLIN)
            s_zap_handle(z);
        for (int i = 0; i < z->nmon; i++)
            if (items[2 + i].revents & ZMQ_POLLIN)
                s_zap_monitor(z, z->mon[i]);
        if (items[0].revents & ZMQ_POLLIN) {
            zmsg_t *cmd = zmsg_recv(pipe);
            char *verb = cmd ? zmsg_popstr(cmd) : NULL;
            bool term = !verb || strcmp(verb, "$TERM") == 0;
            if (verb && strcmp(verb, "WATCH") == 0) {
                char *ep = zmsg_popstr(cmd);
                s_zap_watch(z, pipe, ep ? ep : "");
                zstr_free(&ep);
            }
            zstr_free(&verb);
            zmsg_destroy(&cmd);
            if (term)
                break;
        }
    }
}

static void s_zap_destroy(s_zap_t **zp)
{
    s_zap_t *z = *zp;
    if (!z)
        return;
    zsock_destroy(&z->rep);
    for (int i = 0; i < z->nmon; i++)
        zsock_destroy(&z->mon[i]);
    zhashx_destroy(&z->keys);
    for (int i = 0; i < z->nallow; i++)
        free(z->allow[i].path);
    free(z->dirs);
    free(z);
    *zp = NULL;
}

/* ---------------------------------------------------------------- lifecycle */

int auth_new(const auth_config_t *cfg, auth_t **out, char *err, size_t errlen)
{
    *out = NULL;
    auth_t *self = util_calloc(1, sizeof *self);
    self->cfg = *cfg;
    int rc = -EINVAL;
    bool any_allow = cfg->allow_dir != NULL;
    for (int i = 0; i < AUTH_NROLES; i++) {
        self->roles |= cfg->allow_roles[i] != NULL;
        any_allow |= cfg->allow_roles[i] != NULL;
    }
    if (cfg->insecure && (cfg->key || cfg->server_key || any_allow)) {
        snprintf(err, errlen, "--insecure and CURVE keys exclude each other");
        goto fail;
    }
    if ((cfg->server_key || any_allow) && !cfg->key) {
        snprintf(err, errlen, "%s needs --curve-key FILE, this process's own key pair",
                 any_allow ? "an allow dir (--curve-allow, --allow-*)" : "--curve-server");
        goto fail;
    }
    if ((cfg->key || any_allow || cfg->server_key) && !zsys_has_curve()) {
        snprintf(err, errlen, "this libzmq was built without CURVE support");
        rc = -ENOTSUP;
        goto fail;
    }
    if (cfg->key) {
        if ((rc = s_load_key(cfg->key, self->pub, self->sec, err, errlen)) != 0)
            goto fail;
        self->has_key = true;
    }
    if (cfg->server_key) {
        if ((rc = s_load_key(cfg->server_key, self->server, NULL, err, errlen)) != 0)
            goto fail;
        self->has_server = true;
    }
    if (any_allow) {
        s_zap_t *z = util_calloc(1, sizeof *z);
        self->zap = z;
        zlist_t *names = zlist_new();   /* borrowed strings, for z->dirs */
        if (cfg->allow_dir) {
            z->allow[z->nallow++] = (s_allow_t){util_strdup(cfg->allow_dir), AUTH_ROLE_ANY, {0}};
            zlist_append(names, (void *)cfg->allow_dir);
        }
        for (int i = 0; i < AUTH_NROLES; i++) {
            if (cfg->allow_roles[i]) {
                z->allow[z->nallow++] = (s_allow_t){util_strdup(cfg->allow_roles[i]), 1u << i, {0}};
                zlist_append(names, (void *)cfg->allow_roles[i]);
            }
        }
        size_t len = 1;
        for (const char *n = zlist_first(names); n; n = zlist_next(names))
            len += strlen(n) + 2;
        z->dirs = util_calloc(1, len);
        for (const char *n = zlist_first(names); n; n = zlist_next(names)) {
            if (z->dirs[0])
                strcat(z->dirs, ", ");
            strcat(z->dirs, n);
        }
        zlist_destroy(&names);
        z->denied = &self->denied;
        z->accepted = &self->accepted;
        z->plain = &self->plain;
        if ((rc = s_load_allow(z, err, errlen)) != 0)
            goto fail;
        z->rep = zsock_new(ZMQ_REP);
        if (!z->rep || zsock_bind(z->rep, S_ZAP_EP) != 0) {
            snprintf(err, errlen, "cannot start the ZAP handler on %s: %s", S_ZAP_EP,
                     zmq_strerror(zmq_errno()));
            rc = -EADDRINUSE;
            goto fail;
        }
        /* From here the actor thread owns `z` (thread creation orders the handover). */
        self->actor = zactor_new(s_zap_actor, z);
        if (!self->actor) {
            snprintf(err, errlen, "cannot start the ZAP handler thread");
            rc = -ENOMEM;
            goto fail;
        }
    }
    *out = self;
    return 0;
fail:
    auth_destroy(&self);
    return rc;
}

void auth_destroy(auth_t **self_p)
{
    if (!self_p || !*self_p)
        return;
    auth_t *self = *self_p;
    zactor_destroy(&self->actor);
    s_zap_destroy(&self->zap);
    zsock_destroy(&self->watch);
    sodium_memzero(self->sec, sizeof self->sec);
    free(self);
    *self_p = NULL;
}

uint64_t auth_denied(const auth_t *self)
{
    return self ? atomic_load(&((auth_t *)self)->denied) : 0;
}

uint64_t auth_accepted(const auth_t *self)
{
    return self ? atomic_load(&((auth_t *)self)->accepted) : 0;
}

const char *auth_role_name(unsigned role)
{
    switch (role) {
    case AUTH_ROLE_PRODUCER: return "producer";
    case AUTH_ROLE_WORKER: return "worker";
    case AUTH_ROLE_STORE: return "store";
    case AUTH_ROLE_ADMIN: return "admin";
    default: return "?";
    }
}

bool auth_peer_may(const auth_t *self, zframe_t *frame, unsigned role)
{
    if (!self || !self->roles || !frame)
        return true;
    const char *v = zframe_meta(frame, S_ROLES_PROP);
    if (!v)
        return true;   /* not through the ZAP handler: an ipc peer, which the file modes vet */
    char *end;
    unsigned long roles = strtoul(v, &end, 10);
    return *end == 0 && (roles & role) == role;
}

uint64_t auth_plain_refused(const auth_t *self)
{
    return self ? atomic_load(&((auth_t *)self)->plain) : 0;
}

/* ---------------------------------------------------------------- endpoints */

int auth_bind(auth_t *self, zsock_t *sock, const char *ep, char *err, size_t errlen)
{
    bool net = auth_is_network(ep);
    if (net && self && self->has_key) {
        if (!self->actor) {
            snprintf(err, errlen, "%s: a CURVE server needs --curve-allow DIR (or --allow-* role "
                     "dirs), the keys it lets in (CURVE alone would accept any client)", ep);
            return -EINVAL;
        }
        zsock_set_curve_server(sock, 1);
        zsock_set_curve_secretkey_bin(sock, self->sec);
        zsock_set_zap_domain(sock, S_ZAP_DOMAIN);
        /* A plain client is refused by libzmq before the ZAP handler hears of it: the
           handler's thread watches this socket's handshake failures to count it. */
        char mon[96];
        snprintf(mon, sizeof mon, "inproc://crossclaim-zapmon-%p-%u", (void *)self, ++self->nwatch);
        if (zmq_socket_monitor(zsock_resolve(sock), mon, ZMQ_EVENT_HANDSHAKE_FAILED_PROTOCOL) != 0 ||
            zstr_sendx(self->actor, "WATCH", mon, NULL) != 0 || zsock_wait(self->actor) != 0) {
            snprintf(err, errlen, "%s: cannot watch its handshakes (at most %d CURVE server "
                     "sockets per process)", ep, S_MAX_MON);
            return -EIO;
        }
    } else if (net && self && self->cfg.insecure) {
        util_warn("%s: plain tcp WITHOUT authentication or encryption (--insecure): anyone "
                  "who reaches it can submit, take jobs and read results", ep);
    } else if (net) {
        snprintf(err, errlen, "%s is a network endpoint: give --curve-key FILE and "
                 "--curve-allow DIR (see 'crossclaim keygen --help'), or --insecure for "
                 "plain tcp", ep);
        return AUTH_EPLAIN;
    }
    if (zsock_bind(sock, "%s", ep) < 0) {
        snprintf(err, errlen, "cannot bind %s: %s", ep, zmq_strerror(zmq_errno()));
        return -EADDRINUSE;
    }
    if (strncmp(ep, "ipc://", 6) == 0 && ep[6] != '@' && chmod(ep + 6, 0600) != 0) {
        int e = errno;
        snprintf(err, errlen, "cannot make %s private (chmod 600): %s", ep + 6, strerror(e));
        return -e;
    }
    return 0;
}

/* Starts watching `sock`'s handshakes (the previous watch ends). */
static int s_watch(auth_t *self, zsock_t *sock)
{
    zsock_destroy(&self->watch);
    self->last = 0;
    char ep[96];
    snprintf(ep, sizeof ep, "inproc://crossclaim-auth-%p-%u", (void *)self, ++self->nwatch);
    int events = ZMQ_EVENT_HANDSHAKE_SUCCEEDED | ZMQ_EVENT_HANDSHAKE_FAILED_AUTH |
                 ZMQ_EVENT_HANDSHAKE_FAILED_PROTOCOL | ZMQ_EVENT_HANDSHAKE_FAILED_NO_DETAIL;
    if (zmq_socket_monitor(zsock_resolve(sock), ep, events) != 0)
        return -zmq_errno();
    self->watch = zsock_new(ZMQ_PAIR);
    if (!self->watch || zsock_connect(self->watch, "%s", ep) != 0) {
        zsock_destroy(&self->watch);
        return -EIO;
    }
    return 0;
}

static int s_connect(auth_t *self, zsock_t *sock, const char *ep, bool watch, char *err,
                     size_t errlen)
{
    bool net = auth_is_network(ep);
    if (net && self && self->has_key) {
        if (!self->has_server) {
            snprintf(err, errlen, "%s: a CURVE client needs --curve-server FILE, the "
                     "server's public key", ep);
            return -EINVAL;
        }
        zsock_set_curve_serverkey_bin(sock, self->server);
        zsock_set_curve_publickey_bin(sock, self->pub);
        zsock_set_curve_secretkey_bin(sock, self->sec);
    } else if (net && self && self->cfg.insecure) {
        util_warn("%s: plain tcp WITHOUT authentication or encryption (--insecure)", ep);
    } else if (net) {
        snprintf(err, errlen, "%s is a network endpoint: give --curve-key FILE and "
                 "--curve-server FILE (see 'crossclaim keygen --help'), or --insecure for "
                 "plain tcp", ep);
        return AUTH_EPLAIN;
    }
    if (net && self && watch) {
        int rc = s_watch(self, sock);
        if (rc) {
            snprintf(err, errlen, "cannot watch the handshakes on %s: %s", ep, zmq_strerror(-rc));
            return rc;
        }
    }
    if (zsock_connect(sock, "%s", ep) != 0) {
        snprintf(err, errlen, "cannot connect to %s: %s", ep, zmq_strerror(zmq_errno()));
        return -EINVAL;
    }
    return 0;
}

int auth_connect(auth_t *self, zsock_t *sock, const char *ep, char *err, size_t errlen)
{
    return s_connect(self, sock, ep, true, err, errlen);
}

int auth_connect_unwatched(auth_t *self, zsock_t *sock, const char *ep, char *err,
                           size_t errlen)
{
    return s_connect(self, sock, ep, false, err, errlen);
}

int auth_check(auth_t *self)
{
    if (!self || !self->watch)
        return 0;
    void *h = zsock_resolve(self->watch);
    uint8_t ev[6];
    char addr[256];
    /* Each event is two frames: 2 bytes event, 4 bytes value; then the endpoint. */
    while (zmq_recv(h, ev, sizeof ev, ZMQ_DONTWAIT) >= 0) {
        int more = 0;
        size_t len = sizeof more;
        zmq_getsockopt(h, ZMQ_RCVMORE, &more, &len);
        if (more)
            zmq_recv(h, addr, sizeof addr, ZMQ_DONTWAIT);
        uint16_t event;
        uint32_t value;
        memcpy(&event, ev, sizeof event);
        memcpy(&value, ev + 2, sizeof value);
        if (event == ZMQ_EVENT_HANDSHAKE_SUCCEEDED)
            self->last = 0;
        else if (event == ZMQ_EVENT_HANDSHAKE_FAILED_AUTH)
            self->last = AUTH_EREFUSED;
        else if (event == ZMQ_EVENT_HANDSHAKE_FAILED_PROTOCOL &&
                 value == ZMQ_PROTOCOL_ERROR_ZMTP_MECHANISM_MISMATCH)
            self->last = self->has_key ? AUTH_ENOCURVE : AUTH_ENEEDCURVE;
        else
            self->last = AUTH_EHANDSHAKE;
    }
    return self->last;
}
