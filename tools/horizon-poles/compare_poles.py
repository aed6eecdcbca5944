"""Compares layouts of the direct head's fixed poles on the ETTh validation rows (never the test rows).

A numpy prototype of ssm-trainer's HorizonFit for one channel: the head's diagonal SSM over the changes of the
normalised target, ridge readout on standardised features for the changes y[t+j] - y[t], j = 1..336, fitted on
the training rows from the 200th, and the validation MSE over steps 1..336 at four penalties. Prints one line
per layout and penalty. Usage: python3 compare_poles.py ETTh1.csv  (numpy only; the file is read in place)
"""
import sys

import numpy as np

TRAIN, VALIDATION = 8640, 2880
HORIZON = 336
SEASON = 24
WARM_UP = 200


def layouts():
    seasonal_28 = [(t * SEASON, 2 * np.pi * k / SEASON) for k in range(7) for t in (0.5, 2, 8, 32)]
    seasonal_42 = [(t * SEASON, 2 * np.pi * k / SEASON) for k in range(13) for t in (1, 4, 16)]
    seasonal_42 += [(t, 0.0) for t in (1, 3, 8)]
    season_free_64 = [(t, w) for w in np.linspace(0, np.pi, 16) for t in (4, 16, 64, 256)]
    return {"28 modes, harmonics 0..6 at S/2, 2S, 8S, 32S": seasonal_28,
            "42 modes, harmonics 0..12 at S, 4S, 16S, decays 1, 3, 8": seasonal_42,
            "64 season-free modes": season_free_64}


def features(dy, poles):
    timescale = np.array([p[0] for p in poles])
    omega = np.array([p[1] for p in poles])
    lam = np.exp(-1 / timescale + 1j * omega)
    states = np.zeros((len(dy), len(poles)), complex)
    s = np.zeros(len(poles), complex)
    for t, d in enumerate(dy):
        s = lam * s + d
        states[t] = s
    return np.concatenate([states.real, states.imag[:, omega > 0]], axis=1)


def main(path):
    raw = np.genfromtxt(path, delimiter=",", skip_header=1, usecols=7)  # OT
    y = (raw - raw[:TRAIN].mean()) / raw[:TRAIN].std()
    dy = np.diff(y, prepend=y[0])
    targets = np.array([y[t + 1:t + 1 + HORIZON] - y[t] if t + 1 + HORIZON <= len(y) else np.zeros(HORIZON)
                        for t in range(len(y))])
    for name, poles in layouts().items():
        f = features(dy, poles)
        rows = np.arange(WARM_UP, TRAIN - HORIZON)
        mean, std = f[rows].mean(0), f[rows].std(0) + 1e-9
        x = np.concatenate([(f - mean) / std, np.ones((len(f), 1))], axis=1)
        valid = np.arange(TRAIN, TRAIN + VALIDATION - HORIZON)
        for alpha in (1e-3, 1e-2, 1e-1, 1):
            gram = x[rows].T @ x[rows] + alpha * len(rows) * np.eye(x.shape[1])
            w = np.linalg.solve(gram, x[rows].T @ targets[rows])
            mse = ((x[valid] @ w - targets[valid]) ** 2).mean()
            print(f"{name}: ridge {alpha:g}, validation MSE 1..{HORIZON} {mse:.4f}")


if __name__ == "__main__":
    main(sys.argv[1])
