#!/usr/bin/env python3
"""Multi-host test: the broker, the store, two workers, a producer and a consumer, each on
its own network-namespace "host", talking tcp with CURVE exactly as the README's
"Deploying" section says. Every host hangs off one switch (a bridge in a namespace of its
own) by a veth pair whose switch end the test cuts and degrades:

  1. worker host w1's link is cut for longer than the heartbeat liveness, then healed;
  2. worker host w2's link gets 30% loss and 200 ms delay both ways (tc netem), then clean
     (without netem in the kernel: the loss by iptables, the delay by a token bucket);
  3. the store host's link is cut, then healed;

with a fresh batch of articles submitted just before each fault. Afterwards every
acknowledged article must be in the store exactly once (no article and no claim
doubled), none lost, no dead letters, and the consumer's view (crossclaim watch over
tcp) must equal the export. It prints submitted, acknowledged, stored, redelivered, lost
and doubled, and the recovery time after each heal.

Needs root and `ip netns`; exits 77 (ctest SKIP) with the reason where namespaces can't be
made. Addresses are in 10.213.77.0/24, made and removed by the test; namespaces are named
ccmh<pid>-* and removed even on failure (and stale ones of dead runs at start).
CC_MULTIHOST_ARTICLES sets the articles per batch (default 700, three batches).
"""
import atexit
import json
import os
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import urllib.request

BIN = os.environ.get("CC_BIN_DIR", "")
SKIP = 77
PER_BATCH = int(os.environ.get("CC_MULTIHOST_ARTICLES", "700"))
# Liveness 3 s for every peer: long enough for the store's longest commit (under ASan
# too), so only the cuts, which last longer, make a peer silent.
HB_MS = int(os.environ.get("CC_MULTIHOST_HB_MS", "500"))
LIVENESS = int(os.environ.get("CC_MULTIHOST_LIVENESS", "6"))
CUT_S, NETEM_S = 5.0, 6.0
NET = "10.213.77"
PREFIX = f"ccmh{os.getpid()}-"
HOSTS = {"broker": 1, "store": 2, "w1": 11, "w2": 12, "prod": 21, "cons": 22}
SW = PREFIX + "sw"
PORTS = {"front": 5555, "back": 5556, "pub": 5560, "query": 5561}
METRICS = {"broker": 9101, "store": 9102, "w1": 9103, "w2": 9103}

procs = []          # (name, Popen, log path)
made_ns = []


def sh(*argv, check=True, quiet=False):
    r = subprocess.run(argv, capture_output=True, text=True)
    if check and r.returncode != 0:
        raise RuntimeError(f"{' '.join(argv)}: exit {r.returncode}: {r.stderr.strip()}")
    return r


def ns_of(host):
    return PREFIX + host


def in_ns(host, *argv):
    return ["ip", "netns", "exec", ns_of(host), *argv]


def cleanup():
    for name, p, _ in procs:
        if p.poll() is None:
            p.send_signal(signal.SIGTERM)
    deadline = time.time() + 5
    for name, p, _ in procs:
        try:
            p.wait(max(0.1, deadline - time.time()))
        except subprocess.TimeoutExpired:
            p.kill()
            p.wait()
    procs.clear()
    for ns in list(made_ns):
        # Nothing may outlive its namespace: kill what is left inside, then delete it.
        pids = sh("ip", "netns", "pids", ns, check=False).stdout.split()
        for pid in pids:
            try:
                os.kill(int(pid), signal.SIGKILL)
            except (ProcessLookupError, ValueError):
                pass
        sh("ip", "netns", "del", ns, check=False)
        made_ns.remove(ns)


def remove_stale():
    """Namespaces of earlier runs whose process is gone (a run killed by a timeout)."""
    for line in sh("ip", "netns", "list", check=False).stdout.splitlines():
        m = re.match(r"ccmh(\d+)-\S+", line)
        if m and not os.path.exists(f"/proc/{m.group(1)}"):
            sh("ip", "netns", "del", m.group(0), check=False)


def make_net():
    sh("ip", "netns", "add", SW)
    made_ns.append(SW)
    sh("ip", "-n", SW, "link", "add", "br0", "type", "bridge")
    sh("ip", "-n", SW, "link", "set", "br0", "up")
    for host, n in HOSTS.items():
        ns = ns_of(host)
        sh("ip", "netns", "add", ns)
        made_ns.append(ns)
        # The veth is made inside the switch namespace, then one end moved to the host.
        sh("ip", "-n", SW, "link", "add", f"v-{host}", "type", "veth", "peer", "name", "eth0")
        sh("ip", "-n", SW, "link", "set", "eth0", "netns", ns)
        sh("ip", "-n", SW, "link", "set", f"v-{host}", "master", "br0", "up")
        sh("ip", "-n", ns, "addr", "add", f"{NET}.{n}/24", "dev", "eth0")
        sh("ip", "-n", ns, "link", "set", "eth0", "up")
        sh("ip", "-n", ns, "link", "set", "lo", "up")


