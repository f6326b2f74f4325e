#!/usr/bin/env python3
"""Draw a fixed-seed sample of conflicts and corroborations from a crossclaim export and
print each claim's evidence, so a person can read them and count how many are right.

usage: audit_xrefs.py EXPORT.jsonl [--seed N] [--n N] [--status conflict|corroborated]

For each sampled xref it prints the key, status, sources and story, then one line per
claim: the value (with its interval), the outlet, the article's source file and the
claim's sentence. Read each: a conflict is right when independent sources really
disagree on one fact; a corroboration is right when independent sources give the same
value for one fact. Python 3, no dependencies.
"""
import json
import os
import random
import sys


def main():
    args = sys.argv[1:]
    if not args or args[0] in ('-h', '--help'):
        sys.exit(__doc__)
    export = args[0]
    seed, n, only = 9, 40, None
    i = 1
    while i < len(args):
        if args[i] == '--seed':
            seed = int(args[i + 1]); i += 2
        elif args[i] == '--n':
            n = int(args[i + 1]); i += 2
        elif args[i] == '--status':
            only = args[i + 1]; i += 2
        else:
            sys.exit('unknown argument: %s\n%s' % (args[i], __doc__))
    sources, xrefs = {}, {'conflict': [], 'corroborated': []}
    with open(export, encoding='utf-8') as f:
        for line in f:
            r = json.loads(line)
            if r.get('type') == 'article':
                sources[r['id']] = os.path.basename(str(r.get('source', '')))
            elif r.get('type') == 'xref' and r.get('status') in xrefs:
                xrefs[r['status']].append(r)
    rng = random.Random(seed)
    for status in ('conflict', 'corroborated'):
        if only and status != only:
            continue
        pool = sorted(xrefs[status], key=lambda x: x['key'])
        pick = rng.sample(pool, min(n, len(pool)))
        print('=' * 78)
        print('%s: %d sampled of %d (seed %d)' % (status.upper(), len(pick), len(pool), seed))
        for k, x in enumerate(pick, 1):
            print('-' * 78)
            print('[%s %d] %s  sources=%s evolving=%s' % (status[:4], k, x['key'], x.get('sources'),
                                                         x.get('evolving')))
            for c in x.get('claims', []):
                lo = c.get('low'); hi = c.get('high')
                iv = '%s..%s' % ('' if lo is None else '%g' % lo, '' if hi is None else '%g' % hi)
                sent = (c.get('sentence') or {}).get('text') or c.get('text') or ''
                print('  %-10g [%s] %-22s %-18s %s' % (c.get('value', 0), iv,
                      (c.get('outlet') or '-')[:22], sources.get(c.get('article'), '?')[:18],
                      ' '.join(sent.split())[:300]))


if __name__ == '__main__':
    main()
