#!/usr/bin/env python3
"""Independent float64 reference forward pass for ssm_stream model files (v1).

Reads a safetensors model (F32/F16/BF16/F64) and a CSV series, runs the
recurrent step over every row and writes
  timestamp,<inputs...>,<col>_forecast...,<col>_std...
The forecast/std on row k is the model's prediction for row k+1.

Example:
  python3 reference_forward.py --model m.safetensors --input s.csv --output ref.csv
"""
import argparse
import csv
import datetime as dtm
import json
import math
import os
import re
import sys

import numpy as np

sys.dont_write_bytecode = True  # keep tools/reference free of __pycache__
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from st_numpy import CONFIG_KEY, read_safetensors  # noqa: E402

EPS = 1e-5


# ------------------------------------------------------------------ helpers
def sigmoid(x):
    x = np.asarray(x, dtype=np.float64)
    e = np.exp(-np.abs(x))
    return np.where(x >= 0, 1.0 / (1.0 + e), e / (1.0 + e))


def silu(x):
    return x * sigmoid(x)


def softplus(x):
    # log(1 + exp(x)), identity for x > 20 (as in mamba / torch threshold=20)
    return np.where(x > 20.0, x, np.log1p(np.exp(np.minimum(x, 20.0))))


_erf = np.vectorize(math.erf, otypes=[np.float64])


def gelu(x):
    return 0.5 * x * (1.0 + _erf(x / math.sqrt(2.0)))


def rmsnorm(x, w):
    return x / np.sqrt(np.mean(x * x) + EPS) * w


# --------------------------------------------------------------- timestamps
_EPOCH = dtm.datetime(1970, 1, 1, tzinfo=dtm.timezone.utc)
_NUM = re.compile(r"^[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$")


def parse_time_us(s):
    """Timestamp string -> integer microseconds since the epoch (UTC).

    Accepts 'YYYY-MM-DD HH:MM:SS[.ffffff]' (UTC), ISO-8601 (with 'T', 'Z' or
    a +hh:mm offset; naive = UTC) or epoch milliseconds (a plain number)."""
    t = s.strip()
    if _NUM.match(t):
        if re.fullmatch(r"[+-]?\d+", t):
            return int(t) * 1000
        return int(round(float(t) * 1000.0))
    x = t
    if x[-1:] in ("Z", "z"):
        x = x[:-1] + "+00:00"
    # fromisoformat in 3.11 only takes up to 6 fractional digits: truncate
    m = re.match(r"^(.*?[T ]\d{2}:\d{2}:\d{2})\.(\d+)(.*)$", x)
    if m:
        x = m.group(1) + "." + (m.group(2) + "000000")[:6] + m.group(3)
    d = dtm.datetime.fromisoformat(x)
    if d.tzinfo is None:
        d = d.replace(tzinfo=dtm.timezone.utc)
    delta = d - _EPOCH
    return (delta.days * 86400 + delta.seconds) * 1_000_000 + delta.microseconds


# ------------------------------------------------------------------- mixers
def gelu_glu(W, b, y):
    """The block after s4d's, s4's, lssl's and spacetime's recurrence: exact-erf GELU, output_linear.0
    (W is 2H x H), GLU o[:H] * sigmoid(o[H:])."""
    H = W.shape[1]
    o = W @ gelu(y) + b
    return o[:H] * sigmoid(o[H:])


BILINEAR_CACHE_MAX = 256  # discretizations kept per layer (one per distinct tau)


def bilinear_cached(cache, key, d, A, B):
    """s4's and lssl's bilinear discretization with the step d (H,) of A (H or 1, N, N) and B (H or 1,
    N), dense, with np.linalg.solve: Abar = (I - d/2 A)^-1 (I + d/2 A), Bbar = (I - d/2 A)^-1 d B.
    Cached under key, up to BILINEAR_CACHE_MAX entries, then the cache is cleared."""
    if key in cache:
        return cache[key]
    eye = np.eye(A.shape[-1])[None]
    half = (d / 2.0)[:, None, None] * A                                  # (H, N, N)
    lhs = eye - half                     # = I for d = 0, so tau = 0 is a regular solve
    dA = np.linalg.solve(lhs, eye + half)                                # (H, N, N)
    dB = np.linalg.solve(lhs, (d[:, None] * B)[..., None])[..., 0]       # (H, N)
    if len(cache) >= BILINEAR_CACHE_MAX:
        cache.clear()
    cache[key] = (dA, dB)
    return dA, dB

