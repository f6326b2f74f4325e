#!/usr/bin/env python3
"""HTTP test of `crossclaim serve`: every page and /api/ endpoint of a database built from
the project's samples/ (one undated story with a conflict) and a fixture of three dated
articles written here (two more stories, one with a conflict), so that "newest first"
and the date filters have something to tell apart.

Every answer is checked against `crossclaim export` of the same database (the export is
the truth): the stories' order and counts, one story's articles, facts and each claim's
sentence, the conflict list under each filter, an entity, an article, search by name;
404 for unknown ids, 400 naming the bad parameter; a non-loopback address refused
without --insecure or --token; the token enforced when given. Then an article is added
with a second `crossclaim run` while serve stays up, and serve shows it on its next
request.

Exits 77 (ctest SKIP) when the binaries are not built.
"""
import json
import os
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.parse
import urllib.request

SRC = os.environ.get("CC_SOURCE_DIR") or os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
BIN = os.environ.get("CC_BIN_DIR") or os.path.join(SRC, "build", "bin")
CC = os.path.join(BIN, "crossclaim")
SKIP = 77
START_S = 10.0          # bound on serve's start

# Fixture articles written for this test (fiction): a warehouse fire told by two outlets
# that disagree on the toll, a day apart, and a bridge story a year earlier.
FIXTURE = [
    {"title": "Warehouse fire in Millbrook kills six workers",
     "maintext": "MILLBROOK — A fire swept through a paper warehouse in Millbrook on Monday "
                 "night, killing six workers, the county fire service said. Fire chief Rosa "
                 "Delgado said 40 firefighters fought the blaze for five hours. \"The roof fell "
                 "in before anyone could reach the back rooms,\" Delgado said.",
     "url": "https://millbrook-courier.example/2024/03/05/warehouse-fire",
     "date_publish": "2024-03-05 08:00:00", "source_domain": "millbrook-courier.example"},
    {"title": "Four dead as fire destroys Millbrook paper warehouse",
     "maintext": "Four workers were killed when fire destroyed a paper warehouse in Millbrook "
                 "late on Monday, police said. Fire chief Rosa Delgado told reporters that 40 "
                 "firefighters had been called to the warehouse. The owner, Tessaly Paper, said "
                 "it would help the families.",
     "url": "https://river-post.example/news/millbrook-warehouse-fire-four-dead",
     "date_publish": "2024-03-06 10:30:00", "source_domain": "river-post.example"},
    {"title": "Orchard Valley bridge reopens after two years of repairs",
     "maintext": "The Orchard Valley bridge reopened on Friday after repairs that cost 12 "
                 "million dollars, the regional roads office said. Engineer Hanno Vick said 300 "
                 "workers had taken part in the work. Mayor Tomás Ibáñez said the bridge would "
                 "carry 9,000 cars a day.",
     "url": "https://river-post.example/news/orchard-valley-bridge-reopens",
     "date_publish": "2023-06-16 09:00:00", "source_domain": "river-post.example"},
    # markup in a title and a sentence: a page must show it as text
    {"title": "Glass <b>works</b> & \"kiln\" <script>document.title='x'</script> fund approved",
     "maintext": "The Dunmere council approved a fund of 2 million euros for the <i>glass</i> "
                 "works on Tuesday, the council clerk said.",
     "url": "https://dunmere-news.example/glass-fund", "date_publish": "2022-09-13 07:00:00",
     "source_domain": "dunmere-news.example"},
]
LATE = {"title": "Millbrook warehouse owner promises an inquiry",
        "maintext": "Tessaly Paper said on Wednesday that an outside firm would examine the "
                    "wiring of its Millbrook warehouse. Fire chief Rosa Delgado said 40 "
                    "firefighters had worked through the night.",
        "url": "https://lakeside-daily.example/millbrook-inquiry",
        "date_publish": "2024-03-07 12:00:00", "source_domain": "lakeside-daily.example"}

failures = []
checks = 0
procs = []


def check(cond, what):
    global checks
    checks += 1
    if not cond:
        failures.append(what)
        print("FAIL:", what, flush=True)
    return cond


def fatal(msg):
    print("FAIL:", msg, flush=True)
    stop_all()
    sys.exit(1)


