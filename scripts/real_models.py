#!/usr/bin/env python3
"""Acceptance run of `freezer convert` on real PyTorch models (driven by scripts/validate-real-models.sh).

    python3 scripts/real_models.py --freezer .build/release/freezer --work bench-work/real-models [--models resnet18,...]

For each model (torchvision ResNet-18, MobileNetV2, MobileNetV3-Small with random weights, and a 2-layer
nn.TransformerEncoder), with BatchNormalization affine parameters and running statistics set to
non-default values, it exports

  NAME.train.onnx  training mode (BatchNormalization training_mode=1, Dropout training_mode=true),
                   no constant folding, opset 17, TorchScript exporter;
  NAME.eval.onnx   inference mode, the same weights (the running statistics stored in the training
                   export are loaded back into the module before this export),

runs `freezer convert NAME.train.onnx -o NAME.frozen.onnx`, and checks the frozen model: exit status 0,
onnx.checker (full_check), no Dropout, no training-mode BatchNormalization, no foldable
BatchNormalization left, onnxruntime runs it, and onnxruntime(frozen) equals onnxruntime(eval export)
on the same seeded input within an absolute error of 1e-4. For ResNet-18 it also converts with
--external-data (outputs must be bit-identical to the inline model in onnxruntime) and converts twice
(the frozen models must be byte-identical). Prints a table; exit status 1 when anything fails.
"""
import argparse
import collections
import copy
import filecmp
import json
import os
import subprocess
import sys
import time
import warnings
from pathlib import Path

import numpy as np
import onnx
import onnxruntime as ort
from onnx import numpy_helper

ABS_TOL = 1e-4  # onnxruntime(frozen) vs onnxruntime(eval export)
SEED = 20240601


# ----------------------------------------------------------------------------------------------
# Models


def import_torchvision():
    """torchvision from PyPI is built against CUDA torch; with the CPU torch wheel its C extension
    (nms, roi_align, ...) cannot load, and its import then fails registering fake kernels for those
    operators. The classification models need none of them, so register_fake is made a no-op
    during the import in that case only."""
    import torch
    import torch.library

    try:
        import torchvision  # noqa: F401
        return torchvision
    except RuntimeError as e:
        if "torchvision::" not in str(e):
            raise
    for name in [m for m in sys.modules if m == "torchvision" or m.startswith("torchvision.")]:
        del sys.modules[name]
    original = torch.library.register_fake
    torch.library.register_fake = lambda *a, **k: (lambda f: f)
    try:
        import torchvision
    finally:
        torch.library.register_fake = original
    print("note: torchvision's C extension does not load with this torch (CUDA build of torchvision); "
          "its detection operators are unavailable, which the classification models do not use", file=sys.stderr)
    return torchvision


def build(name):
    """(module, input shape) with random weights."""
    import torch
    import torch.nn as nn

    if name == "transformer":
        layer = nn.TransformerEncoderLayer(d_model=64, nhead=4, dim_feedforward=128, dropout=0.1, batch_first=True)
        return nn.TransformerEncoder(layer, num_layers=2, enable_nested_tensor=False), (1, 16, 64)
    tv = import_torchvision()
    ctor = {"resnet18": tv.models.resnet18, "mobilenet_v2": tv.models.mobilenet_v2,
            "mobilenet_v3_small": tv.models.mobilenet_v3_small}[name]
    return ctor(weights=None), (1, 3, 224, 224)


def set_non_default_bn(model, shape, generator):
    """Random affine parameters, then running statistics from train-mode passes over random data
    (cumulative average, so the statistics describe the activations and eval-mode outputs stay sane)."""
    import torch
    import torch.nn as nn

    bns = [m for m in model.modules() if isinstance(m, nn.modules.batchnorm._BatchNorm)]
    if not bns:
        return 0
    with torch.no_grad():
        for bn in bns:
            bn.weight.copy_(torch.empty_like(bn.weight).uniform_(0.5, 1.5, generator=generator))
            bn.bias.copy_(torch.empty_like(bn.bias).normal_(0.0, 0.2, generator=generator))
            bn.reset_running_stats()
            bn.momentum = None  # cumulative moving average
        model.train()
        for _ in range(6):
            model(torch.randn((4,) + tuple(shape[1:]), generator=generator))
        for bn in bns:
            bn.momentum = 0.1
            bn.num_batches_tracked.zero_()
    return len(bns)


