#!/usr/bin/env python3
"""Follows a running crossclaim-store and prints each conflict as it appears or changes.

    PYTHONPATH=build/python python3 clients/python/example.py --data crossclaim-data

(--feed and --query take the endpoints instead: tcp://host:5557 and tcp://host:5558 for a
store started with --pub and --query on tcp.)"""
import argparse
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from crossclaim_client import Client, Follower  # noqa: E402


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--data", default="crossclaim-data", help="the store's data dir")
    ap.add_argument("--feed", help="the feed endpoint (default ipc://DATA/feed.ipc)")
    ap.add_argument("--query", help="the query endpoint (default ipc://DATA/query.ipc)")
    a = ap.parse_args()
    data = os.path.abspath(a.data)
    client = Client(a.feed or f"ipc://{data}/feed.ipc", a.query or f"ipc://{data}/query.ipc")
    f = Follower(client)
    n, seq = f.start()
    conflicts = f.view.of_kind("xref")
    print(f"snapshot: {n} records at seq {seq}, "
          f"{sum(1 for x in conflicts.values() if x['status'] == 'conflict')} conflicts")

    def show(key, record):
        if key[0] == "xref" and record and record["status"] == "conflict":
            values = sorted({(c["value"], c["outlet"]) for c in record["claims"]})
            print(f"seq {f.view.seq} conflict {record['frame']}: " +
                  ", ".join(f"{v:g} ({o})" for v, o in values))

    try:
        f.follow(on_change=show)
    except KeyboardInterrupt:
        print(f"\nat seq {f.view.seq}: {f.live} live updates, {f.gaps} gaps, "
              f"{f.snapshots} snapshots")


if __name__ == "__main__":
    main()
