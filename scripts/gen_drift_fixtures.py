#!/usr/bin/python3
"""Expected drift statistics computed with numpy/scipy, written to test/fixtures/drift/.

Run from the repository root with Debian's python3 (it has numpy and scipy):
    /usr/bin/python3 scripts/gen_drift_fixtures.py

Outputs (committed, so `npm test` needs no Python):
  cases.json        pairs (reference, current) from real data sets and synthetic edge cases, with
                    edges, bin counts and every applicable method's value (chi_squared: scipy
                    chi2_contingency([cur, ref], correction=False); chi_squared_gof: scipy chisquare).
  kstwo-grid.json   scipy.stats.kstwo.sf(D, n) on a grid of n (1 … 1e5) and D (tiny … near 1).
  chi2-sf-grid.json scipy.stats.chi2.sf(x, k) on a grid, for the incomplete gamma function.

The definitions mirror docs/drift-methods.md; each is written here directly from numpy/scipy.
"""
import csv
import json
import math
import os
import sys

import numpy as np
import scipy
from scipy import stats
from scipy.spatial.distance import jensenshannon

from fixture_values import is_missing

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
DATA = os.path.join(ROOT, 'node_modules', 'vega-datasets', 'data')
OUT = os.path.join(ROOT, 'test', 'fixtures', 'drift')
EPS = 1e-4
BINS = 10


def finite_or_none(x):
    x = float(x)
    return x if math.isfinite(x) else None


def with_eps(p):
    p = np.array(p, dtype=float)
    return np.where(p == 0, EPS, p)


def binned_methods(r, c):
    re, ce = with_eps(r), with_eps(c)
    return {
        'psi': float(np.sum((ce - re) * np.log(ce / re))),
        'kl_divergence': float(np.sum(ce * np.log(ce / re))),
        'jensen_shannon': float(jensenshannon(r, c, base=2)),
        'hellinger': float(np.sqrt(max(0.0, 1.0 - np.sum(np.sqrt(np.asarray(r) * np.asarray(c)))))),
    }


def numeric_case(name, source, ref_raw, cur_raw, bins=BINS):
    ref = np.array([float(v) for v in ref_raw if not is_missing(v)])
    cur = np.array([float(v) for v in cur_raw if not is_missing(v)])
    qs = [i / bins for i in range(1, bins)]
    edges = np.unique(np.quantile(ref, qs))  # sorted + distinct, same as "distinct quantiles"
    ref_counts = np.bincount(np.searchsorted(edges, ref, side='left'), minlength=len(edges) + 1)
    cur_counts = np.bincount(np.searchsorted(edges, cur, side='left'), minlength=len(edges) + 1)
    r = ref_counts / ref_counts.sum()
    c = cur_counts / cur_counts.sum()
    expected = binned_methods(r, c)
    ks = stats.ks_2samp(ref, cur, method='asymp')
    expected['ks'] = {'statistic': float(ks.statistic), 'p_value': finite_or_none(ks.pvalue)}
    wd = stats.wasserstein_distance(ref, cur)
    expected['wasserstein'] = float(wd / max(np.std(ref), 0.001))
    return {
        'name': name, 'source': source, 'type': 'numeric', 'bins': bins,
        'reference': ref_raw, 'current': cur_raw,
        'missing_reference': len(ref_raw) - len(ref), 'missing_current': len(cur_raw) - len(cur),
        'edges': edges.tolist(), 'reference_counts': ref_counts.tolist(), 'current_counts': cur_counts.tolist(),
        'expected': expected,
    }


