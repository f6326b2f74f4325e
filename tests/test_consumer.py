#!/usr/bin/env python3
"""test_consumer: an independent downstream consumer of crossclaim's feed, in Python.

It shares no code with crossclaim: only ZeroMQ (pyzmq) and the protobuf module that the
build generates with protoc from the shipped proto/crossclaim.proto. It follows the Clone
pattern (zguide ch. 5) as store.h documents the store's sockets: subscribe to the PUB
feed, ask the query socket for a SNAPSHOT, apply only updates with a greater seq, and
when a seq is missing (the PUB dropped updates at its high-water mark) catch up with
SINCE, or a new SNAPSHOT when the store no longer keeps them.

The pipeline is the real one (broker, store and two workers as processes). Three
consumers join after the sample articles are in and stay while a thousand generated
articles (and the BBC corpus, when $CC_SHARED_DIR/corpus/bbc is there) go in:
  A  reads as fast as it can, with no receive high-water mark;
  B  throws away a range of updates on purpose, as if the network had lost them;
  C  has a receive high-water mark of 1 and does not read at all until the ingest is over,
     so the store's PUB (--pub-hwm 5000 here) really drops updates for it.
Each one's final view must equal `crossclaim export` (article, entity and xref records
with all their fields). Exit 0 when all three do, 77 when the Python modules are missing.
"""
import json
import os
import subprocess
import sys
import tempfile
import threading
import time

try:
    import zmq
    import crossclaim_pb2
except ImportError as e:  # pragma: no cover - depends on the machine
    print(f"SKIP: {e}: deploy/install-deps.sh installs python3-zmq and python3-protobuf; "
          "the build generates crossclaim_pb2 with protoc")
    sys.exit(77)

BIN = os.environ.get("CC_BIN_DIR")
SRC = os.environ.get("CC_SOURCE_DIR")
SHARED = os.environ.get("CC_SHARED_DIR", "../shared")
HEARTBEAT_MS = 200
PUB_HWM = 5000        # updates the store's PUB keeps per subscriber (its default is 20000)
GENERATED = 1000      # about 8 updates each: C, frozen, must overflow PUB_HWM without BBC


class CloneConsumer:
    """A Clone-pattern view of the store: (kind, key) -> record, at seq `self.seq`."""

    def __init__(self, name, feed_ep, query_ep, rcvhwm=1000, drop=None):
        self.name = name
        self.ctx = zmq.Context.instance()
        self.sub = self.ctx.socket(zmq.SUB)
        self.sub.setsockopt(zmq.RCVHWM, rcvhwm)
        self.sub.setsockopt(zmq.LINGER, 0)
        self.sub.setsockopt(zmq.SUBSCRIBE, b"")
        self.sub.connect(feed_ep)
        self.query_ep = query_ep
        self.view = {}
        self.seq = 0
        self.drop = drop            # (first, last): updates thrown away on purpose
        self.dropped = 0
        self.snapshot_records = 0
        self.snapshot_seq = None
        self.live = 0               # updates applied from the feed
        self.caught_up = 0          # updates applied from SINCE answers
        self.gaps = 0
        self.snapshots = 0
        self.ready = threading.Event()    # the first snapshot is in
        self.reading = threading.Event()  # cleared: the consumer does not read the feed
        self.reading.set()
        self.target = None                # stop once self.seq reaches it
        self.done = threading.Event()
        self.error = None

    # -- the query socket -------------------------------------------------------------
    def _ask(self, *frames):
        """Sends one request; yields the answer's messages until the last one."""
        q = self.ctx.socket(zmq.DEALER)
        q.setsockopt(zmq.LINGER, 0)
        q.setsockopt(zmq.RCVHWM, 0)
        q.connect(self.query_ep)
        try:
            q.send_multipart([f.encode() if isinstance(f, str) else f for f in frames])
            while True:
                if not q.poll(30000):
                    raise RuntimeError(f"no answer to {frames[0]} from the store")
                msg = q.recv_multipart()
                yield msg
                if msg[0] in (b"END", b"OK", b"ERR"):
                    return
        finally:
            q.close()

    def snapshot(self):
        records = []
        for msg in self._ask("SNAPSHOT", "article,entity,xref,story"):
            if msg[0] == b"DATA":
                records.extend(json.loads(line) for line in msg[1].splitlines() if line)
            elif msg[0] == b"END":
                seq = int(msg[1])
            else:
                raise RuntimeError(f"SNAPSHOT refused: {msg}")
        self.view = {}
        for r in records:
            self.view[(r["type"], r["id"] if r["type"] in ("article", "story") else r["key"])] = r
        self.seq = seq
        self.snapshots += 1
        return len(records), seq

    def catch_up(self):
        """Brings the view to the store's seq after a gap: SINCE, else a new snapshot."""
        for msg in self._ask("SINCE", str(self.seq)):
            if msg[0] == b"UPDATE":
                seq = int(msg[1])
                if seq <= self.seq:
                    continue
                if seq != self.seq + 1:
                    raise RuntimeError(f"SINCE skipped from {self.seq} to {seq}")
                self._apply(seq, msg[2], crossclaim_pb2.Update.FromString(msg[3]))
                self.caught_up += 1
            elif msg[0] == b"ERR" and msg[1].startswith(b"gap"):
                self.snapshot()
                return
            elif msg[0] != b"END":
                raise RuntimeError(f"SINCE refused: {msg}")

    # -- the feed ---------------------------------------------------------------------
    def _apply(self, seq, topic, u):
        assert u.seq == seq, (u.seq, seq)
        record = json.loads(u.json)
        key = (u.kind, u.key)
        deleted = (topic.startswith(b"xref.deleted.") or topic.startswith(b"story.deleted.")
                   or record.get("deleted") is True)
        if deleted:
            self.view.pop(key, None)
        else:
            self.view[key] = record
        self.seq = seq

    def _on_message(self, topic, payload):
        u = crossclaim_pb2.Update.FromString(payload)
        if topic == b"hb":
            if u.seq > self.seq:          # the tail of the updates never came
                self.gaps += 1
                self.catch_up()
            return
        if self.drop and self.drop[0] <= u.seq <= self.drop[1]:
            self.dropped += 1
            return
        if u.seq <= self.seq:
            return                        # in the snapshot already, or caught up
        if u.seq != self.seq + 1:
            self.gaps += 1
            self.catch_up()
            if u.seq <= self.seq:
                return
        self._apply(u.seq, topic, u)
        self.live += 1

    def run(self):
        try:
            # The subscription is live once anything arrives: then take the snapshot.
            if not self.sub.poll(10000):
                raise RuntimeError("no heartbeat on the feed within 10 s")
            self.snapshot_records, self.snapshot_seq = self.snapshot()
            self.ready.set()
            while not (self.target is not None and self.seq >= self.target):
                if not self.reading.is_set():
                    self.reading.wait(0.1)
                    continue
                if self.sub.poll(100):
                    topic, payload = self.sub.recv_multipart()
                    self._on_message(topic, payload)
        except Exception as e:  # reported by the main thread
            self.error = e
            self.ready.set()
        finally:
            self.sub.close()
            self.done.set()


