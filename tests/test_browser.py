#!/usr/bin/env python3
"""The web view in a real browser: Debian's chromium, headless, driven through its
DevTools protocol (a websocket client in the standard library, below), over
`crossclaim serve` of a database built from the project's samples/.

It loads the stories page and reads the story listed there (title, article count) against
`crossclaim export`, follows the story's link by clicking it, reads that the story page
shows its conflict with each source's value and whole sentence, follows an entity's link
to its page and reads its name, aliases and statements, and searches a name through the
search box. Then it adds test_serve.py's fixture with a second `crossclaim run` while
serve runs, and reads the stories page (newest first) and the evolving figure's history
on its story. No page may throw or log an error (a Content-Security-Policy refusal
included). It saves a screenshot of each step as PNG in CC_SCREENSHOT_DIR (default: a
temporary directory; `CC_SCREENSHOT_DIR=docs/img` refreshes the README's).

Exits 77 (ctest SKIP) when chromium or the binaries are missing.
"""
import base64
import json
import os
import re
import shutil
import signal
import socket
import struct
import subprocess
import sys
import tempfile
import time
import urllib.parse

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import test_serve  # noqa: E402  (its fixture and its newest-first order)

SRC = os.environ.get("CC_SOURCE_DIR") or os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
BIN = os.environ.get("CC_BIN_DIR") or os.path.join(SRC, "build", "bin")
CC = os.path.join(BIN, "crossclaim")
SKIP = 77
STEP_S = 15.0           # bound on any one wait: a start, a page drawn, an answer
WIDTH, HEIGHT = 1200, 900

failures = []
procs = []


def check(cond, what):
    if not cond:
        failures.append(what)
        print("FAIL:", what, flush=True)
    return cond


class Fatal(Exception):
    pass


def stop_all():
    for p in procs:
        if p.poll() is None:
            p.send_signal(signal.SIGTERM)
            try:
                p.wait(5)
            except subprocess.TimeoutExpired:
                p.kill()
                p.wait()


# ------------------------------------------------------------------ a websocket client

class WebSocket:
    """RFC 6455, the client side, just enough for DevTools: text frames, masked out,
    fragmented or not in; ping answered."""

    def __init__(self, url):
        u = urllib.parse.urlparse(url)
        self.sock = socket.create_connection((u.hostname, u.port), timeout=STEP_S)
        key = base64.b64encode(os.urandom(16)).decode()
        req = (f"GET {u.path} HTTP/1.1\r\nHost: {u.hostname}:{u.port}\r\nUpgrade: websocket\r\n"
               f"Connection: Upgrade\r\nSec-WebSocket-Key: {key}\r\nSec-WebSocket-Version: 13\r\n\r\n")
        self.sock.sendall(req.encode())
        head = b""
        while b"\r\n\r\n" not in head:
            chunk = self.sock.recv(4096)
            if not chunk:
                raise Fatal("DevTools closed the websocket handshake")
            head += chunk
        head, self.buf = head.split(b"\r\n\r\n", 1)
        if not head.startswith(b"HTTP/1.1 101"):
            raise Fatal(f"DevTools refused the websocket: {head[:200]!r}")

    def _read(self, n):
        while len(self.buf) < n:
            chunk = self.sock.recv(1 << 20)
            if not chunk:
                raise Fatal("DevTools closed the websocket")
            self.buf += chunk
        out, self.buf = self.buf[:n], self.buf[n:]
        return out

    def _send_frame(self, opcode, payload):
        head = bytes([0x80 | opcode])
        n = len(payload)
        if n < 126:
            head += bytes([0x80 | n])
        elif n < 1 << 16:
            head += bytes([0x80 | 126]) + struct.pack(">H", n)
        else:
            head += bytes([0x80 | 127]) + struct.pack(">Q", n)
        mask = os.urandom(4)
        body = bytes(b ^ mask[i % 4] for i, b in enumerate(payload))
        self.sock.sendall(head + mask + body)

    def send(self, text):
        self._send_frame(0x1, text.encode())

    def recv(self):
        message = b""
        while True:
            b0, b1 = self._read(2)
            n = b1 & 0x7F
            if n == 126:
                n = struct.unpack(">H", self._read(2))[0]
            elif n == 127:
                n = struct.unpack(">Q", self._read(8))[0]
            payload = self._read(n)
            opcode = b0 & 0x0F
            if opcode == 0x9:
                self._send_frame(0xA, payload)
                continue
            if opcode == 0x8:
                raise Fatal("DevTools closed the websocket")
            message += payload
            if b0 & 0x80:
                return message.decode()