def stop_all():
    for p in procs:
        if p.poll() is None:
            p.send_signal(signal.SIGTERM)
            try:
                p.wait(5)
            except subprocess.TimeoutExpired:
                p.kill()
                p.wait()


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def run(*argv, **kw):
    return subprocess.run([CC, *argv], cwd=SRC, capture_output=True, text=True, timeout=120, **kw)


class Serve:
    """One `crossclaim serve`, started and polled until it answers (bounded)."""

    def __init__(self, data, *extra, listen_host="127.0.0.1"):
        self.port = free_port()
        self.proc = subprocess.Popen([CC, "serve", "--data", data, "--listen",
                                      f"{listen_host}:{self.port}", *extra],
                                     cwd=SRC, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                                     text=True)
        procs.append(self.proc)
        self.base = f"http://127.0.0.1:{self.port}"

    def wait_up(self, headers=None):
        deadline = time.monotonic() + START_S
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                fatal(f"serve exited {self.proc.returncode}: {self.proc.stderr.read().strip()}")
            try:
                get(self.base + "/metrics", headers=headers)
                return self
            except (urllib.error.URLError, ConnectionError):
                time.sleep(0.05)
        fatal(f"serve did not answer on port {self.port} within {START_S} s")

    def stop(self):
        self.proc.send_signal(signal.SIGINT)
        try:
            rc = self.proc.wait(5)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            rc = self.proc.wait()
        return rc


def get(url, headers=None, method="GET"):
    """(status, headers, body bytes); HTTP errors are answers too."""
    req = urllib.request.Request(url, headers=headers or {}, method=method)
    try:
        with urllib.request.urlopen(req, timeout=10) as r:
            return r.status, r.headers, r.read()
    except urllib.error.HTTPError as e:
        return e.code, e.headers, e.read()


def api(base, path, **params):
    q = urllib.parse.urlencode(params)
    st, hd, body = get(f"{base}/api/{path}" + ("?" + q if q else ""))
    ctype = hd.get("Content-Type", "")
    check(ctype.startswith("application/json"), f"/api/{path}?{q}: Content-Type {ctype!r}")
    try:
        return st, json.loads(body)
    except ValueError:
        check(False, f"/api/{path}?{q}: not JSON: {body[:200]!r}")
        return st, None


def ok(base, path, **params):
    st, d = api(base, path, **params)
    q = urllib.parse.urlencode(params)
    if not check(st == 200 and d is not None, f"/api/{path}?{q}: status {st}: {d}"):
        return None
    return d


def load_export(data):
    r = run("export", "--data", data)
    if r.returncode != 0:
        fatal(f"export: exit {r.returncode}: {r.stderr}")
    ex = {"article": {}, "story": {}, "entity": {}, "xref": {}, "attribution": [], "quantity": []}
    for line in r.stdout.splitlines():
        rec = json.loads(line)
        t = rec["type"]
        if t in ("attribution", "quantity"):
            ex[t].append(rec)
        elif t in ex:
            ex[t][rec["id"] if "id" in rec else rec["key"]] = rec
    return ex


def newest_first(stories):
    """The stories page's order (db_web.h): latest date first, undated last, then id."""
    dated = sorted((s for s in stories if s["last"]), key=lambda s: s["id"])
    dated.sort(key=lambda s: s["last"], reverse=True)
    undated = sorted((s for s in stories if not s["last"]), key=lambda s: s["id"])
    return [s["id"] for s in dated + undated]


def xref_dates(x):
    return [c["published"] for c in x["claims"] if c["published"]]


def check_stats(base, ex):
    d = ok(base, "stats")
    if not d:
        return
    xs = ex["xref"].values()
    want = {"articles": len(ex["article"]), "claims": len(ex["quantity"]),
            "attributions": len(ex["attribution"]), "entities": len(ex["entity"]),
            "xrefs": len(xs), "conflicts": sum(x["status"] == "conflict" for x in xs),
            "corroborated": sum(x["status"] == "corroborated" for x in xs)}
    got = {k: d.get(k) for k in want}
    check(got == want, f"stats {got} != the export's {want}")


