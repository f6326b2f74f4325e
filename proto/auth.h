/*  auth: who may talk to a crossclaim process, and how its endpoints are set up.

    Network endpoints (tcp://, and ipc://@abstract, which any local user can reach) use
    CURVE: traffic is encrypted and each side proves its key. A server (the broker; the
    store for its feed and query service) accepts only the client keys found in its allow
    directory: its own ZAP handler (RFC 27, on inproc://zeromq.zap.01) checks every CURVE
    handshake against the public key files there, and counts what it refuses. Without a
    ZAP handler libzmq would let any CURVE key in, so a server never runs CURVE without one.

    Without keys a network endpoint is refused, unless the operator says --insecure: then
    it runs as plain tcp with a warning in the log. ipc:// endpoints are protected by the
    file system instead: the socket file is made 0600 right after the bind, inside a data
    dir that is created 0700.

    Key files are czmq certificates (zcert), as `crossclaim keygen NAME` writes them:
    NAME.key holds the public key (give it to the other side), NAME.key_secret the key pair
    (mode 0600, stays on its machine).

    Command-line flags, the same in every program:
        --curve-key FILE      this process's key pair (NAME.key_secret)
        --curve-server FILE   clients: the server's public key (NAME.key)
        --curve-allow DIR     servers: the public keys (*.key) of the clients let in;
                              files added or removed take effect at the next handshake
        --insecure            plain tcp without keys, warned about

    A server can also give keys roles (the broker: producer, worker, store, admin) through
    one allow dir per role, beside the any-role --curve-allow dir: a key is let in when it
    is in any of them, and the server asks auth_peer_may before it acts on a message. */
#ifndef CC_AUTH_H
#define CC_AUTH_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <czmq.h>

typedef struct auth_t auth_t;

/* Roles a key can be given, each through its own allow dir. */
enum { AUTH_PRODUCER, AUTH_WORKER, AUTH_STORE, AUTH_ADMIN, AUTH_NROLES };
#define AUTH_ROLE_PRODUCER (1u << AUTH_PRODUCER)   /* SUBMIT */
#define AUTH_ROLE_WORKER   (1u << AUTH_WORKER)     /* HELLO worker and what follows */
#define AUTH_ROLE_STORE    (1u << AUTH_STORE)      /* HELLO store and what follows */
#define AUTH_ROLE_ADMIN    (1u << AUTH_ADMIN)      /* ADMIN verbs (stats, pause, requeue...) */
#define AUTH_ROLE_ANY      ((1u << AUTH_NROLES) - 1)

typedef struct {
    const char *key;          /* own key pair file, or NULL */
    const char *server_key;   /* clients: the server's public key file, or NULL */
    const char *allow_dir;    /* servers: directory of accepted public keys, any role, or NULL */
    const char *allow_roles[AUTH_NROLES];  /* servers: a directory per role, or NULL */
    bool insecure;            /* network endpoints may run without CURVE */
} auth_config_t;

#define AUTH_EPLAIN     (-7001)  /* a network endpoint without keys and without --insecure */
#define AUTH_EREFUSED   (-7002)  /* the server refused our key */
#define AUTH_EHANDSHAKE (-7003)  /* the security handshake failed (wrong server key, or
                                    the connection dropped during it) */
#define AUTH_ENEEDCURVE (-7004)  /* the server runs CURVE and this process plain tcp */
#define AUTH_ENOCURVE   (-7005)  /* the server runs plain tcp and this process CURVE */

/* Prints the help lines of the flags above to `out`: --curve-key and --insecure always,
   --curve-server for a `client`, --curve-allow for a `server`. Can't fail. */
void auth_usage(FILE *out, bool client, bool server);

/* Prints the help lines of the broker's role allow dirs (--allow-producers, --allow-workers,
   --allow-stores, --allow-admins) to `out`. Can't fail. */
void auth_usage_roles(FILE *out);

/* Loads the keys `cfg` names and, with an allow dir, starts the ZAP handler. A key pair
   file readable by group or others is refused (as ssh refuses such keys). Returns 0 and
   *out, or a negative error with the reason in `err` (size `errlen`). An all-NULL cfg is
   valid: ipc and inproc endpoints only. */