class Page:
    """One DevTools page target: commands by id, events kept for who asks."""

    def __init__(self, ws_url):
        self.ws = WebSocket(ws_url)
        self.next_id = 0
        self.errors = []        # exceptions thrown and console errors, as text

    def _event(self, msg):
        method = msg.get("method")
        p = msg.get("params", {})
        if method == "Runtime.exceptionThrown":
            d = p.get("exceptionDetails", {})
            self.errors.append("exception: " + (d.get("exception", {}).get("description") or d.get("text", "")))
        elif method == "Runtime.consoleAPICalled" and p.get("type") == "error":
            self.errors.append("console.error: " + " ".join(str(a.get("value", a.get("description")))
                                                         for a in p.get("args", [])))
        elif method == "Log.entryAdded" and p.get("entry", {}).get("level") == "error":
            e = p["entry"]
            self.errors.append(f"log ({e.get('source')}): {e.get('text')} {e.get('url', '')}")

    def call(self, method, **params):
        self.next_id += 1
        mid = self.next_id
        self.ws.send(json.dumps({"id": mid, "method": method, "params": params}))
        while True:
            msg = json.loads(self.ws.recv())
            if msg.get("id") == mid:
                if "error" in msg:
                    raise Fatal(f"{method}: {msg['error']}")
                return msg.get("result", {})
            self._event(msg)

    def js(self, expr):
        r = self.call("Runtime.evaluate", expression=expr, returnByValue=True, awaitPromise=True)
        if "exceptionDetails" in r:
            raise Fatal(f"evaluating {expr!r}: {r['exceptionDetails'].get('text')}")
        return r["result"].get("value")

    def wait_for(self, expr, what):
        """Polls expr (bounded by STEP_S) until it is truthy; returns its value."""
        deadline = time.monotonic() + STEP_S
        while time.monotonic() < deadline:
            try:
                v = self.js(expr)
            except Fatal:
                v = None        # the page is between two documents
            if v:
                return v
            time.sleep(0.05)
        shown = self.js("document.body ? document.body.innerText : ''") or ""
        raise Fatal(f"{what}: not within {STEP_S} s; the page shows {shown[:300]!r}")

    def drawn(self, path):
        """Waits until the page at `path` has drawn itself (app.js sets data-ready)."""
        return self.wait_for(f"location.pathname === {json.dumps(path)} && "
                             "document.body && document.body.getAttribute('data-ready') === '1' && "
                             "document.getElementById('app').innerText", f"the page {path}")

    def screenshot(self, path, until=None):
        """The page from its top to its end, or to the element `until` (a selector)."""
        h = self.js("Math.ceil(document.documentElement.scrollHeight)" if not until else
                    f"Math.ceil(document.querySelector({json.dumps(until)}).getBoundingClientRect().top"
                    " + window.scrollY)")
        h = max(HEIGHT, min(int(h or HEIGHT), 4000))
        r = self.call("Page.captureScreenshot", format="png",
                      clip={"x": 0, "y": 0, "width": WIDTH, "height": h, "scale": 1},
                      captureBeyondViewport=True)
        data = base64.b64decode(r["data"])
        with open(path, "wb") as f:
            f.write(data)
        return data


# ------------------------------------------------------------------ the test

def start_chromium(tmp):
    exe = shutil.which("chromium") or shutil.which("chromium-browser")
    if not exe:
        return None
    profile = os.path.join(tmp, "profile")
    log = open(os.path.join(tmp, "chromium.log"), "w+")
    p = subprocess.Popen([exe, "--headless", "--no-sandbox", "--disable-gpu", "--no-first-run",
                          "--no-default-browser-check", "--disable-extensions",
                          "--disable-background-networking", "--disable-sync",
                          "--remote-debugging-address=127.0.0.1", "--remote-debugging-port=0",
                          f"--user-data-dir={profile}", f"--window-size={WIDTH},{HEIGHT}",
                          "about:blank"], stdout=log, stderr=log)
    procs.append(p)
    # chromium writes the port it took to DevToolsActivePort in the profile
    port_file = os.path.join(profile, "DevToolsActivePort")
    deadline = time.monotonic() + STEP_S * 2
    while time.monotonic() < deadline:
        if p.poll() is not None:
            log.seek(0)
            raise Fatal(f"chromium exited {p.returncode}: {log.read()[-1000:]}")
        try:
            with open(port_file) as f:
                lines = f.read().split("\n")
            if len(lines) >= 2 and lines[0].isdigit():
                return int(lines[0])
        except FileNotFoundError:
            pass
        time.sleep(0.05)
    raise Fatal(f"chromium did not open its DevTools port within {STEP_S * 2} s")


