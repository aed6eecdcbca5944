"""Minimal safetensors reader/writer using only numpy + json + struct.

Shared by make_random_model.py, reference_forward.py and compare.py.
Supports dtypes F32, F16, BF16, F64 (little-endian).  Everything read is
returned as float64 numpy arrays.
"""
import json
import struct

import numpy as np

SUPPORTED = ("F32", "F16", "BF16", "F64")
_ITEMSIZE = {"F32": 4, "F16": 2, "BF16": 2, "F64": 8}
CONFIG_KEY = "ssm_stream.config"


# ---------------------------------------------------------------- encoding
def _f32_to_bf16_bits(a):
    """float array -> uint16 bfloat16 bit patterns, round-to-nearest-even."""
    f = np.ascontiguousarray(np.asarray(a, dtype=np.float32))
    u = f.view(np.uint32).astype(np.uint64)
    nan = np.isnan(f)
    rounding = ((u >> 16) & 1) + 0x7FFF
    r = ((u + rounding) >> 16).astype(np.uint16)
    r[nan] = 0x7FC0
    return r


def encode(arr, dtype):
    """Return (raw little-endian bytes, value as float64 after rounding)."""
    a = np.asarray(arr, dtype=np.float64)
    if dtype == "F64":
        raw = a.astype("<f8").tobytes()
    elif dtype == "F32":
        raw = a.astype("<f4").tobytes()
    elif dtype == "F16":
        raw = a.astype("<f2").tobytes()
    elif dtype == "BF16":
        raw = _f32_to_bf16_bits(a).astype("<u2").tobytes()
    else:
        raise ValueError("unsupported dtype %r" % dtype)
    return raw, decode(raw, dtype, a.shape)


def decode(raw, dtype, shape):
    if dtype == "F64":
        v = np.frombuffer(raw, dtype="<f8")
    elif dtype == "F32":
        v = np.frombuffer(raw, dtype="<f4")
    elif dtype == "F16":
        v = np.frombuffer(raw, dtype="<f2")
    elif dtype == "BF16":
        bits = np.frombuffer(raw, dtype="<u2").astype(np.uint32) << 16
        v = bits.astype("<u4").view("<f4")
    else:
        raise ValueError("unsupported dtype %r" % dtype)
    return v.astype(np.float64).reshape(tuple(shape))


# ---------------------------------------------------------------- writing
def write_safetensors(path, tensors, metadata, dtype="F32"):
    """tensors: dict name -> array (float).  metadata: dict str -> str."""
    header = {}
    chunks = []
    offset = 0
    for name in sorted(tensors):
        raw, _ = encode(tensors[name], dtype)
        shape = list(np.asarray(tensors[name]).shape)
        header[name] = {"dtype": dtype, "shape": shape,
                        "data_offsets": [offset, offset + len(raw)]}
        chunks.append(raw)
        offset += len(raw)
    header["__metadata__"] = {str(k): str(v) for k, v in metadata.items()}
    hb = json.dumps(header, separators=(",", ":")).encode("utf-8")
    # pad the header with spaces so the data section is 8-byte aligned
    hb += b" " * ((8 - len(hb) % 8) % 8)
    with open(path, "wb") as f:
        f.write(struct.pack("<Q", len(hb)))
        f.write(hb)
        for c in chunks:
            f.write(c)


# ---------------------------------------------------------------- reading
def read_safetensors(path):
    """Return (dict name -> float64 array, metadata dict, dtype dict)."""
    with open(path, "rb") as f:
        blob = f.read()
    if len(blob) < 8:
        raise ValueError("file too short")
    (n,) = struct.unpack("<Q", blob[:8])
    if n > len(blob) - 8:
        raise ValueError("header length %d exceeds file size" % n)
    header = json.loads(blob[8:8 + n].decode("utf-8"))
    data = blob[8 + n:]
    meta = header.pop("__metadata__", {}) or {}
    tensors, dtypes = {}, {}
    for name, info in header.items():
        dt = info["dtype"]
        if dt not in SUPPORTED:
            raise ValueError("tensor %s: unsupported dtype %s" % (name, dt))
        shape = [int(s) for s in info["shape"]]
        b, e = (int(x) for x in info["data_offsets"])
        count = int(np.prod(shape)) if shape else 1
        if not (0 <= b <= e <= len(data)) or e - b != count * _ITEMSIZE[dt]:
            raise ValueError("tensor %s: bad data_offsets %s for shape %s %s"
                             % (name, [b, e], shape, dt))
        tensors[name] = decode(data[b:e], dt, shape)
        dtypes[name] = dt
    return tensors, meta, dtypes


def read_config(path):
    _, meta, _ = read_safetensors(path)
    return json.loads(meta[CONFIG_KEY])