def check_stories(base, ex):
    d = ok(base, "stories")
    if not d:
        return
    check(d["total"] == len(ex["story"]), f"stories total {d['total']} != {len(ex['story'])}")
    got = [e["story"]["id"] for e in d["stories"]]
    want = newest_first(ex["story"].values())
    check(got == want, f"stories order {got} != newest first {want}")
    for e in d["stories"]:
        sid = e["story"]["id"]
        check(e["story"] == ex["story"].get(sid), f"story line of {sid} differs from the export")
        outlets = {a["outlet"] for a in ex["article"].values() if a["story"] == sid}
        check(set(e["outlets"]) == outlets, f"story {sid} outlets {e['outlets']} != {outlets}")
        xs = [x for x in ex["xref"].values() if x["story"] == sid]
        for key, status in (("conflicts", "conflict"), ("corroborated", "corroborated")):
            n = sum(x["status"] == status for x in xs)
            check(e[key] == n, f"story {sid} {key} {e[key]} != export's {n}")
        check(e["facts"] == len(xs), f"story {sid} facts {e['facts']} != {len(xs)}")
    d = ok(base, "stories", q="WAREHOUSE")
    fire = [s["id"] for s in ex["story"].values() if "Warehouse" in s["title"]]
    if d:
        check([e["story"]["id"] for e in d["stories"]] == fire,
              f"stories?q=WAREHOUSE {[e['story']['id'] for e in d['stories']]} != {fire}")
    d = ok(base, "stories", limit=1)
    if d:
        check(len(d["stories"]) == 1 and d["stories"][0]["story"]["id"] == want[0],
              "stories?limit=1 is not the newest story alone")


def check_story(base, ex, sid):
    d = ok(base, "story", id=sid)
    if not d:
        return
    check(d["story"] == ex["story"][sid], "story line differs from the export")
    arts = {a["id"]: a for a in ex["article"].values() if a["story"] == sid}
    check({a["id"] for a in d["articles"]} == set(arts), "story's articles differ from the export")
    for a in d["articles"]:
        check(a == arts.get(a["id"]), f"article line {a['id']} differs from the export")
    xs = {k: x for k, x in ex["xref"].items() if x["story"] == sid}
    got = {f["xref"]["key"]: f for f in d["facts"]}
    check(set(got) == set(xs), f"story's facts {sorted(got)} != export's {sorted(xs)}")
    for key, f in got.items():
        x = f["xref"]
        check(x == xs.get(key), f"fact {key} differs from the export's xref line")
        for c in x["claims"]:
            s = c["sentence"]["text"]
            check(c["text"] in s, f"{key}: claim {c['text']!r} not in its sentence {s!r}")
            art = f["articles"].get(c["article"], {})
            check(art.get("source") == ex["article"][c["article"]]["source"],
                  f"{key}: claim's source {art.get('source')!r} != the article's")
            check(art.get("title") == ex["article"][c["article"]]["title"], f"{key}: claim's title")
    atts = [t for t in ex["attribution"] if t["article"] in arts]
    key = lambda t: (t["article"], t["cue"]["start"] if t["cue"] else -1, json.dumps(t, sort_keys=True))
    check(sorted(d["attributions"], key=key) == sorted(atts, key=key),
          f"story's attributions ({len(d['attributions'])}) differ from the export's ({len(atts)})")


def conflicts(base, **params):
    d = ok(base, "conflicts", **params)
    if not d:
        return None, None
    keys = [f["xref"]["key"] for f in d["facts"]]
    check(d["total"] >= len(keys), f"conflicts?{params}: total {d['total']} < {len(keys)} shown")
    return keys, d


