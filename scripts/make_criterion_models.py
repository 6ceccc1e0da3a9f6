#!/usr/bin/env python3
"""Validation models for freezer's equivalence criterion: real architectures exported in training mode.

    python3 scripts/make_criterion_models.py OUT_DIR [--models NAME,...] [--freezer PATH] [--skip-export]

Writes OUT_DIR/NAME.onnx for each model: a training-mode export with the TorchScript exporter
(torch.onnx.export(dynamo=False, training=TrainingMode.TRAINING, do_constant_folding=False), opset 17),
random weights (seeded), BatchNormalization affine parameters and running statistics set to non-default
values (scale U(0.5, 1.5), shift N(0, 0.2), statistics accumulated from train-mode passes over random
data so that they describe the activations), and output magnitudes that differ between models. The
exporter itself runs one train-mode forward pass that updates the running statistics before it
serializes them: each ONNX file is self-consistent, so never compare it with a separately made eval
export.

Beside each model, OUT_DIR/NAME.json records the input shape, the output scale and the original's own
float32 error, and OUT_DIR/NAME.samples.npz holds the 8 inputs `freezer convert` draws by default (seed 0;
its SplitMix64 generator is reproduced here) with torch's float64 outputs: the eval-mode module, with the
running statistics the ONNX file stores loaded back, run in float64. "torch f32 vs f64" is the largest
absolute difference of the same module in float32 from that reference over the 8 samples.

With --freezer PATH it then runs `PATH convert NAME.onnx -o NAME.frozen.onnx --json --keep-failed` at
default settings on each model and prints per model: exit code, the largest absolute error and the number
of elements outside tolerance that freezer reports (from --json on success, from its error message when
it refuses). Then, on the same 8 samples, freezer's evaluator (`freezer run`) runs the original with
--inference-semantics and the frozen model (NAME.frozen.failed.onnx when freezer refused), and the table
gives each one's largest absolute difference from torch's float64 output over the samples and their
ratio (frozen / original; and the worst per-sample ratio): approximately the quantity the new "as exact
as the original" criterion bounds by k. The table also goes to OUT_DIR/results.md and results.json.

Models (batch 1 or 2, small inputs, so that freezer verifies each in a few seconds):
  repvgg_a0_hand      RepVGG-A0 written here: 22 blocks (1, 2, 4, 14, 1), widths 48/96/192/1280, each block
                      3x3 conv+BN, 1x1 conv+BN and (when shapes allow) an identity BN, summed, ReLU; input
                      1x3x64x64; classifier scaled so outputs are ~1e3-1e4
  repvgg_a0_timm      timm's repvgg_a0 (training-time form, three branches), 1x3x64x64
  resnet18            torchvision, 1x3x64x64 (no Dropout in this architecture)
  mobilenetv3_small   timm mobilenetv3_small_100 (hard-swish, squeeze-excitation), drop_rate 0.2, 1x3x64x64
  efficientnet_b0     timm, drop_rate 0.2 (classifier Dropout), drop_path_rate 0, 1x3x64x64
  deep_plain_cnn      40 x [conv 3x3 16 ch + BN + ReLU], pooling, Dropout, Linear; 1x3x32x32
  wide_mlp            4 x [Linear 4096 + BatchNorm1d + ReLU + Dropout], Linear 4096->10; input 2x4096
  transformer         nn.TransformerEncoder, 4 layers, d_model 128, 4 heads, FF 512, dropout 0.1; 1x16x128
  large_outputs       small CNN (conv+BN+ReLU x3, Dropout, Linear) with the final layer scaled by 1e4
  tiny_outputs        the same with the final layer scaled by 1e-4

Needs torch 2.13.0+cpu, torchvision 0.28, timm, onnx, numpy (onnxruntime is not needed).
"""
from __future__ import annotations

import argparse
import copy
import json
import re
import subprocess
import sys
import time
import warnings
from pathlib import Path

import numpy as np

SEED = 20250101
OPSET = 17
SAMPLES = 8  # freezer convert's default --samples