class Mamba:
    def __init__(self, T, p, cfg):
        M = cfg["d_model"]
        self.N = cfg["d_state"]
        self.expand = int(cfg.get("expand", 2))
        self.d_conv = int(cfg.get("d_conv", 4))
        self.r = int(cfg.get("dt_rank", math.ceil(M / 16)))
        di = self.di = self.expand * M
        N, r, K = self.N, self.r, self.d_conv
        g = lambda n, shape: get(T, p + n, shape)  # noqa: E731
        self.W_in = g("in_proj.weight", (2 * di, M))
        self.conv_w = g("conv1d.weight", (di, 1, K))[:, 0, :]
        self.conv_b = g("conv1d.bias", (di,))
        self.W_x = g("x_proj.weight", (r + 2 * N, di))
        self.W_dt = g("dt_proj.weight", (di, r))
        self.b_dt = g("dt_proj.bias", (di,))
        self.A = -np.exp(g("A_log", (di, N)))
        self.D = g("D", (di,))
        self.W_out = g("out_proj.weight", (M, di))
        self.time_aware = bool(cfg.get("time_aware", False))
        self.conv = np.zeros((di, K))
        self.s = np.zeros((di, N))

    def step(self, h, tau):
        di, N, r = self.di, self.N, self.r
        xz = self.W_in @ h
        x, z = xz[:di], xz[di:]
        self.conv[:, :-1] = self.conv[:, 1:]
        self.conv[:, -1] = x
        x = silu(np.sum(self.conv * self.conv_w, axis=-1) + self.conv_b)
        xd = self.W_x @ x
        delta, B, C = xd[:r], xd[r:r + N], xd[r + N:r + 2 * N]
        dt = softplus(self.W_dt @ delta + self.b_dt)
        if self.time_aware:
            dt = dt * tau
        self.s = self.s * np.exp(dt[:, None] * self.A) + (dt[:, None] * B[None, :]) * x[:, None]
        y = self.s @ C + self.D * x
        y = y * silu(z)
        return self.W_out @ y


class S4D:
    def __init__(self, T, p, cfg):
        H, N = cfg["d_model"], cfg["d_state"]
        if N % 2:
            raise SystemExit("s4d: d_state must be even")
        n2 = N // 2
        g = lambda n, shape: get(T, p + n, shape)  # noqa: E731
        self.dt = np.exp(g("kernel.log_dt", (H,)))
        self.A = -np.exp(g("kernel.log_A_real", (H, n2))) + 1j * g("kernel.A_imag", (H, n2))
        Cr = g("kernel.C", (H, n2, 2))
        self.C = Cr[..., 0] + 1j * Cr[..., 1]
        self.D = g("D", (H,))
        self.W = g("output_linear.0.weight", (2 * H, H, 1))[:, :, 0]
        self.b = g("output_linear.0.bias", (2 * H,))
        self.time_aware = bool(cfg.get("time_aware", False))
        self.x = np.zeros((H, n2), dtype=np.complex128)

    def step(self, u, tau):
        dt = self.dt * tau if self.time_aware else self.dt
        dA = np.exp(dt[:, None] * self.A)
        self.x = dA * self.x + (dA - 1.0) / self.A * u[:, None]
        y = 2.0 * np.real(np.sum(self.C * self.x, axis=-1)) + self.D * u
        return gelu_glu(self.W, self.b, y)


