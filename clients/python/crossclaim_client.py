"""crossclaim_client: a consumer of crossclaim-store's feed and query socket, in Python.

It needs only pyzmq and the protobuf module generated from proto/crossclaim.proto
(``protoc --python_out=DIR proto/crossclaim.proto`` gives ``crossclaim_pb2``; the build
puts one in build/python). docs/PROTOCOL.md describes the sockets and frames it speaks.

The parts, each usable alone:

  Client   the two sockets: ``subscribe`` (SUB on the feed), ``snapshot`` (SNAPSHOT on the
           query socket), ``since`` (SINCE), ``stats``, ``request`` (any verb).
  View     the folded view: ``(kind, key) -> record``, each record exactly the line
           ``crossclaim export`` writes for it, at ``seq``. ``load`` takes a snapshot,
           ``apply`` one update (SET, DELETE, PATCH and the per-article "claim" deltas of
           an xref).
  Follower the Clone pattern (zguide ch. 5) over both: subscribe, snapshot, apply the
           updates newer than it, and catch up after a gap (SINCE, or a new snapshot when
           the store no longer keeps the updates).

    from crossclaim_client import Client, Follower
    f = Follower(Client("ipc:///data/feed.ipc", "ipc:///data/query.ipc"))
    f.start()                       # first message heard, snapshot taken
    f.follow(until_seq=target)      # or f.step(100) in your own loop
    f.view.records                  # == what `crossclaim export` prints, keyed

Keys: article and story by ``id``, entity and xref by ``key``, attribution and quantity
by ``"<article>/<index>"`` (their place among the article's, as the feed keys them).
"""
import json
import os
import subprocess
import sys
import tempfile

import zmq

try:
    import crossclaim_pb2
except ImportError:  # generate it from the shipped .proto when protoc is there
    _here = os.path.dirname(os.path.abspath(__file__))
    _proto = os.path.normpath(os.path.join(_here, "..", "..", "proto"))
    _out = tempfile.mkdtemp(prefix="crossclaim-pb2-")
    try:
        subprocess.run(["protoc", f"--proto_path={_proto}", f"--python_out={_out}",
                        os.path.join(_proto, "crossclaim.proto")], check=True,
                       capture_output=True)
    except (OSError, subprocess.CalledProcessError) as e:
        raise ImportError("crossclaim_pb2 is not on the path and protoc could not make it "
                          f"from {_proto}/crossclaim.proto: {e}") from e
    sys.path.insert(0, _out)
    import crossclaim_pb2  # noqa: E402

Update = crossclaim_pb2.Update
SET, DELETE, PATCH = Update.SET, Update.DELETE, Update.PATCH

ALL = "article,attribution,quantity,entity,xref,story"


class Gap(Exception):
    """SINCE can't fill the gap: the store no longer keeps those updates."""


class ProtocolError(Exception):
    """The store answered something this client does not understand, or refused."""


def record_key(record):
    """The view key of one export record (a snapshot or export line), or None. An
    attribution's or quantity's index is not in its line: View.load counts it."""
    t = record.get("type")
    if t in ("article", "story"):
        return (t, record["id"])
    if t in ("entity", "xref"):
        return (t, record["key"])
    return None