def ip(host):
    return f"{NET}.{HOSTS[host]}"


def start(name, host, argv, log):
    f = open(log, "w")
    p = subprocess.Popen(in_ns(host, *argv), stdin=subprocess.DEVNULL, stdout=f, stderr=f)
    procs.append((name, p, log))
    return p


def http(host, port, path):
    """GET inside a host's namespace; (status, body), or (0, error)."""
    r = sh(*in_ns(host, "curl", "-s", "-m", "2", "-w", "\n%{http_code}",
                  f"http://127.0.0.1:{port}{path}"), check=False)
    body, _, code = r.stdout.rpartition("\n")
    return (int(code) if code.isdigit() else 0), body


def metric(host, name):
    code, body = http(host, METRICS[host], "/metrics")
    if code != 200:
        return None
    m = re.search(rf"^{name} (\S+)$", body, re.M)
    return float(m.group(1)) if m else None


def wait_for(what, fn, timeout):
    t0 = time.time()
    while time.time() - t0 < timeout:
        if fn():
            return time.time() - t0
        time.sleep(0.1)
    raise RuntimeError(f"timed out after {timeout} s waiting for {what}")


def ready(host):
    return http(host, METRICS[host], "/readyz")[0] == 200


def drained(n):
    """Every one of the n submitted jobs committed by the store and nothing left in the
    queue (the metrics page is re-rendered every few hundred ms: counts, not just zero
    gauges, so a page from before the last submit can't pass)."""
    vals = [metric("broker", m) for m in
            ("crossclaim_queue_depth", "crossclaim_inflight", "crossclaim_awaiting_commit")]
    done = metric("broker", "crossclaim_completed_total")
    return all(v == 0 for v in vals) and done is not None and done >= n


SYL = ["ka", "lo", "mer", "tan", "vi", "sor", "bel", "dra", "nu", "pel", "rho", "zen"]


def name(k, parts=3):
    """A made-up proper name for event k: events differ in their places and people."""
    s = ""
    for _ in range(parts):
        s += SYL[k % len(SYL)]
        k //= len(SYL)
    return s.capitalize()


def write_batch(folder, start_i, n):
    """Articles written here, not taken from any corpus: ten outlets' reports of each
    event, with figures that agree or differ, so the store builds real stories and
    clusters; events differ by place and people, as a feed's do."""
    os.makedirs(folder)
    for i in range(start_i, start_i + n):
        ev = i // 10
        place, person, org = name(ev), name(ev + 7919), name(ev + 104729)
        surname = name(ev + 31337)
        with open(os.path.join(folder, f"a{i:05d}.txt"), "w") as f:
            f.write(f"Ferries held in Port {place}, report {i}\n"
                    f"Harbour master {person} {surname} said {4 + i % 3} ferries were held in Port "
                    f"{place} on Friday. The {org} Trust said {200 + ev} passengers waited "
                    f"overnight, and the {place} port authority said {12 + i % 4} cranes "
                    f"stood idle.\n")


def link(host, up):
    sh("ip", "-n", SW, "link", "set", f"v-{host}", "up" if up else "down")


