#!/usr/bin/env python3
"""Draw entity records at random from a crossclaim export, for a person to judge.

usage: sample_entities.py EXPORT.jsonl [--n 100] [--seed 12] [--snippets 3] [--width 60]
                          [--keys]

EXPORT.jsonl is the output of `crossclaim export`. The script draws --n entity records
with a fixed --seed (the same export and seed give the same sample, so precision can be
measured before and after a change on the same draw, as long as the set of keys is the
same; a change that adds or drops keys changes the draw, which is why the sample is drawn
from the keys sorted, and the report gives the seed). For each it prints its key, kind,
name, aliases, number of articles, and up to --snippets context snippets: the name or an
alias as it stands in the text of an article that names it (read from the `source` path
of the export's article records, when that file is readable here), and the speaker spans
of its attributions.

--keys prints only "index<TAB>key<TAB>kind<TAB>name", one line each, for a judged list.
Python 3, no dependencies.
"""
import argparse
import json
import os
import random
import re
import sys


def load(path):
    ents, arts, spoke = [], {}, {}
    with open(path, encoding='utf-8') as f:
        for line in f:
            line = line.strip()
            if not line:
                continue
            try:
                r = json.loads(line)
            except ValueError:
                continue
            t = r.get('type')
            if t == 'entity':
                ents.append(r)
            elif t == 'article':
                arts[r.get('id')] = r
            elif t == 'attribution':
                sp = r.get('speaker') or {}
                if sp.get('entity'):
                    spoke.setdefault(sp['entity'], []).append(r)
    return ents, arts, spoke


def read_text(src, cache):
    if src in cache:
        return cache[src]
    text = None
    if src and os.path.isfile(src):
        try:
            with open(src, encoding='utf-8', errors='replace') as f:
                text = f.read()
        except OSError:
            text = None
    cache[src] = text
    return text


def snippet(text, start, end, width):
    a = max(0, start - width)
    b = min(len(text), end + width)
    s = text[a:start] + '[' + text[start:end] + ']' + text[end:b]
    return ('...' if a else '') + re.sub(r'\s+', ' ', s) + ('...' if b < len(text) else '')


def find_snippets(ent, arts, order, cache, want, width):
    """Snippets of the entity's name and aliases in the articles, scanned in a fixed
    order. An export does not say which articles name an entity, so the text is searched:
    a capitalized form found as a whole word."""
    forms = [ent.get('name') or ''] + list(ent.get('aliases') or [])
    forms = sorted({f for f in forms if len(f) >= 2}, key=len, reverse=True)
    if not forms:
        return []
    pat = re.compile(r'(?<!\w)(' + '|'.join(re.escape(f) for f in forms) + r')(?!\w)')
    out = []
    for aid in order:
        text = read_text(arts[aid].get('source'), cache)
        if not text:
            continue
        m = pat.search(text)
        if m:
            out.append(snippet(text, m.start(), m.end(), width))
            if len(out) >= want:
                break
    return out


def main():
    ap = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    ap.add_argument('export')
    ap.add_argument('--n', type=int, default=100)
    ap.add_argument('--seed', type=int, default=12)
    ap.add_argument('--snippets', type=int, default=3)
    ap.add_argument('--width', type=int, default=60)
    ap.add_argument('--keys', action='store_true')
    a = ap.parse_args()
    ents, arts, spoke = load(a.export)
    ents.sort(key=lambda e: e.get('key', ''))
    rng = random.Random(a.seed)
    sample = rng.sample(ents, min(a.n, len(ents)))
    print('# %d of %d entities, seed %d, from %s' % (len(sample), len(ents), a.seed, a.export))
    order = sorted(arts)
    cache = {}
    for i, e in enumerate(sample, 1):
        if a.keys:
            print('%d\t%s\t%s\t%s' % (i, e.get('key'), e.get('kind'), e.get('name')))
            continue
        print('\n%3d. %s  [%s]  name=%r  articles=%s' % (i, e.get('key'), e.get('kind'),
                                                       e.get('name'), e.get('articles')))
        if e.get('aliases'):
            print('     aliases: ' + ' | '.join(e['aliases'][:12]))
        for s in find_snippets(e, arts, order, cache, a.snippets, a.width):
            print('     > ' + s)
        said = spoke.get(e.get('key'), [])
        if said:
            c = said[0].get('content') or {}
            print('     said (%d): %s' % (len(said), (c.get('text') or '')[:120]))
    return 0


if __name__ == '__main__':
    sys.exit(main())