int auth_new(const auth_config_t *cfg, auth_t **out, char *err, size_t errlen);

/* Stops the ZAP handler and wipes the keys. Close every socket bound through this auth
   first: a CURVE socket whose handler is gone would let any key in. Nothing on NULL;
   sets *self_p = NULL. */
void auth_destroy(auth_t **self_p);

/* Binds `sock` to `ep`: a CURVE server on a network endpoint (needs --curve-key and
   --curve-allow), plain with a warning under --insecure, else AUTH_EPLAIN; an ipc socket
   file is made 0600. `self` may be NULL (no keys). Returns 0 or a negative error with the
   reason in `err`. */
int auth_bind(auth_t *self, zsock_t *sock, const char *ep, char *err, size_t errlen);

/* Connects `sock` to `ep`: a CURVE client on a network endpoint (needs --curve-key and
   --curve-server), plain under --insecure, else AUTH_EPLAIN. The handshakes of the last
   socket connected to a network endpoint are watched for auth_check. `self` may be NULL.
   Returns 0 or a negative error with the reason in `err`. */
int auth_connect(auth_t *self, zsock_t *sock, const char *ep, char *err, size_t errlen);

/* As auth_connect, for a second socket of a process that already watches one on the same
   server with the same keys (a refusal shows there too). Only one socket is watched at a
   time: moving the watch away from a socket that stays open would leave its monitor with
   no reader, and libzmq's I/O thread then stalls every socket of the process. */
int auth_connect_unwatched(auth_t *self, zsock_t *sock, const char *ep, char *err,
                           size_t errlen);

/* What the last handshake of the watched socket said, without blocking: 0 (none yet, or
   it succeeded), AUTH_EREFUSED, AUTH_ENEEDCURVE or AUTH_ENOCURVE (the two sides disagree
   on CURVE: waiting will not help either), or AUTH_EHANDSHAKE. A later success clears a
   failure (the server's operator may add our key meanwhile). 0 on NULL. */
int auth_check(auth_t *self);

/* CURVE handshakes this process's ZAP handler refused and accepted. 0 on NULL. */
uint64_t auth_denied(const auth_t *self);
uint64_t auth_accepted(const auth_t *self);

/* Handshakes refused on this process's CURVE server sockets because the client ran no
   CURVE (plain tcp, --insecure): libzmq refuses those before the ZAP handler hears of
   them, so each server socket's handshake failures are watched by the handler's thread,
   which counts them and logs them (again after 30 s). 0 on NULL. */
uint64_t auth_plain_refused(const auth_t *self);

/* True when the peer that sent `frame` (a frame of a message received on a socket bound
   through auth_bind, one the peer sent: a ROUTER's identity frame carries no metadata;
   NULL is let through) may act in `role` (one AUTH_ROLE_* bit): always without role allow
   dirs, and for peers that did not come through the ZAP handler (ipc, whose file modes
   vet them); else when its key is in the any-role dir or in that role's dir. The roles
   come from the handler, as connection metadata; a peer can't set them. */
bool auth_peer_may(const auth_t *self, zframe_t *frame, unsigned role);

/* "producer", "worker", "store" or "admin" for one AUTH_ROLE_* bit. Static; can't fail. */
const char *auth_role_name(unsigned role);

/* True for endpoints that other machines or users can reach: anything but ipc:// with a
   path and inproc://. */
bool auth_is_network(const char *ep);

/* Writes a new key pair: DIR/NAME.key (public, 0644) and DIR/NAME.key_secret (0600).
   DIR is created 0700 when missing. Never overwrites: an existing file is an error.
   NAME is letters, digits, '.', '_' or '-', not starting with '.'. On success the two
   paths are written to `pub_path`/`sec_path` (each `cap` bytes) when not NULL. Returns 0
   or a negative error with the reason in `err`. */
int auth_keygen(const char *dir, const char *name, char *pub_path, char *sec_path, size_t cap,
                char *err, size_t errlen);

/* Text for an AUTH_E* code or a -errno. Static; can't fail. */
const char *auth_strerror(int rc);

#endif