def freezer_samples(shape, count, seed=0):
    """The random inputs `freezer convert` draws for a model with one float input of this shape (its
    RandomInputs with SplitMix64, default --seed 0): floats uniform in [-1, 1), drawn in order, sample
    after sample. SplitMix64's k-th output depends only on seed + k * golden gamma, so it vectorizes."""
    n = int(np.prod(shape))
    with np.errstate(over="ignore"):
        k = np.arange(1, count * n + 1, dtype=np.uint64)
        z = np.uint64(seed) + k * np.uint64(0x9E3779B97F4A7C15)
        z = (z ^ (z >> np.uint64(30))) * np.uint64(0xBF58476D1CE4E5B9)
        z = (z ^ (z >> np.uint64(27))) * np.uint64(0x94D049BB133111EB)
        z = z ^ (z >> np.uint64(31))
    u = (z >> np.uint64(11)).astype(np.float64) * 2.0 ** -53
    values = (-1.0 + 2.0 * u).astype(np.float32)
    return [values[i * n:(i + 1) * n].reshape(shape) for i in range(count)]


_TORCHVISION_LIBRARY = None


def import_vision():
    """torchvision and timm. torchvision 0.28 from PyPI is built against CUDA torch; with the CPU torch
    its C extension does not load, and its import fails registering fake kernels for torchvision::nms.
    Defining the schemas of nms and qnms first lets the import finish (no model here uses them)."""
    import torch

    global _TORCHVISION_LIBRARY
    if _TORCHVISION_LIBRARY is None:
        try:
            # The Library object must stay alive: its definitions go away when it is collected.
            _TORCHVISION_LIBRARY = torch.library.Library("torchvision", "DEF")
            _TORCHVISION_LIBRARY.define("nms(Tensor dets, Tensor scores, float iou_threshold) -> Tensor")
            _TORCHVISION_LIBRARY.define("qnms(Tensor dets, Tensor scores, float iou_threshold) -> Tensor")
        except RuntimeError:
            pass  # already defined (torchvision's extension loaded)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        import timm
        import torchvision
    return torchvision, timm


# ------------------------------------------------------------------------------------------------
# Architectures