def check_conflicts(base, ex):
    xs = sorted(ex["xref"].values(), key=lambda x: x["key"])
    cases = [
        ({}, lambda x: x["status"] == "conflict"),
        ({"status": "corroborated"}, lambda x: x["status"] == "corroborated"),
        ({"status": "all"}, lambda x: True),
        ({"min_sources": 3}, lambda x: x["status"] == "conflict" and x["sources"] >= 3),
        ({"min_sources": 3, "status": "corroborated"},
         lambda x: x["status"] == "corroborated" and x["sources"] >= 3),
        ({"outlet": "River-Post.example"},
         lambda x: x["status"] == "conflict" and any(c["outlet"] == "river-post.example" for c in x["claims"])),
        ({"outlet": "harbor", "status": "all"},
         lambda x: any("harbor" in c["outlet"] for c in x["claims"])),
        ({"outlet": "no-such-outlet", "status": "all"}, lambda x: False),
        ({"since": "2024-03-06"},
         lambda x: x["status"] == "conflict" and any(p >= "2024-03-06" for p in xref_dates(x))),
        ({"since": "2025"}, lambda x: False),
        ({"until": "2024-03", "status": "all"},
         lambda x: any(p[:7] <= "2024-03" for p in xref_dates(x))),
        ({"until": "2023", "status": "all"}, lambda x: any(p[:4] <= "2023" for p in xref_dates(x))),
    ]
    for sid in ex["story"]:
        cases.append(({"story": sid}, lambda x, s=sid: x["status"] == "conflict" and x["story"] == s))
        cases.append(({"story": sid[:8], "status": "all"}, lambda x, s=sid: x["story"] == s))
    for params, want_fn in cases:
        keys, d = conflicts(base, **params)
        if keys is None:
            continue
        want = [x["key"] for x in xs if want_fn(x)]
        check(sorted(keys) == want, f"conflicts?{urllib.parse.urlencode(params)}: {keys} != export's {want}")
        check(d["total"] == len(want), f"conflicts?{params}: total {d['total']} != {len(want)}")
        for f in d["facts"]:
            check(f["xref"] == ex["xref"][f["xref"]["key"]], f"conflicts: {f['xref']['key']} differs from export")
            check(f["story_title"] == ex["story"][f["xref"]["story"]]["title"],
                  f"conflicts: story_title of {f['xref']['key']}")
    check(sum(x["status"] == "conflict" for x in xs) >= 2, "the database should hold two conflicts")
    keys, d = conflicts(base, status="all", limit=2, offset=1)
    if keys is not None:
        check(keys == [x["key"] for x in xs][1:3], f"limit=2&offset=1: {keys}")
        check(d["total"] == len(xs), f"limit=2&offset=1: total {d['total']} != {len(xs)}")
    d = ok(base, "fact", key=xs[0]["key"])
    if d:
        check(d == xs[0], "fact?key= differs from the export's xref line")


def check_entity(base, ex, key):
    d = ok(base, "entity", key=key)
    if not d:
        return
    e = ex["entity"][key]
    check(d["entity"] == e, f"entity {key} differs from the export")
    said = [t for t in ex["attribution"] if t["speaker"] and t["speaker"].get("entity") == key]
    check(len(said) > 0, f"{key} should have statements")
    got = sorted(json.dumps(s["attribution"], sort_keys=True) for s in d["statements"])
    check(got == sorted(json.dumps(t, sort_keys=True) for t in said),
          f"{key}: statements ({len(got)}) differ from its attributions in the export ({len(said)})")
    for s in d["statements"]:
        a = ex["article"][s["attribution"]["article"]]
        check(s["title"] == a["title"] and s["outlet"] == a["outlet"], f"{key}: statement's title/outlet")
    sids = {a["story"] for a in ex["article"].values() if a["id"] in {t["article"] for t in said}}
    check(sids <= {s["story"]["id"] for s in d["stories"]}, f"{key}: its stories miss one it speaks in")
    for s in d["stories"]:
        check(s["story"] == ex["story"][s["story"]["id"]], f"{key}: story line differs from export")
        check(1 <= s["mentions"] <= s["story"]["articles"], f"{key}: mentions {s['mentions']}")
    check(len(d["articles"]) == e["articles"], f"{key}: {len(d['articles'])} articles != export's {e['articles']}")
    for a in d["articles"]:
        x = ex["article"].get(a["id"])
        check(x is not None and a["title"] == x["title"] and a["outlet"] == x["outlet"]
              and a["published"] == x["published"], f"{key}: article {a['id']} differs from export")


