#!/usr/bin/env python3
"""test_consumer: a downstream consumer of crossclaim's feed, in Python, written with the
client module the project ships (clients/python/crossclaim_client.py).

It shares no code with the C side: only ZeroMQ (pyzmq) and the protobuf module that the
build generates with protoc from the shipped proto/crossclaim.proto. The module follows
the Clone pattern (zguide ch. 5) as docs/PROTOCOL.md documents the store's sockets:
subscribe to the PUB feed, ask the query socket for a SNAPSHOT, apply only updates with a
greater seq (whole records, deletes, PATCHes and per-article claim deltas of an xref), and
when a seq is missing (the PUB dropped updates at its high-water mark) catch up with
SINCE, or a new SNAPSHOT when the store no longer keeps them.

The pipeline is the real one (broker, store and two workers as processes). Three
consumers join after the sample articles are in and stay while a thousand generated
articles (and the BBC corpus, when $CC_SHARED_DIR/corpus/bbc is there) go in:
  A  reads as fast as it can, with no receive high-water mark;
  B  throws away a range of updates on purpose, as if the network had lost them;
  C  has a receive high-water mark of 1 and does not read at all until the ingest is over,
     so the store's PUB (--pub-hwm 5000 here) really drops updates for it.
Each one's folded view must equal `crossclaim export`: article, attribution, quantity,
entity, xref and story records with all their fields. Exit 0 when all three do, 77 when
the Python modules are missing.
"""
import json
import os
import subprocess
import sys
import tempfile
import threading
import time

SRC = os.environ.get("CC_SOURCE_DIR")
if SRC:
    sys.path.insert(0, os.path.join(SRC, "clients", "python"))
try:
    import zmq
    import crossclaim_pb2  # noqa: F401  (the build's; the client would make its own)
    from crossclaim_client import Client, Follower, export_records
except ImportError as e:  # pragma: no cover - depends on the machine
    print(f"SKIP: {e}: deploy/install-deps.sh installs python3-zmq and python3-protobuf; "
          "the build generates crossclaim_pb2 with protoc")
    sys.exit(77)

BIN = os.environ.get("CC_BIN_DIR")
SHARED = os.environ.get("CC_SHARED_DIR", "../shared")
HEARTBEAT_MS = 200
PUB_HWM = 5000        # updates the store's PUB keeps per subscriber (its default is 20000)
GENERATED = 1000      # about 8 updates each: C, frozen, must overflow PUB_HWM without BBC
KINDS = ("article", "attribution", "quantity", "entity", "xref", "story")


class Consumer(threading.Thread):
    """One consumer: the shipped Follower, with a range of updates thrown away on purpose
    (drop) and a switch that stops it reading (reading cleared)."""

    def __init__(self, name, feed_ep, query_ep, rcvhwm=1000, drop=None):
        super().__init__(daemon=True)
        self.name = name
        self.follower = Follower(Client(feed_ep, query_ep, rcvhwm=rcvhwm))
        self.drop = drop            # (first, last): updates thrown away on purpose
        self.dropped = 0
        self.snapshot_records = 0
        self.snapshot_seq = None
        self.ready = threading.Event()    # the first snapshot is in
        self.reading = threading.Event()  # cleared: the consumer does not read the feed
        self.reading.set()
        self.target = None                # stop once the view reaches it
        self.finished = threading.Event()
        self.error = None

    @property
    def seq(self):
        return self.follower.view.seq

    def run(self):
        f = self.follower
        try:
            self.snapshot_records, self.snapshot_seq = f.start()
            self.ready.set()
            while not (self.target is not None and self.seq >= self.target):
                if not self.reading.is_set():
                    self.reading.wait(0.1)
                    continue
                m = f.client.recv(100)
                if m is None:
                    continue
                topic, u = m
                if topic != b"hb" and self.drop and self.drop[0] <= u.seq <= self.drop[1]:
                    self.dropped += 1
                    continue
                f.handle(topic, u)
        except Exception as e:  # reported by the main thread
            self.error = e
            self.ready.set()
        finally:
            f.client.close()
            self.finished.set()


# -- the pipeline ---------------------------------------------------------------------
def start(argv):
    return subprocess.Popen(argv, stdin=subprocess.DEVNULL)


def stats(query_ep, within_s=60):
    """The store's STATS, asked again (each time waiting longer) while the store is busy
    serving the other consumers or cuts the reply (ERR, ask again); None after within_s."""
    ctx = zmq.Context.instance()
    deadline = time.monotonic() + within_s
    wait_ms = 2000
    while time.monotonic() < deadline:
        q = ctx.socket(zmq.DEALER)
        q.setsockopt(zmq.LINGER, 0)
        q.connect(query_ep)
        q.send(b"STATS")
        msg = q.recv_multipart() if q.poll(wait_ms) else None
        q.close()
        if msg and msg[0] == b"OK":
            return json.loads(msg[2])
        wait_ms = min(wait_ms * 2, 10000)
    return None