def categorical_case(name, source, ref_raw, cur_raw):
    ref = [str(v) for v in ref_raw if not is_missing(v)]
    cur = [str(v) for v in cur_raw if not is_missing(v)]
    categories = sorted(set(ref) | set(cur))
    ref_counts = np.array([ref.count(k) for k in categories], dtype=float)
    cur_counts = np.array([cur.count(k) for k in categories], dtype=float)
    r = ref_counts / ref_counts.sum()
    c = cur_counts / cur_counts.sum()
    expected = binned_methods(r, c)
    re = with_eps(r)
    f_exp = len(cur) * re / re.sum()
    if len(categories) > 1:
        chi = stats.chisquare(cur_counts, f_exp)
        expected['chi_squared_gof'] = {'statistic': float(chi.statistic), 'p_value': finite_or_none(chi.pvalue)}
    else:
        expected['chi_squared_gof'] = {'statistic': 0.0, 'p_value': None}  # scipy: no degrees of freedom
    # Two-sample test of homogeneity on the 2 x K table (categories are the union: none empty on both).
    statistic, p_value, dof, _ = stats.chi2_contingency(np.array([cur_counts, ref_counts]), correction=False)
    expected['chi_squared'] = {'statistic': float(statistic), 'p_value': finite_or_none(p_value), 'dof': int(dof)}
    return {
        'name': name, 'source': source, 'type': 'categorical',
        'reference': ref_raw, 'current': cur_raw,
        'missing_reference': len(ref_raw) - len(ref), 'missing_current': len(cur_raw) - len(cur),
        'categories': categories, 'reference_counts': ref_counts.astype(int).tolist(),
        'current_counts': cur_counts.astype(int).tolist(),
        'expected': expected,
    }


def column(rows, key):
    return [r.get(key) for r in rows]


def cars_cases():
    rows = json.load(open(os.path.join(DATA, 'cars.json')))
    ref = [r for r in rows if 1970 <= int(r['Year'][:4]) <= 1974]
    cur = [r for r in rows if 1980 <= int(r['Year'][:4]) <= 1982]
    src = 'vega-datasets/cars.json: reference Year 1970-1974, current 1980-1982'
    out = [numeric_case(f'cars/{k}', src, column(ref, k), column(cur, k))
           for k in ['Horsepower', 'Weight_in_lbs', 'Acceleration', 'Miles_per_Gallon', 'Displacement']]
    out += [categorical_case(f'cars/{k}', src, column(ref, k), column(cur, k)) for k in ['Origin', 'Cylinders']]
    return out


PENGUIN_NUMERIC = ['Beak Length (mm)', 'Beak Depth (mm)', 'Flipper Length (mm)', 'Body Mass (g)']


def penguins_cases():
    rows = json.load(open(os.path.join(DATA, 'penguins.json')))
    out = []
    splits = [
        ('species', 'reference Species Adelie, current Gentoo',
         [r for r in rows if r['Species'] == 'Adelie'], [r for r in rows if r['Species'] == 'Gentoo']),
        ('island', 'reference Island Biscoe, current Dream',
         [r for r in rows if r['Island'] == 'Biscoe'], [r for r in rows if r['Island'] == 'Dream']),
    ]
    for tag, what, ref, cur in splits:
        src = f'vega-datasets/penguins.json: {what}'
        out += [numeric_case(f'penguins-{tag}/{k}', src, column(ref, k), column(cur, k)) for k in PENGUIN_NUMERIC]
        out += [categorical_case(f'penguins-{tag}/{k}', src, column(ref, k), column(cur, k)) for k in ['Island', 'Sex']]
    return out


def seattle_cases():
    with open(os.path.join(DATA, 'seattle-weather.csv')) as f:
        rows = list(csv.DictReader(f))
    ref = [r for r in rows if r['date'].startswith('2012')]
    cur = [r for r in rows if r['date'].startswith('2015')]
    src = 'vega-datasets/seattle-weather.csv: reference 2012, current 2015'
    out = [numeric_case(f'seattle/{k}', src, [float(v) for v in column(ref, k)], [float(v) for v in column(cur, k)])
           for k in ['precipitation', 'temp_max', 'temp_min', 'wind']]
    out.append(categorical_case('seattle/weather', src, column(ref, 'weather'), column(cur, 'weather')))
    return out


