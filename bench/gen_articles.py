#!/usr/bin/env python3
"""Writes N distinct articles as JSONL for the end-to-end bench, made at run time from a
folder of real articles: each is four paragraphs drawn at random (fixed seed) from all
of them, under a title of its own, so the text is realistic and no two are the same.
Nothing of it is kept in the project.

usage: gen_articles.py CORPUS_DIR N OUT.jsonl [--seed S]
Prints the bytes of text written."""
import argparse
import json
import os
import random


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument('corpus')
    ap.add_argument('n', type=int)
    ap.add_argument('out')
    ap.add_argument('--seed', type=int, default=7)
    a = ap.parse_args()
    rnd = random.Random(a.seed)
    paras = []
    for root, _, files in sorted(os.walk(a.corpus)):
        for f in sorted(files):
            try:
                with open(os.path.join(root, f), encoding='utf-8') as fh:
                    paras += [p for p in fh.read().split('\n') if len(p) > 80]
            except (OSError, UnicodeDecodeError):
                continue
    if len(paras) < 4:
        raise SystemExit('gen_articles: fewer than 4 paragraphs under %s' % a.corpus)
    total = 0
    with open(a.out, 'w', encoding='utf-8') as out:
        for i in range(a.n):
            body = '\n\n'.join(rnd.sample(paras, 4))
            total += len(body.encode('utf-8'))
            out.write(json.dumps({'title': 'Bench article %d' % i, 'text': body,
                                  'source': 'bench://%d' % i}) + '\n')
    print(total)


if __name__ == '__main__':
    main()
