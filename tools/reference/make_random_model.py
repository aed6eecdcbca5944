#!/usr/bin/env python3
"""Write a random but numerically sane ssm_stream model (safetensors v1).

Example:
  python3 make_random_model.py --arch mamba --d-input 3 --d-model 16 \
      --n-layers 2 --d-state 8 --time-aware --dtype F32 --seed 1 --out m.safetensors
"""
import argparse
import json
import math
import os
import sys

import numpy as np

sys.dont_write_bytecode = True  # keep tools/reference free of __pycache__
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from st_numpy import CONFIG_KEY, write_safetensors  # noqa: E402


def linear_w(rng, out_f, in_f):
    k = 1.0 / math.sqrt(in_f)
    return rng.uniform(-k, k, size=(out_f, in_f))


def linear_b(rng, out_f, in_f):
    # nonzero, like torch's default uniform(-1/sqrt(fan_in), 1/sqrt(fan_in))
    k = 1.0 / math.sqrt(in_f)
    b = rng.uniform(-k, k, size=(out_f,))
    b[np.abs(b) < 1e-3 * k] = 0.5 * k  # make sure no bias is exactly ~0
    return b


def norm_w(rng, n):
    return 1.0 + 0.05 * rng.standard_normal(n)


def inv_softplus(y):
    # softplus(x) = log(1 + exp(x))  =>  x = y + log(-expm1(-y))
    return y + np.log(-np.expm1(-y))


def mamba_layer(rng, p, d_model, d_state, expand, d_conv, dt_rank):
    d_inner = expand * d_model
    t = {}
    t[p + "in_proj.weight"] = linear_w(rng, 2 * d_inner, d_model)
    k = 1.0 / math.sqrt(d_conv)  # depthwise conv: fan_in = 1 * d_conv
    t[p + "conv1d.weight"] = rng.uniform(-k, k, size=(d_inner, 1, d_conv))
    t[p + "conv1d.bias"] = linear_b(rng, d_inner, d_conv)
    t[p + "x_proj.weight"] = linear_w(rng, dt_rank + 2 * d_state, d_inner)
    t[p + "dt_proj.weight"] = linear_w(rng, d_inner, dt_rank)
    dt = np.exp(rng.uniform(math.log(1e-3), math.log(1e-1), size=d_inner))
    t[p + "dt_proj.bias"] = inv_softplus(dt)
    a = np.tile(np.arange(1, d_state + 1, dtype=np.float64), (d_inner, 1))
    t[p + "A_log"] = np.log(a) + 0.01 * rng.standard_normal((d_inner, d_state))
    t[p + "D"] = 1.0 + 0.05 * rng.standard_normal(d_inner)
    t[p + "out_proj.weight"] = linear_w(rng, d_model, d_inner)
    return t


def mamba2_layer(rng, p, d_model, d_state, expand, d_conv, headdim, ngroups):
    d_inner = expand * d_model
    H = d_inner // headdim
    conv_dim = d_inner + 2 * ngroups * d_state
    d_in_proj = 2 * d_inner + 2 * ngroups * d_state + H
    t = {}
    t[p + "in_proj.weight"] = linear_w(rng, d_in_proj, d_model)
    k = 1.0 / math.sqrt(d_conv)  # depthwise conv: fan_in = 1 * d_conv
    t[p + "conv1d.weight"] = rng.uniform(-k, k, size=(conv_dim, 1, d_conv))
    t[p + "conv1d.bias"] = linear_b(rng, conv_dim, d_conv)
    dt = np.exp(rng.uniform(math.log(1e-3), math.log(1e-1), size=H))
    t[p + "dt_bias"] = inv_softplus(dt)
    t[p + "A_log"] = np.log(rng.uniform(1.0, 16.0, size=H))
    t[p + "D"] = 1.0 + 0.1 * rng.standard_normal(H)
    t[p + "norm.weight"] = norm_w(rng, d_inner)
    t[p + "out_proj.weight"] = linear_w(rng, d_model, d_inner)
    return t


def glu_output_layer(rng, p, H):
    """The output_linear.0 (a 1x1 convolution H -> 2H) of s4d, s4, lssl and spacetime."""
    k = 1.0 / math.sqrt(H)
    return {p + "output_linear.0.weight": rng.uniform(-k, k, size=(2 * H, H, 1)),
            p + "output_linear.0.bias": linear_b(rng, 2 * H, H)}