def check_article(base, ex, aid):
    d = ok(base, "article", id=aid)
    if not d:
        return
    check(d["article"] == ex["article"][aid], "article line differs from the export")
    canon = lambda recs: sorted(json.dumps(r, sort_keys=True) for r in recs)
    check(canon(d["quantities"]) == canon(q for q in ex["quantity"] if q["article"] == aid),
          "article's quantities differ from the export")
    check(canon(d["attributions"]) == canon(t for t in ex["attribution"] if t["article"] == aid),
          "article's attributions differ from the export")
    check(len(d["facts"]) == len(d["quantities"]), "article: one fact per quantity")
    for q, fk in zip(d["quantities"], d["facts"]):
        if fk is not None:
            x = ex["xref"].get(fk)
            check(x is not None and any(c["article"] == aid and c["text"] == q["text"] for c in x["claims"]),
                  f"article: fact {fk} does not hold its quantity {q['text']!r}")
    check(d.get("segments") is None, "article: text shown though the store was not asked to keep it")
    ents = {t["speaker"]["entity"] for t in d["attributions"] if t["speaker"] and t["speaker"].get("entity")}
    check(ents <= {e["key"] for e in d["entities"]}, "article: a speaker's entity is not among its entities")
    for e in d["entities"]:
        x = ex["entity"].get(e["key"])
        check(x is not None and e["name"] in [x["name"], *x["aliases"]] and x["kind"] == e["kind"],
              f"article: entity {e} is not one of the export's, under one of its names")


def check_search(base, ex):
    for q, key in (("Elias Brandt", "per:brandt"), ("brandt", "per:brandt"), ("PAMA", "org:pama"),
                   ("port alder maritime", "org:pama"), ("ROSA delgado", "per:delgado"),
                   ("tomas ibanez", "per:ibanez"), ("IBÁÑEZ", "per:ibanez")):
        d = ok(base, "search", q=q)
        if d:
            keys = [e["key"] for e in d["entities"]]
            check(key in keys, f"search {q!r}: {keys} has no {key}")
            for e in d["entities"]:
                check(e == ex["entity"].get(e["key"]), f"search {q!r}: entity {e['key']} differs from export")
    d = ok(base, "search", q="ferry")
    if d:
        want = sorted(s["id"] for s in ex["story"].values()
                      if any("ferry" in a["title"].lower() for a in ex["article"].values() if a["story"] == s["id"]))
        check(sorted(e["story"]["id"] for e in d["stories"]) == want, f"search 'ferry': stories != {want}")
    d = ok(base, "search", q="zzqx no such name")
    if d:
        check(d["entities"] == [] and d["stories"] == [], "search for nothing finds something")


def check_errors(base, ex):
    sid = next(iter(ex["story"]))
    for path, params in (("story", {"id": "0" * 32}), ("article", {"id": "f" * 32}),
                         ("entity", {"key": "per:nobody at all"}), ("fact", {"key": sid + "/f||nothing||||"}),
                         ("nosuch", {})):
        st, d = api(base, path, **params)
        check(st == 404 and d and "error" in d, f"/api/{path}?{params}: {st} {d}, want 404 with an error")
    for page in ("/nothing", "/static/nothing.js"):
        st, _, _ = get(base + page)
        check(st == 404, f"{page}: {st}, want 404")
    # a page of one record that is not there: the shell (it says so itself), with a 404
    _, _, shell = get(base + "/")
    aid = next(iter(ex["article"]))
    for page, want in (("/story?id=" + "0" * 32, 404), ("/article?id=" + "f" * 32, 404),
                       ("/entity?key=per:nobody%20at%20all", 404), ("/story?id=" + sid, 200),
                       ("/article?id=" + aid, 200), ("/entity?key=per:brandt", 200),
                       ("/story", 200)):
        st, _, body = get(base + page)
        check(st == want and body == shell, f"{page}: {st}, want {want} with the page shell")
    bad = [
        ("story", {}, "id"), ("article", {}, "id"), ("entity", {}, "key"), ("fact", {}, "key"),
        ("stories", {"limit": "-1"}, "limit"), ("stories", {"limit": "many"}, "limit"),
        ("conflicts", {"since": "last week"}, "since"), ("conflicts", {"until": "2024-3-1"}, "until"),
        ("conflicts", {"min_sources": "x"}, "min_sources"), ("conflicts", {"min_sources": "-2"}, "min_sources"),
        ("conflicts", {"status": "disputed"}, "status"), ("conflicts", {"limit": "99999999"}, "limit"),
        ("conflicts", {"offset": "a"}, "offset"), ("conflicts", {"story": "not-an-id"}, "story"),
        ("search", {"q": "x" * 600}, "q"), ("story", {"id": "a" * 600}, "id"),
    ]
    for path, params, name in bad:
        st, d = api(base, path, **params)
        msg = (d or {}).get("error", "")
        shown = {k: (v if len(v) < 40 else v[:10] + "...") for k, v in params.items()}
        check(st == 400 and msg.startswith(name + ":") and len(msg) > len(name) + 10,
              f"/api/{path}?{shown}: {st} {msg!r}, want 400 saying what is wrong with {name!r}")
    st, _, body = get(base + "/api/stories", method="POST")
    check(st == 405, f"POST: {st}, want 405")