def conv_bn(nn, cin, cout, k, stride, groups=1):
    return nn.Sequential(nn.Conv2d(cin, cout, k, stride, k // 2, groups=groups, bias=False), nn.BatchNorm2d(cout))


def repvgg_a0_hand():
    import torch.nn as nn

    class Block(nn.Module):
        def __init__(self, cin, cout, stride):
            super().__init__()
            self.dense = conv_bn(nn, cin, cout, 3, stride)
            self.point = conv_bn(nn, cin, cout, 1, stride)
            self.identity = nn.BatchNorm2d(cout) if cin == cout and stride == 1 else None
            self.act = nn.ReLU()

        def forward(self, x):
            y = self.dense(x) + self.point(x)
            if self.identity is not None:
                y = y + self.identity(x)
            return self.act(y)

    class RepVGG(nn.Module):
        def __init__(self, layers=(1, 2, 4, 14, 1), widths=(48, 48, 96, 192, 1280), classes=1000):
            super().__init__()
            blocks, cin = [], 3
            for n, w in zip(layers, widths):
                for i in range(n):
                    blocks.append(Block(cin, w, 2 if i == 0 else 1))
                    cin = w
            self.stages = nn.Sequential(*blocks)
            self.pool = nn.AdaptiveAvgPool2d(1)
            self.drop = nn.Dropout(0.1)
            self.fc = nn.Linear(cin, classes)

        def forward(self, x):
            return self.fc(self.drop(self.pool(self.stages(x)).flatten(1)))

    return RepVGG(), (1, 3, 64, 64), "fc", "repvgg"


def small_cnn(scale_name):
    import torch.nn as nn

    model = nn.Sequential(
        conv_bn(nn, 3, 16, 3, 1), nn.ReLU(), conv_bn(nn, 16, 32, 3, 2), nn.ReLU(), conv_bn(nn, 32, 32, 3, 2), nn.ReLU(),
        nn.AdaptiveAvgPool2d(1), nn.Flatten(), nn.Dropout(0.2), nn.Linear(32, 10))
    return model, (1, 3, 32, 32), "9", scale_name


def deep_plain_cnn():
    import torch.nn as nn

    layers, cin = [], 3
    for i in range(40):
        layers += [nn.Conv2d(cin, 16, 3, 2 if i in (10, 25) else 1, 1, bias=True), nn.BatchNorm2d(16), nn.ReLU()]
        cin = 16
    model = nn.Sequential(*layers, nn.AdaptiveAvgPool2d(1), nn.Flatten(), nn.Dropout(0.2), nn.Linear(16, 10))
    return model, (1, 3, 32, 32), None, None


def wide_mlp():
    import torch.nn as nn

    layers, cin = [], 4096
    for _ in range(4):
        layers += [nn.Linear(cin, 4096), nn.BatchNorm1d(4096), nn.ReLU(), nn.Dropout(0.1)]
    model = nn.Sequential(*layers, nn.Linear(4096, 10))
    return model, (2, 4096), None, None


def transformer():
    import torch.nn as nn

    layer = nn.TransformerEncoderLayer(d_model=128, nhead=4, dim_feedforward=512, dropout=0.1, batch_first=True)
    return nn.TransformerEncoder(layer, num_layers=4, enable_nested_tensor=False), (1, 16, 128), None, None


def build(name):
    """(module, input shape, name of the final layer or None, output scale factor name or None)."""
    if name == "repvgg_a0_hand":
        return repvgg_a0_hand()
    if name == "deep_plain_cnn":
        return deep_plain_cnn()
    if name == "wide_mlp":
        return wide_mlp()
    if name == "transformer":
        return transformer()
    if name == "large_outputs":
        return small_cnn("large")
    if name == "tiny_outputs":
        return small_cnn("tiny")
    tv, timm = import_vision()
    if name == "resnet18":
        return tv.models.resnet18(weights=None), (1, 3, 64, 64), None, None
    if name == "repvgg_a0_timm":
        return timm.create_model("repvgg_a0", pretrained=False), (1, 3, 64, 64), None, None
    if name == "mobilenetv3_small":
        return timm.create_model("mobilenetv3_small_100", pretrained=False, drop_rate=0.2), (1, 3, 64, 64), None, None
    if name == "efficientnet_b0":
        return timm.create_model("efficientnet_b0", pretrained=False, drop_rate=0.2, drop_path_rate=0.0), (1, 3, 64, 64), None, None
    raise SystemExit(f"unknown model {name}")


MODELS = ["repvgg_a0_hand", "repvgg_a0_timm", "resnet18", "mobilenetv3_small", "efficientnet_b0", "deep_plain_cnn",
          "wide_mlp", "transformer", "large_outputs", "tiny_outputs"]


# ------------------------------------------------------------------------------------------------
# Weights and statistics


def set_non_default_bn(model, shape, generator):
    """Random affine parameters, then running statistics accumulated over train-mode passes on random
    data (cumulative average), so that they describe the activations."""
    import torch
    import torch.nn as nn

    bns = [m for m in model.modules() if isinstance(m, nn.modules.batchnorm._BatchNorm)]
    with torch.no_grad():
        for bn in bns:
            bn.weight.copy_(torch.empty_like(bn.weight).uniform_(0.5, 1.5, generator=generator))
            bn.bias.copy_(torch.empty_like(bn.bias).normal_(0.0, 0.2, generator=generator))
            bn.reset_running_stats()
            bn.momentum = None
        model.train()
        batch = (4,) + tuple(shape[1:])
        for _ in range(6):
            model(torch.empty(batch).uniform_(-1, 1, generator=generator))
        for bn in bns:
            bn.momentum = 0.1
            bn.num_batches_tracked.zero_()
    return len(bns)


def scale_outputs(model, shape, last, scale_name, generator):
    """Scales the final Linear: large_outputs by 1e4, tiny_outputs by 1e-4, repvgg_a0_hand so that its
    outputs are ~1e3-1e4 (std 3e3)."""
    import torch

    if last is None or scale_name is None:
        return 1.0
    module = dict(model.named_modules())[last]
    factor = {"large": 1e4, "tiny": 1e-4}.get(scale_name)
    if factor is None:  # repvgg: aim at an output standard deviation of 3e3
        model.eval()
        with torch.no_grad():
            y = model(torch.empty((4,) + tuple(shape[1:])).uniform_(-1, 1, generator=generator))
        factor = 3e3 / max(float(y.std()), 1e-12)
    with torch.no_grad():
        module.weight.mul_(factor)
        module.bias.mul_(factor)
    return factor


def export(name, out_dir: Path):
    import onnx
    import torch
    from onnx import numpy_helper

    torch.manual_seed(SEED)
    generator = torch.Generator().manual_seed(SEED)
    model, shape, last, scale_name = build(name)
    bn_count = set_non_default_bn(model, shape, generator)
    factor = scale_outputs(model, shape, last, scale_name, generator)
    x = torch.empty(shape).uniform_(-1, 1, generator=generator)
    path = out_dir / f"{name}.onnx"
    state_before = copy.deepcopy(model.state_dict())
    t0 = time.perf_counter()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        torch.onnx.export(model.train(), (x,), str(path), training=torch.onnx.TrainingMode.TRAINING,
                          do_constant_folding=False, dynamo=False, opset_version=OPSET,
                          input_names=["input"], output_names=["output"])
    export_s = time.perf_counter() - t0
    onnx.checker.check_model(str(path), full_check=True)
    proto = onnx.load(str(path))
    ops = sorted({n.op_type for n in proto.graph.node})
    training_bn = sum(1 for n in proto.graph.node if n.op_type == "BatchNormalization"
                      and any(a.name == "training_mode" and a.i == 1 for a in n.attribute))
    dropouts = sum(1 for n in proto.graph.node if n.op_type == "Dropout")

    # The original's own float32 error: the eval-mode module with the statistics the file stores,
    # float32 against float64, on the inputs freezer draws by default (seed 0, SAMPLES samples).
    stored = {t.name: numpy_helper.to_array(t) for t in proto.graph.initializer}
    state = {k: v.clone() for k, v in state_before.items()}
    for key, value in model.state_dict().items():
        if key in stored and tuple(stored[key].shape) == tuple(value.shape):
            state[key] = torch.from_numpy(np.array(stored[key])).to(value.dtype)
    model.load_state_dict(state)
    model.eval()
    torch.backends.mha.set_fastpath_enabled(False)
    xs = freezer_samples(shape, SAMPLES)
    model64 = copy.deepcopy(model).double()
    y64s, errs = [], []
    with torch.no_grad():
        for xk in xs:
            y32 = model(torch.from_numpy(xk)).double()
            y64 = model64(torch.from_numpy(xk).double())
            errs.append(float((y32 - y64).abs().max()))
            y64s.append(y64.numpy())
    np.savez(out_dir / f"{name}.samples.npz", x=np.stack(xs), y64=np.stack(y64s))
    err = max(errs)
    y64 = torch.from_numpy(np.stack(y64s))
    info = {"name": name, "input_shape": list(shape), "bn_modules": bn_count, "training_bn_nodes": training_bn,
            "dropout_nodes": dropouts, "nodes": len(proto.graph.node),
            "parameters": int(sum(p.numel() for p in model.parameters())), "final_layer_scale": factor,
            "output_abs_max_f64": float(y64.abs().max()), "torch_f32_vs_f64_max_abs": err,
            "torch_f32_vs_f64_rel": err / max(float(y64.abs().max()), 1e-300), "operators": ops,
            "file_bytes": path.stat().st_size, "export_s": round(export_s, 2)}
    (out_dir / f"{name}.json").write_text(json.dumps(info, indent=1))
    print(f"{name}: {path.stat().st_size / 2**20:.1f} MiB, {info['nodes']} nodes, {training_bn} training BN, "
          f"{dropouts} Dropout, output |max| {info['output_abs_max_f64']:.3g}, torch f32 vs f64 {err:.3g}", flush=True)
    return info


# ------------------------------------------------------------------------------------------------
# freezer


def run_freezer(freezer: str, out_dir: Path, name: str):
    model = out_dir / f"{name}.onnx"
    frozen = out_dir / f"{name}.frozen.onnx"
    for p in out_dir.glob(f"{name}.frozen.*"):
        p.unlink()
    cmd = [freezer, "convert", str(model), "-o", str(frozen), "--model-id", name.upper(), "--model-version", "1",
           "--responsible", "criterion-validation", "--json", "--keep-failed"]
    t0 = time.perf_counter()
    proc = subprocess.run(cmd, capture_output=True, text=True)
    wall = time.perf_counter() - t0
    row = {"model": name, "exit": proc.returncode, "wall_s": round(wall, 2), "outputs": []}
    if proc.returncode == 0:
        summary = json.loads(proc.stdout)
        for o in summary["outputs"]:
            row["outputs"].append({"name": o["name"], "max_abs": o["maxAbsError"], "max_rel": o["maxRelError"],
                                   "outside": o["outsideTolerance"], "compared": o["elementsCompared"],
                                   "rtol": o["rtol"], "atol": o["atol"]})
    else:
        pattern = (r"output '([^']+)': (\d+) of (\d+) elements outside rtol ([0-9.eE+-]+), atol ([0-9.eE+-]+) "
                   r"\(max abs error ([0-9.eE+-]+), max rel error ([0-9.eE+-]+|inf|nan)\)")
        for m in re.finditer(pattern, proc.stderr):
            row["outputs"].append({"name": m.group(1), "outside": int(m.group(2)), "compared": int(m.group(3)),
                                   "rtol": float(m.group(4)), "atol": float(m.group(5)),
                                   "max_abs": float(m.group(6)), "max_rel": float(m.group(7))})
        row["message"] = proc.stderr.strip().splitlines()[:6]
    # The quantity of the new criterion, approximately: freezer's evaluator on the original (inference
    # semantics) and on the frozen model, each against torch float64, on freezer's own samples.
    kept = frozen if proc.returncode == 0 else out_dir / f"{name}.frozen.failed.onnx"
    samples = out_dir / f"{name}.samples.npz"
    if kept.exists() and samples.exists():
        data = np.load(samples)
        work = out_dir / f"{name}.run"
        work.mkdir(exist_ok=True)
        errs = {"original": [], "frozen": []}
        for k in range(data["x"].shape[0]):
            np.save(work / "x.npy", data["x"][k])
            for which, path, extra in (("original", model, ["--inference-semantics"]), ("frozen", kept, [])):
                r = subprocess.run([freezer, "run", str(path), "--input", f"input={work / 'x.npy'}",
                                    "--save-outputs", str(work)] + extra, capture_output=True, text=True)
                if r.returncode != 0:
                    errs[which].append(float("nan"))
                    continue
                y = np.load(work / "output.npy").astype(np.float64)
                errs[which].append(float(np.abs(y - data["y64"][k]).max()))
        o, f = np.array(errs["original"]), np.array(errs["frozen"])
        row["original_vs_f64"] = float(o.max())
        row["frozen_vs_f64"] = float(f.max())
        row["ratio_of_max"] = float(f.max() / o.max()) if o.max() > 0 else float("inf")
        with np.errstate(divide="ignore", invalid="ignore"):
            row["worst_sample_ratio"] = float(np.max(np.where(o > 0, f / o, np.where(f > 0, np.inf, 1.0))))
    return row


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("out_dir", type=Path)
    ap.add_argument("--models", default=",".join(MODELS))
    ap.add_argument("--freezer", help="run `freezer convert` at default settings on each model and print a table")
    ap.add_argument("--skip-export", action="store_true", help="use the models already in OUT_DIR")
    args = ap.parse_args()
    import torch

    torch.set_num_threads(1)
    args.out_dir.mkdir(parents=True, exist_ok=True)
    names = [n for n in args.models.split(",") if n]
    infos = {}
    for name in names:
        if args.skip_export and (args.out_dir / f"{name}.json").exists():
            infos[name] = json.loads((args.out_dir / f"{name}.json").read_text())
            continue
        try:
            infos[name] = export(name, args.out_dir)
        except Exception as e:  # report and go on: one architecture that fails must not hide the others
            print(f"{name}: export failed: {type(e).__name__}: {str(e).splitlines()[0][:300]}", file=sys.stderr)
    if not args.freezer:
        return
    rows = []
    for name in names:
        if name not in infos:
            continue
        row = run_freezer(args.freezer, args.out_dir, name)
        row["torch_f32_vs_f64_max_abs"] = infos[name]["torch_f32_vs_f64_max_abs"]
        row["output_abs_max_f64"] = infos[name]["output_abs_max_f64"]
        rows.append(row)
        print(f"  freezer {name}: exit {row['exit']}", flush=True)
    (args.out_dir / "results.json").write_text(json.dumps(rows, indent=1))
    lines = ["| model | exit | freezer wall s | freezer max abs error | outside tolerance / compared | tolerance | "
             "output max abs (f64) | torch f32 vs f64 | freezer original vs f64 | freezer frozen vs f64 | ratio | "
             "worst sample ratio |",
             "|---|---|---|---|---|---|---|---|---|---|---|---|"]
    g = lambda v: "-" if v is None else f"{v:.3g}"  # noqa: E731
    for r in rows:
        outs = r["outputs"] or [{}]
        for o in outs:
            lines.append(f"| {r['model']} | {r['exit']} | {r['wall_s']} | {g(o.get('max_abs'))} | "
                         f"{o.get('outside', '-')} / {o.get('compared', '-')} | "
                         f"rtol {o.get('rtol', '-')}, atol {o.get('atol', '-')} | {g(r['output_abs_max_f64'])} | "
                         f"{g(r['torch_f32_vs_f64_max_abs'])} | {g(r.get('original_vs_f64'))} | "
                         f"{g(r.get('frozen_vs_f64'))} | {g(r.get('ratio_of_max'))} | {g(r.get('worst_sample_ratio'))} |")
    table = "\n".join(lines)
    (args.out_dir / "results.md").write_text(table + "\n")
    print(table)


if __name__ == "__main__":
    main()