class Client:
    """The store's feed (SUB) and query socket (a DEALER per request)."""

    def __init__(self, feed, query, context=None, rcvhwm=1000, timeout_ms=30000):
        self.ctx = context or zmq.Context.instance()
        self.feed_ep, self.query_ep = feed, query
        self.timeout_ms = timeout_ms
        self.sub = self.ctx.socket(zmq.SUB)
        self.sub.setsockopt(zmq.RCVHWM, rcvhwm)
        self.sub.setsockopt(zmq.LINGER, 0)
        self.sub.connect(feed)

    def close(self):
        self.sub.close()

    # -- the feed -------------------------------------------------------------------
    def subscribe(self, *prefixes):
        """Subscribes to topic prefixes (none: everything). A Follower needs the whole
        feed to check every seq; it filters what it keeps itself."""
        for p in prefixes or ("",):
            self.sub.setsockopt(zmq.SUBSCRIBE, p.encode() if isinstance(p, str) else p)

    def recv(self, timeout_ms):
        """One feed message as (topic bytes, Update), or None after timeout_ms."""
        if not self.sub.poll(timeout_ms):
            return None
        topic, payload = self.sub.recv_multipart()
        return topic, Update.FromString(payload)

    # -- the query socket -----------------------------------------------------------
    def request(self, *frames):
        """Sends [verb, args...]; yields each reply message (a list of frames) up to the
        last one (END, OK or ERR)."""
        q = self.ctx.socket(zmq.DEALER)
        q.setsockopt(zmq.LINGER, 0)
        q.setsockopt(zmq.RCVHWM, 0)
        q.connect(self.query_ep)
        try:
            q.send_multipart([f.encode() if isinstance(f, str) else f for f in frames])
            while True:
                if not q.poll(self.timeout_ms):
                    raise ProtocolError(f"no answer to {frames[0]} from {self.query_ep}")
                msg = q.recv_multipart()
                yield msg
                if msg[0] in (b"END", b"OK", b"ERR"):
                    return
        finally:
            q.close()

    def stats(self):
        """The store's counts (dict), with its seq."""
        for msg in self.request("STATS"):
            if msg[0] != b"OK":
                raise ProtocolError(f"STATS refused: {msg}")
            return json.loads(msg[2])

    def snapshot(self, what=ALL):
        """A SNAPSHOT: (list of export records, seq). `what` is a comma list of record
        types or of topic prefixes (docs/PROTOCOL.md)."""
        records, seq = [], None
        for msg in self.request("SNAPSHOT", what):
            if msg[0] == b"DATA":
                records.extend(json.loads(l) for l in msg[1].splitlines() if l)
            elif msg[0] == b"END":
                seq = int(msg[1])
            else:
                raise ProtocolError(f"SNAPSHOT refused: {msg}")
        return records, seq

    def since(self, seq):
        """Yields (seq, topic, Update) for every kept update after `seq`, oldest first.
        Raises Gap when the store no longer keeps them all."""
        for msg in self.request("SINCE", str(seq)):
            if msg[0] == b"UPDATE":
                yield int(msg[1]), msg[2], Update.FromString(msg[3])
            elif msg[0] == b"ERR" and msg[1].startswith(b"gap"):
                raise Gap(msg[1].decode(errors="replace"))
            elif msg[0] != b"END":
                raise ProtocolError(f"SINCE refused: {msg}")


def _is_delete(topic, u, record):
    if u.op == DELETE:
        return True
    if u.op in (SET, PATCH):
        return False
    # a store from before Update.op: the topic or the line says it
    return (topic.startswith(b"xref.deleted.") or topic.startswith(b"story.deleted.")
            or record.get("deleted") is True)


class View:
    """The folded view: (kind, key) -> export record, at seq."""

    def __init__(self):
        self.records = {}
        self.seq = 0
        self.applied = {}           # (kind, op name) -> updates applied

    def load(self, records, seq):
        """Replaces the view with a snapshot's records (in the export's order)."""
        self.records = {}
        count = {}
        for r in records:
            key = record_key(r)
            if key is None and r.get("type") in ("attribution", "quantity"):
                n = count.get((r["type"], r["article"]), 0)
                count[(r["type"], r["article"])] = n + 1
                key = (r["type"], f"{r['article']}/{n}")
            if key is not None:
                self.records[key] = r
        self.seq = seq

    def apply(self, topic, u):
        """Applies one update (its seq must be seq + 1). Returns the (kind, key) it
        changed. Raises KeyError when a delta names an xref the view lacks (take a new
        snapshot)."""
        record = json.loads(u.json) if u.json else {}
        op = Update.Op.Name(u.op)
        self.applied[(u.kind, op)] = self.applied.get((u.kind, op), 0) + 1
        if u.kind == "claim":
            # one article's claims of fact u.key: replace them, keep article order
            x = self.records[("xref", u.key)]
            claims = [c for c in x["claims"] if c["article"] != u.article]
            if u.op != DELETE:
                claims += record.get("claims", [])
            claims.sort(key=lambda c: c["article"])   # stable: an article's own order stays
            x["claims"] = claims
            key = ("xref", u.key)
        elif u.kind == "xref" and u.op == PATCH:
            x = self.records[("xref", u.key)]
            for field in ("status", "sources", "evolving", "latest"):
                x[field] = record[field]
            key = ("xref", u.key)
        else:
            key = (u.kind, u.key)
            if _is_delete(topic, u, record):
                self.records.pop(key, None)
            else:
                self.records[key] = record
        self.seq = u.seq
        return key

    def of_kind(self, kind):
        return {k: v for k, v in self.records.items() if k[0] == kind}


