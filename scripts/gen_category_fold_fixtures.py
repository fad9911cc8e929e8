#!/usr/bin/python3
"""The chi-squared test of homogeneity on a category-folded table, computed with scipy, written to
test/fixtures/drift/category-fold.json.

Run from the repository root with Debian's python3 (it has numpy and scipy):
    /usr/bin/python3 scripts/gen_category_fold_fixtures.py

The folding rule (src/stats/category-fold.ts, docs/drift-methods.md) is written here on its own:
with R reference and C current rows (N = R + C), a category seen m times on both sides together keeps
its column when m * min(R, C) >= min_expected_count * N and it is not the `__other__` bin; every
other category seen on either side (and `__other__`) is summed into one last column. The expected
statistic is scipy.stats.chi2_contingency([cur, ref], correction=False) on the folded table.
"""
import json
import os
from collections import Counter

import numpy as np
import scipy
from scipy import stats

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
DATA = os.path.join(ROOT, 'node_modules', 'vega-datasets', 'data')
OUT = os.path.join(ROOT, 'test', 'fixtures', 'drift', 'category-fold.json')


def fold(ref, cur, min_expected_count, other_bin):
    r, c = sum(ref), sum(cur)
    smaller, n = min(r, c), r + c
    kept_ref, kept_cur, rest_ref, rest_cur = [], [], 0, 0
    for k, (a, b) in enumerate(zip(ref, cur)):
        m = a + b
        if m == 0:
            continue
        if k != other_bin and m * smaller >= min_expected_count * n:
            kept_ref.append(a)
            kept_cur.append(b)
        else:
            rest_ref += a
            rest_cur += b
    if rest_ref + rest_cur > 0:
        kept_ref.append(rest_ref)
        kept_cur.append(rest_cur)
    return kept_ref, kept_cur


def case(name, source, ref, cur, min_expected_count, other_bin=None):
    fr, fc = fold(ref, cur, min_expected_count, other_bin)
    if len(fr) < 2:
        expected = {'statistic': 0.0, 'p_value': 1.0, 'dof': 0}
    else:
        statistic, p_value, dof, _ = stats.chi2_contingency(np.array([fc, fr]), correction=False)
        expected = {'statistic': float(statistic), 'p_value': float(p_value), 'dof': int(dof)}
    return {'name': name, 'source': source, 'reference': ref, 'current': cur, 'min_expected_count': min_expected_count,
            'other_bin': other_bin, 'folded_reference': fr, 'folded_current': fc, 'chi_squared': expected}


def flights_cases():
    rows = json.load(open(os.path.join(DATA, 'flights-2k.json')))
    origins = [r['origin'] for r in rows]
    out = []
    for ref_rows, cur_rows in [(200, 1000), (200, 100), (1000, 1000)]:
        ref = Counter(origins[:ref_rows])
        cur = Counter(origins[ref_rows:ref_rows + cur_rows])
        categories = sorted(set(ref) | set(cur), key=lambda k: (-ref[k], k))
        out.append(case(f'flights-2k origin, {ref_rows} vs {cur_rows} rows', f'vega-datasets/flights-2k.json: origin, rows 0-{ref_rows} vs the next {cur_rows}',
                        [ref[k] for k in categories], [cur[k] for k in categories], 5))
    return out


def synthetic_cases():
    return [
        case('other bin always folded, an empty slot dropped', 'synthetic', [50, 3, 0, 0, 10], [400, 30, 0, 25, 40], 5, 4),
        case('everything folds: statistic 0', 'synthetic', [3, 2, 1], [4, 1, 2], 5),
        case('nothing folds at min 1', 'synthetic', [30, 20, 10, 1], [25, 25, 12, 2], 1),
        case('a current-only category large enough to keep', 'synthetic', [120, 80, 0], [300, 200, 100], 5),
    ]


def main():
    meta = {'generator': 'scripts/gen_category_fold_fixtures.py', 'numpy': np.__version__, 'scipy': scipy.__version__}
    with open(OUT, 'w') as f:
        json.dump({'meta': meta, 'cases': flights_cases() + synthetic_cases()}, f, allow_nan=False, indent=1)


if __name__ == '__main__':
    main()
