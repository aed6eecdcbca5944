#!/usr/bin/env python3
"""Write a test time series CSV with irregular timestamps.

Header: timestamp,c0,c1,...   Timestamps: 'YYYY-MM-DD HH:MM:SS' (UTC).
Gaps are mostly 60 s, sometimes 30 s, 90 s, 300 s, 3600 s and a few 0 s
(equal timestamps); time never goes backwards.  Values are a smooth signal
plus noise around a per-channel mean/std (taken from --model if given,
otherwise drawn in the same ranges make_random_model.py uses).

Example:
  python3 make_series.py --d-input 3 --rows 500 --seed 2 --out s.csv
"""
import argparse
import datetime as dtm
import math
import os
import sys

import numpy as np

sys.dont_write_bytecode = True  # keep tools/reference free of __pycache__
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))


GAPS = [60, 30, 90, 300, 3600, 0]
PROBS = [0.80, 0.06, 0.06, 0.04, 0.02, 0.02]


def main():
    ap = argparse.ArgumentParser(description=__doc__,
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--d-input", type=int, required=True)
    ap.add_argument("--rows", type=int, required=True)
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--model", default=None,
                    help="optional model file: use its input_mean/input_std")
    ap.add_argument("--start", default="2024-01-01 00:00:00",
                    help="first timestamp, UTC (default 2024-01-01 00:00:00)")
    ap.add_argument("--out", required=True)
    a = ap.parse_args()

    rng = np.random.default_rng(a.seed)
    D, R = a.d_input, a.rows
    if a.model:
        from st_numpy import read_config
        cfg = read_config(a.model)
        if cfg["d_input"] != D:
            raise SystemExit("--d-input %d != model d_input %d" % (D, cfg["d_input"]))
        mean = np.array(cfg["input_mean"], dtype=np.float64)
        std = np.array(cfg["input_std"], dtype=np.float64)
    else:
        mean = rng.uniform(10.0, 100.0, size=D)
        std = rng.uniform(0.5, 20.0, size=D)

    gaps = rng.choice(GAPS, size=R, p=PROBS)
    gaps[0] = 0
    # make sure every gap kind occurs at least once for modest sizes
    if R >= 2 * len(GAPS) + 2:
        pos = rng.choice(np.arange(1, R), size=len(GAPS), replace=False)
        for g, k in zip(GAPS, pos):
            gaps[k] = g
    secs = np.cumsum(gaps)  # non-decreasing

    start = dtm.datetime.strptime(a.start, "%Y-%m-%d %H:%M:%S")
    t_min = secs / 60.0
    cols = []
    for c in range(D):
        p1 = rng.uniform(30, 300)      # period in minutes
        p2 = rng.uniform(600, 3000)
        ph1, ph2 = rng.uniform(0, 2 * math.pi, size=2)
        sig = (0.8 * np.sin(2 * math.pi * t_min / p1 + ph1)
               + 0.5 * np.sin(2 * math.pi * t_min / p2 + ph2))
        noise = 0.2 * rng.standard_normal(R)
        cols.append(mean[c] + std[c] * (sig + noise))

    with open(a.out, "w", newline="") as f:
        f.write("timestamp," + ",".join("c%d" % c for c in range(D)) + "\n")
        for k in range(R):
            ts = (start + dtm.timedelta(seconds=int(secs[k]))).strftime("%Y-%m-%d %H:%M:%S")
            f.write(ts + "," + ",".join(repr(round(float(cols[c][k]), 6))
                                        for c in range(D)) + "\n")
    print("wrote %s: %d rows, %d channels, gap counts %s"
          % (a.out, R, D, {g: int(np.sum(gaps[1:] == g)) for g in GAPS}))


if __name__ == "__main__":
    main()
