#!/usr/bin/python3
"""Golden cases for src/attribution, from an independent implementation of ChannelAttribution 2.2.4's
definitions (see /work/shared/reference/attribution.md, section 3): heuristic models as heuristic_models()
computes them, and the Markov chain's removal effects solved exactly with numpy (the limit CA's simulation
approaches with max_step large). Also the Adobe time-decay test vector. Writes tests/golden/attribution.json.

Run: /usr/bin/python3 scripts/golden/attribution.py
"""
import json
import os
import random

import numpy as np

HERE = os.path.dirname(os.path.abspath(__file__))
OUT = os.path.join(HERE, '..', '..', 'tests', 'golden', 'attribution.json')


def split_path(path, sep='>'):
    return [p.strip() for p in path.split(sep)]


def channels_in_order(rows):
    seen = []
    for r in rows:
        for c in split_path(r['path']):
            if c not in seen:
                seen.append(c)
    return seen


def heuristics(rows):
    """first/last/linear as CA heuristic_models; position 40/20/40 (U), participation, simplified Shapley."""
    chans = channels_in_order(rows)
    out = {m: {c: [0.0, 0.0] for c in chans} for m in ['first', 'last', 'linear', 'position', 'participation', 'shapley']}
    for r in rows:
        p = split_path(r['path'])
        n = len(p)
        c, v = r['total_conversions'], r.get('total_conversion_value', 0.0)
        out['first'][p[0]][0] += c; out['first'][p[0]][1] += v
        out['last'][p[-1]][0] += c; out['last'][p[-1]][1] += v
        for ch in p:
            out['linear'][ch][0] += c / n; out['linear'][ch][1] += v / n
        if n == 1:
            w = [1.0]
        elif n == 2:
            w = [0.5, 0.5]
        else:
            w = [0.4] + [0.2 / (n - 2)] * (n - 2) + [0.4]
        for ch, wi in zip(p, w):
            out['position'][ch][0] += wi * c; out['position'][ch][1] += wi * v
        distinct = sorted(set(p))
        for ch in distinct:
            out['participation'][ch][0] += c; out['participation'][ch][1] += v
            out['shapley'][ch][0] += c / len(distinct); out['shapley'][ch][1] += v / len(distinct)
    return chans, out


def states_of(p, k):
    if len(p) <= k:
        return [tuple(p)]
    out = []
    for i in range(len(p) - k + 1):
        s = tuple(p[i:i + k])
        if not out or out[-1] != s:
            out.append(s)
    return out


def markov(rows, k):
    chans = channels_in_order(rows)
    idx = {}
    W = {}  # (from, to) -> weight; 'S' start, 'C' conversion, 'N' null
    val = {}
    for r in rows:
        c, u, v = r['total_conversions'], r.get('total_null', 0), r.get('total_conversion_value', 0.0)
        if c + u == 0:
            continue
        st = states_of(split_path(r['path']), k)
        for s in st:
            idx.setdefault(s, len(idx))
        seq = ['S'] + st
        for a, b in zip(seq, seq[1:]):
            W[(a, b)] = W.get((a, b), 0) + c + u
        W[(st[-1], 'C')] = W.get((st[-1], 'C'), 0) + c
        W[(st[-1], 'N')] = W.get((st[-1], 'N'), 0) + u
        val[st[-1]] = val.get(st[-1], 0.0) + v
    n = len(idx)
    out = np.zeros(n)
    start = np.zeros(n)
    Q = np.zeros((n, n))
    rc = np.zeros(n)
    rv = np.zeros(n)
    for (a, b), w in W.items():
        if a == 'S':
            start[idx[b]] += w
            continue
        out[idx[a]] += w
    for (a, b), w in W.items():
        if a == 'S':
            continue
        i = idx[a]
        if b == 'C':
            rc[i] += w / out[i]
        elif b == 'N':
            pass
        else:
            Q[i, idx[b]] += w / out[i]
    for s, v in val.items():
        rv[idx[s]] += v / out[idx[s]]
    start = start / start.sum()

    def solve(removed):
        keep = [i for i in range(n) if i not in removed]
        A = np.eye(len(keep)) - Q[np.ix_(keep, keep)]
        x = np.zeros(n); y = np.zeros(n)
        x[keep] = np.linalg.solve(A, rc[keep])
        y[keep] = np.linalg.solve(A, rv[keep])
        return start @ x, start @ y

    p, ev = solve(set())
    re, vre = {}, {}
    for ch in chans:
        removed = {i for s, i in idx.items() if ch in s}
        pc, evc = solve(removed)
        re[ch] = 1 - pc / p
        vre[ch] = 1 - evc / ev if ev > 0 else 0.0
    total_c = sum(r['total_conversions'] for r in rows)
    total_v = sum(r.get('total_conversion_value', 0.0) for r in rows)
    sre, svre = sum(re.values()), sum(vre.values())
    return {
        'conversionProbability': p,
        'removalEffects': re,
        'valueRemovalEffects': vre,
        'conversions': {ch: re[ch] / sre * total_c for ch in chans},
        'value': {ch: vre[ch] / svre * total_v for ch in chans},
    }


