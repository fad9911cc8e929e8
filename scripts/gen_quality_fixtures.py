#!/usr/bin/python3
"""Writes test/fixtures/quality/*.json: real-data inputs plus scikit-learn's values for every
model-quality metric, so the TypeScript implementations are checked against sklearn without
Python at test time.

Run with Debian's python3 (it has numpy, scikit-learn):  /usr/bin/python3 scripts/gen_quality_fixtures.py

Data sets: sklearn's bundled breast_cancer (binary), wine and iris (multiclass), diabetes
(regression) and vega-datasets cars.json (regression with a shifted relationship over time).
"""
import json
import os

import numpy as np
import sklearn
from sklearn.datasets import load_breast_cancer, load_diabetes, load_iris, load_wine
from sklearn.isotonic import IsotonicRegression
from sklearn.linear_model import LinearRegression, LogisticRegression
from sklearn.metrics import (accuracy_score, auc, f1_score, log_loss, mean_absolute_error,
                             mean_absolute_percentage_error, mean_squared_error,
                             precision_score, r2_score, recall_score, roc_auc_score)
from sklearn.model_selection import cross_val_predict, train_test_split
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler
from sklearn.tree import DecisionTreeClassifier

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
OUT = os.path.join(ROOT, 'test', 'fixtures', 'quality')
CARS = os.path.join(ROOT, 'node_modules', 'vega-datasets', 'data', 'cars.json')
SEED = 20240601


def floats(a):
    # repr round-trips float64 exactly, so JSON keeps every bit numpy computed.
    return [float(x) for x in np.asarray(a, dtype=np.float64).ravel()]


def ints(a):
    return [int(x) for x in np.asarray(a).ravel()]


def write(name, obj):
    obj['generator'] = f'scripts/gen_quality_fixtures.py (scikit-learn {sklearn.__version__}, numpy {np.__version__})'
    with open(os.path.join(OUT, name), 'w') as f:
        json.dump(obj, f, separators=(',', ':'))
        f.write('\n')


def classification_values(y_true, y_pred, n_classes, proba=None):
    """sklearn's values; macro over the union of classes present, per-class over 0..n-1."""
    per_class = dict(labels=list(range(n_classes)), average=None, zero_division=0)
    values = {
        'accuracy': float(accuracy_score(y_true, y_pred)),
        'precision': floats(precision_score(y_true, y_pred, **per_class)),
        'recall': floats(recall_score(y_true, y_pred, **per_class)),
        'f1': floats(f1_score(y_true, y_pred, **per_class)),
        'macroPrecision': float(precision_score(y_true, y_pred, average='macro', zero_division=0)),
        'macroRecall': float(recall_score(y_true, y_pred, average='macro', zero_division=0)),
        'macroF1': float(f1_score(y_true, y_pred, average='macro', zero_division=0)),
    }
    if proba is not None:
        values['logLoss'] = float(log_loss(y_true, proba, labels=list(range(n_classes))))
    return values


def expected_roc_auc(p):
    """CBPE's estimated ROC AUC (see src/stats/quality/cbpe.ts): the expected confusion matrix at
    every distinct threshold, p taken as P(y=1), plus the (0, 0) end point, by the trapezoid."""
    t = np.unique(p)
    tpr, fpr = [0.0], [0.0]
    total_pos, total_neg = p.sum(), (1 - p).sum()
    for thr in t[::-1]:
        sel = p >= thr
        tpr.append(p[sel].sum() / total_pos)
        fpr.append((1 - p[sel]).sum() / total_neg)
    return float(auc(fpr, tpr))