class S4:
    """S4 (Gu, Goel and Re 2022): a rank-1 diagonal-plus-low-rank state matrix and the bilinear
    discretization, per channel h on the conjugate-completed full system of size N:
      A = diag([L, conj L]) - P_f P_f^*,  d = exp(log_dt) * tau,
      Abar = (I - d/2 A)^-1 (I + d/2 A),  Bbar = (I - d/2 A)^-1 d B_f,
    with dense complex matrices and np.linalg.solve (deliberately not Woodbury).
    y = Re(C_f x) + D u, then the same gelu / output_linear / GLU block as s4d."""

    def __init__(self, T, p, cfg):
        H, N = cfg["d_model"], cfg["d_state"]
        if N % 2:
            raise SystemExit("s4: d_state must be even")
        n2 = N // 2
        g = lambda n, shape: get(T, p + n, shape)  # noqa: E731
        cplx = lambda a: a[..., 0] + 1j * a[..., 1]  # noqa: E731
        full = lambda z: np.concatenate([z, np.conj(z)], axis=-1)  # noqa: E731
        self.dt = np.exp(g("kernel.log_dt", (H,)))
        lam = -np.exp(g("kernel.inv_A_real", (H, n2))) + 1j * g("kernel.A_imag", (H, n2))
        P = full(cplx(g("kernel.P", (1, H, n2, 2)))[0])                  # (H, N)
        self.A = (np.eye(N)[None] * full(lam)[:, None, :]
                  - P[:, :, None] * np.conj(P)[:, None, :])            # (H, N, N)
        self.B = full(cplx(g("kernel.B", (H, n2, 2))))                   # (H, N)
        self.C = full(cplx(g("kernel.C", (H, n2, 2))))                   # (H, N)
        self.D = g("D", (H,))
        self.W = g("output_linear.0.weight", (2 * H, H, 1))[:, :, 0]
        self.b = g("output_linear.0.bias", (2 * H,))
        self.time_aware = bool(cfg.get("time_aware", False))
        self.cache = {}
        self.x = np.zeros((H, N), dtype=np.complex128)

    def discretize(self, tau):
        key = float(tau) if self.time_aware else 1.0
        return bilinear_cached(self.cache, key, self.dt * key, self.A, self.B)

    def step(self, u, tau):
        dA, dB = self.discretize(tau)
        self.x = np.einsum("hnm,hm->hn", dA, self.x) + dB * u[:, None]
        y = np.real(np.sum(self.C * self.x, axis=-1)) + self.D * u
        return gelu_glu(self.W, self.b, y)


class LSSL:
    """LSSL, "fixed A" variant (Gu et al. 2021): per channel h a real state of size N with the fixed
    HiPPO-LegS matrices A[n,k] = -sqrt((2n+1)(2k+1)) (n > k), -(n+1) (n = k), 0 (n < k) and
    B[n] = sqrt(2n+1), and the bilinear discretization with d = exp(log_dt) * tau:
      Abar = (I - d/2 A)^-1 (I + d/2 A),  Bbar = (I - d/2 A)^-1 d B,
    with dense real matrices and np.linalg.solve. y = C x + D u, then the same gelu /
    output_linear / GLU block as s4d."""

    def __init__(self, T, p, cfg):
        H, N = cfg["d_model"], cfg["d_state"]
        if N % 2:
            raise SystemExit("lssl: d_state must be even")
        g = lambda n, shape: get(T, p + n, shape)  # noqa: E731
        self.dt = np.exp(g("kernel.log_dt", (H,)))
        self.A = np.zeros((N, N))
        self.B = np.zeros(N)
        for n in range(N):
            self.B[n] = math.sqrt(2 * n + 1)
            for k in range(N):
                if n > k:
                    self.A[n, k] = -math.sqrt((2 * n + 1) * (2 * k + 1))
                elif n == k:
                    self.A[n, k] = -(n + 1)
        self.C = g("kernel.C", (H, N))
        self.D = g("D", (H,))
        self.W = g("output_linear.0.weight", (2 * H, H, 1))[:, :, 0]
        self.b = g("output_linear.0.bias", (2 * H,))
        self.time_aware = bool(cfg.get("time_aware", False))
        self.cache = {}
        self.x = np.zeros((H, N))

    def discretize(self, tau):
        key = float(tau) if self.time_aware else 1.0
        return bilinear_cached(self.cache, key, self.dt * key, self.A[None], self.B[None])

    def step(self, u, tau):
        dA, dB = self.discretize(tau)
        self.x = np.einsum("hnm,hm->hn", dA, self.x) + dB * u[:, None]
        y = np.sum(self.C * self.x, axis=-1) + self.D * u
        return gelu_glu(self.W, self.b, y)


