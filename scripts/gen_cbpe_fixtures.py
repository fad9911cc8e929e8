#!/usr/bin/python3
"""Scores of real classifiers for measuring CBPE (bench/cbpe.ts), written to test/fixtures/quality/cbpe.json.

Run from the repository root with Debian's python3 (python3-sklearn):
    /usr/bin/python3 scripts/gen_cbpe_fixtures.py

breast_cancer (binary) and wine (3 classes), each split 50/50 stratified (seed 20240601) into a
reference half and a monitoring half. Per model: out-of-fold predict_proba on the reference half
(5-fold cross_val_predict: labelled scores to calibrate on, as a training pipeline would keep) and
predict_proba on the monitoring half of the model fitted on the reference half, with the labels.
Models: logistic regression on all features ('full') and on two ('weak'), and Gaussian naive Bayes
on all features ('naive_bayes', whose probabilities are known to be badly calibrated).
"""
import json
import os
import sys

import numpy as np
import sklearn
from sklearn.datasets import load_breast_cancer, load_wine
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import cross_val_predict, train_test_split
from sklearn.naive_bayes import GaussianNB
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
OUT = os.path.join(ROOT, 'test', 'fixtures', 'quality', 'cbpe.json')
SEED = 20240601


def models():
    return {
        'full': (slice(None), lambda: make_pipeline(StandardScaler(), LogisticRegression(max_iter=1000))),
        'weak': ([0, 1], lambda: make_pipeline(StandardScaler(), LogisticRegression(max_iter=1000))),
        'naive_bayes': (slice(None), lambda: GaussianNB()),
    }


def dataset(name, data):
    x, y = data.data, data.target
    x_ref, x_mon, y_ref, y_mon = train_test_split(x, y, test_size=0.5, random_state=SEED, stratify=y)
    out = {}
    for model_name, (cols, make) in models().items():
        ref_proba = cross_val_predict(make(), x_ref[:, cols], y_ref, cv=5, method='predict_proba')
        mon_proba = make().fit(x_ref[:, cols], y_ref).predict_proba(x_mon[:, cols])
        out[model_name] = {
            'referenceLabels': [int(v) for v in y_ref], 'referenceProba': [[float(p) for p in row] for row in ref_proba],
            'labels': [int(v) for v in y_mon], 'proba': [[float(p) for p in row] for row in mon_proba],
            'accuracy': float((mon_proba.argmax(axis=1) == y_mon).mean()),
        }
        print(f'{name}/{model_name}: accuracy {out[model_name]["accuracy"]:.3f}', file=sys.stderr)
    return out


def main():
    meta = {'generator': 'scripts/gen_cbpe_fixtures.py', 'sklearn': sklearn.__version__, 'numpy': np.__version__, 'seed': SEED}
    data = {'breast_cancer': dataset('breast_cancer', load_breast_cancer()), 'wine': dataset('wine', load_wine())}
    with open(OUT, 'w') as f:
        json.dump({'meta': meta, 'datasets': data}, f, allow_nan=False, separators=(',', ':'))


if __name__ == '__main__':
    main()