def export(name, work: Path):
    """Exports NAME.train.onnx and NAME.eval.onnx holding the same weights; writes NAME.input.npy."""
    import torch

    torch.manual_seed(SEED)
    generator = torch.Generator().manual_seed(SEED)
    model, shape = build(name)
    bn_count = set_non_default_bn(model, shape, generator)
    x = torch.randn(shape, generator=generator)
    np.save(work / f"{name}.input.npy", x.numpy())

    train_path, eval_path = work / f"{name}.train.onnx", work / f"{name}.eval.onnx"
    snapshot = copy.deepcopy(model.state_dict())
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        torch.onnx.export(model.train(), (x,), str(train_path), training=torch.onnx.TrainingMode.TRAINING,
                          do_constant_folding=False, dynamo=False, opset_version=17,
                          input_names=["input"], output_names=["output"])

    # The tracing forward pass of the training export updates the running statistics in the module.
    # Load back exactly what the training export stored, so both files hold the same weights.
    stored = {t.name: numpy_helper.to_array(t) for t in onnx.load(str(train_path)).graph.initializer}
    state = model.state_dict()
    restored = {k: v.clone() for k, v in snapshot.items()}
    found = 0
    for key, value in state.items():
        if key in stored and tuple(stored[key].shape) == tuple(value.shape):
            restored[key] = torch.from_numpy(np.array(stored[key])).to(value.dtype)
            found += 1
    buffers = [k for k in state if k.endswith("running_mean") or k.endswith("running_var")]
    missing = [k for k in buffers if k not in stored]
    if missing:
        print(f"note: {name}: {len(missing)} running statistics not found by name in the training export; "
              f"the pre-export snapshot is used for them", file=sys.stderr)
    model.load_state_dict(restored)

    torch.backends.mha.set_fastpath_enabled(False)  # keep the eval export to standard ONNX operators
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        torch.onnx.export(model.eval(), (x,), str(eval_path), dynamo=False, opset_version=17,
                          input_names=["input"], output_names=["output"])
    with torch.no_grad():
        reference = model.eval()(x).numpy()
    return {"bn_modules": bn_count, "state_from_onnx": found, "state_total": len(state), "torch_eval": reference}


# ----------------------------------------------------------------------------------------------
# Checks


def ort_run(path, feeds):
    options = ort.SessionOptions()
    options.intra_op_num_threads = 1
    session = ort.InferenceSession(str(path), options, providers=["CPUExecutionProvider"])
    names = [o.name for o in session.get_outputs()]
    return dict(zip(names, session.run(None, feeds)))


def errors(actual, expected):
    diff = np.abs(actual.astype(np.float64) - expected.astype(np.float64))
    scale = float(np.max(np.abs(expected))) if expected.size else 0.0
    return float(diff.max()) if diff.size else 0.0, (float(diff.max()) / scale if scale > 0 else 0.0)


def producer_map(graph):
    return {o: n for n in graph.node for o in n.output}


def consumers(graph, value):
    return [n for n in graph.node if value in n.input] + ([None] if value in {o.name for o in graph.output} else [])


def bn_reasons(model):
    """Why each remaining BatchNormalization stays: (foldable?, reason)."""
    graph = model.graph
    producers = producer_map(graph)
    constants = {t.name for t in graph.initializer} | {o for n in graph.node if n.op_type == "Constant" for o in n.output}
    out = []
    for n in graph.node:
        if n.op_type != "BatchNormalization":
            continue
        x = n.input[0]
        p = producers.get(x)
        if p is None:
            out.append((False, f"{n.name}: input is a graph input"))
        elif p.op_type in ("Conv", "ConvTranspose", "Gemm", "MatMul") and len(consumers(graph, x)) == 1 \
                and all(w in constants for w in p.input[1:] if w):
            out.append((True, f"{n.name}: FOLDABLE, input from {p.op_type} '{p.name}' with constant weights"))
        else:
            out.append((False, f"{n.name}: input from {p.op_type} '{p.name}' (not a foldable linear producer)"))
    return out