# -- the pipeline ---------------------------------------------------------------------
def start(argv):
    return subprocess.Popen(argv, stdin=subprocess.DEVNULL)


def stats(query_ep):
    ctx = zmq.Context.instance()
    q = ctx.socket(zmq.DEALER)
    q.setsockopt(zmq.LINGER, 0)
    q.connect(query_ep)
    q.send(b"STATS")
    if not q.poll(5000):
        q.close()
        return None
    msg = q.recv_multipart()
    q.close()
    return json.loads(msg[2]) if msg[0] == b"OK" else None


def broker_drained(data):
    out = subprocess.run([f"{BIN}/crossclaim", "status", "--json", "--data", data],
                         capture_output=True, text=True).stdout
    b = json.loads(out).get("broker") or {}
    return b.get("depth") == 0 and b.get("inflight") == 0 and b.get("awaiting_commit") == 0


def write_articles(folder, n):
    """Articles written here, not taken from any corpus: each has three figures, so that
    some clusters are corroborated and some conflict across articles."""
    os.makedirs(folder)
    for i in range(n):
        with open(os.path.join(folder, f"g{i:04d}.txt"), "w") as f:
            f.write(f"Harbour report {i}\n"
                    f"Harbour master Ilse Varga said {4 + i % 3} ferries were held in Port "
                    f"Soren on Friday. The Coastline Trust said {200 + i} passengers waited "
                    f"overnight, and the Soren port authority said {12 + i % 4} cranes stood "
                    f"idle.\n")


def export_view(data):
    out = subprocess.run([f"{BIN}/crossclaim", "export", "--data", data], check=True,
                         capture_output=True, text=True).stdout
    view = {}
    for line in out.splitlines():
        r = json.loads(line)
        if r["type"] in ("article", "entity", "xref", "story"):
            view[(r["type"], r["id"] if r["type"] in ("article", "story") else r["key"])] = r
    return view


def compare(name, got, want):
    print(f"\nconsumer {name}: its view against crossclaim export")
    print(f"  {'kind':<9}{'consumer':>10}{'export':>10}{'same records':>14}")
    equal = True
    for kind in ("article", "entity", "xref"):
        g = {k: v for k, v in got.items() if k[0] == kind}
        w = {k: v for k, v in want.items() if k[0] == kind}
        same = sum(1 for k in w if g.get(k) == w[k])
        ok = g == w
        equal &= ok
        print(f"  {kind:<9}{len(g):>10}{len(w):>10}{same:>14}")
        if not ok:
            for k in sorted(set(g) ^ set(w))[:3]:
                print(f"    only in {'consumer' if k in g else 'export'}: {k}")
            for k in [k for k in w if k in g and g[k] != w[k]][:3]:
                print(f"    differs: {k}\n      consumer {g[k]}\n      export   {w[k]}")
    print(f"  equal: {'yes' if equal else 'no'}")
    return equal