def check_pages(base):
    st, hd, shell = get(base + "/")
    check(st == 200 and b'<main id="app">' in shell, f"/: {st}")
    check("script-src 'self'" in hd.get("Content-Security-Policy", ""), "/: no Content-Security-Policy")
    for page in ("/story", "/conflicts?outlet=a", "/entity?key=per:brandt", "/article", "/search?q=a"):
        st, hd, body = get(base + page)
        check(st == 200 and body == shell and hd.get("Content-Type", "").startswith("text/html"),
              f"{page}: {st} {hd.get('Content-Type')}, want the page shell")
    for asset, ctype, marker in (("/static/app.js", "javascript", b"pageStory"),
                                 ("/static/style.css", "text/css", b"{")):
        st, hd, body = get(base + asset)
        check(st == 200 and ctype in hd.get("Content-Type", "") and marker in body, f"{asset}: {st}")
        check(asset.encode() in shell, f"the shell does not load {asset}")
    for src in (b"http://", b"https://", b"//cdn"):
        check(src not in shell, f"the shell refers to {src!r}: every asset must be served by the binary")


def refused(data, *args):
    """Runs serve with args, which it must refuse: (exit status, stderr). One that starts
    instead is stopped after START_S and reported as (None, what it printed)."""
    p = subprocess.Popen([CC, "serve", "--data", data, *args], cwd=SRC, stdout=subprocess.PIPE,
                         stderr=subprocess.PIPE, text=True)
    try:
        out, err = p.communicate(timeout=START_S)
        return p.returncode, err.strip()
    except subprocess.TimeoutExpired:
        p.send_signal(signal.SIGINT)
        out, err = p.communicate()
        return None, f"it started instead: {out.strip()}"


def check_listen(data):
    """A non-loopback address needs --insecure or --token; a token is then enforced."""
    p = free_port()
    rc, err = refused(data, "--listen", f"0.0.0.0:{p}")
    check(rc == 1 and "--token" in err and "--insecure" in err,
          f"serve on 0.0.0.0 without a token: exit {rc}, {err!r}")
    rc, err = refused(data, "--listen", f"127.0.0.1:{p}", "--token", "short")
    check(rc == 1 and "token" in err, f"a 5-character token: exit {rc}, {err!r}")

    token = "t0k3n-for-the-test"
    s = Serve(data, "--token", token, listen_host="0.0.0.0")
    s.wait_up(headers={"Authorization": "Bearer " + token})
    for url, hdrs, want in (
            ("/api/stories", {}, 401), ("/", {}, 401), ("/static/app.js", {}, 401),
            ("/api/stories", {"Authorization": "Bearer wrong-token-xx"}, 401),
            ("/api/stories", {"Authorization": "Bearer " + token + "x"}, 401),
            ("/api/stories", {"Authorization": "Bearer " + token}, 200),
            ("/api/stories", {"Cookie": "cc_token=" + token}, 200),
            ("/api/stories?token=nope-nope-nope", {}, 401)):
        st, _, _ = get(s.base + url, headers=hdrs)
        check(st == want, f"token: {url} with {list(hdrs) or 'nothing'}: {st}, want {want}")
    st, hd, _ = get(s.base + "/story?token=" + token)
    check(st == 200 and "cc_token=" + token in (hd.get("Set-Cookie") or ""),
          f"?token= on a page: {st}, Set-Cookie {hd.get('Set-Cookie')!r}")
    check(s.stop() == 0, "serve with a token: exit status on SIGINT")

    s = Serve(data, "--insecure", listen_host="0.0.0.0").wait_up()
    st, _, _ = get(s.base + "/api/stories")
    check(st == 200, f"--insecure on 0.0.0.0: {st}")
    check(s.stop() == 0, "serve --insecure: exit status on SIGINT")