def freezer_max_abs(log_path):
    log = json.loads(Path(log_path).read_text())

    def find(o):
        if isinstance(o, dict):
            if "equivalence" in o and isinstance(o["equivalence"], dict) and "outputs" in o["equivalence"]:
                return o["equivalence"]
            for v in o.values():
                r = find(v)
                if r is not None:
                    return r
        elif isinstance(o, list):
            for v in o:
                r = find(v)
                if r is not None:
                    return r
        return None

    eq = find(log)
    if eq is None:
        return None, None
    outs = eq.get("outputs", [])
    return (max((o["maxAbsError"] for o in outs), default=None), eq.get("verdict"))


def run_freezer(freezer, source, frozen, model_id, extra=()):
    cmd = [freezer, "convert", str(source), "-o", str(frozen), "--model-id", model_id, "--model-version", "1",
           "--responsible", "Acceptance Script", *extra]
    start = time.monotonic()
    proc = subprocess.run(cmd, capture_output=True, text=True)
    return proc, time.monotonic() - start


def input_shape_options(model_path, x):
    """--input-shape for inputs with symbolic dimensions (the exports here are static, so usually none)."""
    opts = []
    for i in onnx.load(str(model_path), load_external_data=False).graph.input:
        dims = i.type.tensor_type.shape.dim
        if any(d.dim_param or not d.HasField("dim_value") for d in dims):
            opts += ["--input-shape", f"{i.name}=" + "x".join(str(s) for s in x.shape)]
    return opts


def op_counter(model):
    return collections.Counter(n.op_type for n in model.graph.node)


def fmt_counter(c):
    return ", ".join(f"{k}×{v}" for k, v in sorted(c.items())) or "-"


