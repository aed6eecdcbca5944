#!/usr/bin/env python3
"""Writes examples/machine-temperature.csv: a synthetic machine temperature series for trying ssm-stream.

About 2000 readings every 5 minutes from 2024-01-01 00:00:00 (UTC), with a few irregular gaps (missed
readings), a daily cycle, a slow drift, Gaussian noise and two injected anomalies: a short spike and a
one-hour drop. Standard library only, fixed seed: the output is the same on every run.

Regenerate the example and its model from the repository root:

    python3 examples/make_example.py
    bin/ssm-stream init --arch mamba --d-input 1 --d-model 16 --n-layers 2 --d-state 16 \
        --dt-unit-ms 300000 --seed 1 --input-mean <mean> --input-std <std> \
        --out examples/model-mamba.safetensors --force

with the mean and std this script prints, then try it:

    bin/ssm-stream replay --model examples/model-mamba.safetensors \
        --input examples/machine-temperature.csv --output /tmp/forecast.csv
"""
import datetime
import math
import os
import random

SEED = 20240101
ROWS = 2000
STEP = datetime.timedelta(minutes=5)
START = datetime.datetime(2024, 1, 1, 0, 0, 0)
# Reading index -> number of readings missed right before it (irregular gaps).
GAPS = {311: 3, 777: 12, 1203: 1, 1650: 32}
# Injected anomalies, by reading index: a spike and a drop.
SPIKE = range(900, 903)      # +14 degrees for 3 readings (15 minutes)
DROP = range(1420, 1432)     # -11 degrees for 12 readings (one hour)


def main():
    rng = random.Random(SEED)
    path = os.path.join(os.path.dirname(os.path.abspath(__file__)), "machine-temperature.csv")
    t = START
    values = []
    with open(path, "w", newline="\n") as f:
        f.write("timestamp,temperature\n")
        for i in range(ROWS):
            if i > 0:
                t += STEP * (1 + GAPS.get(i, 0))
            hours = (t - START).total_seconds() / 3600.0
            daily = 6.0 * math.sin(2 * math.pi * (hours - 9.0) / 24.0)   # warmest mid-afternoon
            drift = 1.5 * math.sin(2 * math.pi * hours / (24.0 * 9))     # slow multi-day drift
            value = 70.0 + daily + drift + rng.gauss(0.0, 0.4)
            if i in SPIKE:
                value += 14.0
            if i in DROP:
                value -= 11.0
            values.append(round(value, 2))
            f.write("%s,%.2f\n" % (t.strftime("%Y-%m-%d %H:%M:%S"), values[-1]))
    mean = sum(values) / len(values)
    std = math.sqrt(sum((v - mean) ** 2 for v in values) / len(values))
    print("wrote %s: %d rows, %s to %s" % (os.path.relpath(path), len(values), START, t))
    print("input mean %.4f std %.4f" % (mean, std))


if __name__ == "__main__":
    main()
