#!/usr/bin/env python3
"""Compare the *_forecast and *_std columns of two forward-pass CSVs.

For every such column prints max |A - B| / input_std[channel] (input_std from
the model config) and exits 1 if any exceeds the tolerance (default 1e-4),
or if the files do not line up (row count, columns, timestamps).

Example:
  python3 compare.py ref.csv java.csv --model m.safetensors
"""
import argparse
import csv
import math
import os
import sys

sys.dont_write_bytecode = True  # keep tools/reference free of __pycache__
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from st_numpy import read_config  # noqa: E402


def load(path):
    with open(path, newline="") as f:
        rows = [r for r in csv.reader(f) if r]
    return [c.strip() for c in rows[0]], rows[1:]


def main():
    ap = argparse.ArgumentParser(description=__doc__,
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("a")
    ap.add_argument("b")
    ap.add_argument("--model", required=True)
    ap.add_argument("--tol", type=float, default=1e-4)
    args = ap.parse_args()

    cfg = read_config(args.model)
    D = int(cfg["d_input"])
    std = [float(s) for s in cfg["input_std"]]
    ha, ra = load(args.a)
    hb, rb = load(args.b)
    ok = True

    # channel names = the D input columns after the timestamp (file A)
    names = ha[1:1 + D]
    cols = [(n + "_forecast", i) for i, n in enumerate(names)] + \
           [(n + "_std", i) for i, n in enumerate(names)]
    for c, _ in cols:
        for h, p in ((ha, args.a), (hb, args.b)):
            if c not in h:
                print("FAIL: column %s missing in %s" % (c, p))
                return 1
    if len(ra) != len(rb):
        print("FAIL: row count differs: %d vs %d" % (len(ra), len(rb)))
        return 1
    ts_bad = sum(1 for x, y in zip(ra, rb) if x[0].strip() != y[0].strip())
    if ts_bad:
        print("FAIL: %d rows have different timestamps (first column)" % ts_bad)
        ok = False

    print("%-28s %14s %8s  %s" % ("column", "max_err/std", "at_row", "status"))
    for c, ch in cols:
        ia, ib = ha.index(c), hb.index(c)
        worst, at, both_nan = 0.0, -1, 0
        for k, (x, y) in enumerate(zip(ra, rb)):
            va, vb = float(x[ia]), float(y[ib])
            if math.isnan(va) and math.isnan(vb):
                both_nan += 1
                continue
            if va == vb:  # covers equal infinities
                continue
            e = abs(va - vb) / std[ch]
            if math.isnan(e):
                e = math.inf
            if e > worst:
                worst, at = e, k
        bad = worst > args.tol
        ok = ok and not bad
        print("%-28s %14.3e %8s  %s%s" % (c, worst, at if at >= 0 else "-",
                                          "FAIL" if bad else "ok",
                                          " (%d rows NaN in both)" % both_nan if both_nan else ""))
    print("rows compared: %d, tolerance %.1e -> %s" % (len(ra), args.tol, "PASS" if ok else "FAIL"))
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