def check_live_commit(base, data, tmp):
    """serve keeps the database open: a later run's commit shows on the next request."""
    before = ok(base, "stats")
    path = os.path.join(tmp, "late.jsonl")
    with open(path, "w") as f:
        f.write(json.dumps(LATE) + "\n")
    r = run("run", "--no-report", "--data", data, path)
    if not check(r.returncode == 0, f"second run: exit {r.returncode}: {r.stderr[-500:]}"):
        return
    ex = load_export(data)
    after = ok(base, "stats")
    check_stats(base, ex)
    if before and after:
        check(after["articles"] == before["articles"] + 1 == len(ex["article"]),
              f"stats after a commit: {before['articles']} -> {after['articles']}, export has {len(ex['article'])}")
    check_stories(base, ex)


def check_keep_text(tmp):
    """run --keep-text: the store keeps the texts, and an article page shows its text cut
    at its claims: the segments make up the file's bytes, and every quantity is marked."""
    data = os.path.join(tmp, "kept")
    r = run("run", "--no-report", "--keep-text", "--data", data, "samples/")
    if not check(r.returncode == 0, f"run --keep-text: exit {r.returncode}: {r.stderr[-500:]}"):
        return
    ex = load_export(data)
    s = Serve(data).wait_up()
    quantity_marks = 0
    for aid, a in ex["article"].items():
        d = ok(s.base, "article", id=aid)
        if not d or not check(d.get("segments"), f"--keep-text: no text for {a['source']}"):
            continue
        with open(os.path.join(SRC, a["source"]), encoding="utf-8") as f:
            text = f.read()
        check("".join(g["text"] for g in d["segments"]) == text,
              f"--keep-text: the segments of {a['source']} are not its text")
        # byte ranges of the marked segments: each quantity's span lies in one (its own
        # mark, or a quote or speaker's that holds it: overlapping spans, the first wins)
        at, marks = 0, []
        for g in d["segments"]:
            n = len(g["text"].encode("utf-8"))
            if g.get("mark"):
                marks.append((at, at + n, g["mark"]))
            at += n
        for q in d["quantities"]:
            check(any(b <= q["start"] and q["end"] <= e for b, e, _ in marks),
                  f"--keep-text: {a['source']}: {q['text']!r} at {q['start']} not marked")
        quantity_marks += sum(m == "quantity" for _, _, m in marks)
    check(quantity_marks > 0, "--keep-text: no quantity marked in any article")
    check(s.stop() == 0, "serve of a --keep-text database: exit status on SIGINT")


def main():
    if not os.access(CC, os.X_OK):
        print(f"SKIP: {CC} is not built")
        return SKIP
    t0 = time.monotonic()
    with tempfile.TemporaryDirectory(prefix="cc-serve-") as tmp:
        data = os.path.join(tmp, "data")
        fx = os.path.join(tmp, "fixture.jsonl")
        with open(fx, "w") as f:
            for rec in FIXTURE:
                f.write(json.dumps(rec) + "\n")
        r = run("run", "--no-report", "--data", data, "samples/", fx)
        if r.returncode != 0:
            fatal(f"run: exit {r.returncode}: {r.stderr[-1000:]}")
        ex = load_export(data)
        print(f"database: {len(ex['article'])} articles, {len(ex['story'])} stories, "
              f"{len(ex['xref'])} facts, {len(ex['entity'])} entities", flush=True)
        if len(ex["story"]) != 4:
            fatal(f"the samples and the fixture should make 4 stories, not {len(ex['story'])}")

        s = Serve(data).wait_up()
        check_pages(s.base)
        check_stats(s.base, ex)
        check_stories(s.base, ex)
        for sid in ex["story"]:
            check_story(s.base, ex, sid)
        check_conflicts(s.base, ex)
        for key in ("per:brandt", "org:pama", "per:delgado"):
            check_entity(s.base, ex, key)
        for aid in ex["article"]:
            check_article(s.base, ex, aid)
        check_search(s.base, ex)
        check_errors(s.base, ex)
        check_live_commit(s.base, data, tmp)
        check(s.stop() == 0, "serve: exit status on SIGINT")
        check_listen(data)
        check_keep_text(tmp)
    stop_all()
    print(f"{checks} checks, {len(failures)} failed, {time.monotonic() - t0:.1f} s")
    return 1 if failures else 0


if __name__ == "__main__":
    try:
        sys.exit(main())
    finally:
        stop_all()