def binary():
    data = load_breast_cancer()
    x, y = data.data, data.target
    x_ref, x_mon, y_ref, y_mon = train_test_split(x, y, test_size=0.5, random_state=SEED, stratify=y)
    cases = {}
    # 'full': all 30 features, very accurate; 'weak': two features, so errors are common enough
    # for CBPE estimates to be tested on something other than near-perfect chunks.
    for name, cols in (('full', slice(None)), ('weak', [0, 1])):
        model = make_pipeline(StandardScaler(), LogisticRegression(max_iter=1000))
        model.fit(x_ref[:, cols], y_ref)
        scores = model.predict_proba(x_mon[:, cols])[:, 1]
        # Out-of-fold scores on the reference half: labelled data for calibration.
        ref_scores = cross_val_predict(make_pipeline(StandardScaler(), LogisticRegression(max_iter=1000)),
                                       x_ref[:, cols], y_ref, cv=5, method='predict_proba')[:, 1]
        y_pred = (scores >= 0.5).astype(int)
        values = classification_values(y_mon, y_pred, 2, np.column_stack([1 - scores, scores]))
        values['rocAuc'] = float(roc_auc_score(y_mon, scores))
        values['logLossBinary'] = float(log_loss(y_mon, scores))
        values['cbpeRocAuc'] = expected_roc_auc(scores)
        iso = IsotonicRegression(y_min=0, y_max=1, out_of_bounds='clip').fit(ref_scores, y_ref)
        values['isotonic'] = floats(iso.predict(scores))
        cases[name] = {'labels': ints(y_mon), 'scores': floats(scores), 'referenceLabels': ints(y_ref),
                       'referenceScores': floats(ref_scores), 'sklearn': values}
    # Ties: scores rounded to one decimal, so roc_auc_score must average over tied thresholds.
    full = cases['full']
    tied = np.round(np.array(full['scores']), 1)
    ties = {'labels': full['labels'], 'scores': floats(tied),
            'sklearn': {'rocAuc': float(roc_auc_score(full['labels'], tied)),
                        'logLossBinary': float(log_loss(full['labels'], tied))}}
    write('binary.json', {'dataset': 'sklearn breast_cancer, 50/50 stratified split', 'cases': cases, 'ties': ties})


def multiclass():
    cases = {}
    wine = load_wine()
    x_tr, x_te, y_tr, y_te = train_test_split(wine.data, wine.target, test_size=0.5, random_state=SEED, stratify=wine.target)
    model = make_pipeline(StandardScaler(), LogisticRegression(max_iter=1000)).fit(x_tr, y_tr)
    proba = model.predict_proba(x_te)
    y_pred = proba.argmax(axis=1)
    cases['wine'] = {'nClasses': 3, 'yTrue': ints(y_te), 'yPred': ints(y_pred), 'proba': floats(proba),
                     'sklearn': classification_values(y_te, y_pred, 3, proba)}
    # A depth-1 tree on iris never predicts one class: zero_division=0 for that class's precision.
    iris = load_iris()
    x_tr, x_te, y_tr, y_te = train_test_split(iris.data, iris.target, test_size=0.5, random_state=SEED, stratify=iris.target)
    stump = DecisionTreeClassifier(max_depth=1, random_state=0).fit(x_tr, y_tr)
    y_pred = stump.predict(x_te)
    cases['iris_stump'] = {'nClasses': 3, 'yTrue': ints(y_te), 'yPred': ints(y_pred),
                           'sklearn': classification_values(y_te, y_pred, 3)}
    # Class table of 5 where class 4 never occurs and class 3 occurs only in y_pred: the macro
    # average runs over the union {0, 1, 2, 3}, not over the 5 table entries.
    y_true = np.array([0, 0, 1, 1, 2, 2, 2, 0, 1, 2])
    y_pred = np.array([0, 3, 1, 0, 2, 2, 3, 0, 1, 1])
    cases['union'] = {'nClasses': 5, 'yTrue': ints(y_true), 'yPred': ints(y_pred),
                      'sklearn': classification_values(y_true, y_pred, 5)}
    write('multiclass.json', {'dataset': 'sklearn wine (logistic regression), iris (depth-1 tree), synthetic union case', 'cases': cases})


def regression_values(y, p):
    return {
        'mae': float(mean_absolute_error(y, p)),
        'rmse': float(np.sqrt(mean_squared_error(y, p))),
        'mape': float(mean_absolute_percentage_error(y, p)),
        'r2': float(r2_score(y, p)),
    }


