#!/usr/bin/python3
"""Real-shaped multiclass logs for the sidecar's multiclass CBPE test, in test/fixtures/quality/wine-multiclass/.

Run from the repository root with Debian's python3 (python3-sklearn):
    /usr/bin/python3 scripts/gen_wine_multiclass_fixture.py

The sklearn wine data (3 classes) split 50/50 stratified (seed 20240601), as gen_cbpe_fixtures.py
does. The model is the 'weak' one there (logistic regression on alcohol and malic_acid, accuracy
0.74), whose per-class calibration choice is mixed, so the test sees both choices.
- reference.csv: the reference half's 13 features, label, prediction and out-of-fold probabilities
  (5-fold cross_val_predict), one column per class: what a training pipeline keeps.
- requests.jsonl: the monitoring half as a model server logs it: all 13 features, the predicted
  class name and the probabilities as an object keyed by class name.
- labels.jsonl: the ground truth of each request, ten minutes later.
- expected.json: the realized metrics of the monitoring half by scikit-learn (accuracy, macro
  precision/recall/F1, log loss), for the test to compare /metrics with.
"""
import json
import os

import numpy as np
import sklearn
from sklearn.datasets import load_wine
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import accuracy_score, log_loss, precision_recall_fscore_support
from sklearn.model_selection import cross_val_predict, train_test_split
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
OUT = os.path.join(ROOT, 'test', 'fixtures', 'quality', 'wine-multiclass')
SEED = 20240601
CLASSES = ['class_0', 'class_1', 'class_2']
MODEL_COLUMNS = [0, 1]


def model():
    return make_pipeline(StandardScaler(), LogisticRegression(max_iter=1000))


def main():
    data = load_wine()
    names = [n.replace('/', '_') for n in data.feature_names]
    x, y = data.data, data.target
    x_ref, x_mon, y_ref, y_mon = train_test_split(x, y, test_size=0.5, random_state=SEED, stratify=y)
    ref_proba = cross_val_predict(model(), x_ref[:, MODEL_COLUMNS], y_ref, cv=5, method='predict_proba')
    mon_proba = model().fit(x_ref[:, MODEL_COLUMNS], y_ref).predict_proba(x_mon[:, MODEL_COLUMNS])
    os.makedirs(OUT, exist_ok=True)
    with open(os.path.join(OUT, 'reference.csv'), 'w') as f:
        f.write(','.join(names + ['label', 'prediction'] + [f'p_{c}' for c in CLASSES]) + '\n')
        for row, label, proba in zip(x_ref, y_ref, ref_proba):
            cells = [repr(float(v)) for v in row] + [CLASSES[label], CLASSES[int(proba.argmax())]] + [repr(float(p)) for p in proba]
            f.write(','.join(cells) + '\n')
    with open(os.path.join(OUT, 'requests.jsonl'), 'w') as req, open(os.path.join(OUT, 'labels.jsonl'), 'w') as lab:
        for i, (row, label, proba) in enumerate(zip(x_mon, y_mon, mon_proba)):
            t = f'2024-06-01T12:{i // 60:02d}:{i % 60:02d}Z'
            req.write(json.dumps({
                'timestamp': t, 'request_id': f'wine-{i}', 'model': 'wine', 'model_version': '3',
                'features': {n: float(v) for n, v in zip(names, row)},
                'prediction': CLASSES[int(proba.argmax())],
                'probabilities': {c: float(p) for c, p in zip(CLASSES, proba)},
                'latency_ms': 2.5,
            }) + '\n')
            lab.write(json.dumps({'request_id': f'wine-{i}', 'label': CLASSES[label], 'timestamp': f'2024-06-01T13:{i // 60:02d}:{i % 60:02d}Z'}) + '\n')
    predicted = mon_proba.argmax(axis=1)
    precision, recall, f1, _ = precision_recall_fscore_support(y_mon, predicted, average='macro', zero_division=0)
    expected = {
        'meta': {'generator': 'scripts/gen_wine_multiclass_fixture.py', 'sklearn': sklearn.__version__, 'numpy': np.__version__, 'seed': SEED},
        'classes': CLASSES,
        'records': int(len(y_mon)),
        'realized': {
            'accuracy': float(accuracy_score(y_mon, predicted)),
            'precision_macro': float(precision), 'recall_macro': float(recall), 'f1_macro': float(f1),
            'log_loss': float(log_loss(y_mon, mon_proba, labels=[0, 1, 2])),
        },
    }
    with open(os.path.join(OUT, 'expected.json'), 'w') as f:
        json.dump(expected, f, indent=1, allow_nan=False)
        f.write('\n')


if __name__ == '__main__':
    main()