def s4d_layer(rng, p, H, N):
    if N % 2 != 0:
        raise SystemExit("s4d needs an even d_state (N/2 complex modes)")
    n2 = N // 2
    t = {}
    t[p + "kernel.log_dt"] = rng.uniform(math.log(1e-3), math.log(1e-1), size=H)
    t[p + "kernel.log_A_real"] = math.log(0.5) + 0.01 * rng.standard_normal((H, n2))
    t[p + "kernel.A_imag"] = (math.pi * np.tile(np.arange(n2, dtype=np.float64), (H, 1))
                              + 0.01 * rng.standard_normal((H, n2)))
    # complex normal like torch.randn(cfloat): real/imag each N(0, 1/2)
    t[p + "kernel.C"] = rng.standard_normal((H, n2, 2)) * math.sqrt(0.5)
    t[p + "D"] = rng.standard_normal(H)
    t.update(glu_output_layer(rng, p, H))
    return t


def hippo_legs_nplr(n):
    """HiPPO-LegS of size n in normal-plus-low-rank form (S4's nplr("legs", n), rank 1).

    S = A_legs + P_legs P_legs^T = -1/2 I + skew = V diag(W) V^*. Returns the n/2 eigenvalues W
    with negative imaginary part (ascending), and P = V^* P_legs and B = V^* B_legs over their
    columns."""
    q = np.sqrt(2.0 * np.arange(n) + 1.0)
    a = -(np.tril(q[:, None] * q[None, :], -1) + np.diag(np.arange(n) + 1.0))
    b = q.copy()
    pl = np.sqrt(np.arange(n) + 0.5)
    s = a + pl[:, None] * pl[None, :]
    w_im, v = np.linalg.eigh(s * -1j)
    w = np.mean(np.diag(s)) + 1j * w_im
    idx = np.argsort(w.imag, kind="stable")
    w, v = w[idx][:n // 2], v[:, idx][:, :n // 2]
    vh = v.conj().T
    return w, vh @ pl, vh @ b


def s4_layer(rng, p, H, N):
    if N % 2 != 0:
        raise SystemExit("s4 needs an even d_state (N/2 complex modes)")
    n2 = N // 2
    lam, P, B = hippo_legs_nplr(N)
    cplx = lambda z: np.stack([z.real, z.imag], axis=-1)  # noqa: E731  (..., 2) real/imag
    t = {}
    t[p + "kernel.log_dt"] = rng.uniform(math.log(1e-3), math.log(1e-1), size=H)
    # the exact HiPPO-LegS DPLR init for every channel, plus noise of 0.01 so that a reader that
    # assumes the exact init (instead of reading the tensors) disagrees
    t[p + "kernel.inv_A_real"] = (np.tile(np.log(-lam.real), (H, 1))
                                  + 0.01 * rng.standard_normal((H, n2)))
    t[p + "kernel.A_imag"] = np.tile(lam.imag, (H, 1)) + 0.01 * rng.standard_normal((H, n2))
    t[p + "kernel.P"] = (np.tile(cplx(P), (1, H, 1, 1))
                         + 0.01 * rng.standard_normal((1, H, n2, 2)))
    t[p + "kernel.B"] = np.tile(cplx(B), (H, 1, 1)) + 0.01 * rng.standard_normal((H, n2, 2))
    # complex normal like torch.randn(cfloat): real/imag each N(0, 1/2)
    t[p + "kernel.C"] = rng.standard_normal((H, n2, 2)) * math.sqrt(0.5)
    t[p + "D"] = rng.standard_normal(H)
    t.update(glu_output_layer(rng, p, H))
    return t


def lssl_layer(rng, p, H, N):
    if N % 2 != 0:
        raise SystemExit("lssl needs an even d_state")
    t = {}
    t[p + "kernel.log_dt"] = rng.uniform(math.log(1e-3), math.log(1e-1), size=H)
    # A and B are fixed (HiPPO-LegS) and not stored. C is real N(0, 1), with no 1/sqrt(N): the
    # HiPPO state's norm (not each component) is O(1) for a smooth input (a constant u gives
    # x = e_0 exactly), so C/sqrt(N) would make C x shrink like 1/sqrt(N)
    t[p + "kernel.C"] = rng.standard_normal((H, N))
    t[p + "D"] = rng.standard_normal(H)
    t.update(glu_output_layer(rng, p, H))
    return t


def lru_layer(rng, p, H, N):
    t = {}
    r = rng.uniform(0.9, 0.999, size=N)
    phase = rng.uniform(1e-3, 2 * math.pi, size=N)   # avoid log(0)
    t[p + "nu_log"] = np.log(-np.log(r))
    t[p + "theta_log"] = np.log(phase)
    t[p + "gamma_log"] = np.log(np.sqrt(1.0 - r ** 2))
    t[p + "B_re"] = rng.standard_normal((N, H)) / math.sqrt(2 * H)
    t[p + "B_im"] = rng.standard_normal((N, H)) / math.sqrt(2 * H)
    t[p + "C_re"] = rng.standard_normal((H, N)) / math.sqrt(N)
    t[p + "C_im"] = rng.standard_normal((H, N)) / math.sqrt(N)
    t[p + "D"] = rng.standard_normal(H)
    t[p + "out1.weight"] = linear_w(rng, H, H)
    t[p + "out1.bias"] = linear_b(rng, H, H)
    t[p + "out2.weight"] = linear_w(rng, H, H)
    t[p + "out2.bias"] = linear_b(rng, H, H)
    return t


def hippo_normal_eigenvalues(n):
    """Imaginary parts of the eigenvalues of HiPPO-LegS's normal part, ascending (S5's make_DPLR_HiPPO)."""
    q = np.sqrt(1.0 + 2.0 * np.arange(n))
    a = -(np.tril(q[:, None] * q[None, :]) - np.diag(np.arange(n)))
    p = np.sqrt(np.arange(n) + 0.5)
    s = a + p[:, None] * p[None, :]
    return np.linalg.eigvalsh(s * -1j)


def s5_layer(rng, p, H, P):
    t = {}
    # HiPPO-N eigenvalues of a 2P system, the half with negative imaginary part; Re spread around -1/2,
    # and the first one positive so that a reader must apply clip_eigs (Re Lambda <= -1e-4)
    t[p + "Lambda_re"] = -rng.uniform(0.1, 1.0, size=P)
    t[p + "Lambda_re"][0] = 0.05
    t[p + "Lambda_im"] = hippo_normal_eigenvalues(2 * P)[:P] + 0.01 * rng.standard_normal(P)
    t[p + "B"] = rng.standard_normal((P, H, 2)) / math.sqrt(2 * P)
    t[p + "C"] = rng.standard_normal((H, P, 2)) / math.sqrt(2 * P)
    t[p + "D"] = rng.standard_normal(H)
    t[p + "log_step"] = rng.uniform(math.log(1e-3), math.log(1e-1), size=(P, 1))
    t[p + "out2.weight"] = linear_w(rng, H, H)
    t[p + "out2.bias"] = linear_b(rng, H, H)
    return t


def spacetime_layer(rng, p, H, N):
    t = {}
    # SpaceTime's "xavier" init U(+-1/sqrt(N)) for a, b and c; the kernels normalise a by its l1
    # norm, so its scale is free: x3 here so that a reader that skips the normalisation disagrees
    k = 1.0 / math.sqrt(N)
    t[p + "kernel.a"] = 3.0 * rng.uniform(-k, k, size=(H, N))
    t[p + "kernel.a"][0] = 0.0  # a zero column stays zero: a reader that divides by its norm gets NaN
    t[p + "kernel.b"] = rng.uniform(-k, k, size=(H, N))
    t[p + "kernel.c"] = rng.uniform(-k, k, size=(H, N))
    t[p + "D"] = rng.standard_normal(H)
    t.update(glu_output_layer(rng, p, H))
    return t


def main():
    ap = argparse.ArgumentParser(description=__doc__,
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--arch", required=True,
                    choices=["mamba", "s4d", "s4", "lssl", "lru", "s5", "mamba2", "spacetime"])
    ap.add_argument("--d-input", type=int, required=True)
    ap.add_argument("--d-model", type=int, required=True)
    ap.add_argument("--n-layers", type=int, required=True)
    ap.add_argument("--d-state", type=int, required=True)
    ap.add_argument("--time-aware", action="store_true")
    ap.add_argument("--dtype", default="F32", choices=["F32", "F16", "BF16", "F64"])
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--expand", type=int, default=2, help="mamba and mamba2 only (default 2)")
    ap.add_argument("--d-conv", type=int, default=4, help="mamba and mamba2 only (default 4)")
    ap.add_argument("--dt-rank", type=int, default=None,
                    help="mamba only (default ceil(d_model/16))")
    ap.add_argument("--headdim", type=int, default=8, help="mamba2 only (default 8)")
    ap.add_argument("--ngroups", type=int, default=1, help="mamba2 only (default 1)")
    ap.add_argument("--dt-unit-ms", type=float, default=60000.0)
    ap.add_argument("--out", required=True)
    a = ap.parse_args()

    rng = np.random.default_rng(a.seed)
    D, M, L, N = a.d_input, a.d_model, a.n_layers, a.d_state

    cfg = {"arch": a.arch, "d_input": D, "d_model": M, "n_layers": L, "d_state": N}
    if a.arch == "mamba":
        dt_rank = a.dt_rank if a.dt_rank else int(math.ceil(M / 16))
        cfg.update({"expand": a.expand, "d_conv": a.d_conv, "dt_rank": dt_rank})
    elif a.arch == "mamba2":
        d_inner = a.expand * M
        if a.expand < 1 or a.d_conv < 1 or a.headdim < 1 or a.ngroups < 1:
            raise SystemExit("mamba2: expand, d_conv, headdim and ngroups must be >= 1")
        if d_inner % a.headdim != 0:
            raise SystemExit("mamba2: d_inner = expand*d_model = %d is not a multiple of headdim %d"
                             % (d_inner, a.headdim))
        nheads = d_inner // a.headdim
        if nheads % a.ngroups != 0:
            raise SystemExit("mamba2: nheads = d_inner/headdim = %d is not a multiple of ngroups %d"
                             % (nheads, a.ngroups))
        cfg.update({"expand": a.expand, "d_conv": a.d_conv, "headdim": a.headdim,
                    "ngroups": a.ngroups})
    cfg["dt_unit_ms"] = float(a.dt_unit_ms)
    cfg["time_aware"] = bool(a.time_aware)
    cfg["input_mean"] = [float(x) for x in rng.uniform(10.0, 100.0, size=D)]
    cfg["input_std"] = [float(x) for x in rng.uniform(0.5, 20.0, size=D)]
    cfg["note"] = "x"  # unknown key: readers must ignore it

    t = {}
    t["encoder.weight"] = linear_w(rng, M, D)
    t["encoder.bias"] = linear_b(rng, M, D)
    for i in range(L):
        t["layers.%d.norm.weight" % i] = norm_w(rng, M)
        p = "layers.%d.mixer." % i
        if a.arch == "mamba":
            t.update(mamba_layer(rng, p, M, N, a.expand, a.d_conv, cfg["dt_rank"]))
        elif a.arch == "mamba2":
            t.update(mamba2_layer(rng, p, M, N, a.expand, a.d_conv, a.headdim, a.ngroups))
        elif a.arch == "s4d":
            t.update(s4d_layer(rng, p, M, N))
        elif a.arch == "s4":
            t.update(s4_layer(rng, p, M, N))
        elif a.arch == "lssl":
            t.update(lssl_layer(rng, p, M, N))
        elif a.arch == "s5":
            t.update(s5_layer(rng, p, M, N))
        elif a.arch == "spacetime":
            t.update(spacetime_layer(rng, p, M, N))
        else:
            t.update(lru_layer(rng, p, M, N))
    t["norm_f.weight"] = norm_w(rng, M)
    t["head.weight"] = linear_w(rng, 2 * D, M)
    t["head.bias"] = linear_b(rng, 2 * D, M)

    meta = {CONFIG_KEY: json.dumps(cfg), "format": "pt"}
    write_safetensors(a.out, t, meta, dtype=a.dtype)
    print("wrote %s: %s, %d tensors, dtype %s" % (a.out, json.dumps(cfg), len(t), a.dtype))


if __name__ == "__main__":
    main()