def degrade(host, on):
    """30% loss and 200 ms delay both ways with tc netem. Where the kernel has no netem
    (sch_netem missing, as in some containers) the loss is made by iptables (30% of the
    packets in and out of the host, dropped at random by the statistic match) and a token
    bucket stands in for the delay: 96 kbit/s with at most 200 ms queued, so packets wait
    up to 200 ms and the excess is dropped. Returns what was applied."""
    what = None
    if not on:
        r = sh("ip", "netns", "exec", ns_of(host), "iptables", "-L", "-v", "-n", "-x", check=False)
        drops = [int(l.split()[0]) for l in r.stdout.splitlines() if "statistic" in l]
        if drops:
            print(f"{host}: iptables dropped {sum(drops)} packets (in {drops[0]}, out "
                  f"{drops[-1]}) while degraded")
        sh("ip", "netns", "exec", ns_of(host), "iptables", "-F", check=False)
    for ns, dev in ((SW, f"v-{host}"), (ns_of(host), "eth0")):
        if not on:
            sh("tc", "-n", ns, "qdisc", "del", "dev", dev, "root", check=False)
            continue
        r = sh("tc", "-n", ns, "qdisc", "add", "dev", dev, "root", "netem", "loss", "30%",
               "delay", "200ms", check=False)
        if r.returncode == 0:
            what = "netem: 30% loss, 200 ms delay"
        else:
            sh("tc", "-n", ns, "qdisc", "add", "dev", dev, "root", "tbf", "rate", "96kbit",
               "burst", "1600", "latency", "200ms")
            what = ("tbf (no netem in this kernel: %s): 96 kbit/s, up to 200 ms queued, "
                    "excess dropped" % r.stderr.strip())
    if on and not what.startswith("netem"):
        lost = True
        for chain, way in (("INPUT", "-i"), ("OUTPUT", "-o")):
            r = sh("ip", "netns", "exec", ns_of(host), "iptables", "-A", chain, way, "eth0",
                   "-m", "statistic", "--mode", "random", "--probability", "0.3", "-j", "DROP",
                   check=False)
            lost = lost and r.returncode == 0
        what += ("; 30% loss both ways (iptables statistic)" if lost
                 else "; no loss: iptables could not drop at random here")
    return what