class LRU:
    def __init__(self, T, p, cfg):
        H, N = cfg["d_model"], cfg["d_state"]
        g = lambda n, shape: get(T, p + n, shape)  # noqa: E731
        self.loglam = -np.exp(g("nu_log", (N,))) + 1j * np.exp(g("theta_log", (N,)))
        self.lam = np.exp(self.loglam)
        self.gamma = np.exp(g("gamma_log", (N,)))
        self.B = g("B_re", (N, H)) + 1j * g("B_im", (N, H))
        self.C = g("C_re", (H, N)) + 1j * g("C_im", (H, N))
        self.D = g("D", (H,))
        self.W1, self.b1 = g("out1.weight", (H, H)), g("out1.bias", (H,))
        self.W2, self.b2 = g("out2.weight", (H, H)), g("out2.bias", (H,))
        self.time_aware = bool(cfg.get("time_aware", False))
        self.x = np.zeros(N, dtype=np.complex128)

    def step(self, u, tau):
        Bu = self.gamma * (self.B @ u)
        if self.time_aware and tau != 1.0:
            lt = np.exp(tau * self.loglam)
            self.x = lt * self.x + (lt - 1.0) / (self.lam - 1.0) * Bu
        else:
            self.x = self.lam * self.x + Bu
        y = np.real(self.C @ self.x) + self.D * u
        y = gelu(y)
        return (self.W1 @ y + self.b1) * sigmoid(self.W2 @ y + self.b2)


class S5:
    """S5 (Smith et al. 2023): one MIMO diagonal SSM over all H channels, P complex states with conjugate
    symmetry (y = 2 Re(C x)), Re Lambda clipped to <= -1e-4 (clip_eigs), zero-order hold with step
    exp(log_step) * tau, then half_glu1: g = gelu(y), out = g * sigmoid(W2 g + b2)."""

    def __init__(self, T, p, cfg):
        H, P = cfg["d_model"], cfg["d_state"]
        g = lambda n, shape: get(T, p + n, shape)  # noqa: E731
        self.Lambda = np.minimum(g("Lambda_re", (P,)), -1e-4) + 1j * g("Lambda_im", (P,))
        self.step_size = np.exp(g("log_step", (P, 1))[:, 0])
        b = g("B", (P, H, 2))
        self.B = b[..., 0] + 1j * b[..., 1]
        c = g("C", (H, P, 2))
        self.C = c[..., 0] + 1j * c[..., 1]
        self.D = g("D", (H,))
        self.W2, self.b2 = g("out2.weight", (H, H)), g("out2.bias", (H,))
        self.time_aware = bool(cfg.get("time_aware", False))
        self.x = np.zeros(P, dtype=np.complex128)

    def step(self, u, tau):
        delta = self.step_size * tau if self.time_aware else self.step_size
        lambda_bar = np.exp(self.Lambda * delta)
        b_bar = ((lambda_bar - 1.0) / self.Lambda)[:, None] * self.B
        self.x = lambda_bar * self.x + b_bar @ u
        y = gelu(2.0 * np.real(self.C @ self.x) + self.D * u)
        return y * sigmoid(self.W2 @ y + self.b2)