def load_cars():
    with open(CARS) as f:
        rows = [r for r in json.load(f) if r['Miles_per_Gallon'] is not None and r['Horsepower'] is not None]
    rows.sort(key=lambda r: r['Year'])  # stable: within a year, file order
    return rows


def regression():
    cases = {}
    diabetes = load_diabetes()
    x_tr, x_te, y_tr, y_te = train_test_split(diabetes.data, diabetes.target, test_size=0.5, random_state=SEED)
    pred = LinearRegression().fit(x_tr, y_tr).predict(x_te)
    cases['diabetes'] = {'yTrue': floats(y_te), 'yPred': floats(pred), 'sklearn': regression_values(y_te, pred)}

    rows = load_cars()
    origins = ['USA', 'Europe', 'Japan']
    x = np.array([[r['Cylinders'], r['Displacement'], r['Horsepower'], r['Weight_in_lbs'], r['Acceleration']]
                  + [1.0 if r['Origin'] == o else 0.0 for o in origins[1:]] for r in rows])
    y = np.array([r['Miles_per_Gallon'] for r in rows], dtype=float)
    year = np.array([int(r['Year'][:4]) for r in rows])
    early = year <= 1974
    pred = LinearRegression().fit(x[early], y[early]).predict(x[~early])
    cases['cars_1975_1982'] = {'yTrue': floats(y[~early]), 'yPred': floats(pred),
                               'sklearn': regression_values(y[~early], pred)}

    # Edge cases sklearn defines specially.
    const = np.array([3.0, 3.0, 3.0, 3.0])
    cases['constant_perfect'] = {'yTrue': floats(const), 'yPred': floats(const), 'sklearn': regression_values(const, const)}
    off = np.array([3.0, 2.0, 4.0, 3.5])
    cases['constant_imperfect'] = {'yTrue': floats(const), 'yPred': floats(off), 'sklearn': regression_values(const, off)}
    with_zero = np.array([0.0, 1.0, -2.0, 4.0])
    near = np.array([0.5, 1.0, -1.0, 5.0])
    cases['zero_in_y_true'] = {'yTrue': floats(with_zero), 'yPred': floats(near), 'sklearn': regression_values(with_zero, near)}
    write('regression.json', {'dataset': 'sklearn diabetes (50/50), vega cars (fit 1970-74, predict 1975-82), edge cases', 'cases': cases})


def cars_drift():
    """Absolute errors over time of MPG ~ weight fitted on 1970-74: the relationship shifts as
    post-oil-crisis cars get more miles per gallon at the same weight."""
    rows = load_cars()
    w = np.array([[r['Weight_in_lbs']] for r in rows], dtype=float)
    y = np.array([r['Miles_per_Gallon'] for r in rows], dtype=float)
    year = np.array([int(r['Year'][:4]) for r in rows])
    early = year <= 1974
    abs_err = np.abs(y - LinearRegression().fit(w[early], y[early]).predict(w))
    change = int(np.argmax(year >= 1977))
    onset = int(np.argmax(year >= 1976))
    per_year = {str(yr): {'n': int((year == yr).sum()), 'meanAbsError': float(abs_err[year == yr].mean())}
                for yr in np.unique(year)}
    write('cars-drift.json', {
        'dataset': 'vega-datasets cars.json, rows with MPG and horsepower, sorted by year (stable)',
        'model': 'LinearRegression MPG ~ Weight_in_lbs fitted on 1970-1974',
        'changePointNote': 'changeIndex = first 1977 record, the first year whose mean |error| (3.1 MPG) lies '
                           'outside the 1970-75 range (1.3-2.3); onsetIndex = first 1976 record, where the signed '
                           'error starts to climb (+1.6 MPG in 1976, +3.0 in 1977, +5.0 in 1979, +10 in 1980). '
                           '1970-75 is the stationary part; 1976 is a transition year.',
        'onsetIndex': onset, 'changeIndex': change, 'years': ints(year), 'absErrors': floats(abs_err), 'perYear': per_year})


if __name__ == '__main__':
    os.makedirs(OUT, exist_ok=True)
    binary()
    multiclass()
    regression()
    cars_drift()
    print('wrote', sorted(os.listdir(OUT)))