class Follower:
    """The Clone pattern: snapshot, then updates newer than it, catching up on gaps."""

    def __init__(self, client, view=None, what=ALL):
        self.client = client
        self.view = view or View()
        self.what = what
        self.live = self.caught_up = self.gaps = self.snapshots = 0
        client.subscribe()

    def resnapshot(self):
        records, seq = self.client.snapshot(self.what)
        self.view.load(records, seq)
        self.snapshots += 1
        return len(records), seq

    def start(self, timeout_ms=10000):
        """Waits for the first feed message (the subscription is then live, so nothing
        published after the snapshot is missed) and takes the snapshot. Returns
        (records, seq) of the snapshot."""
        if not self.client.sub.poll(timeout_ms):
            raise ProtocolError(f"nothing on the feed at {self.client.feed_ep} within "
                                f"{timeout_ms} ms (is crossclaim-store running?)")
        return self.resnapshot()

    def catch_up(self):
        """Brings the view to the store's seq after a gap: SINCE, else a new snapshot."""
        try:
            for seq, topic, u in self.client.since(self.view.seq):
                if seq <= self.view.seq:
                    continue
                if seq != self.view.seq + 1:
                    raise ProtocolError(f"SINCE skipped from {self.view.seq} to {seq}")
                self._apply(topic, u)
                self.caught_up += 1
        except Gap:
            self.resnapshot()

    def _apply(self, topic, u):
        try:
            self.view.apply(topic, u)
        except KeyError:  # a delta for a fact we lack: only a snapshot puts it right
            self.resnapshot()

    def handle(self, topic, u):
        """Handles one feed message (topic bytes, Update)."""
        if topic == b"hb":
            if u.seq > self.view.seq:   # the tail of the updates never came
                self.gaps += 1
                self.catch_up()
            return
        if u.seq <= self.view.seq:
            return                      # in the snapshot already, or caught up
        if u.seq != self.view.seq + 1:
            self.gaps += 1
            self.catch_up()
            if u.seq <= self.view.seq:
                return
        self._apply(topic, u)
        self.live += 1

    def step(self, timeout_ms=100):
        """Waits up to timeout_ms for one feed message and handles it. Returns whether
        one came."""
        m = self.client.recv(timeout_ms)
        if m is None:
            return False
        self.handle(*m)
        return True

    def follow(self, until_seq=None, on_change=None, timeout_ms=100):
        """Follows the feed until the view reaches until_seq (forever when None),
        calling on_change(key, record or None) after each applied update."""
        while until_seq is None or self.view.seq < until_seq:
            before = self.view.seq
            m = self.client.recv(timeout_ms)
            if m is None:
                continue
            self.handle(*m)
            if on_change and self.view.seq != before and m[0] != b"hb":
                u = m[1]
                key = ("xref", u.key) if u.kind == "claim" else (u.kind, u.key)
                on_change(key, self.view.records.get(key))


def export_records(lines):
    """The view of `crossclaim export` output (an iterable of lines), keyed as View."""
    v = View()
    v.load([json.loads(l) for l in lines if l.strip()], 0)
    return v.records