class Mamba2:
    """Mamba-2 / SSD (Dao & Gu 2024): the recurrent step of state-spaces/mamba Mamba2 with d_mlp = 0,
    rmsnorm=True, norm_before_gate=False, D_has_hdim=False. in_proj splits as z, xBC, dt; a depthwise
    causal conv + silu over xBC; one scalar decay per head (A = -exp(A_log)); head h reads group
    h // (H // G) of B and C; then y * silu(z) and a gated RMSNorm per group of d_inner / G."""

    def __init__(self, T, p, cfg):
        M = cfg["d_model"]
        self.N = N = cfg["d_state"]
        self.expand = int(cfg.get("expand", 2))
        self.d_conv = K = int(cfg.get("d_conv", 4))
        self.P = P = int(cfg.get("headdim", 8))
        self.G = G = int(cfg.get("ngroups", 1))
        di = self.di = self.expand * M
        if P < 1 or G < 1 or di % P:
            raise SystemExit("mamba2: d_inner %d is not a multiple of headdim %d" % (di, P))
        self.H = H = di // P
        if H % G:
            raise SystemExit("mamba2: nheads %d is not a multiple of ngroups %d" % (H, G))
        self.conv_dim = cd = di + 2 * G * N
        g = lambda n, shape: get(T, p + n, shape)  # noqa: E731
        self.W_in = g("in_proj.weight", (2 * di + 2 * G * N + H, M))
        self.conv_w = g("conv1d.weight", (cd, 1, K))[:, 0, :]
        self.conv_b = g("conv1d.bias", (cd,))
        self.dt_bias = g("dt_bias", (H,))
        self.A = -np.exp(g("A_log", (H,)))
        self.D = g("D", (H,))
        self.norm_w = g("norm.weight", (di,))
        self.W_out = g("out_proj.weight", (M, di))
        self.time_aware = bool(cfg.get("time_aware", False))
        self.head_group = np.arange(H) // (H // G)
        self.conv = np.zeros((cd, K))
        self.s = np.zeros((H, P, N))

    def step(self, h, tau):
        di, N, G, P, H, cd = self.di, self.N, self.G, self.P, self.H, self.conv_dim
        zxbcdt = self.W_in @ h
        z, xBC, dt = zxbcdt[:di], zxbcdt[di:di + cd], zxbcdt[di + cd:]
        self.conv[:, :-1] = self.conv[:, 1:]
        self.conv[:, -1] = xBC
        xBC = silu(np.sum(self.conv * self.conv_w, axis=-1) + self.conv_b)
        x = xBC[:di].reshape(H, P)
        B = xBC[di:di + G * N].reshape(G, N)[self.head_group]    # (H, N)
        C = xBC[di + G * N:].reshape(G, N)[self.head_group]      # (H, N)
        dt = softplus(dt + self.dt_bias)
        if self.time_aware:
            dt = dt * tau
        dA = np.exp(dt * self.A)                                  # (H,)
        self.s = (self.s * dA[:, None, None]
                  + (dt[:, None, None] * x[:, :, None]) * B[:, None, :])
        y = np.einsum("hpn,hn->hp", self.s, C) + self.D[:, None] * x
        y = y.reshape(di) * silu(z)
        yg = y.reshape(G, di // G)
        yg = yg / np.sqrt(np.mean(yg * yg, axis=-1, keepdims=True) + EPS)
        y = yg.reshape(di) * self.norm_w
        return self.W_out @ y


class Spacetime:
    """SpaceTime (Zhang et al. 2023, HazyResearch/spacetime CompanionSSM): per channel h a real
    state of size N and the dense companion matrix A = S + a_hat e_{N-1}^T, S the down-shift
    (ones below the diagonal) and a_hat = a / ||a||_1 (a zero row stays zero), in discrete time:
      m = 1, or with time_aware floor(tau + 0.5) clamped to [1, 64],
      x = A^m x + b u,  y = c . x + D u,
    with np.linalg.matrix_power of the dense matrix (deliberately not the shift form). Then the
    same gelu / output_linear / GLU block as s4d."""

    MAX_GAP_STEPS = 64

    def __init__(self, T, p, cfg):
        H, N = cfg["d_model"], cfg["d_state"]
        g = lambda n, shape: get(T, p + n, shape)  # noqa: E731
        a = g("kernel.a", (H, N))
        norm = np.sum(np.abs(a), axis=1, keepdims=True)
        a_hat = np.where(norm > 0, a / np.where(norm > 0, norm, 1.0), 0.0)
        self.A = np.zeros((H, N, N))
        self.A[:, 1:, :-1] = np.eye(N - 1)
        self.A[:, :, N - 1] += a_hat
        self.B = g("kernel.b", (H, N))
        self.C = g("kernel.c", (H, N))
        self.D = g("D", (H,))
        self.W = g("output_linear.0.weight", (2 * H, H, 1))[:, :, 0]
        self.b = g("output_linear.0.bias", (2 * H,))
        self.time_aware = bool(cfg.get("time_aware", False))
        self.powers = {}
        self.x = np.zeros((H, N))

    def step(self, u, tau):
        m = 1
        if self.time_aware:
            m = int(min(self.MAX_GAP_STEPS, max(1, math.floor(tau + 0.5))))
        if m not in self.powers:
            self.powers[m] = np.stack([np.linalg.matrix_power(a, m) for a in self.A])
        self.x = np.einsum("hnm,hm->hn", self.powers[m], self.x) + self.B * u[:, None]
        y = np.sum(self.C * self.x, axis=-1) + self.D * u
        return gelu_glu(self.W, self.b, y)


MIXERS = {"mamba": Mamba, "s4d": S4D, "s4": S4, "lssl": LSSL, "lru": LRU, "s5": S5,
          "mamba2": Mamba2, "spacetime": Spacetime}


def get(T, name, shape):
    if name not in T:
        raise SystemExit("missing tensor %s" % name)
    a = T[name]
    if tuple(a.shape) != tuple(shape):
        raise SystemExit("tensor %s has shape %s, expected %s" % (name, a.shape, shape))
    return a


class Model:
    def __init__(self, path):
        T, meta, _ = read_safetensors(path)
        if CONFIG_KEY not in meta:
            raise SystemExit("no %s in __metadata__" % CONFIG_KEY)
        cfg = json.loads(meta[CONFIG_KEY])
        self.cfg = cfg
        arch = cfg["arch"]
        if arch not in MIXERS:
            raise SystemExit("unknown arch %r" % arch)
        D, M, L = int(cfg["d_input"]), int(cfg["d_model"]), int(cfg["n_layers"])
        self.D = D
        self.mean = np.array(cfg["input_mean"], dtype=np.float64)
        self.std = np.array(cfg["input_std"], dtype=np.float64)
        if self.mean.shape != (D,) or self.std.shape != (D,):
            raise SystemExit("input_mean/input_std must have d_input entries")
        self.dt_unit_ms = float(cfg["dt_unit_ms"])
        self.W_enc = get(T, "encoder.weight", (M, D))
        self.b_enc = get(T, "encoder.bias", (M,))
        self.norms = [get(T, "layers.%d.norm.weight" % i, (M,)) for i in range(L)]
        self.mixers = [MIXERS[arch](T, "layers.%d.mixer." % i, cfg) for i in range(L)]
        self.norm_f = get(T, "norm_f.weight", (M,))
        self.W_head = get(T, "head.weight", (2 * D, M))
        self.b_head = get(T, "head.bias", (2 * D,))

    def step(self, v, tau):
        u = (v - self.mean) / self.std
        h = self.W_enc @ u + self.b_enc
        for nw, mx in zip(self.norms, self.mixers):
            h = h + mx.step(rmsnorm(h, nw), tau)
        o = self.W_head @ rmsnorm(h, self.norm_f) + self.b_head
        mean, logvar = o[:self.D], o[self.D:]
        return mean * self.std + self.mean, np.exp(logvar / 2.0) * self.std


def main():
    ap = argparse.ArgumentParser(description=__doc__,
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--model", required=True)
    ap.add_argument("--input", required=True)
    ap.add_argument("--output", required=True)
    a = ap.parse_args()

    model = Model(a.model)
    D = model.D
    with open(a.input, newline="") as f:
        rows = list(csv.reader(f))
    header, rows = rows[0], [r for r in rows[1:] if r]
    if len(header) != 1 + D:
        raise SystemExit("input has %d value columns, model d_input is %d" % (len(header) - 1, D))
    names = [c.strip() for c in header[1:]]

    out = open(a.output, "w", newline="")
    out.write(",".join([header[0]] + header[1:]
                       + [n + "_forecast" for n in names] + [n + "_std" for n in names]) + "\n")
    prev = None
    n_nonfinite = 0
    for k, r in enumerate(rows):
        if len(r) != 1 + D:
            raise SystemExit("row %d: expected %d fields, got %d" % (k + 2, 1 + D, len(r)))
        t = parse_time_us(r[0])
        if prev is None:
            tau = 1.0
        else:
            if t < prev:
                print("warning: row %d: timestamp goes backwards" % (k + 2), file=sys.stderr)
            tau = (t - prev) / 1000.0 / model.dt_unit_ms
        prev = t
        v = np.array([float(x) for x in r[1:]], dtype=np.float64)
        fc, sd = model.step(v, tau)
        if not (np.all(np.isfinite(fc)) and np.all(np.isfinite(sd))):
            n_nonfinite += 1
        out.write(",".join([r[0]] + r[1:] + [repr(float(x)) for x in fc]
                           + [repr(float(x)) for x in sd]) + "\n")
    out.close()
    print("wrote %s: %d rows (%s, time_aware=%s)%s"
          % (a.output, len(rows), model.cfg["arch"], model.cfg.get("time_aware", False),
             ", %d rows with non-finite output" % n_nonfinite if n_nonfinite else ""))
    return 1 if n_nonfinite else 0


if __name__ == "__main__":
    sys.exit(main())