def validate(name, freezer, work: Path, info):
    failures, notes = [], []
    train, eval_, frozen = work / f"{name}.train.onnx", work / f"{name}.eval.onnx", work / f"{name}.frozen.onnx"
    log_path = work / f"{name}.frozen.conversion-log.json"
    for stale in (frozen, log_path):
        stale.unlink(missing_ok=True)
    x = np.load(work / f"{name}.input.npy")
    feeds = {"input": x}
    train_model = onnx.load(str(train))
    before = op_counter(train_model)
    row = {"model": name, "before": sum(before.values()), "after": None, "removed": "-", "added": "-",
           "bn": "-", "dropout": "-", "abs": None, "rel": None, "freezer_abs": None, "time": None}

    # The export must really be a training-mode model, or the run proves nothing.
    train_bn = [n for n in train_model.graph.node if n.op_type == "BatchNormalization"]
    bn_training = sum(1 for n in train_bn for a in n.attribute if a.name == "training_mode" and a.i == 1)
    if info["bn_modules"] and bn_training != info["bn_modules"]:
        failures.append(f"training export has {bn_training} training-mode BatchNormalization for {info['bn_modules']} BN modules")
    if name != "resnet18" and before.get("Dropout", 0) == 0:
        failures.append("training export has no Dropout")

    # Reference sanity: the eval export reproduces the PyTorch module in eval mode.
    ref = ort_run(eval_, feeds)["output"]
    tabs, _ = errors(ref, info["torch_eval"])
    if tabs > ABS_TOL:
        failures.append(f"eval export differs from PyTorch eval by {tabs:.3g}")
    notes.append(f"eval export vs PyTorch eval: max abs {tabs:.2e}; output max |y| {float(np.max(np.abs(ref))):.3g}; "
                 f"{info['state_from_onnx']}/{info['state_total']} state tensors read back from the training export")

    proc, seconds = run_freezer(freezer, train, frozen, name.upper(), input_shape_options(train, x))
    row["time"] = seconds
    if proc.returncode != 0:
        failures.append(f"freezer convert exit status {proc.returncode}: {(proc.stderr or proc.stdout).strip()[-2000:]}")
        return row, failures, notes
    row["freezer_abs"], verdict = freezer_max_abs(log_path)
    if verdict != "equivalent":
        failures.append(f"freezer's equivalence verdict is {verdict!r}")

    try:
        onnx.checker.check_model(str(frozen), full_check=True)
    except Exception as e:  # noqa: BLE001
        failures.append(f"onnx.checker: {type(e).__name__}: {str(e).strip()[:500]}")
    fm = onnx.load(str(frozen))
    after = op_counter(fm)
    row["after"] = sum(after.values())
    row["removed"] = fmt_counter(before - after)
    row["added"] = fmt_counter(after - before)
    if after.get("Dropout", 0):
        failures.append(f"{after['Dropout']} Dropout left")
    row["dropout"] = f"{before.get('Dropout', 0) - after.get('Dropout', 0)}/{before.get('Dropout', 0)}"
    if any(a.name == "training_mode" and a.i != 0 for n in fm.graph.node if n.op_type == "BatchNormalization" for a in n.attribute):
        failures.append("BatchNormalization with training_mode=1 left")
    kept = bn_reasons(fm)
    for foldable, reason in kept:
        (failures if foldable else notes).append(f"BatchNormalization kept: {reason}")
    row["bn"] = f"{len(train_bn) - len(kept)}/{len(kept)}"
    if fm.training_info:
        failures.append("training_info left")

    try:
        got = ort_run(frozen, feeds)
    except Exception as e:  # noqa: BLE001
        failures.append(f"onnxruntime rejects the frozen model: {type(e).__name__}: {str(e)[:500]}")
        return row, failures, notes
    if "output" not in got:
        failures.append(f"frozen model outputs are {list(got)}, not ['output']")
        return row, failures, notes
    row["abs"], row["rel"] = errors(got["output"], ref)
    if not row["abs"] <= ABS_TOL:
        failures.append(f"onnxruntime(frozen) vs onnxruntime(eval): max abs {row['abs']:.3g} > {ABS_TOL}")
    return row, failures, notes


