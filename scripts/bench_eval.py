#!/usr/bin/env python3
"""Helper of scripts/bench-eval.sh: exports the benchmark models and times onnxruntime on them.

    python3 scripts/bench_eval.py export WORKDIR            # WORKDIR/<model>/{model.onnx, input.npy, test_data_set_0/}
    python3 scripts/bench_eval.py ort WORKDIR/<model> --opt disabled|all [--runs N] [--warmup W]
    python3 scripts/bench_eval.py field FILE.json KEY...     # prints a number from `freezer run --json`

Models (random weights, seeded, eval mode, batch 1, exported with torch.onnx.export(dynamo=False),
opset 17): torchvision ResNet-18 and MobileNetV2 on 1x3x224x224, and nn.TransformerEncoder
(2 layers, d_model 128, 4 heads, feed-forward 512) on 1x32x128. test_data_set_0 holds the input
and onnxruntime's output (graph optimizations disabled), so `freezer run --test-data` checks
correctness on the same data that is timed.

Needs torch 2.13.0+cpu (pip install /opt/wheels/torch-2.13.0+cpu-cp311-cp311-manylinux_2_28_x86_64.whl),
torchvision 0.28.0 (pip install --no-deps torchvision==0.28.0), onnx, onnxruntime, numpy.
"""
from __future__ import annotations

import argparse
import json
import sys
import time
import types
from pathlib import Path

import numpy as np


def import_torchvision():
    """torchvision's models, even when its compiled ops do not load.

    The PyPI torchvision 0.28.0 wheel is built against CUDA torch; with torch 2.13.0+cpu its C
    extension fails to load, and `import torchvision` then fails while registering fake kernels for
    its detection ops (nms, roi_align). ResNet and MobileNet use none of them, so that registration
    is skipped in that case.
    """
    try:
        import torchvision  # noqa: F401
    except RuntimeError:
        for name in [m for m in sys.modules if m.startswith("torchvision")]:
            del sys.modules[name]
        sys.modules["torchvision._meta_registrations"] = types.ModuleType("torchvision._meta_registrations")
        import torchvision  # noqa: F401
    from torchvision import models
    return models


def export(workdir: Path) -> None:
    import onnx
    import onnxruntime as ort
    import torch
    from onnx import numpy_helper

    models = import_torchvision()
    torch.manual_seed(0)
    torch.set_num_threads(1)
    # In eval mode TransformerEncoder takes a fused "fast path" (aten::_transformer_encoder_layer_fwd)
    # that has no ONNX export; the regular path exports as MatMul/Softmax/LayerNormalization.
    torch.backends.mha.set_fastpath_enabled(False)

    def transformer():
        layer = torch.nn.TransformerEncoderLayer(d_model=128, nhead=4, dim_feedforward=512, batch_first=True)
        return torch.nn.TransformerEncoder(layer, num_layers=2, enable_nested_tensor=False)

    specs = [
        ("resnet18", lambda: models.resnet18(weights=None), (1, 3, 224, 224)),
        ("mobilenet_v2", lambda: models.mobilenet_v2(weights=None), (1, 3, 224, 224)),
        ("transformer_encoder", transformer, (1, 32, 128)),
    ]
    rng = np.random.default_rng(0)
    for name, make, shape in specs:
        out = workdir / name
        out.mkdir(parents=True, exist_ok=True)
        model = make().eval()
        x = rng.standard_normal(shape).astype(np.float32)
        path = out / "model.onnx"
        with torch.no_grad():
            torch.onnx.export(model, (torch.from_numpy(x),), str(path), dynamo=False, opset_version=17,
                              input_names=["input"], output_names=["output"])
        onnx.checker.check_model(onnx.load(str(path)), full_check=True)
        np.save(out / "input.npy", x)
        options = ort.SessionOptions()
        options.intra_op_num_threads = 1
        options.graph_optimization_level = ort.GraphOptimizationLevel.ORT_DISABLE_ALL
        session = ort.InferenceSession(str(path), options, providers=["CPUExecutionProvider"])
        (y,) = session.run(None, {"input": x})
        data = out / "test_data_set_0"
        data.mkdir(exist_ok=True)
        (data / "input_0.pb").write_bytes(numpy_helper.from_array(x, "input").SerializeToString())
        (data / "output_0.pb").write_bytes(numpy_helper.from_array(y, "output").SerializeToString())
        ops = sorted({n.op_type for n in onnx.load(str(path)).graph.node})
        print(f"exported {name}: input {list(shape)}, output {list(y.shape)}, operators: {', '.join(ops)}")


def time_ort(model_dir: Path, opt: str, runs: int, warmup: int) -> None:
    import onnxruntime as ort

    options = ort.SessionOptions()
    options.intra_op_num_threads = 1
    options.inter_op_num_threads = 1
    options.execution_mode = ort.ExecutionMode.ORT_SEQUENTIAL
    options.graph_optimization_level = (ort.GraphOptimizationLevel.ORT_DISABLE_ALL if opt == "disabled"
                                        else ort.GraphOptimizationLevel.ORT_ENABLE_ALL)
    session = ort.InferenceSession(str(model_dir / "model.onnx"), options, providers=["CPUExecutionProvider"])
    feeds = {"input": np.load(model_dir / "input.npy")}
    # Warm-up as `freezer run --repeat` does: at least `warmup` runs and a quarter of a second, since a
    # CPU coming out of idle runs slower for a while.
    warm_until = time.perf_counter() + 0.25
    done = 0
    while done < warmup or time.perf_counter() < warm_until:
        session.run(None, feeds)
        done += 1
    samples = []
    for _ in range(runs):
        start = time.perf_counter()
        session.run(None, feeds)
        samples.append((time.perf_counter() - start) * 1e3)
    print(json.dumps({"runs": runs, "medianMs": float(np.median(samples)), "minMs": float(np.min(samples))}))


def field(path: Path, keys: list[str]) -> None:
    value = json.loads(path.read_text())
    for key in keys:
        value = value[key]
    print(value)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = parser.add_subparsers(dest="command", required=True)
    p = sub.add_parser("export")
    p.add_argument("workdir", type=Path)
    p = sub.add_parser("ort")
    p.add_argument("model_dir", type=Path)
    p.add_argument("--opt", choices=["disabled", "all"], required=True)
    p.add_argument("--runs", type=int, default=20)
    p.add_argument("--warmup", type=int, default=3)
    p = sub.add_parser("field")
    p.add_argument("path", type=Path)
    p.add_argument("keys", nargs="+")
    args = parser.parse_args()
    if args.command == "export":
        export(args.workdir)
    elif args.command == "ort":
        time_ort(args.model_dir, args.opt, args.runs, args.warmup)
    else:
        field(args.path, args.keys)


if __name__ == "__main__":
    main()
