#!/usr/bin/env python3
"""Run a model with onnxruntime on ONNX backend-test data and compare with the expected outputs.

    python3 scripts/ort_run.py MODEL --test-data DIR [--rtol R] [--atol A]

DIR is either one test_data_set_<n> directory or a directory holding several of them
(e.g. Tests/Fixtures/torch_cnn_train). Inputs are fed by the tensor names stored in
input_<k>.pb; outputs are matched by the names in output_<k>.pb. Exit status 0 when
every output of every set is within tolerance, 1 otherwise.
"""
import argparse
import sys
from pathlib import Path

import numpy as np
import onnx
import onnxruntime as ort
from onnx import numpy_helper


def load_set(d: Path, prefix: str) -> dict:
    files = sorted(d.glob(f"{prefix}_*.pb"), key=lambda p: int(p.stem.split("_")[1]))
    out = {}
    for f in files:
        t = onnx.TensorProto()
        t.ParseFromString(f.read_bytes())
        out[t.name or f.stem] = numpy_helper.to_array(t)
    return out


def compare(name: str, got: np.ndarray, exp: np.ndarray, rtol: float, atol: float) -> bool:
    if got.shape != exp.shape:
        print(f"  {name}: shape {got.shape} != expected {exp.shape}")
        return False
    if exp.dtype.kind in "fc" or str(exp.dtype) == "bfloat16":
        g, e = got.astype(np.float64), exp.astype(np.float64)
        ok = bool(np.allclose(g, e, rtol=rtol, atol=atol, equal_nan=True))
        diff = float(np.max(np.abs(g - e))) if g.size else 0.0
        print(f"  {name}: {'ok' if ok else 'MISMATCH'} (max abs diff {diff:.3g})")
        return ok
    ok = bool(np.array_equal(got, exp))
    print(f"  {name}: {'ok' if ok else 'MISMATCH'} (exact)")
    return ok


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("model")
    ap.add_argument("--test-data", required=True, type=Path)
    ap.add_argument("--rtol", type=float, default=1e-4)
    ap.add_argument("--atol", type=float, default=1e-5)
    args = ap.parse_args()

    sets = [args.test_data] if list(args.test_data.glob("input_*.pb")) or list(args.test_data.glob("output_*.pb")) \
        else sorted(args.test_data.glob("test_data_set_*"))
    if not sets:
        print(f"no test data under {args.test_data}")
        return 1
    so = ort.SessionOptions()
    so.intra_op_num_threads = 1  # reproducible reductions
    so.log_severity_level = 3
    sess = ort.InferenceSession(args.model, so, providers=["CPUExecutionProvider"])
    model_outputs = [o.name for o in sess.get_outputs()]
    all_ok = True
    for d in sets:
        print(d)
        feeds = load_set(d, "input")
        expected = load_set(d, "output")
        missing = [n for n in expected if n not in model_outputs]
        if missing:
            print(f"  model has no output(s) {missing}; model outputs: {model_outputs}")
            all_ok = False
            continue
        got = dict(zip(expected, sess.run(list(expected), feeds)))
        for name, exp in expected.items():
            all_ok &= compare(name, got[name], exp, args.rtol, args.atol)
    print("OK" if all_ok else "FAILED")
    return 0 if all_ok else 1


if __name__ == "__main__":
    sys.exit(main())