def main():
    if not BIN:
        print("CC_BIN_DIR is not set (run through ctest)")
        return 1
    if os.geteuid() != 0:
        print("SKIP: the multi-host test needs root to make network namespaces")
        return SKIP
    for tool in ("ip", "tc", "curl"):
        if not shutil.which(tool):
            print(f"SKIP: {tool} is not installed (iproute2, curl)")
            return SKIP
    remove_stale()
    probe = PREFIX + "probe"
    r = sh("ip", "netns", "add", probe, check=False)
    if r.returncode != 0:
        print(f"SKIP: cannot make a network namespace here (ip netns add: {r.stderr.strip()})")
        return SKIP
    sh("ip", "netns", "del", probe, check=False)
    r = sh("ip", "link", "add", PREFIX + "t", "type", "veth", "peer", "name", PREFIX + "u",
           check=False)
    if r.returncode != 0:
        print(f"SKIP: cannot make veth pairs here: {r.stderr.strip()}")
        return SKIP
    sh("ip", "link", "del", PREFIX + "t", check=False)

    atexit.register(cleanup)
    for sig in (signal.SIGTERM, signal.SIGINT, signal.SIGHUP):
        signal.signal(sig, lambda s, f: sys.exit(128 + s))
    # In the build tree: other suites clean /tmp/cc-* while they run.
    tmp = tempfile.mkdtemp(prefix="multihost-", dir=os.path.join(BIN, ".."))
    print(f"multi-host test in {tmp}, namespaces {PREFIX}*, network {NET}.0/24")
    make_net()

    # Keys as the README says: each host its own pair; the broker's allow dir holds the
    # store's, the workers' and the producer's; the store's holds the consumer's.
    keys = os.path.join(tmp, "keys")
    os.makedirs(keys)
    for name in ("broker", "store", "w1", "w2", "prod", "cons"):
        sh(f"{BIN}/crossclaim", "keygen", "--out", keys, name)
    ballow, sallow = os.path.join(tmp, "broker-allow"), os.path.join(tmp, "store-allow")
    os.makedirs(ballow, mode=0o700)
    os.makedirs(sallow, mode=0o700)
    for name in ("store", "w1", "w2", "prod"):
        shutil.copy(os.path.join(keys, f"{name}.key"), ballow)
    shutil.copy(os.path.join(keys, "cons.key"), sallow)
    k = lambda n: os.path.join(keys, n)

    common = ["--heartbeat-ms", str(HB_MS), "--liveness", str(LIVENESS), "--log-format", "json"]
    bdata, sdata = os.path.join(tmp, "broker-data"), os.path.join(tmp, "store-data")
    start("broker", "broker", [f"{BIN}/crossclaim-broker", "--data", bdata,
          "--frontend", f"tcp://{ip('broker')}:{PORTS['front']}",
          "--backend", f"tcp://{ip('broker')}:{PORTS['back']}",
          "--curve-key", k("broker.key_secret"), "--curve-allow", ballow,
          "--max-attempts", "10",
          "--metrics-port", str(METRICS["broker"]), *common], os.path.join(tmp, "broker.log"))
    wait_for("the broker's /readyz", lambda: ready("broker"), 20)
    start("store", "store", [f"{BIN}/crossclaim-store", "--data", sdata,
          "--broker", f"tcp://{ip('broker')}:{PORTS['back']}",
          "--pub", f"tcp://{ip('store')}:{PORTS['pub']}",
          "--query", f"tcp://{ip('store')}:{PORTS['query']}",
          "--curve-key", k("store.key_secret"), "--curve-server", k("broker.key"),
          "--curve-allow", sallow, "--metrics-port", str(METRICS["store"]),
          "--batch", "64", *common],
          os.path.join(tmp, "store.log"))
    for w in ("w1", "w2"):
        start(w, w, [f"{BIN}/crossclaim-worker", "--name", w,
              "--broker", f"tcp://{ip('broker')}:{PORTS['back']}",
              "--curve-key", k(f"{w}.key_secret"), "--curve-server", k("broker.key"),
              "--metrics-port", str(METRICS[w]), *common], os.path.join(tmp, f"{w}.log"))
    for h in ("store", "w1", "w2"):
        wait_for(f"{h}'s /readyz", lambda h=h: ready(h), 30)
    watch_out = os.path.join(tmp, "watch.jsonl")
    wf = open(watch_out, "w")
    wlog = os.path.join(tmp, "watch.log")
    watch = subprocess.Popen(in_ns("cons", f"{BIN}/crossclaim", "watch",
                             "--feed", f"tcp://{ip('store')}:{PORTS['pub']}",
                             "--query", f"tcp://{ip('store')}:{PORTS['query']}",
                             "--curve-key", k("cons.key_secret"),
                             "--curve-server", k("store.key"),
                             "--heartbeat-ms", str(HB_MS), "--hwm", "1000000"),
                             stdin=subprocess.DEVNULL, stdout=wf, stderr=open(wlog, "w"))
    procs.append(("watch", watch, wlog))
    print("hosts up: " + ", ".join(f"{h} {ip(h)}" for h in HOSTS) +
          f"; /readyz of broker, store, w1, w2: 200")

    figures = []
    submitted = 0

    def submit(batch):
        nonlocal submitted
        folder = os.path.join(tmp, f"batch{batch}")
        write_batch(folder, batch * PER_BATCH, PER_BATCH)
        r = sh(*in_ns("prod", f"{BIN}/crossclaim", "submit",
                      "--broker", f"tcp://{ip('broker')}:{PORTS['front']}",
                      "--curve-key", k("prod.key_secret"), "--curve-server", k("broker.key"),
                      folder), check=False)
        if r.returncode != 0:
            raise RuntimeError(f"submit of batch {batch} failed: {r.stderr[-500:]}")
        submitted += PER_BATCH

    # 1. worker host w1 cut
    submit(0)
    link("w1", False)
    time.sleep(CUT_S)
    link("w1", True)
    t_ready = wait_for("w1 to be ready again", lambda: ready("w1"), 60)
    t_drain = wait_for("the queue to drain", lambda: drained(submitted), 180)
    figures.append(("w1 link cut %.0f s" % CUT_S, t_ready, t_drain))

    # 2. worker host w2: 30% loss, 200 ms delay
    submit(1)
    how = degrade("w2", True)
    print(f"w2 degraded with {how}")
    time.sleep(NETEM_S)
    degrade("w2", False)
    t_ready = wait_for("w2 to be ready again", lambda: ready("w2"), 60)
    t_drain = wait_for("the queue to drain", lambda: drained(submitted), 180)
    figures.append(("w2 %s for %.0f s" % ("30%% loss 200 ms" if how.startswith("netem")
                                          else "tbf 96 kbit/s 200 ms" +
                                          (" + 30% loss" if "30% loss" in how else ""),
                                          NETEM_S),
                    t_ready, t_drain))

    # 3. store host cut
    submit(2)
    link("store", False)
    time.sleep(CUT_S)
    link("store", True)
    t_ready = wait_for("the store to be ready again", lambda: ready("store"), 60)
    t_drain = wait_for("the queue to drain", lambda: drained(submitted), 180)
    figures.append(("store link cut %.0f s" % CUT_S, t_ready, t_drain))

    # The tally.
    acknowledged = int(metric("broker", "crossclaim_submitted_total") or 0)
    redelivered = int(metric("broker", "crossclaim_redelivered_total") or 0)
    dead = int(metric("broker", "crossclaim_dead_letters") or 0)
    seq = int(metric("store", "crossclaim_feed_seq") or 0)
    out = sh(f"{BIN}/crossclaim", "export", "--data", sdata).stdout
    records = [json.loads(line) for line in out.splitlines()]
    articles = [r for r in records if r["type"] == "article"]
    ids = [a["id"] for a in articles]
    titles = {a["title"].rsplit(" ", 1)[-1] for a in articles}
    want_titles = {str(i) for i in range(submitted)}
    lost = len(want_titles - titles)
    doubled = len(ids) - len(set(ids))
    # A result merged twice would show as claims counted twice for one article.
    per = {}
    claim_keys = set()
    for r in records:
        if r["type"] in ("quantity", "attribution"):
            per.setdefault((r["article"], r["type"]), 0)
            per[(r["article"], r["type"])] += 1
            ident = (r["type"], r["article"], r.get("start"), r.get("end"),
                     (r.get("cue") or {}).get("start"))
            if ident in claim_keys:
                doubled += 1
            claim_keys.add(ident)
    bad_counts = [a["id"] for a in articles
                  if per.get((a["id"], "quantity"), 0) != a["quantities"] or
                  per.get((a["id"], "attribution"), 0) != a["attributions"]]
    doubled += len(bad_counts)

    # The consumer's view against the export.
    def view_done():
        wf.flush()
        last = 0
        with open(watch_out) as f:
            for line in f:
                try:
                    last = max(last, json.loads(line)["seq"])
                except (ValueError, KeyError):
                    pass
        return last >= seq
    t_view = wait_for(f"the consumer to reach seq {seq}", view_done, 60)
    view = {}
    with open(watch_out) as f:
        for line in f:
            u = json.loads(line)
            key = (u["kind"], u["key"])
            if u["op"] == "delete":
                view.pop(key, None)
            else:
                view[key] = u["record"]
    want = {}
    for r in records:
        if r["type"] in ("article", "entity", "xref"):
            want[(r["type"], r["id"] if r["type"] == "article" else r["key"])] = r
    same_view = {k: v for k, v in view.items() if k[0] in ("article", "entity", "xref")} == want

    print()
    print("multi-host figures")
    for what, t_ready, t_drain in figures:
        print(f"  {what:<32} recovery: ready again {t_ready:5.1f} s after the heal, "
              f"queue drained {t_drain:5.1f} s after that")
    print(f"  submitted {submitted}, acknowledged {acknowledged}, stored {len(set(ids))}, "
          f"redelivered {redelivered}, dead {dead}, lost {lost}, doubled {doubled}")
    print(f"  consumer (crossclaim watch over tcp+CURVE): {len(view)} records at seq {seq} "
          f"({t_view:.1f} s to catch up), equal to the export: {'yes' if same_view else 'no'}")
    print(f"  a JSON log line from the broker: "
          f"{open(os.path.join(tmp, 'broker.log')).readline().strip()[:200]}")
    figs = os.path.join(BIN, "..", "multihost-figures.txt")
    with open(figs, "a") as f:
        f.write(time.strftime("%Y-%m-%dT%H:%M:%SZ ", time.gmtime()) +
                "; ".join(f"{w}: ready {a:.1f} s, drained {b:.1f} s" for w, a, b in figures) +
                f"; submitted {submitted}, acknowledged {acknowledged}, stored {len(set(ids))}, "
                f"redelivered {redelivered}, dead {dead}, lost {lost}, doubled {doubled}\n")

    failures = []
    if acknowledged != submitted:
        failures.append(f"the broker acknowledged {acknowledged} of {submitted}")
    if lost or len(set(ids)) != submitted:
        failures.append(f"{lost} lost; {len(set(ids))} stored of {submitted}")
    if doubled:
        failures.append(f"{doubled} doubled (articles {len(ids) - len(set(ids))}, "
                        f"articles with claims counted twice {len(bad_counts)})")
    if dead:
        failures.append(f"{dead} dead letters")
    if not same_view:
        failures.append("the consumer's view differs from the export")
    if failures:
        print("FAILED: " + "; ".join(failures))
        for name, p, log in procs:
            print(f"--- tail of {log}")
            print("".join(open(log).readlines()[-15:]))
        return 1
    print("multi-host test passed")
    if not os.environ.get("CC_MULTIHOST_KEEP"):
        shutil.rmtree(tmp, ignore_errors=True)
    return 0


if __name__ == "__main__":
    try:
        rc = main()
    except RuntimeError as e:
        print(f"FAILED: {e}")
        for name, p, log in procs:
            try:
                print(f"--- tail of {log}")
                print("".join(open(log).readlines()[-15:]))
            except OSError:
                pass
        rc = 1
    finally:
        cleanup()
    sys.exit(rc)