def broker_drained(data):
    out = subprocess.run([f"{BIN}/crossclaim", "status", "--json", "--data", data],
                         capture_output=True, text=True).stdout
    b = json.loads(out).get("broker") or {}
    return b.get("depth") == 0 and b.get("inflight") == 0 and b.get("awaiting_commit") == 0


def write_articles(folder, n):
    """Articles written here, not taken from any corpus: each has three figures, said in
    words that vary from article to article, so that they are independent reports rather
    than copies of one (copies count as one source), and a fact's sources, and with them
    its verdict, keep changing as they come in: the feed then carries PATCHes of xrefs
    even without the BBC corpus."""
    weather = ["calm", "stormy", "foggy", "windy", "rainy", "bright", "cold"]
    fate = ["waited overnight", "slept in the terminal", "were sent to hotels",
            "stayed aboard", "queued at the gates"]
    ferries = [
        "Harbour master Ilse Varga said {f} ferries were held in Port Soren on Friday.",
        "{f} ferries were held in Port Soren on Friday, harbour master Ilse Varga said.",
        "In Port Soren, {f} ferries stayed in dock on Friday, according to harbour master "
        "Ilse Varga.",
        "Ilse Varga, the harbour master, told reporters that {f} ferries were held at Port "
        "Soren.",
        "Port Soren held {f} ferries on Friday, its harbour master, Ilse Varga, said."]
    os.makedirs(folder)
    for i in range(n):
        p, c = 200 + i, 12 + i % 4
        first = ferries[i % 5].format(f=4 + i % 3)
        second = [f"The Coastline Trust said {p} passengers {fate[i % 5]} after a "
                  f"{weather[i % 7]} night.",
                  f"About {p} travellers {fate[(i + 2) % 5]}, the Coastline Trust counted, as "
                  f"the {weather[(i + 3) % 7]} spell went on.",
                  f"Some {p} passengers {fate[(i + 1) % 5]}, a Coastline Trust spokesman "
                  f"said."][i % 3]
        third = [f"The Soren port authority said {c} cranes stood idle.",
                 f"{c} cranes were idle at the quay, port officials said.",
                 f"Dock workers left {c} cranes unused, the port authority said."][(i // 3) % 3]
        with open(os.path.join(folder, f"g{i:04d}.txt"), "w") as f:
            f.write(f"Harbour report {i}\n{first} {second} {third}\n")


def export_view(data):
    out = subprocess.run([f"{BIN}/crossclaim", "export", "--data", data], check=True,
                         capture_output=True, text=True).stdout
    return export_records(out.splitlines())


def compare(name, got, want):
    print(f"\nconsumer {name}: its view against crossclaim export")
    print(f"  {'kind':<12}{'consumer':>10}{'export':>10}{'same records':>14}")
    equal = True
    for kind in KINDS:
        g = {k: v for k, v in got.items() if k[0] == kind}
        w = {k: v for k, v in want.items() if k[0] == kind}
        same = sum(1 for k in w if g.get(k) == w[k])
        ok = g == w and (kind not in ("attribution", "quantity") or len(w) > 0)
        equal &= ok
        print(f"  {kind:<12}{len(g):>10}{len(w):>10}{same:>14}")
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

        a = Consumer("A", feed, query, rcvhwm=0)
        b = Consumer("B", feed, query)
        c = Consumer("C", feed, query, rcvhwm=1)
        for x in (a, b, c):
            x.start()
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
            x.finished.wait(300)
            f = x.follower
            if x.error or not x.finished.is_set():
                raise RuntimeError(f"consumer {x.name} stopped at seq {x.seq}: {x.error}")
            print(f"consumer {x.name}: at seq {x.seq}; {f.live} live updates, "
                  f"{f.caught_up} through SINCE, {f.gaps} gaps, {f.snapshots} snapshots, "
                  f"{x.dropped} thrown away on purpose")
        want = export_view(data)
        results = [compare(x.name, x.follower.view.records, want) for x in (a, b, c)]
        fa, fb, fc = a.follower, b.follower, c.follower
        checks = [
            (fa.live > 0, "A received live updates after its snapshot"),
            (b.dropped > 0 and fb.gaps > 0 and fb.caught_up > 0,
             "B saw the gap it made and caught up through SINCE"),
            (fc.gaps > 0, "C, frozen behind a high-water mark of 1, saw a gap"),
            (fa.view.applied.get(("claim", "SET"), 0) > 0 and
             fa.view.applied.get(("xref", "PATCH"), 0) > 0,
             "A folded claim deltas and PATCHes of xrefs into its view"),
            (fa.view.applied.get(("attribution", "SET"), 0) > 0 and
             fa.view.applied.get(("quantity", "SET"), 0) > 0,
             "A received attributions and quantities from the feed"),
        ]
        print(f"updates A applied, by kind and op: {sorted(fa.view.applied.items())}")
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
