#!/usr/bin/env python3
"""The README's "Using it" commands, run as written, in order, right after `make demo`.

A scratch directory stands for a fresh clone after `make demo`: build/bin is this build's
binaries, samples/ the project's, and the demo's own commands (the Makefile's `demo:`
recipe, $(BUILD) read as build) have just run. Then each command of the first ```sh block
under "## Using it" runs there with `sh -c`, as a reader would paste it:

- a command must exit 0 and print something (or write the file it redirects to), JSON
  Lines for export, query and watch;
- a command whose comment says "until Ctrl-C" runs in the background until it shows it is
  up: its first line of output, and when that line gives an http:// address, a page
  answered there. It then gets Ctrl-C (SIGINT) and must exit 0, unless the next line of
  the block says "in another terminal": then it runs on under the commands after it and
  gets its Ctrl-C when the block is done.

The web view's default port (8080) may be taken on a shared machine: then, and only then,
`--listen 127.0.0.1:FREE` is added to the commands that serve it, and the test says so.
Exits 77 (ctest SKIP) when the binaries are not built.
"""
import json
import os
import re
import shlex
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request

SRC = os.environ.get("CC_SOURCE_DIR") or os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
BIN = os.environ.get("CC_BIN_DIR") or os.path.join(SRC, "build", "bin")
SKIP = 77
CMD_S = 60.0            # bound on one command
UP_S = 30.0             # bound on a long-running command showing it is up
DEFAULT_PORT = 8080

failures = []
procs = []


def check(cond, what):
    if not cond:
        failures.append(what)
        print("FAIL:", what, flush=True)
    return cond


def readme_block():
    """The commands of the first sh block under "## Using it": [(line, comment, keep)]."""
    with open(os.path.join(SRC, "README.md")) as f:
        text = f.read()
    m = re.search(r"^## Using it\n(.*?)^## ", text, re.S | re.M)
    if not m:
        raise SystemExit("FAIL: README.md has no '## Using it' section")
    b = re.search(r"^```sh\n(.*?)^```", m.group(1), re.S | re.M)
    if not b:
        raise SystemExit("FAIL: README.md's 'Using it' has no ```sh block")
    lines = [l for l in b.group(1).splitlines() if l.strip()]
    cmds = []
    for i, line in enumerate(lines):
        if line.lstrip().startswith("#"):
            continue
        comment = line.split(" # ", 1)[1] if " # " in line else ""
        nxt = lines[i + 1] if i + 1 < len(lines) else ""
        keep = nxt.lstrip().startswith("#") and "another terminal" in nxt
        cmds.append((line, comment, keep))
    return cmds


def demo_recipe():
    """The Makefile's `demo:` recipe lines, with $(BUILD) as build."""
    with open(os.path.join(SRC, "Makefile")) as f:
        text = f.read()
    m = re.search(r"^demo:.*\n((?:\t.*\n)+)", text, re.M)
    if not m:
        raise SystemExit("FAIL: the Makefile has no demo: target")
    return [l.strip().replace("$(BUILD)", "build") for l in m.group(1).splitlines()]


def port_free(port):
    with socket.socket() as s:
        s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            s.bind(("127.0.0.1", port))
            return True
        except OSError:
            return False


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def serves_web(line):
    argv = shlex.split(line.split(" # ")[0])
    return len(argv) > 1 and argv[0].endswith("crossclaim") and (
        argv[1] == "serve" or (argv[1] == "run" and "--serve" in argv))


def json_out(line):
    """Whether the command prints JSON Lines (export, query, watch), by its help."""
    argv = shlex.split(line.split(" # ")[0])
    return len(argv) > 1 and argv[1] in ("export", "query", "watch")


def is_json(line):
    try:
        json.loads(line)
        return True
    except ValueError:
        return False


def run_bounded(cmd, cwd):
    """Runs cmd with sh, in a process group of its own; None (the group killed) when it
    is not done within CMD_S."""
    p = subprocess.Popen(["sh", "-c", cmd], cwd=cwd, stdout=subprocess.PIPE,
                         stderr=subprocess.PIPE, text=True, start_new_session=True)
    try:
        out, err = p.communicate(timeout=CMD_S)
    except subprocess.TimeoutExpired:
        os.killpg(p.pid, signal.SIGKILL)
        p.communicate()
        return None
    return subprocess.CompletedProcess(cmd, p.returncode, out, err)


def stop(p, name):
    if p.poll() is None:
        p.send_signal(signal.SIGINT)
        try:
            p.wait(15)
        except subprocess.TimeoutExpired:
            check(False, f"{name}: still running 15 s after Ctrl-C")
            p.kill()
            p.wait()
    return p.returncode