def page_target(port):
    import urllib.request
    with urllib.request.urlopen(f"http://127.0.0.1:{port}/json/list", timeout=STEP_S) as r:
        targets = json.load(r)
    pages = [t for t in targets if t.get("type") == "page"]
    if not pages:
        raise Fatal(f"chromium has no page target: {targets}")
    return pages[0]["webSocketDebuggerUrl"]


def start_serve(data):
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    p = subprocess.Popen([CC, "serve", "--data", data, "--listen", f"127.0.0.1:{port}"],
                         cwd=SRC, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    procs.append(p)
    line = p.stdout.readline()  # printed once it listens (or it exits)
    if p.poll() is not None or "http://" not in line:
        raise Fatal(f"serve did not start: {line.strip()} {p.stderr.read().strip()}")
    return f"http://127.0.0.1:{port}"


def load_export(data):
    r = subprocess.run([CC, "export", "--data", data], cwd=SRC, capture_output=True, text=True, timeout=60)
    if r.returncode != 0:
        raise Fatal(f"export: exit {r.returncode}: {r.stderr}")
    return [json.loads(line) for line in r.stdout.splitlines()]


def squash(s):
    return re.sub(r"\s+", " ", s or "").strip()


def run_test(tmp, shots):
    data = os.path.join(tmp, "data")
    r = subprocess.run([CC, "run", "--no-report", "--data", data, "samples/"], cwd=SRC,
                       capture_output=True, text=True, timeout=120)
    if r.returncode != 0:
        raise Fatal(f"run: exit {r.returncode}: {r.stderr[-1000:]}")
    ex = load_export(data)
    stories = [x for x in ex if x["type"] == "story"]
    conflicts = [x for x in ex if x["type"] == "xref" and x["status"] == "conflict"]
    entities = {x["key"]: x for x in ex if x["type"] == "entity"}
    if not stories or not conflicts:
        raise Fatal("the samples should make a story with a conflict")
    story = stories[0]
    conflict = conflicts[0]

    base = start_serve(data)
    t = time.monotonic()
    port = start_chromium(tmp)
    page = Page(page_target(port))
    print(f"chromium up in {time.monotonic() - t:.1f} s", flush=True)
    page.call("Runtime.enable")
    page.call("Log.enable")
    page.call("Page.enable")
    page.call("Emulation.setDeviceMetricsOverride", width=WIDTH, height=HEIGHT, deviceScaleFactor=1, mobile=False)

    # 1. the stories page
    page.call("Page.navigate", url=base + "/")
    page.drawn("/")
    rows = page.js("[...document.querySelectorAll('tr.story-row')].map(r => "
                   "[...r.cells].map(c => c.innerText))")
    check(len(rows) == len(stories), f"stories page: {len(rows)} rows, the export has {len(stories)} stories")
    if rows:
        check(rows[0][0] == story["title"], f"stories page: first story {rows[0][0]!r} != {story['title']!r}")
        check(rows[0][2] == str(story["articles"]), f"stories page: articles {rows[0][2]!r} != {story['articles']}")
        n_conf = sum(1 for x in conflicts if x["story"] == story["id"])
        check(rows[0][4] == str(n_conf), f"stories page: conflicts {rows[0][4]!r} != {n_conf}")
    save(page, shots, "web-stories.png")

    # 2. follow the story's link
    href = page.js("(() => { const a = document.querySelector('tr.story-row a'); a.click(); return a.getAttribute('href'); })()")
    check(href == "/story?id=" + story["id"], f"story link {href!r}")
    page.drawn("/story")
    check(page.js("document.querySelector('h1').innerText") == story["title"], "story page: its title")
    heads = page.js("[...document.querySelectorAll('h2')].map(h => h.innerText)")
    check(f"Conflicts ({sum(1 for x in conflicts if x['story'] == story['id'])})" in heads,
          f"story page: headings {heads}")
    cards = page.js("[...document.querySelectorAll('div.fact.conflict')].map(f => ({"
                    "key: f.querySelector('.key').innerText,"
                    "claims: [...f.querySelectorAll('.claim')].map(c => ({"
                    "value: c.querySelector('.value').innerText,"
                    "sentence: c.querySelector('blockquote.sentence').innerText,"
                    "mark: (c.querySelector('blockquote.sentence mark') || {}).innerText,"
                    "who: c.querySelector('.who').innerText}))}))")
    card = next((c for c in cards or [] if c["key"] == conflict["key"]), None)
    if check(card is not None, f"story page: no conflict card for {conflict['key']} in {cards}"):
        check(len(card["claims"]) == len(conflict["claims"]),
              f"conflict card: {len(card['claims'])} claims, the export has {len(conflict['claims'])}")
        for want, got in zip(conflict["claims"], card["claims"]):
            check(squash(got["sentence"]) == squash(want["sentence"]["text"]),
                  f"conflict card: sentence {got['sentence']!r} != {want['sentence']['text']!r}")
            check(got["mark"] == want["text"], f"conflict card: marked {got['mark']!r} != {want['text']!r}")
            check(got["value"].replace(",", "") == f"{want['value']:g}", f"conflict card: value {got['value']!r}")
            check(got["who"].startswith(want["outlet"]), f"conflict card: outlet {got['who']!r}")
        values = {c["value"] for c in conflict["claims"]}
        check(len(values) > 1, f"the conflict's values {values} should differ")
    save(page, shots, "web-story.png", until="#corroborations")

    # 3. one of the conflict's articles, by the card's link: its figures and who said what
    aid = conflict["claims"][0]["article"]
    art = next(x for x in ex if x["type"] == "article" and x["id"] == aid)
    page.js(f"document.querySelector('div.fact.conflict a[href=\"/article?id={aid}\"]').click()")
    page.drawn("/article")
    check(page.js("document.querySelector('h1').innerText") == art["title"], "article page: its title")
    heads = page.js("[...document.querySelectorAll('h2')].map(h => h.innerText)")
    for h in (f"Figures ({art['quantities']})", f"Who said what ({art['attributions']})"):
        check(h in heads, f"article page: no heading {h!r} in {heads}")
    written = page.js("[...document.querySelectorAll('td mark')].map(m => m.innerText)")
    want = sorted(q["text"] for q in ex if q["type"] == "quantity" and q["article"] == aid)
    check(sorted(written or []) == want, f"article page: figures {written} != the export's {want}")
    page.call("Page.navigate", url=base + "/story?id=" + story["id"])
    page.drawn("/story")

    # 4. an entity, by the link of one of its statements' speakers
    key = page.js("(() => { const a = [...document.querySelectorAll('a[href^=\"/entity?key=per\"]')][0];"
                  " if (!a) return null; a.click(); return new URLSearchParams(a.search).get('key'); })()")
    if check(key in entities, f"story page: no person's entity link ({key!r})"):
        page.drawn("/entity")
        e = entities[key]
        check(page.js("document.querySelector('h1').innerText") == e["name"], f"entity page: name of {key}")
        chips = page.js("[...document.querySelectorAll('.chips span')].map(s => s.innerText)")
        check(chips == e["aliases"], f"entity page: aliases {chips} != {e['aliases']}")
        said = [x for x in ex if x["type"] == "attribution" and (x["speaker"] or {}).get("entity") == key]
        heads = page.js("[...document.querySelectorAll('h2')].map(h => h.innerText)")
        check(f"What it said ({len(said)})" in heads, f"entity page: headings {heads}, {len(said)} statements")
        shown = page.js("[...document.querySelectorAll('q.said')].map(q => q.innerText)") or []
        check(len(shown) == len(said), f"entity page: {len(shown)} statements shown, {len(said)} in the export")
        for s in said:
            # a direct quote is shown without the marks it was cut with: <q> adds its own
            want = squash(s["content"]["text"]).lstrip('"\u201c\u2018\'').rstrip('"\u201d\u2019\'').rstrip(",.")
            check(want in shown, f"entity page: statement {want!r} not shown as such in {shown}")
        save(page, shots, "web-entity.png")

    # 5. the search box
    page.js("(() => { const q = document.getElementById('q'); q.value = 'PAMA'; q.form.submit(); })()")
    page.drawn("/search")
    names = page.js("[...document.querySelectorAll('a[href^=\"/entity\"]')].map(a => a.innerText)")
    check(entities.get("org:pama", {}).get("name") in (names or []), f"search 'PAMA': {names}")

    # 6. a missing story says so, in the page
    page.call("Page.navigate", url=base + "/story?id=" + "0" * 32)
    page.drawn("/story")
    check("no such story" in page.js("document.getElementById('app').innerText"), "missing story: no message")
    # 7. more articles while serve runs: the fixture of test_serve.py, whose fire story has
    # an evolving figure; the stories page shows them on its next load, newest first
    fx = os.path.join(tmp, "fixture.jsonl")
    with open(fx, "w") as f:
        for rec in test_serve.FIXTURE:
            f.write(json.dumps(rec) + "\n")
    r = subprocess.run([CC, "run", "--no-report", "--data", data, fx], cwd=SRC,
                       capture_output=True, text=True, timeout=120)
    if not check(r.returncode == 0, f"second run: exit {r.returncode}: {r.stderr[-500:]}"):
        return
    ex = load_export(data)
    by_id = {x["id"]: x for x in ex if x["type"] == "story"}
    page.call("Page.navigate", url=base + "/")
    page.drawn("/")
    titles = page.js("[...document.querySelectorAll('tr.story-row td:first-child a')].map(a => a.innerText)")
    want = [by_id[i]["title"] for i in test_serve.newest_first(by_id.values())]
    check(titles == want, f"stories page after a commit: {titles} != newest first {want}")
    # markup in the data is shown as text, never made into elements
    marked = next((t for t in want if "<script>" in t), None)
    if check(marked, "the fixture should have a title with markup"):
        check(marked in titles, f"stories page: the title with markup is not shown as written: {titles}")
        check(page.js("document.querySelector('#app b, #app i, #app script') === null"),
              "stories page: markup from the data became elements")
        check(page.js("document.title") != "x", "stories page: a script from the data ran")
    evolving = [x for x in ex if x["type"] == "xref" and x["evolving"]]
    if check(evolving, "the fixture should make an evolving figure"):
        x = evolving[0]
        page.js(f"document.querySelector('a[href=\"/story?id={x['story']}\"]').click()")
        page.drawn("/story")
        history = page.js("[...document.querySelectorAll('ol.history li')].map(l => l.innerText)")
        dated = sorted((c for c in x["claims"] if c["published"]), key=lambda c: c["published"])
        want = [f"{c['published']}: {c['value']:g} ({c['outlet']})" for c in dated]
        check(history == want, f"evolving figure: history {history} != {want}")
        note = page.js("(document.querySelector('ol.history') || {}).previousElementSibling.innerText")
        check(f"latest: {x['latest']:g}" in (note or ""), f"evolving figure: {note!r} gives no latest {x['latest']}")

    # the fetch's 404 is logged by chromium as a failed resource: that one is expected
    page.errors = [e for e in page.errors if "404" not in e]
    check(not page.errors, f"the pages logged errors: {page.errors}")


def save(page, shots, name, until=None):
    data = page.screenshot(os.path.join(shots, name), until)
    check(data[:8] == b"\x89PNG\r\n\x1a\n" and len(data) > 10000, f"{name}: not a PNG of a page ({len(data)} bytes)")
    print(f"screenshot {os.path.join(shots, name)} ({len(data)} bytes)", flush=True)


def main():
    if not shutil.which("chromium") and not shutil.which("chromium-browser"):
        print("SKIP: chromium is not installed (apt-get install -y chromium; deploy/install-deps.sh)")
        return SKIP
    if not os.access(CC, os.X_OK):
        print(f"SKIP: {CC} is not built")
        return SKIP
    t0 = time.monotonic()
    with tempfile.TemporaryDirectory(prefix="cc-browser-") as tmp:
        shots = os.environ.get("CC_SCREENSHOT_DIR") or os.path.join(tmp, "shots")
        shots = os.path.join(SRC, shots) if not os.path.isabs(shots) else shots
        os.makedirs(shots, exist_ok=True)
        try:
            run_test(tmp, shots)
        except Fatal as e:
            check(False, str(e))
        finally:
            stop_all()
            # chromium's helper processes may still write into the profile for a moment
            # after its main process is gone: remove it until it stays gone
            profile = os.path.join(tmp, "profile")
            deadline = time.monotonic() + 10
            while os.path.exists(profile) and time.monotonic() < deadline:
                shutil.rmtree(profile, ignore_errors=True)
                if os.path.exists(profile):
                    time.sleep(0.1)
    print(f"{len(failures)} failed, {time.monotonic() - t0:.1f} s")
    return 1 if failures else 0


if __name__ == "__main__":
    try:
        sys.exit(main())
    finally:
        stop_all()