def main():
    if not BIN or not SRC:
        print("CC_BIN_DIR and CC_SOURCE_DIR are not set (run through ctest)")
        return 1
    tmp = tempfile.mkdtemp(prefix="cc-py-")
    data = os.path.join(tmp, "data")
    os.makedirs(data)
    feed, query = f"ipc://{data}/feed.ipc", f"ipc://{data}/query.ipc"
    procs = [start([f"{BIN}/crossclaim-broker", "--data", data, "--quiet"]),
             start([f"{BIN}/crossclaim-store", "--data", data, "--quiet",
                    "--heartbeat-ms", str(HEARTBEAT_MS), "--liveness", "25",
                    "--pub-hwm", str(PUB_HWM)])]
    procs += [start([f"{BIN}/crossclaim-worker", "--broker", f"ipc://{data}/backend.ipc",
                     "--name", f"py-{i}", "--quiet"]) for i in range(2)]
    ok = False
    try:
        for _ in range(100):
            if stats(query) is not None:
                break
            time.sleep(0.1)
        else:
            raise RuntimeError("the store did not come up")
        subprocess.run([f"{BIN}/crossclaim", "submit", "--data", data, f"{SRC}/samples"],
                       check=True, stderr=subprocess.DEVNULL)
        stored_by = time.monotonic() + 60
        while ((stats(query) or {}).get("articles") or 0) < 4:
            if time.monotonic() > stored_by:
                raise RuntimeError("the 4 sample articles were not stored within 60 s")
            time.sleep(0.1)

        a = CloneConsumer("A", feed, query, rcvhwm=0)
        b = CloneConsumer("B", feed, query)
        c = CloneConsumer("C", feed, query, rcvhwm=1)
        threads = [threading.Thread(target=x.run, daemon=True) for x in (a, b, c)]
        for t in threads:
            t.start()
        for x in (a, b, c):
            x.ready.wait(30)
            if x.error or not x.ready.is_set():
                raise RuntimeError(f"consumer {x.name} did not start: {x.error}")
        b.drop = (b.snapshot_seq + 50, b.snapshot_seq + 80)
        c.reading.clear()
        print(f"snapshots taken: A {a.snapshot_records} records at seq {a.snapshot_seq}, "
              f"B at {b.snapshot_seq}, C at {c.snapshot_seq}")

        inputs = [os.path.join(tmp, "generated")]
        write_articles(inputs[0], GENERATED)
        bbc = os.path.join(SHARED, "corpus", "bbc")
        if os.path.isdir(bbc):
            inputs.append(bbc)
        else:
            print(f"BBC corpus absent ({bbc}): ingesting the generated articles only")
        for path in inputs:
            subprocess.run([f"{BIN}/crossclaim", "submit", "--data", data, path], check=True,
                           stderr=subprocess.DEVNULL)
            print(f"submitted {path}")
        for _ in range(6000):
            if broker_drained(data):
                break
            time.sleep(0.1)
        else:
            raise RuntimeError("the queue never drained")
        final = stats(query)
        print(f"ingest over: {final['articles']} articles, store seq {final['seq']}")
        for x in (a, b, c):
            x.target = final["seq"]
        c.reading.set()
        for x in (a, b, c):
            x.done.wait(300)
            if x.error or not x.done.is_set():
                raise RuntimeError(f"consumer {x.name} stopped at seq {x.seq}: {x.error}")
            print(f"consumer {x.name}: at seq {x.seq}; {x.live} live updates, "
                  f"{x.caught_up} through SINCE, {x.gaps} gaps, {x.snapshots} snapshots, "
                  f"{x.dropped} thrown away on purpose")
        want = export_view(data)
        results = [compare(x.name, x.view, want) for x in (a, b, c)]
        checks = [
            (a.live > 0, "A received live updates after its snapshot"),
            (b.dropped > 0 and b.gaps > 0 and b.caught_up > 0,
             "B saw the gap it made and caught up through SINCE"),
            (c.gaps > 0, "C, frozen behind a high-water mark of 1, saw a gap"),
        ]
        print()
        for passed, what in checks:
            print(f"  {'ok  ' if passed else 'FAIL'} {what}")
        ok = all(results) and all(p for p, _ in checks)
    finally:
        for p in procs:
            p.terminate()
        for p in procs:
            try:
                p.wait(10)
            except subprocess.TimeoutExpired:
                p.kill()
        subprocess.run(["rm", "-rf", tmp])
    print(f"\ntest_consumer: {'PASS' if ok else 'FAIL'}")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