CYCLES = [
    {'path': 'a > b > a > c', 'total_conversions': 3, 'total_conversion_value': 30.0, 'total_null': 2},
    {'path': 'b > a', 'total_conversions': 1, 'total_conversion_value': 8.0, 'total_null': 4},
    {'path': 'c > b > c > a', 'total_conversions': 2, 'total_conversion_value': 50.0, 'total_null': 1},
    {'path': 'a', 'total_conversions': 0, 'total_conversion_value': 0.0, 'total_null': 5},
    {'path': 'b > c', 'total_conversions': 1, 'total_conversion_value': 5.0, 'total_null': 0},
    {'path': 'a > a > b', 'total_conversions': 2, 'total_conversion_value': 12.0, 'total_null': 2},
    {'path': 'b > b > b', 'total_conversions': 1, 'total_conversion_value': 3.5, 'total_null': 1},
]


def random_rows(seed, n_rows, channels):
    rng = random.Random(seed)
    rows = []
    for _ in range(n_rows):
        length = rng.randint(1, 7)
        path = [rng.choice(channels) for _ in range(length)]
        conv = rng.choice([0, 0, 1, 1, 2, 5])
        null = rng.choice([0, 1, 3, 10])
        if conv + null == 0:
            null = 1
        rows.append({'path': ' > '.join(path), 'total_conversions': conv,
                     'total_conversion_value': round(conv * rng.uniform(5, 120), 2), 'total_null': null})
    return rows


def case(name, rows):
    chans, h = heuristics(rows)
    return {
        'name': name,
        'rows': rows,
        'channels': chans,
        'heuristics': h,
        'markov': {str(k): markov(rows, k) for k in (1, 2, 3)},
    }


def adobe_time_decay():
    # Adobe Analytics attribution models doc: touches 9, 6, 0 and 0 days before a $50 conversion, 7-day half-life.
    gaps = [9, 6, 0, 0]
    w = [2 ** (-g / 7) for g in gaps]
    return {'gapsDays': gaps, 'halfLifeDays': 7, 'value': 50, 'credits': [50 * x / sum(w) for x in w],
            'documented': [6.92, 9.32, 16.88, 16.88]}


def main():
    cases = [
        case('cycles', CYCLES),
        case('random-6-channels', random_rows(7, 300, ['search', 'display', 'email', 'social', 'direct', 'affiliate'])),
        case('random-12-channels', random_rows(11, 500, ['c%02d' % i for i in range(12)])),
    ]
    golden = {
        'source': 'scripts/golden/attribution.py: independent numpy implementation of ChannelAttribution 2.2.4 semantics',
        'cases': cases,
        'adobeTimeDecay': adobe_time_decay(),
    }
    with open(OUT, 'w') as f:
        json.dump(golden, f, indent=1, sort_keys=True)
        f.write('\n')


if __name__ == '__main__':
    main()