def external_and_determinism(name, freezer, work: Path):
    """--external-data gives the same outputs as the inline model; two conversions are byte-identical."""
    failures, notes = [], []
    x = np.load(work / f"{name}.input.npy")
    train, inline = work / f"{name}.train.onnx", work / f"{name}.frozen.onnx"
    ext_dir = work / "external"
    ext_dir.mkdir(exist_ok=True)
    ext = ext_dir / f"{name}.frozen.onnx"
    for f in ext_dir.glob(f"{name}.frozen.*"):
        f.unlink()
    proc, seconds = run_freezer(freezer, train, ext, name.upper(), ["--external-data"])
    if proc.returncode != 0:
        return [f"--external-data convert exit status {proc.returncode}: {proc.stderr.strip()[-1000:]}"], notes
    data = sorted(p.name for p in ext_dir.iterdir() if p.name.startswith(f"{name}.frozen.onnx") and p != ext)
    data = [d for d in data if not d.endswith(".json")]
    locations = sorted({e.value for t in onnx.load(str(ext), load_external_data=False).graph.initializer
                        for e in t.external_data if e.key == "location"})
    notes.append(f"--external-data: {ext.stat().st_size} B model + {', '.join(data) or 'no data file'} "
                 f"({sum((ext_dir / d).stat().st_size for d in data)} B), locations {locations}, {seconds:.1f}s")
    if not data or not locations:
        failures.append("--external-data wrote no external data file")
    try:
        onnx.checker.check_model(str(ext), full_check=True)
    except Exception as e:  # noqa: BLE001
        failures.append(f"onnx.checker (external data): {type(e).__name__}: {str(e)[:300]}")
    try:
        a = ort_run(inline, {"input": x})["output"]
        b = ort_run(ext, {"input": x})["output"]
        if not np.array_equal(a, b):
            failures.append(f"external-data model differs from inline: max abs {errors(b, a)[0]:.3g}")
        else:
            notes.append("--external-data: onnxruntime outputs bit-identical to the inline frozen model")
    except Exception as e:  # noqa: BLE001
        failures.append(f"onnxruntime (external data): {type(e).__name__}: {str(e)[:300]}")

    # Determinism: the same conversion twice (the output file name is part of the conversion ID, so the
    # second run writes the same file name in another directory) and once more to the same path.
    again_dir = work / "again"
    again_dir.mkdir(exist_ok=True)
    again = again_dir / inline.name
    again.unlink(missing_ok=True)
    proc, _ = run_freezer(freezer, train, again, name.upper())
    if proc.returncode != 0:
        failures.append(f"second convert exit status {proc.returncode}")
    elif not filecmp.cmp(inline, again, shallow=False):
        failures.append("two conversions gave different frozen models (cmp)")
    else:
        notes.append(f"determinism: two conversions byte-identical ({inline.stat().st_size} B)")
    first = inline.read_bytes()
    proc, _ = run_freezer(freezer, train, inline, name.upper())
    if proc.returncode != 0 or inline.read_bytes() != first:
        failures.append("converting again to the same path changed the frozen model")
    ext_first = {p.name: p.read_bytes() for p in ext_dir.iterdir() if not p.name.endswith(".json")}
    proc, _ = run_freezer(freezer, train, ext, name.upper(), ["--external-data"])
    if proc.returncode != 0 or {p.name: p.read_bytes() for p in ext_dir.iterdir() if not p.name.endswith(".json")} != ext_first:
        failures.append("two --external-data conversions differ (model or data file)")
    else:
        notes.append("determinism: two --external-data conversions byte-identical (model and data file)")
    return failures, notes


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--freezer", required=True)
    ap.add_argument("--work", required=True)
    ap.add_argument("--models", default="resnet18,mobilenet_v2,mobilenet_v3_small,transformer")
    ap.add_argument("--no-external", action="store_true", help="skip the --external-data and determinism checks")
    args = ap.parse_args()
    work = Path(args.work)
    work.mkdir(parents=True, exist_ok=True)
    import torch
    torch.set_num_threads(1)

    rows, all_failures = [], {}
    for name in args.models.split(","):
        print(f"== {name}: export", file=sys.stderr, flush=True)
        info = export(name, work)
        print(f"== {name}: convert and validate", file=sys.stderr, flush=True)
        row, failures, notes = validate(name, args.freezer, work, info)
        if name == "resnet18" and not args.no_external and not failures:
            print(f"== {name}: --external-data and determinism", file=sys.stderr, flush=True)
            f2, n2 = external_and_determinism(name, args.freezer, work)
            failures += f2
            notes += n2
        row["verdict"] = "PASS" if not failures else "FAIL"
        rows.append(row)
        all_failures[name] = (failures, notes)

    def num(v, f):
        return "-" if v is None else format(v, f)

    header = ["model", "nodes before→after", "removed (op×n)", "added", "BN folded/kept", "Dropout removed",
              "max abs vs eval", "max rel vs eval", "freezer max abs", "convert s", "result"]
    table = [[r["model"], f"{r['before']}→{r['after'] if r['after'] is not None else '-'}", r["removed"], r["added"],
              r["bn"], r["dropout"], num(r["abs"], ".2e"), num(r["rel"], ".2e"), num(r["freezer_abs"], ".2e"),
              num(r["time"], ".1f"), r["verdict"]] for r in rows]
    print("| " + " | ".join(header) + " |")
    print("|" + "|".join("---" for _ in header) + "|")
    for t in table:
        print("| " + " | ".join(t) + " |")
    print("\nrel = max |frozen − eval| / max |eval|; freezer max abs = largest equivalence.outputs[].maxAbsError in the log")
    for name, (failures, notes) in all_failures.items():
        for n in notes:
            print(f"  {name}: {n}")
        for f in failures:
            print(f"  {name}: FAIL: {f}")
    return 0 if all(not f for f, _ in all_failures.values()) else 1


if __name__ == "__main__":
    sys.exit(main())