def synthetic_cases():
    rng = np.random.default_rng(20240601)
    src = 'synthetic'
    out = [
        numeric_case('synthetic/constant-reference', src, [5.0] * 50, [4.0, 5.0, 5.0, 6.0, 7.5] * 8),
        numeric_case('synthetic/constant-both', src, [2.5] * 30, [2.5] * 20),
        numeric_case('synthetic/ties', src, [float(v) for v in rng.integers(0, 4, 200)],
                     [float(v) for v in rng.integers(1, 5, 150)]),
        numeric_case('synthetic/tiny-1-1', src, [1.0], [2.0]),
        numeric_case('synthetic/tiny-2-3', src, [1.0, 2.0], [1.5, 2.5, 3.5]),
        numeric_case('synthetic/tiny-3-3', src, [0.1, 0.2, 0.3], [0.25, 0.35, 0.45]),
        numeric_case('synthetic/missing-values', src, [1.0, None, 2.0, 'NaN', 3.0, 4.0, ''],
                     [None, 2.0, 3.0, 5.0, '']),
        numeric_case('synthetic/bins-4', src, [float(v) for v in np.round(rng.normal(0, 1, 300), 4)],
                     [float(v) for v in np.round(rng.normal(0.3, 1.2, 250), 4)], bins=4),
        numeric_case('synthetic/large-20000', src, [float(v) for v in np.round(rng.normal(0, 1, 20000), 6)],
                     [float(v) for v in np.round(rng.normal(0.02, 1, 20000), 6)]),
        numeric_case('synthetic/large-unequal', src, [float(v) for v in np.round(rng.exponential(1, 5000), 5)],
                     [float(v) for v in np.round(rng.exponential(1.03, 3001), 5)]),
        categorical_case('synthetic/single-category', src, ['a'] * 20, ['a'] * 7),
        categorical_case('synthetic/new-categories', src, ['a'] * 30 + ['b'] * 10, ['a'] * 5 + ['c'] * 12 + ['d'] * 3),
        categorical_case('synthetic/identical', src, ['x', 'y', 'y', 'z'] * 10, ['x', 'y', 'y', 'z'] * 5),
        categorical_case('synthetic/missing-categories', src, ['a', None, 'b', '', 'a', 'NA'], ['b', None, 'b', 'a']),
    ]
    return out


def kstwo_grid():
    ns = [1, 2, 3, 4, 5, 7, 10, 15, 20, 30, 50, 75, 89, 90, 100, 120, 139, 140, 141, 150, 200, 300, 500,
          750, 1000, 2000, 5000, 10000, 20000, 50000, 99999, 100000, 100001]
    rows = []
    for n in ns:
        ds = set([0.4 / n, 0.5 / n, 0.51 / n, 0.75 / n, 1.0 / n, 1.5 / n, 2.5 / n,
                  0.001, 0.003, 0.01, 0.02, 0.03, 0.05, 0.08, 0.1, 0.15, 0.2, 0.25, 0.3, 0.4, 0.45, 0.5,
                  0.55, 0.7, 0.9, 0.99, 1 - 1.0 / n, 1 - 0.5 / n])
        # Around the algorithm switch points, where an implementation slip would show.
        for nd2 in [0.3, 0.754693, 0.8, 1.0, 1.5, 2.2, 3.0, 4.0, 5.0, 10.0, 18.0]:
            ds.add(math.sqrt(nd2 / n))
        ds.add((1.4 / n) ** (2 / 3))
        for d in sorted(ds):
            if 0 < d < 1:
                rows.append({'n': n, 'd': d, 'sf': float(stats.kstwo.sf(d, n))})
    return rows


def chi2_grid():
    rows = []
    for k in [1, 2, 3, 4, 5, 7, 10, 20, 50, 100, 101, 500, 999]:
        for x in [1e-6, 0.01, 0.1, 0.5, 1, 2, 3, 5, 8, 12, 20, 40, 80, 150, 300, 700, 1500]:
            for scaled in (x, x * k):
                rows.append({'x': scaled, 'k': k, 'sf': float(stats.chi2.sf(scaled, k))})
    return rows


def main():
    os.makedirs(OUT, exist_ok=True)
    cases = cars_cases() + penguins_cases() + seattle_cases() + synthetic_cases()
    meta = {'generator': 'scripts/gen_drift_fixtures.py', 'numpy': np.__version__, 'scipy': scipy.__version__,
            'epsilon': EPS}
    with open(os.path.join(OUT, 'cases.json'), 'w') as f:
        json.dump({'meta': meta, 'cases': cases}, f, allow_nan=False, separators=(',', ':'))
    grid = kstwo_grid()
    with open(os.path.join(OUT, 'kstwo-grid.json'), 'w') as f:
        json.dump({'meta': meta, 'points': grid}, f, allow_nan=False, indent=0)
    with open(os.path.join(OUT, 'chi2-sf-grid.json'), 'w') as f:
        json.dump({'meta': meta, 'points': chi2_grid()}, f, allow_nan=False, indent=0)
    print(f'{len(cases)} cases, {len(grid)} kstwo points', file=sys.stderr)


if __name__ == '__main__':
    main()
