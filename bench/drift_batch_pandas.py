"""The pandas + numpy + scipy equivalent of `modelwatch drift --reference REF --current CUR`, for
bench/drift-batch.ts: every column, the same methods (PSI, KL, Jensen-Shannon, Hellinger on
reference-quantile bins or categories; KS and Wasserstein on raw numeric values; chi-squared on
categories). Run with Debian's /usr/bin/python3 (python3-pandas, python3-scipy).

usage: drift_batch_pandas.py REF.csv CUR.csv CATEGORICAL_COLUMNS(comma-separated)
"""
import json
import sys

import numpy as np
import pandas as pd
from scipy import stats
from scipy.spatial import distance

EPS = 1e-4
BINS = 10


def proportion_methods(rp, cp):
    rp = np.clip(rp, EPS, None)
    cp = np.clip(cp, EPS, None)
    return {
        "psi": float(np.sum((cp - rp) * np.log(cp / rp))),
        "kl_divergence": float(np.sum(cp * np.log(cp / rp))),
        "jensen_shannon": float(distance.jensenshannon(rp, cp, base=2)),
        "hellinger": float(np.sqrt(0.5 * np.sum((np.sqrt(rp) - np.sqrt(cp)) ** 2))),
    }


def numeric(ref, cur):
    ref = ref.dropna().to_numpy()
    cur = cur.dropna().to_numpy()
    edges = np.unique(np.quantile(ref, np.linspace(0, 1, BINS + 1)[1:-1]))
    rc = np.bincount(np.searchsorted(edges, ref, side="left"), minlength=len(edges) + 1)
    cc = np.bincount(np.searchsorted(edges, cur, side="left"), minlength=len(edges) + 1)
    out = proportion_methods(rc / rc.sum(), cc / cc.sum())
    out["ks"] = float(stats.ks_2samp(ref, cur).pvalue)
    out["wasserstein"] = float(stats.wasserstein_distance(ref, cur))
    return out


def categorical(ref, cur):
    rc = ref.dropna().value_counts()
    cc = cur.dropna().value_counts()
    cats = rc.index.union(cc.index)
    rc = rc.reindex(cats, fill_value=0).to_numpy(dtype=float)
    cc = cc.reindex(cats, fill_value=0).to_numpy(dtype=float)
    out = proportion_methods(rc / rc.sum(), cc / cc.sum())
    out["chi_squared"] = float(stats.chi2_contingency(np.vstack([rc, cc]))[1])
    return out


def main():
    ref_path, cur_path, cats = sys.argv[1], sys.argv[2], set(filter(None, sys.argv[3].split(",")))
    ref = pd.read_csv(ref_path)
    cur = pd.read_csv(cur_path)
    report = {c: (categorical if c in cats else numeric)(ref[c], cur[c]) for c in ref.columns}
    json.dump({"columns": len(report)}, sys.stdout)


main()
