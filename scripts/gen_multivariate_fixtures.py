#!/usr/bin/python3
"""Expected multivariate (data-reconstruction) drift computed with scikit-learn, written to
test/fixtures/drift/multivariate.json.

Run from the repository root with Debian's python3 (python3-sklearn):
    /usr/bin/python3 scripts/gen_multivariate_fixtures.py

The pipeline is the definition in docs/drift-methods.md: numeric columns SimpleImputer(mean) then
StandardScaler; categorical columns SimpleImputer(most_frequent) then OneHotEncoder(handle_unknown=
"ignore") (categories as text); PCA(n_components=0.65, svd_solver="full") fitted on the encoded
reference; a record's error is the Euclidean norm of x - inverse_transform(transform(x)).
"""
import csv
import json
import os
import sys

import numpy as np
import sklearn
from sklearn.compose import ColumnTransformer
from sklearn.decomposition import PCA
from sklearn.impute import SimpleImputer
from sklearn.pipeline import Pipeline
from sklearn.preprocessing import OneHotEncoder, StandardScaler

from fixture_values import is_missing

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
DATA = os.path.join(ROOT, 'node_modules', 'vega-datasets', 'data')
OUT = os.path.join(ROOT, 'test', 'fixtures', 'drift', 'multivariate.json')


def text(v):
    """A category as JavaScript's String() writes it (integers without '.0')."""
    if isinstance(v, float) and v.is_integer():
        return str(int(v))
    return str(v)


def case(name, source, reference, current, numeric, categorical, share=0.65):
    def matrix(rows):
        num = np.array([[np.nan if is_missing(r.get(c)) else float(r[c]) for c in numeric] for r in rows], dtype=float).reshape(len(rows), len(numeric))
        cat = np.array([[None if is_missing(r.get(c)) else text(r[c]) for c in categorical] for r in rows], dtype=object).reshape(len(rows), len(categorical))
        return num, cat

    ref_num, ref_cat = matrix(reference)
    cur_num, cur_cat = matrix(current)
    steps = []
    if numeric:
        steps.append(('num', Pipeline([('impute', SimpleImputer(strategy='mean')), ('scale', StandardScaler())]), list(range(len(numeric)))))
    if categorical:
        steps.append(('cat', Pipeline([('impute', SimpleImputer(strategy='most_frequent', missing_values=None)),
                                       ('onehot', OneHotEncoder(handle_unknown='ignore', sparse_output=False))]),
                      list(range(len(numeric), len(numeric) + len(categorical)))))
    encode = ColumnTransformer(steps)
    ref = np.concatenate([ref_num.astype(object), ref_cat], axis=1)
    cur = np.concatenate([cur_num.astype(object), cur_cat], axis=1)
    x_ref = encode.fit_transform(ref).astype(float)
    x_cur = encode.transform(cur).astype(float)
    pca = PCA(n_components=share, svd_solver='full').fit(x_ref)

    def errors(x):
        return np.linalg.norm(x - pca.inverse_transform(pca.transform(x)), axis=1)

    e_ref = errors(x_ref)
    e_cur = errors(x_cur)
    columns = [{'name': c, 'type': 'numeric'} for c in numeric] + [{'name': c, 'type': 'categorical'} for c in categorical]
    raw = lambda rows: {c['name']: [None if is_missing(r.get(c['name'])) else r[c['name']] for r in rows] for c in columns}
    return {
        'name': name, 'source': source, 'columns': columns, 'explained_variance_share': share,
        'reference': raw(reference), 'current': raw(current),
        'expected': {
            'width': int(x_ref.shape[1]),
            'components': int(pca.n_components_),
            'explained_variance': float(np.sum(pca.explained_variance_ratio_)),
            'reference_mean': float(e_ref.mean()), 'reference_std': float(e_ref.std()),
            'current_errors': [float(e) for e in e_cur], 'current_mean': float(e_cur.mean()),
            'reference_errors': [float(e) for e in e_ref],
        },
    }


def main():
    cars = json.load(open(os.path.join(DATA, 'cars.json')))
    penguins = json.load(open(os.path.join(DATA, 'penguins.json')))
    with open(os.path.join(DATA, 'seattle-weather.csv')) as f:
        weather = list(csv.DictReader(f))
    for r in weather:
        for c in ['precipitation', 'temp_max', 'temp_min', 'wind']:
            r[c] = float(r[c])
    year = lambda r: int(r['Year'][:4])
    cases = [
        case('cars: 1970-74 -> 1980-82', 'vega-datasets/cars.json',
             [r for r in cars if year(r) <= 1974], [r for r in cars if year(r) >= 1980],
             ['Miles_per_Gallon', 'Horsepower', 'Weight_in_lbs', 'Acceleration', 'Displacement'], ['Origin', 'Cylinders']),
        case('penguins: Biscoe -> Dream', 'vega-datasets/penguins.json',
             [r for r in penguins if r['Island'] == 'Biscoe'], [r for r in penguins if r['Island'] == 'Dream'],
             ['Beak Length (mm)', 'Beak Depth (mm)', 'Flipper Length (mm)', 'Body Mass (g)'], ['Species', 'Sex']),
        case('seattle-weather: 2012 -> 2015', 'vega-datasets/seattle-weather.csv',
             [r for r in weather if r['date'].startswith('2012')], [r for r in weather if r['date'].startswith('2015')],
             ['precipitation', 'temp_max', 'temp_min', 'wind'], ['weather']),
        case('seattle-weather numeric only, 90 % variance', 'vega-datasets/seattle-weather.csv',
             [r for r in weather if r['date'].startswith('2013')], [r for r in weather if r['date'].startswith('2014')],
             ['precipitation', 'temp_max', 'temp_min', 'wind'], [], share=0.9),
    ]
    meta = {'generator': 'scripts/gen_multivariate_fixtures.py', 'numpy': np.__version__, 'sklearn': sklearn.__version__}
    with open(OUT, 'w') as f:
        json.dump({'meta': meta, 'cases': cases}, f, allow_nan=False, separators=(',', ':'))
    for c in cases:
        e = c['expected']
        print(f"{c['name']}: width {e['width']}, k {e['components']}, ref {e['reference_mean']:.4f}±{e['reference_std']:.4f}, cur {e['current_mean']:.4f}", file=sys.stderr)


if __name__ == '__main__':
    main()