def wait_up(p, out_path, name, web, jsonl):
    """Polls (bounded) until the command has printed a line; for a web view (web), until
    it has printed its http:// address and a page answers there."""
    deadline = time.monotonic() + UP_S
    first = ""
    while time.monotonic() < deadline and not first:
        if p.poll() is not None:
            break
        with open(out_path) as f:
            for l in f:
                if l.strip():
                    first = l
                    break
        if not first:
            time.sleep(0.05)
    if not check(first, f"{name}: printed nothing within {UP_S} s (exit {p.poll()})"):
        return False
    if not web:
        if jsonl:
            check(is_json(first), f"{name}: its first line is not JSON: {first[:200]!r}")
        print(f"    first line: {first.strip()[:100]}")
        return True
    with open(out_path) as f:
        text = f.read()
    m = re.search(r"http://[0-9.:\[\]a-z]+/", text)
    while not m and time.monotonic() < deadline and p.poll() is None:
        time.sleep(0.05)
        with open(out_path) as f:
            text = f.read()
        m = re.search(r"http://[0-9.:\[\]a-z]+/", text)
    if check(m, f"{name}: no http:// address printed within {UP_S} s"):
        url = m.group(0)
        while time.monotonic() < deadline:
            try:
                with urllib.request.urlopen(url + "api/stats", timeout=5) as r:
                    st = json.load(r)
                check(st.get("articles", 0) > 0, f"{name}: {url} shows an empty database: {st}")
                print(f"    {url} answers: {st.get('articles')} articles, {st.get('conflicts')} conflicts")
                return True
            except (urllib.error.URLError, ConnectionError):
                time.sleep(0.1)
        check(False, f"{name}: {url} did not answer within {UP_S} s")
    return False


def main():
    if not os.access(os.path.join(BIN, "crossclaim"), os.X_OK):
        print(f"SKIP: {BIN}/crossclaim is not built")
        return SKIP
    t0 = time.monotonic()
    cmds = readme_block()
    check(len(cmds) >= 5, f"the 'Using it' block has {len(cmds)} commands")
    with tempfile.TemporaryDirectory(prefix="cc-readme-") as clone:
        os.makedirs(os.path.join(clone, "build"))
        os.symlink(BIN, os.path.join(clone, "build", "bin"))
        os.symlink(os.path.join(SRC, "samples"), os.path.join(clone, "samples"))
        for line in demo_recipe():
            print(f"$ {line}    (make demo)", flush=True)
            r = subprocess.run(["sh", "-c", line], cwd=clone, capture_output=True, text=True, timeout=CMD_S)
            if r.returncode != 0:
                print(f"FAIL: make demo's '{line}': exit {r.returncode}: {r.stderr[-1000:]}")
                return 1
        listen = []
        if not port_free(DEFAULT_PORT):
            listen = ["--listen", f"127.0.0.1:{free_port()}"]
            print(f"note: port {DEFAULT_PORT} is taken here: the web view's commands get {' '.join(listen)}")
        background = []     # (Popen, name) run on under the next commands
        for n, (line, comment, keep) in enumerate(cmds, 1):
            cmd = line.split(" # ")[0].strip()
            if listen and serves_web(line):
                argv = shlex.split(cmd)
                cmd = " ".join(shlex.quote(a) for a in argv[:2] + listen + argv[2:])
            name = f"command {n} '{cmd}'"
            print(f"$ {cmd}", flush=True)
            out_path = os.path.join(clone, f".out{n}")
            t = time.monotonic()
            if "until Ctrl-C" in comment:
                with open(out_path, "w") as out:
                    p = subprocess.Popen(["sh", "-c", "exec " + cmd], cwd=clone, stdout=out,
                                         stderr=subprocess.STDOUT, text=True)
                procs.append(p)
                up = wait_up(p, out_path, name, serves_web(line), json_out(line))
                if up and keep:
                    print(f"    up in {time.monotonic() - t:.1f} s; runs on under the next commands")
                    background.append((p, name))
                    continue
                rc = stop(p, name)
                check(rc == 0, f"{name}: exit {rc} after Ctrl-C")
                print(f"    up in {time.monotonic() - t:.1f} s, stopped with Ctrl-C: exit {rc}")
                continue
            r = run_bounded(cmd, clone)
            if r is None:
                check(False, f"{name}: not done after {CMD_S:.0f} s (if it runs until Ctrl-C, "
                             "its comment in the README must say so)")
                continue
            redirect = re.search(r">\s*(\S+)\s*$", cmd)
            produced = r.stdout
            if redirect:
                path = os.path.join(clone, redirect.group(1))
                produced = open(path).read() if os.path.exists(path) else ""
            check(r.returncode == 0, f"{name}: exit {r.returncode}: {r.stderr.strip()[-500:]}")
            check(produced.strip(), f"{name}: printed nothing (stderr: {r.stderr.strip()[-300:]})")
            if json_out(cmd):
                bad = [l for l in produced.splitlines() if l.strip() and not is_json(l)]
                check(not bad, f"{name}: lines that are not JSON: {bad[:2]}")
            first = produced.strip().splitlines()[0][:100] if produced.strip() else ""
            print(f"    exit {r.returncode} in {time.monotonic() - t:.1f} s, "
                  f"{len(produced.splitlines())} lines: {first}")
            for p, bname in background:
                check(p.poll() is None, f"{bname}: exited {p.returncode} before the block was done")
        for p, bname in background:
            rc = stop(p, bname)
            check(rc == 0, f"{bname}: exit {rc} after Ctrl-C")
            print(f"    '{bname}' stopped with Ctrl-C: exit {rc}")
    print(f"{len(cmds)} commands, {len(failures)} failed, {time.monotonic() - t0:.1f} s")
    return 1 if failures else 0


if __name__ == "__main__":
    try:
        sys.exit(main())
    finally:
        for p in procs:
            if p.poll() is None:
                p.kill()
                p.wait()
