#!/usr/bin/env python3
"""Generate the ONNX test fixtures in Tests/Fixtures/ (committed; Swift tests need no Python).

Last run with: Python 3.11.7, onnx==1.23.2, onnxruntime==1.32.0, numpy==2.4.6,
protobuf==7.36.2, torch==2.13.0+cpu (see scripts/requirements-fixtures.txt).

    pip install -r scripts/requirements-fixtures.txt   # torch: see the note in that file
    python3 scripts/make_fixtures.py                    # rewrites Tests/Fixtures/ from scratch

Everything is seeded and single-threaded so a re-run reproduces the same bytes.
Facts in MANIFEST.json are derived from the written models, not typed by hand, so
they stay true when a fixture changes.  Reference outputs always come from an
*inference-mode equivalent* run by onnxruntime: the eval-mode export for PyTorch
fixtures, and an "inference twin" (Dropout -> Identity, BatchNormalization on running
statistics, training_info dropped) for hand-built ones.
"""

from __future__ import annotations

import copy
import io
import json
import os
import shutil
import struct
import sys
import warnings
from collections import Counter
from pathlib import Path

import numpy as np
import onnx
import onnxruntime as ort
from onnx import TensorProto, helper, numpy_helper

ROOT = Path(__file__).resolve().parent.parent
FIX = ROOT / "Tests" / "Fixtures"
TRAIN_DOMAIN = "ai.onnx.preview.training"
MANIFEST: list[dict] = []
BAD: list[dict] = []

F = TensorProto.FLOAT
F16 = TensorProto.FLOAT16
I64 = TensorProto.INT64
BOOL = TensorProto.BOOL


# ----------------------------------------------------------------------------- helpers

def rng(seed: int) -> np.random.Generator:
    return np.random.default_rng(seed)


def init(name: str, arr) -> TensorProto:
    return numpy_helper.from_array(np.asarray(arr), name)


def vi(name: str, elem, shape):
    return helper.make_tensor_value_info(name, elem, shape)


def const_node(out: str, arr, name: str | None = None):
    return helper.make_node("Constant", [], [out], name=name or f"const_{out}",
                            value=numpy_helper.from_array(np.asarray(arr), out))


def make_model(graph, opset: int, ir: int = 8, extra_opsets: dict | None = None, **kw):
    ops = [helper.make_opsetid("", opset)]
    for dom, ver in (extra_opsets or {}).items():
        ops.append(helper.make_opsetid(dom, ver))
    m = helper.make_model(graph, opset_imports=ops, producer_name="freezer-fixtures",
                          producer_version="1", **kw)
    m.ir_version = ir
    return m


def session(model_bytes: bytes) -> ort.InferenceSession:
    so = ort.SessionOptions()
    so.intra_op_num_threads = 1
    so.inter_op_num_threads = 1
    so.log_severity_level = 3
    return ort.InferenceSession(model_bytes, so, providers=["CPUExecutionProvider"])


def ort_load_status(model_bytes: bytes) -> tuple[bool, str | None]:
    try:
        session(model_bytes)
        return True, None
    except Exception as e:  # noqa: BLE001 - we record any refusal
        msg = str(e).strip().splitlines()[0] if str(e).strip() else type(e).__name__
        return False, msg[:300]


def run_ort(model_bytes: bytes, feeds: dict) -> dict:
    s = session(model_bytes)
    names = [o.name for o in s.get_outputs()]
    return dict(zip(names, s.run(names, feeds)))


def clean_msg(msg: str) -> str:
    return str(msg).replace(str(FIX) + os.sep, "").replace(str(FIX), "").strip().splitlines()[0][:300]


def checker_status(path: Path) -> dict:
    out = {}
    for key, full in (("checker", False), ("checker_full", True)):
        try:
            onnx.checker.check_model(str(path), full_check=full)
            out[key] = "ok"
        except Exception as e:  # noqa: BLE001
            out[key] = "error: " + clean_msg(e)
    return out


def write_test_data(dirpath: Path, idx: int, inputs: dict, outputs: dict):
    d = dirpath / f"test_data_set_{idx}"
    d.mkdir(parents=True, exist_ok=True)
    for i, (name, arr) in enumerate(inputs.items()):
        (d / f"input_{i}.pb").write_bytes(numpy_helper.from_array(np.asarray(arr), name).SerializeToString())
    for i, (name, arr) in enumerate(outputs.items()):
        (d / f"output_{i}.pb").write_bytes(numpy_helper.from_array(np.asarray(arr), name).SerializeToString())


def graph_feeds(model: onnx.ModelProto) -> list[onnx.ValueInfoProto]:
    inits = {t.name for t in model.graph.initializer}
    return [i for i in model.graph.input if i.name not in inits]


def random_feed(v: onnx.ValueInfoProto, r: np.random.Generator, fixed_dims: dict | None = None):
    tt = v.type.tensor_type
    shape = [d.dim_value if d.HasField("dim_value") else (fixed_dims or {}).get(d.dim_param, 2)
             for d in tt.shape.dim]
    dt = helper.tensor_dtype_to_np_dtype(tt.elem_type)
    if dt == np.bool_:
        return r.integers(0, 2, size=shape).astype(np.bool_)
    if np.issubdtype(dt, np.integer):
        return r.integers(0, 3, size=shape).astype(dt)
    return r.standard_normal(shape).astype(dt)


# ----------------------------------------------------------------------------- facts

def default_opset(model) -> int:
    for o in model.opset_import:
        if o.domain in ("", "ai.onnx"):
            return o.version
    return 0


def since_version(op: str, domain: str, opset: int):
    try:
        return onnx.defs.get_schema(op, opset, domain).since_version
    except Exception:  # noqa: BLE001
        return None


def iter_graphs(g, scope="graph"):
    """Yield (scope, graph, parent_scopes) for the graph and all nested subgraphs."""
    def rec(g, scope, parents):
        yield scope, g, parents
        for n in g.node:
            for a in n.attribute:
                if a.type == onnx.AttributeProto.GRAPH:
                    yield from rec(a.g, f"{scope}/{n.name}.{a.name}", parents + [g])
                elif a.type == onnx.AttributeProto.GRAPHS:
                    for k, sg in enumerate(a.graphs):
                        yield from rec(sg, f"{scope}/{n.name}.{a.name}[{k}]", parents + [g])
    yield from rec(g, scope, [])


def all_used_names(model) -> Counter:
    """Every name read by some node (any graph) or exported as a graph/subgraph output."""
    used = Counter()
    for _, g, _ in iter_graphs(model.graph):
        for n in g.node:
            for i in n.input:
                if i:
                    used[i] += 1
        for o in g.output:
            used[o.name] += 1
    return used


def resolve(name: str, chain: list):
    """Find what defines `name`, innermost graph first: ('initializer'|'constant'|'input'|'node', obj)."""
    for g in reversed(chain):
        for t in g.initializer:
            if t.name == name:
                return "initializer", t
        for n in g.node:
            if name in n.output:
                if n.op_type == "Constant":
                    return "constant", n
                return "node", n
        for i in g.input:
            if i.name == name:
                return "input", (i, g)
    return None, None


def const_value(kind, obj):
    if kind == "initializer":
        return numpy_helper.to_array(obj)
    if kind == "constant":
        for a in obj.attribute:
            if a.name == "value":
                return numpy_helper.to_array(a.t)
    return None


def attr(n, name, default=None):
    for a in n.attribute:
        if a.name == name:
            return helper.get_attribute_value(a)
    return default


def tensor_elems(t) -> int:
    return int(np.prod(t.dims)) if len(t.dims) else 1


def shape_of(v):
    tt = v.type.tensor_type
    if not v.type.HasField("tensor_type"):
        return None
    return [d.dim_value if d.HasField("dim_value") else (d.dim_param or None) for d in tt.shape.dim]


def io_desc(v):
    has_type = v.type.HasField("tensor_type")
    return {"name": v.name,
            "elem_type": onnx.TensorProto.DataType.Name(v.type.tensor_type.elem_type) if has_type else None,
            "shape": shape_of(v) if has_type else None}


def all_tensors(model):
    for _, g, _ in iter_graphs(model.graph):
        yield from g.initializer
        for n in g.node:
            for a in n.attribute:
                if a.type == onnx.AttributeProto.TENSOR:
                    yield a.t
    for ti in model.training_info:
        for g in (ti.initialization, ti.algorithm):
            for _, sg, _ in iter_graphs(g):
                yield from sg.initializer
                for n in sg.node:
                    for a in n.attribute:
                        if a.type == onnx.AttributeProto.TENSOR:
                            yield a.t


def op_key(n):
    return n.op_type if n.domain in ("", "ai.onnx") else f"{n.domain}.{n.op_type}"


def facts(model: onnx.ModelProto) -> dict:
    opset = default_opset(model)
    used = all_used_names(model)
    graph_outputs = {o.name for o in model.graph.output}
    init_names = {t.name for t in model.graph.initializer}
    weight_users = Counter()
    for _, g, _ in iter_graphs(model.graph):
        for n in g.node:
            if n.op_type in ("Conv", "ConvTranspose", "Gemm", "MatMul") and len(n.input) > 1:
                weight_users[n.input[1]] += 1

    dropouts, bns, sub_counts = [], [], Counter()
    for scope, g, parents in iter_graphs(model.graph):
        chain = parents + [g]
        if scope != "graph":
            sub_counts.update(op_key(n) for n in g.node)
        for n in g.node:
            if n.domain not in ("", "ai.onnx"):
                continue
            sv = since_version(n.op_type, "", opset)
            if n.op_type == "Dropout":
                d = {"node": n.name, "scope": scope, "opset": opset, "since_version": sv}
                if sv is not None and sv <= 6:
                    is_test = attr(n, "is_test", 0)
                    d["training"] = f"is_test={is_test}"
                    d["is_test"] = is_test
                    d["ratio"] = attr(n, "ratio", 0.5)
                elif sv is not None and sv < 12:
                    d["training"] = "absent"
                    d["ratio"] = attr(n, "ratio", 0.5)
                else:
                    tm = n.input[2] if len(n.input) > 2 else ""
                    if not tm:
                        d["training"] = "absent"
                    else:
                        kind, obj = resolve(tm, chain)
                        val = const_value(kind, obj)
                        if val is not None:
                            d["training"] = "constant-true" if bool(val) else "constant-false"
                            d["training_source"] = kind
                        elif kind == "input":
                            d["training"] = "graph-input"
                        else:
                            d["training"] = "computed"
                        d["training_mode_input"] = tm
                    rt = n.input[1] if len(n.input) > 1 else ""
                    if rt:
                        val = const_value(*resolve(rt, chain))
                        d["ratio"] = float(val) if val is not None else None
                    else:
                        d["ratio"] = 0.5
                    d["seed"] = attr(n, "seed")
                d["mask_output"] = n.output[1] if len(n.output) > 1 and n.output[1] else None
                d["mask_used"] = bool(d["mask_output"] and used[d["mask_output"]] > 0)
                dropouts.append(d)
            elif n.op_type == "BatchNormalization":
                outs = [o for o in n.output if o]
                b = {"node": n.name, "scope": scope, "opset": opset, "since_version": sv,
                     "outputs": len(outs), "epsilon": attr(n, "epsilon", 1e-5),
                     "momentum": attr(n, "momentum", 0.9)}
                if sv is not None and sv >= 14:
                    b["training_mode"] = attr(n, "training_mode", 0)
                    b["training"] = b["training_mode"] == 1
                else:
                    b["training_mode"] = None
                    if sv is not None and sv <= 6:
                        b["is_test"] = attr(n, "is_test", 0)
                        b["training"] = b["is_test"] == 0
                    else:
                        b["training"] = len(outs) > 1
                if sv is not None and sv < 9:
                    b["spatial"] = attr(n, "spatial", 1)
                if attr(n, "consumed_inputs") is not None:
                    b["consumed_inputs"] = attr(n, "consumed_inputs")
                kind, prod = resolve(n.input[0], [g])  # folding never crosses a graph boundary
                fold = None
                if kind == "node":
                    b["producer"] = prod.op_type
                    single_use = used[n.input[0]] == 1 and n.input[0] not in graph_outputs
                    wkind, _ = resolve(prod.input[1], chain) if len(prod.input) > 1 else (None, None)
                    if (prod.op_type in ("Conv", "ConvTranspose", "Gemm", "MatMul") and single_use
                            and wkind in ("initializer", "constant") and b.get("spatial", 1) == 1):
                        fold = prod.op_type
                    b["producer_weight_shared"] = weight_users[prod.input[1]] > 1 if len(prod.input) > 1 else False
                else:
                    b["producer"] = None
                b["foldable_into"] = fold
                bns.append(b)

    ext_files = sorted({e.value for t in all_tensors(model)
                        if t.data_location == TensorProto.EXTERNAL for e in t.external_data if e.key == "location"})
    ti = []
    for t in model.training_info:
        ti.append({
            "initialization_node_counts": dict(sorted(Counter(op_key(n) for n in t.initialization.node).items())),
            "algorithm_node_counts": dict(sorted(Counter(op_key(n) for n in t.algorithm.node).items())),
            "algorithm_inputs": [i.name for i in t.algorithm.input],
            "algorithm_initializers": [i.name for i in t.algorithm.initializer],
            "algorithm_outputs": [o.name for o in t.algorithm.output],
            "initialization_binding": {e.key: e.value for e in t.initialization_binding},
            "update_binding": {e.key: e.value for e in t.update_binding},
        })
    out = {
        "ir_version": model.ir_version,
        "opsets": {o.domain: o.version for o in model.opset_import},
        "inputs": [io_desc(v) for v in model.graph.input],
        "outputs": [io_desc(v) for v in model.graph.output],
        "node_count": len(model.graph.node),
        "node_counts": dict(sorted(Counter(op_key(n) for n in model.graph.node).items())),
        "subgraph_node_counts": dict(sorted(sub_counts.items())),
        "dropout": dropouts,
        "batch_norm": bns,
        "training_info": len(model.training_info) > 0,
        "training_info_details": ti,
        "training_ops": sorted({op_key(n) for _, g, _ in iter_graphs(model.graph) for n in g.node
                                if n.domain == TRAIN_DOMAIN}),
        "external_data_files": ext_files,
        "initializers": len(model.graph.initializer),
        "parameters": sum(tensor_elems(t) for t in model.graph.initializer),
        "initializers_as_inputs": [i.name for i in model.graph.input if i.name in init_names],
    }
    return out


# ----------------------------------------------------------------------------- inference twin

def inference_twin(model: onnx.ModelProto, min_opset: int = 7) -> onnx.ModelProto:
    """Same graph with Dropout as identity and BatchNormalization on running statistics.

    Used only to compute reference outputs with onnxruntime; never written as a fixture.
    Opsets below `min_opset` are raised because onnxruntime does not implement them
    (the ops our old-opset fixtures use have identical inference semantics at 13).
    """
    m = copy.deepcopy(model)
    m.ClearField("training_info")
    opset = default_opset(m)
    used = all_used_names(m)
    if opset < min_opset:
        for o in m.opset_import:
            if o.domain in ("", "ai.onnx"):
                o.version = 13
        m.ir_version = max(m.ir_version, 8)
    new_opset = default_opset(m)
    counter = [0]

    def fresh(base):
        counter[0] += 1
        return f"__twin_{base}_{counter[0]}"

    def fix(g):
        nodes = []
        for n in g.node:
            for a in n.attribute:
                if a.type == onnx.AttributeProto.GRAPH:
                    fix(a.g)
                elif a.type == onnx.AttributeProto.GRAPHS:
                    for sg in a.graphs:
                        fix(sg)
            sv = since_version(n.op_type, "", opset) if n.domain in ("", "ai.onnx") else None
            if n.op_type == "Dropout" and sv is not None:
                mask = n.output[1] if len(n.output) > 1 else ""
                if mask and used[mask]:
                    assert new_opset >= 12, "mask-used Dropout twin needs opset >= 12"
                    f = fresh("false")
                    nodes.append(const_node(f, np.array(False), name=fresh("c")))
                    ratio = n.input[1] if len(n.input) > 1 else ""
                    nodes.append(helper.make_node("Dropout", [n.input[0], ratio, f], list(n.output[:2]), name=n.name))
                else:
                    nodes.append(helper.make_node("Identity", [n.input[0]], [n.output[0]], name=n.name))
            elif n.op_type == "BatchNormalization" and sv is not None:
                x, s, b, mean, var = n.input[:5]
                eps = attr(n, "epsilon", 1e-5)
                if sv < 9 and attr(n, "spatial", 1) == 0:
                    # per-activation statistics: broadcast arithmetic instead of BN
                    e, t = fresh("eps"), [fresh("t") for _ in range(4)]
                    nodes.append(const_node(e, np.array(eps, np.float32), name=fresh("c")))
                    nodes += [helper.make_node("Add", [var, e], [t[0]], name=fresh("n")),
                              helper.make_node("Sqrt", [t[0]], [t[1]], name=fresh("n")),
                              helper.make_node("Sub", [x, mean], [t[2]], name=fresh("n")),
                              helper.make_node("Div", [t[2], t[1]], [t[3]], name=fresh("n")),
                              helper.make_node("Mul", [t[3], s], [t[0] + "m"], name=fresh("n")),
                              helper.make_node("Add", [t[0] + "m", b], [n.output[0]], name=fresh("n"))]
                else:
                    nodes.append(helper.make_node("BatchNormalization", [x, s, b, mean, var], [n.output[0]],
                                                  name=n.name, epsilon=eps))
            else:
                nodes.append(n)
        del g.node[:]
        g.node.extend(nodes)

    fix(m.graph)
    return m


def reference(name: str, model: onnx.ModelProto, feeds_list: list[dict], twin: onnx.ModelProto | None = None,
              outputs: list[str] | None = None, note: str | None = None) -> dict:
    """Run the inference twin on each feed set and write test_data_set_<i>."""
    twin = twin if twin is not None else inference_twin(model)
    tb = twin.SerializeToString()
    out_names = outputs or [o.name for o in model.graph.output]
    for i, feeds in enumerate(feeds_list):
        res = run_ort(tb, feeds)
        write_test_data(FIX / name, i, feeds, {k: res[k] for k in out_names})
    ok, err = ort_load_status(model.SerializeToString()) if not model_has_external(model) else (None, None)
    r = {"has_reference": True, "test_data_sets": len(feeds_list),
         "reference_inputs": list(feeds_list[0].keys()), "reference_eval_outputs": out_names,
         "reference_from": note or f"inference twin run by onnxruntime (opset {default_opset(twin)})",
         "ort_loads_original": ok}
    if err:
        r["ort_original_error"] = err
    return r


def model_has_external(model) -> bool:
    return any(t.data_location == TensorProto.EXTERNAL for t in all_tensors(model))


def save_fixture(name: str, model: onnx.ModelProto | bytes, description: str, ref: dict | None = None,
                 extra: dict | None = None, save_kw: dict | None = None) -> dict:
    d = FIX / name
    d.mkdir(parents=True, exist_ok=True)
    path = d / "model.onnx"
    if isinstance(model, bytes):
        path.write_bytes(model)
        model = onnx.load_from_string(model)
    else:
        onnx.save_model(model, str(path), **(save_kw or {}))
        model = onnx.load_model(str(path), load_external_data=False)
    entry = {"name": name, "file": "model.onnx", "description": description}
    entry.update(facts(model))
    entry.update(checker_status(path))
    entry.update(ref or {"has_reference": False, "reference_eval_outputs": []})
    entry.update(extra or {})
    entry["files"] = sorted(str(p.relative_to(d)) for p in d.rglob("*") if p.is_file())
    entry["bytes"] = sum((d / f).stat().st_size for f in entry["files"])
    MANIFEST.append(entry)
    return entry


# ----------------------------------------------------------------------------- PyTorch fixtures

def torch_fixtures():
    import torch
    from torch import nn

    torch.manual_seed(0)
    torch.use_deterministic_algorithms(True)
    torch.set_num_threads(1)
    warnings.filterwarnings("ignore")

    def perturb_bn(model, g):
        # Non-default running stats and affine params so a wrong fold is visible in the numbers.
        for m in model.modules():
            if isinstance(m, (nn.BatchNorm1d, nn.BatchNorm2d)):
                c = m.num_features
                with torch.no_grad():
                    m.weight.copy_(torch.rand(c, generator=g) + 0.5)
                    m.bias.copy_(torch.randn(c, generator=g) * 0.2)
                    m.running_mean.copy_(torch.randn(c, generator=g) * 0.3)
                    m.running_var.copy_(torch.rand(c, generator=g) * 1.5 + 0.25)
                    m.num_batches_tracked.fill_(17)

    def export(model, x, train: bool, opset: int) -> bytes:
        f = io.BytesIO()
        mode = torch.onnx.TrainingMode.TRAINING if train else torch.onnx.TrainingMode.EVAL
        (model.train() if train else model.eval())
        torch.onnx.export(model, (x,), f, training=mode, do_constant_folding=False, dynamo=False,
                          opset_version=opset, input_names=["input"], output_names=["logits"])
        return f.getvalue()

    def export_pair(model, x, opset):
        # Tracing a training-mode export runs forward in train mode, and the exporter records the
        # BN running stats *after* that update. Load the file's values back into the module so the
        # eval export (the reference) carries exactly the weights stored in the training file.
        train_bytes = export(model, x, True, opset)
        tm = onnx.load_from_string(train_bytes)
        state = model.state_dict()
        from_file = {t.name: torch.from_numpy(numpy_helper.to_array(t).copy())
                     for t in tm.graph.initializer if t.name in state}
        assert len(from_file) == sum(1 for k in state if not k.endswith("num_batches_tracked")), "unmatched names"
        model.load_state_dict(from_file, strict=False)
        eval_bytes = export(model, x, False, opset)
        for k, v in from_file.items():
            assert torch.equal(model.state_dict()[k], v), k
        with torch.no_grad():
            expected = model.eval()(x).numpy()
        return train_bytes, eval_bytes, expected

    class SmallCNN(nn.Module):
        def __init__(self):
            super().__init__()
            self.conv1 = nn.Conv2d(3, 8, 3, stride=2, padding=1)
            self.bn1 = nn.BatchNorm2d(8)
            self.conv2 = nn.Conv2d(8, 8, 3, padding=1, groups=2)
            self.bn2 = nn.BatchNorm2d(8)
            self.deconv = nn.ConvTranspose2d(8, 4, 2, stride=2)
            self.bn3 = nn.BatchNorm2d(4)
            self.pool = nn.AvgPool2d(4)
            self.drop1 = nn.Dropout(0.3)
            self.fc1 = nn.Linear(64, 16)
            self.bn4 = nn.BatchNorm1d(16)
            self.drop2 = nn.Dropout(0.5)
            self.fc2 = nn.Linear(16, 5)

        def forward(self, x):
            x = torch.relu(self.bn1(self.conv1(x)))
            x = torch.relu(self.bn2(self.conv2(x)))
            x = torch.relu(self.bn3(self.deconv(x)))
            x = self.drop1(self.pool(x)).flatten(1)
            x = self.drop2(torch.relu(self.bn4(self.fc1(x))))
            return self.fc2(x)

    class SmallMLP(nn.Module):
        def __init__(self):
            super().__init__()
            self.w1 = nn.Parameter(torch.randn(10, 32) * 0.3)  # bias-free MatMul -> BN1d
            self.bn1 = nn.BatchNorm1d(32)
            self.drop1 = nn.Dropout(0.2)
            self.fc2 = nn.Linear(32, 16)
            self.bn2 = nn.BatchNorm1d(16)
            self.drop2 = nn.Dropout(0.1)
            self.fc3 = nn.Linear(16, 3)

        def forward(self, x):
            x = self.drop1(torch.relu(self.bn1(torch.matmul(x, self.w1))))
            x = self.drop2(torch.relu(self.bn2(self.fc2(x))))
            return self.fc3(x)

    for cls, opset, shape, train_name, eval_name, desc in (
        (SmallCNN, 17, (2, 3, 16, 16), "torch_cnn_train", "torch_cnn_eval",
         "PyTorch CNN (Conv+BN, grouped Conv+BN, ConvTranspose+BN, Dropout, Linear+BatchNorm1d, Dropout, Linear)"),
        (SmallMLP, 12, (4, 10), "torch_mlp_train_opset12", "torch_mlp_eval_opset12",
         "PyTorch MLP (bias-free MatMul+BatchNorm1d, Gemm+BatchNorm1d, two Dropouts)"),
    ):
        torch.manual_seed(1)
        model = cls()
        perturb_bn(model, torch.Generator().manual_seed(2))
        x = torch.from_numpy(rng(3).standard_normal(shape).astype(np.float32))
        train_bytes, eval_bytes, expected = export_pair(model, x, opset)
        eval_out = run_ort(eval_bytes, {"input": x.numpy()})["logits"]
        assert np.allclose(eval_out, expected, rtol=1e-4, atol=1e-5), "eval export disagrees with torch"
        feeds = [{"input": x.numpy()}]
        ref_note = f"onnxruntime on the eval-mode export ({eval_name}/model.onnx) of the same weights"
        for name, data, kind in ((train_name, train_bytes, "training"), (eval_name, eval_bytes, "eval")):
            write_test_data(FIX / name, 0, feeds[0], {"logits": eval_out})
            ok, err = ort_load_status(data)
            ref = {"has_reference": True, "test_data_sets": 1, "reference_inputs": ["input"],
                   "reference_eval_outputs": ["logits"], "reference_from": ref_note, "ort_loads_original": ok}
            if err:
                ref["ort_original_error"] = err
            save_fixture(name, data, f"{desc}; torch.onnx.export {kind} mode, opset {opset}, dynamo=False, "
                                     "do_constant_folding=False", ref,
                         {"source": "torch", "torch_version": torch.__version__, "tolerance": {"rtol": 1e-4, "atol": 1e-5}})


# ----------------------------------------------------------------------------- training_info fixtures

def mlp_inference_graph(r, name="mlp"):
    """X[2,4] -> MatMul+Add+Relu -> Gemm -> logits[2,3]."""
    inits = [init("W1", (r.standard_normal((4, 6)) * 0.5).astype(np.float32)),
             init("B1", (r.standard_normal(6) * 0.1).astype(np.float32)),
             init("W2", (r.standard_normal((6, 3)) * 0.5).astype(np.float32)),
             init("B2", (r.standard_normal(3) * 0.1).astype(np.float32))]
    nodes = [helper.make_node("MatMul", ["X", "W1"], ["h_mm"], name="fc1_matmul"),
             helper.make_node("Add", ["h_mm", "B1"], ["h_add"], name="fc1_add"),
             helper.make_node("Relu", ["h_add"], ["h"], name="fc1_relu"),
             helper.make_node("Gemm", ["h", "W2", "B2"], ["logits"], name="fc2_gemm")]
    g = helper.make_graph(nodes, name, [vi("X", F, [2, 4])], [vi("logits", F, [2, 3])], inits)
    return g


PARAMS = ["W1", "B1", "W2", "B2"]
SHAPES = {"W1": [4, 6], "B1": [6], "W2": [6, 3], "B2": [3]}


def loss_nodes(reg: str, lam: float):
    """Cross-entropy plus an explicit L1 or L2 penalty on the weight matrices."""
    nodes = [helper.make_node("SoftmaxCrossEntropyLoss", ["logits", "labels"], ["ce"], name="loss_ce",
                              reduction="mean")]
    terms = []
    for w in ("W1", "W2"):
        if reg == "l2":
            nodes.append(helper.make_node("ReduceSumSquare", [w], [f"{w}_sq"], name=f"reg_{w}", keepdims=0))
            terms.append(f"{w}_sq")
        else:
            nodes.append(helper.make_node("Abs", [w], [f"{w}_abs"], name=f"abs_{w}"))
            nodes.append(helper.make_node("ReduceSum", [f"{w}_abs"], [f"{w}_l1"], name=f"reg_{w}", keepdims=0))
            terms.append(f"{w}_l1")
    nodes += [helper.make_node("Add", terms, ["reg_sum"], name="reg_sum"),
              helper.make_node("Mul", ["reg_sum", "lambda"], ["reg_term"], name="reg_scale"),
              helper.make_node("Add", ["ce", "reg_term"], ["loss"], name="loss_total")]
    return nodes, [init("lambda", np.array(lam, np.float32))]


def grad_nodes(clip: str):
    """Gradient of `loss` w.r.t. PARAMS, then clipping (element-wise Clip or global-norm scaling)."""
    raw = [f"{p}_graw" for p in PARAMS]
    nodes = [helper.make_node("Gradient", PARAMS, raw, name="gradient", domain=TRAIN_DOMAIN,
                              xs=PARAMS, y="loss")]
    inits = []
    if clip == "value":
        inits += [init("clip_min", np.array(-1.0, np.float32)), init("clip_max", np.array(1.0, np.float32))]
        for p in PARAMS:
            nodes.append(helper.make_node("Clip", [f"{p}_graw", "clip_min", "clip_max"], [f"{p}_g"], name=f"clip_{p}"))
    else:
        inits += [init("max_norm", np.array(5.0, np.float32)), init("one", np.array(1.0, np.float32)),
                  init("tiny", np.array(1e-6, np.float32))]
        for p in PARAMS:
            nodes.append(helper.make_node("ReduceSumSquare", [f"{p}_graw"], [f"{p}_gsq"], name=f"gsq_{p}", keepdims=0))
        nodes += [helper.make_node("Sum", [f"{p}_gsq" for p in PARAMS], ["gnorm_sq"], name="gnorm_sum"),
                  helper.make_node("Sqrt", ["gnorm_sq"], ["gnorm"], name="gnorm_sqrt"),
                  helper.make_node("Add", ["gnorm", "tiny"], ["gnorm_eps"], name="gnorm_eps"),
                  helper.make_node("Div", ["max_norm", "gnorm_eps"], ["gscale_raw"], name="gscale_div"),
                  helper.make_node("Min", ["gscale_raw", "one"], ["gscale"], name="gscale_min")]
        for p in PARAMS:
            nodes.append(helper.make_node("Mul", [f"{p}_graw", "gscale"], [f"{p}_g"], name=f"gclip_{p}"))
    return nodes, inits


def lr_nodes(schedule: str):
    """Learning rate R computed from the iteration count T."""
    inits = [init("lr0", np.array(0.1, np.float32))]
    nodes = [helper.make_node("Cast", ["T"], ["T_f"], name="lr_cast_T", to=F)]
    if schedule == "exp":
        inits.append(init("lr_decay", np.array(0.99, np.float32)))
        nodes += [helper.make_node("Pow", ["lr_decay", "T_f"], ["lr_factor"], name="lr_pow"),
                  helper.make_node("Mul", ["lr0", "lr_factor"], ["R"], name="lr_mul")]
    elif schedule == "step":
        inits += [init("lr_gamma", np.array(0.5, np.float32)), init("lr_step", np.array(100.0, np.float32))]
        nodes += [helper.make_node("Div", ["T_f", "lr_step"], ["T_div"], name="lr_div"),
                  helper.make_node("Floor", ["T_div"], ["T_epoch"], name="lr_floor"),
                  helper.make_node("Pow", ["lr_gamma", "T_epoch"], ["lr_factor"], name="lr_pow"),
                  helper.make_node("Mul", ["lr0", "lr_factor"], ["R"], name="lr_mul")]
    else:  # constant; the optimizer's own decay_factor does the schedule
        nodes = [helper.make_node("Identity", ["lr0"], ["R"], name="lr_const")]
    return nodes, inits


def training_info_fixture(name: str, optimizer: str, reg: str, clip: str, schedule: str, seed: int):
    r = rng(seed)
    g = mlp_inference_graph(r, name)
    l_nodes, l_inits = loss_nodes(reg, 0.01 if reg == "l2" else 0.001)
    g_nodes, g_inits = grad_nodes(clip)
    r_nodes, r_inits = lr_nodes(schedule)
    states = {"adam": ["V", "H"], "momentum": ["V"], "adagrad": ["H"]}[optimizer]
    state_inits = [init(f"{p}_{s}", np.zeros(SHAPES[p], np.float32)) for s in states for p in PARAMS]
    opt_inputs = ["R", "T"] + PARAMS + [f"{p}_g" for p in PARAMS] + [f"{p}_{s}" for s in states for p in PARAMS]
    opt_outputs = [f"{p}_new" for p in PARAMS] + [f"{p}_{s}_new" for s in states for p in PARAMS]
    op_attrs = {
        "adam": dict(alpha=0.9, beta=0.999, epsilon=1e-7, norm_coefficient=0.0005, norm_coefficient_post=0.0),
        "momentum": dict(alpha=0.9, beta=1.0, mode="nesterov", norm_coefficient=0.0005),
        "adagrad": dict(decay_factor=0.01, epsilon=1e-7, norm_coefficient=0.0005),
    }[optimizer]
    opt = helper.make_node(optimizer.capitalize(), opt_inputs, opt_outputs, name=f"optimizer_{optimizer}",
                           domain=TRAIN_DOMAIN, **op_attrs)
    one = init("T_one", np.array(1, np.int64))
    algo_nodes = l_nodes + g_nodes + r_nodes + [opt, helper.make_node("Add", ["T", "T_one"], ["T_new"], name="T_inc")]
    algo_inits = [init("T", np.array(0, np.int64)), one] + l_inits + g_inits + r_inits + state_inits
    algorithm = helper.make_graph(algo_nodes, f"{name}_algorithm", [vi("labels", I64, [2])],
                                  [vi("loss", F, [])] + [vi(o, F, None) for o in opt_outputs] + [vi("T_new", I64, [])],
                                  algo_inits)
    # Initialization: seeded random weights and a zeroed iteration counter.
    init_nodes, init_outs = [], []
    for k, p in enumerate(PARAMS):
        init_nodes.append(helper.make_node("RandomNormal", [], [f"{p}_init"], name=f"init_{p}",
                                           shape=SHAPES[p], mean=0.0, scale=0.1, seed=float(k + 1), dtype=F))
        init_outs.append(vi(f"{p}_init", F, SHAPES[p]))
    init_nodes.append(const_node("T_init", np.array(0, np.int64), name="init_T"))
    init_outs.append(vi("T_init", I64, []))
    initialization = helper.make_graph(init_nodes, f"{name}_initialization", [], init_outs)
    ti = onnx.TrainingInfoProto()
    ti.initialization.CopyFrom(initialization)
    ti.algorithm.CopyFrom(algorithm)
    for p in PARAMS + ["T"]:
        e = ti.initialization_binding.add()
        e.key, e.value = p, f"{p}_init"
    for p in PARAMS:
        e = ti.update_binding.add()
        e.key, e.value = p, f"{p}_new"
    for s in states:
        for p in PARAMS:
            e = ti.update_binding.add()
            e.key, e.value = f"{p}_{s}", f"{p}_{s}_new"
    e = ti.update_binding.add()
    e.key, e.value = "T", "T_new"
    model = make_model(g, 13, extra_opsets={TRAIN_DOMAIN: 1})
    model.training_info.append(ti)
    feeds = [{"X": r.standard_normal((2, 4)).astype(np.float32)}]
    ref = reference(name, model, feeds)
    save_fixture(name, model,
                 f"Hand-built MLP with TrainingInfoProto: {optimizer.capitalize()} (norm_coefficient L2), "
                 f"{reg.upper()} loss term, {'element-wise Clip' if clip == 'value' else 'global-norm'} gradient "
                 f"clipping, {schedule} learning-rate schedule from T", ref,
                 {"optimizer": optimizer, "tolerance": {"rtol": 1e-5, "atol": 1e-6}})


def training_in_main_graph():
    name = "training_main_graph"
    r = rng(40)
    base = mlp_inference_graph(r, name)
    W1, B1, W2, B2 = base.initializer
    l_nodes, l_inits = loss_nodes("l2", 0.01)
    nodes = [helper.make_node("MatMul", ["X", "W1"], ["h_mm"], name="fc1_matmul"),
             helper.make_node("Add", ["h_mm", "B1"], ["h_add"], name="fc1_add"),
             helper.make_node("Relu", ["h_add"], ["h_relu"], name="fc1_relu"),
             helper.make_node("Dropout", ["h_relu", "drop_ratio", "is_training"], ["h", "h_mask"], name="dropout",
                              seed=7),
             helper.make_node("Gemm", ["h", "W2", "B2"], ["logits"], name="fc2_gemm")]
    nodes += l_nodes
    nodes += [helper.make_node("Gradient", PARAMS, [f"{p}_g" for p in PARAMS], name="gradient",
                               domain=TRAIN_DOMAIN, xs=PARAMS, y="loss"),
              helper.make_node("Momentum", ["R", "T"] + PARAMS + [f"{p}_g" for p in PARAMS] + [f"{p}_V" for p in PARAMS],
                               [f"{p}_new" for p in PARAMS] + [f"{p}_V_new" for p in PARAMS], name="momentum",
                               domain=TRAIN_DOMAIN, alpha=0.9, beta=1.0, mode="standard", norm_coefficient=0.0)]
    inits = [W1, B1, W2, B2, init("drop_ratio", np.array(0.25, np.float32)), init("R", np.array(0.05, np.float32)),
             init("T", np.array(0, np.int64))] + l_inits
    inits += [init(f"{p}_V", np.zeros(SHAPES[p], np.float32)) for p in PARAMS]
    outputs = [vi("logits", F, [2, 3]), vi("loss", F, [])]
    outputs += [vi(f"{p}_new", F, SHAPES[p]) for p in PARAMS] + [vi(f"{p}_V_new", F, SHAPES[p]) for p in PARAMS]
    g = helper.make_graph(nodes, name, [vi("X", F, [2, 4]), vi("labels", I64, [2]), vi("is_training", BOOL, [])],
                          outputs, inits)
    model = make_model(g, 13, extra_opsets={TRAIN_DOMAIN: 1})
    # Inference twin: only the inference path, Dropout as identity, only X and logits.
    twin = make_model(mlp_inference_graph(rng(40), name + "_twin"), 13)
    assert all(np.array_equal(numpy_helper.to_array(a), numpy_helper.to_array(b))
               for a, b in zip(twin.graph.initializer, [W1, B1, W2, B2]))
    feeds = [{"X": r.standard_normal((2, 4)).astype(np.float32)}]
    ref = reference(name, model, feeds, twin=twin, outputs=["logits"],
                    note="onnxruntime on the inference path only (loss/Gradient/Momentum removed, Dropout identity)")
    save_fixture(name, model, "Training step in the main graph: MLP + Dropout(training_mode = graph input "
                              "'is_training'), SoftmaxCrossEntropyLoss + L2 term, Gradient and Momentum whose updated "
                              "weights are graph outputs", ref,
                 {"tolerance": {"rtol": 1e-5, "atol": 1e-6}})


# ----------------------------------------------------------------------------- old opsets

def conv_w(r, co, ci, k=3):
    return (r.standard_normal((co, ci, k, k)) * 0.3).astype(np.float32)


def bn_inits(r, prefix, c, shape=None):
    shape = shape or [c]
    return [init(f"{prefix}_scale", (r.random(shape) + 0.5).astype(np.float32)),
            init(f"{prefix}_bias", (r.standard_normal(shape) * 0.2).astype(np.float32)),
            init(f"{prefix}_mean", (r.standard_normal(shape) * 0.3).astype(np.float32)),
            init(f"{prefix}_var", (r.random(shape) * 1.5 + 0.25).astype(np.float32))]


def bn_in(prefix, x):
    return [x, f"{prefix}_scale", f"{prefix}_bias", f"{prefix}_mean", f"{prefix}_var"]


def bn_train_outs(prefix, n):
    names = [f"{prefix}_y", f"{prefix}_running_mean", f"{prefix}_running_var", f"{prefix}_saved_mean",
             f"{prefix}_saved_var"]
    return names[:n]


def dropout_old(opset: int):
    name = f"dropout_opset{opset}"
    r = rng(100 + opset)
    sshape = [1, 4, 3, 3] if opset <= 6 else [1, 4, 1, 1]  # Mul broadcasts only from opset 7
    inits = [init("scale", (r.random(sshape) + 0.5).astype(np.float32))]
    if opset <= 6:
        kw1 = dict(ratio=0.4) if opset == 6 else dict(ratio=0.4, consumed_inputs=[0])
        kw2 = dict(ratio=0.2, is_test=1) if opset == 6 else dict(ratio=0.2, is_test=1, consumed_inputs=[0])
        nodes = [helper.make_node("Relu", ["X"], ["a"], name="relu"),
                 helper.make_node("Dropout", ["a"], ["b", "b_mask"], name="dropout_train", **kw1),
                 helper.make_node("Mul", ["b", "scale"], ["c"], name="mul"),
                 helper.make_node("Dropout", ["c"], ["Y"], name="dropout_is_test", **kw2)]
    else:
        nodes = [helper.make_node("Relu", ["X"], ["a"], name="relu"),
                 helper.make_node("Dropout", ["a"], ["b", "b_mask"], name="dropout_with_mask", ratio=0.4),
                 helper.make_node("Mul", ["b", "scale"], ["c"], name="mul"),
                 helper.make_node("Dropout", ["c"], ["Y"], name="dropout_plain", ratio=0.2)]
    g = helper.make_graph(nodes, name, [vi("X", F, [1, 4, 3, 3])], [vi("Y", F, [1, 4, 3, 3])], inits)
    if opset == 1:  # IR 3 requires initializers to be listed as inputs too
        g.input.append(vi("scale", F, sshape))
    model = make_model(g, opset, ir=3 if opset == 1 else 4)
    feeds = [{"X": r.standard_normal((1, 4, 3, 3)).astype(np.float32)}]
    desc = {1: "Dropout-1 (is_test, consumed_inputs legacy attribute), IR 3",
            6: "Dropout-6: one with is_test=0 (default, training) and mask output, one with is_test=1",
            7: "Dropout-7 (ratio attribute only; always inference semantics), with an unused mask output",
            10: "Dropout-10 (bool mask), with an unused mask output"}[opset]
    save_fixture(name, model, desc, reference(name, model, feeds), {"tolerance": {"rtol": 1e-6, "atol": 1e-7}})


def dropout_opset12():
    name = "dropout_opset12"
    r = rng(112)
    inits = [init("ratio", np.array(0.3, np.float32)), init("train_true", np.array(True)),
             init("bias", r.standard_normal([1, 4, 1, 1]).astype(np.float32))]
    nodes = [helper.make_node("Dropout", ["X", "ratio"], ["d1"], name="drop_absent"),
             helper.make_node("Dropout", ["d1", "ratio", "train_true"], ["d2"], name="drop_init_true", seed=3),
             const_node("train_false", np.array(False), name="c_train_false"),
             helper.make_node("Dropout", ["d2", "", "train_false"], ["d3"], name="drop_const_false"),
             const_node("train_true_c", np.array(True), name="c_train_true"),
             helper.make_node("Dropout", ["d3", "ratio", "train_true_c"], ["d4", "d4_mask"], name="drop_mask_used"),
             helper.make_node("Cast", ["d4_mask"], ["mask_f"], name="mask_cast", to=F),
             helper.make_node("Add", ["d4", "bias"], ["Y"], name="add_bias"),
             helper.make_node("Mul", ["Y", "mask_f"], ["Y_masked"], name="apply_mask")]
    g = helper.make_graph(nodes, name, [vi("X", F, [1, 4, 3, 3])],
                          [vi("Y", F, [1, 4, 3, 3]), vi("Y_masked", F, [1, 4, 3, 3])], inits)
    model = make_model(g, 12, ir=7)
    feeds = [{"X": r.standard_normal((1, 4, 3, 3)).astype(np.float32)}]
    save_fixture(name, model, "Dropout-12 with training_mode absent, initializer true, Constant false, Constant true "
                              "with the mask consumed (Cast+Mul; frozen mask is all ones)",
                 reference(name, model, feeds), {"tolerance": {"rtol": 1e-6, "atol": 1e-7}})


def batchnorm_old(opset: int):
    name = f"batchnorm_opset{opset}"
    r = rng(200 + opset)
    x_shape = [2, 3, 5, 5]
    inits = [init("conv1_W", conv_w(r, 4, 3)), init("conv1_B", (r.standard_normal(4) * 0.1).astype(np.float32)),
             init("conv2_W", conv_w(r, 4, 4))] + bn_inits(r, "bn1", 4)
    extra = {}
    if opset == 7:
        inits += bn_inits(r, "bn2", 4, shape=[4, 5, 5])  # spatial=0: per-activation statistics
    else:
        inits += bn_inits(r, "bn2", 4)
    if opset == 1:
        kw1 = dict(epsilon=1e-3, momentum=0.9, is_test=0, spatial=1, consumed_inputs=[0, 0, 0, 1, 1])
        kw2 = dict(epsilon=1e-5, is_test=1, consumed_inputs=[0, 0, 0, 1, 1])
        n1, n2 = 5, 1
    elif opset == 6:
        kw1 = dict(epsilon=1e-3, momentum=0.9, is_test=0, spatial=1)
        kw2 = dict(epsilon=1e-5, is_test=1)
        n1, n2 = 5, 1
    elif opset == 7:
        kw1 = dict(epsilon=1e-3, momentum=0.9, spatial=1)
        kw2 = dict(epsilon=1e-5, spatial=0)
        n1, n2 = 5, 1
    elif opset == 9:
        kw1 = dict(epsilon=1e-3, momentum=0.9)
        kw2 = dict(epsilon=1e-5)
        n1, n2 = 5, 1
    elif opset == 14:
        kw1 = dict(epsilon=1e-3, momentum=0.9, training_mode=1)
        kw2 = dict(epsilon=1e-5, training_mode=0)
        n1, n2 = 3, 1
    nodes = [helper.make_node("Conv", ["X", "conv1_W", "conv1_B"], ["c1"], name="conv1", pads=[1, 1, 1, 1]),
             helper.make_node("BatchNormalization", bn_in("bn1", "c1"), bn_train_outs("bn1", n1), name="bn1", **kw1),
             helper.make_node("Relu", ["bn1_y"], ["r1"], name="relu1"),
             helper.make_node("Conv", ["r1", "conv2_W"], ["c2"], name="conv2", pads=[1, 1, 1, 1]),
             helper.make_node("BatchNormalization", bn_in("bn2", "c2"), ["Y"], name="bn2", **kw2)]
    g = helper.make_graph(nodes, name, [vi("X", F, x_shape)], [vi("Y", F, [2, 4, 5, 5])], inits)
    if opset == 1:
        g.input.extend(vi(t.name, F, list(t.dims)) for t in inits)
    model = make_model(g, opset, ir={1: 3, 6: 4, 7: 4, 9: 4, 14: 8}[opset])
    feeds = [{"X": r.standard_normal(x_shape).astype(np.float32)}]
    desc = {1: "BatchNormalization-1 (consumed_inputs, is_test=0 with 5 outputs; is_test=1), IR 3",
            6: "BatchNormalization-6: is_test=0 with 5 outputs (training), is_test=1 (inference)",
            7: "BatchNormalization-7: spatial=1 with 5 outputs (training), spatial=0 per-activation stats",
            9: "BatchNormalization-9: 5 outputs (training) and 1 output (inference)",
            14: "BatchNormalization-14: training_mode=1 with 3 outputs, training_mode=0"}[opset]
    name_out = "batchnorm_opset14_training" if opset == 14 else name
    save_fixture(name_out, model, desc, reference(name_out, model, feeds), {"tolerance": {"rtol": 1e-5, "atol": 1e-6}})


# ----------------------------------------------------------------------------- misc graph fixtures

def float16_convbn():
    name = "float16_convbn"
    r = rng(300)
    h = np.float16
    inits = [init("conv_W", (r.standard_normal((4, 3, 3, 3)) * 0.3).astype(h)),
             init("conv_B", (r.standard_normal(4) * 0.1).astype(h)),
             init("bn_scale", (r.random(4) + 0.5).astype(h)), init("bn_bias", (r.standard_normal(4) * 0.2).astype(h)),
             init("bn_mean", (r.standard_normal(4) * 0.3).astype(h)),
             init("bn_var", (r.random(4) * 1.5 + 0.25).astype(h)),
             init("ratio", np.array(0.5, h)), init("train", np.array(True))]
    nodes = [helper.make_node("Conv", ["X", "conv_W", "conv_B"], ["c"], name="conv", pads=[1, 1, 1, 1]),
             helper.make_node("BatchNormalization", bn_in("bn", "c"), ["b", "bn_running_mean", "bn_running_var"],
                              name="bn", training_mode=1, momentum=0.9),
             helper.make_node("Relu", ["b"], ["a"], name="relu"),
             helper.make_node("Dropout", ["a", "ratio", "train"], ["Y"], name="dropout")]
    g = helper.make_graph(nodes, name, [vi("X", F16, [1, 3, 6, 6])], [vi("Y", F16, [1, 4, 6, 6])], inits)
    model = make_model(g, 15)
    feeds = [{"X": r.standard_normal((1, 3, 6, 6)).astype(h)}]
    save_fixture(name, model, "float16 Conv + BatchNormalization(training_mode=1, 3 outputs) + Relu + Dropout(training "
                              "constant true), opset 15", reference(name, model, feeds),
                 {"tolerance": {"rtol": 1e-2, "atol": 1e-2}})


def external_data():
    def build(r):
        inits = [init("conv_W", conv_w(r, 16, 8)),  # 4608 bytes -> external
                 init("conv_B", (r.standard_normal(16) * 0.1).astype(np.float32))] + bn_inits(r, "bn", 16)
        inits += [init("fc_W", (r.standard_normal((16, 32)) * 0.2).astype(np.float32))]  # 2048 bytes -> external
        nodes = [helper.make_node("Conv", ["X", "conv_W", "conv_B"], ["c"], name="conv", pads=[1, 1, 1, 1]),
                 helper.make_node("BatchNormalization", bn_in("bn", "c"), ["b", "bn_rm", "bn_rv"], name="bn",
                                  training_mode=1),
                 helper.make_node("Relu", ["b"], ["a"], name="relu"),
                 helper.make_node("GlobalAveragePool", ["a"], ["p"], name="gap"),
                 helper.make_node("Flatten", ["p"], ["f"], name="flatten"),
                 helper.make_node("MatMul", ["f", "fc_W"], ["m"], name="fc"),
                 const_node("fc_bias", (r.standard_normal(32) * 0.1).astype(np.float32), name="fc_bias_const"),
                 # attribute tensor of 1280 bytes, so convert_attribute=True moves it out too
                 const_node("big_const", (r.standard_normal((1, 320)) * 0.1).astype(np.float32), name="big_const"),
                 helper.make_node("Add", ["m", "fc_bias"], ["Y0"], name="fc_add"),
                 helper.make_node("Slice", ["big_const", "s_start", "s_end", "s_axis"], ["bc"], name="slice_const"),
                 helper.make_node("Add", ["Y0", "bc"], ["Y"], name="add_const")]
        inits += [init("s_start", np.array([0], np.int64)), init("s_end", np.array([32], np.int64)),
                  init("s_axis", np.array([1], np.int64))]
        g = helper.make_graph(nodes, "external_data", [vi("X", F, [1, 8, 6, 6])], [vi("Y", F, [1, 32])], inits)
        return make_model(g, 15)

    for name, kw, desc in (
        ("external_data_single", dict(save_as_external_data=True, all_tensors_to_one_file=True,
                                      location="weights.bin", size_threshold=1024, convert_attribute=True),
         "Tensors >= 1 KB (two initializers and one Constant attribute) in one shared file weights.bin with offsets"),
        ("external_data_per_tensor", None,
         "Tensors >= 1 KB each in its own file under data/ (initializers only; attribute tensor stays inline)"),
    ):
        r = rng(400)
        model = build(r)
        feeds = [{"X": r.standard_normal((1, 8, 6, 6)).astype(np.float32)}]
        ref = reference(name, model, feeds)
        if kw is None:
            (FIX / name / "data").mkdir(parents=True, exist_ok=True)
            for t in model.graph.initializer:
                if t.HasField("raw_data") and len(t.raw_data) >= 1024:
                    onnx.external_data_helper.set_external_data(t, location=f"data/{t.name}.bin")
            kw = {}
        e = save_fixture(name, model, desc, ref, {"tolerance": {"rtol": 1e-5, "atol": 1e-6}}, save_kw=kw)
        # the checker must resolve the external files relative to the model
        assert e["checker"] == "ok", e["checker"]
        # re-verify the reference against the saved (external) file
        res = run_ort_path(FIX / name / "model.onnx", feeds[0])
        exp = numpy_helper.to_array(onnx.load_tensor(str(FIX / name / "test_data_set_0" / "output_0.pb")))
        assert np.allclose(res["Y"], exp, rtol=1e-5, atol=1e-6)


def run_ort_path(path: Path, feeds):
    # The file still contains a training BN; use the in-memory twin with external data loaded.
    m = onnx.load_model(str(path), load_external_data=True)
    return run_ort(inference_twin(m).SerializeToString(), feeds)


def if_loop_subgraphs():
    name = "if_loop_subgraphs"
    r = rng(500)
    inits = [init("conv_W", conv_w(r, 4, 4, 1)), *bn_inits(r, "bn", 4),
             init("ratio", np.array(0.25, np.float32)), init("train_flag", np.array(True)),
             init("trip", np.array(3, np.int64)), init("loop_bias", (r.standard_normal((1, 4, 1, 1)) * 0.1)
                                                       .astype(np.float32))]
    shp = [1, 4, 5, 5]
    then_g = helper.make_graph(
        [helper.make_node("BatchNormalization", bn_in("bn", "c"), ["t_bn"], name="then_bn"),
         const_node("t_train", np.array(True), name="then_train_const"),
         helper.make_node("Dropout", ["t_bn", "ratio", "t_train"], ["t_out"], name="then_dropout")],
        "then_branch", [], [vi("t_out", F, shp)])
    else_g = helper.make_graph(
        [helper.make_node("Dropout", ["c", "ratio", "train_flag"], ["e_drop"], name="else_dropout"),
         helper.make_node("Relu", ["e_drop"], ["e_out"], name="else_relu")],
        "else_branch", [], [vi("e_out", F, shp)])
    body = helper.make_graph(
        [helper.make_node("Add", ["v_in", "loop_bias"], ["v_add"], name="body_add"),
         helper.make_node("Dropout", ["v_add", "ratio", "train_flag"], ["v_out"], name="body_dropout"),
         helper.make_node("Identity", ["cond_in"], ["cond_out"], name="body_cond")],
        "loop_body", [vi("iter", I64, []), vi("cond_in", BOOL, []), vi("v_in", F, shp)],
        [vi("cond_out", BOOL, []), vi("v_out", F, shp)])
    nodes = [helper.make_node("Conv", ["X", "conv_W"], ["c"], name="conv"),
             helper.make_node("If", ["cond"], ["y_if"], name="if", then_branch=then_g, else_branch=else_g),
             helper.make_node("Loop", ["trip", "", "y_if"], ["Y"], name="loop", body=body)]
    g = helper.make_graph(nodes, name, [vi("X", F, shp), vi("cond", BOOL, [])], [vi("Y", F, shp)], inits)
    model = make_model(g, 13)
    x = r.standard_normal(shp).astype(np.float32)
    feeds = [{"X": x, "cond": np.array(True)}, {"X": x, "cond": np.array(False)}]
    save_fixture(name, model, "If (then: BatchNormalization on outer Conv output + Dropout with Constant true; "
                              "else: Dropout with outer-scope training flag) and Loop (body Dropout using outer-scope "
                              "ratio/flag/bias); test_data_set_0 cond=true, test_data_set_1 cond=false",
                 reference(name, model, feeds), {"tolerance": {"rtol": 1e-5, "atol": 1e-6}})


def shared_weights():
    name = "shared_weights"
    r = rng(600)
    inits = [init("shared_W", conv_w(r, 4, 3)), *bn_inits(r, "bn_a", 4), *bn_inits(r, "bn_b", 4)]
    nodes = [helper.make_node("Conv", ["X", "shared_W"], ["ca"], name="conv_a", pads=[1, 1, 1, 1]),
             helper.make_node("Conv", ["X", "shared_W"], ["cb"], name="conv_b", pads=[1, 1, 1, 1]),
             helper.make_node("BatchNormalization", bn_in("bn_a", "ca"), ["ya", "bn_a_rm", "bn_a_rv"], name="bn_a",
                              training_mode=1),
             helper.make_node("BatchNormalization", bn_in("bn_b", "cb"), ["yb"], name="bn_b"),
             helper.make_node("Concat", ["ya", "yb"], ["Y"], name="concat", axis=1)]
    g = helper.make_graph(nodes, name, [vi("X", F, [1, 3, 6, 6])], [vi("Y", F, [1, 8, 6, 6])], inits)
    model = make_model(g, 15)
    feeds = [{"X": r.standard_normal((1, 3, 6, 6)).astype(np.float32)}]
    save_fixture(name, model, "Two Convs sharing one weight initializer, each followed by a BatchNormalization with "
                              "different statistics (bn_a training_mode=1, bn_b inference)",
                 reference(name, model, feeds), {"tolerance": {"rtol": 1e-5, "atol": 1e-6}})


def initializers_as_inputs():
    name = "initializers_as_inputs"
    r = rng(700)
    inits = [init("conv_W", conv_w(r, 4, 3)), init("conv_B", (r.standard_normal(4) * 0.1).astype(np.float32)),
             *bn_inits(r, "bn", 4), init("fc_W", (r.standard_normal((3, 36)) * 0.2).astype(np.float32)),
             init("fc_B", (r.standard_normal(3) * 0.1).astype(np.float32))]
    nodes = [helper.make_node("Conv", ["X", "conv_W", "conv_B"], ["c"], name="conv"),
             helper.make_node("BatchNormalization", bn_in("bn", "c"), ["b"], name="bn", spatial=1),
             helper.make_node("Relu", ["b"], ["a"], name="relu"),
             helper.make_node("Dropout", ["a"], ["d"], name="dropout", ratio=0.5),
             helper.make_node("Flatten", ["d"], ["f"], name="flatten"),
             helper.make_node("Gemm", ["f", "fc_W", "fc_B"], ["Y"], name="fc", transB=1)]
    g = helper.make_graph(nodes, name, [vi("X", F, [1, 3, 5, 5])] + [vi(t.name, F, list(t.dims)) for t in inits],
                          [vi("Y", F, [1, 3])], inits)
    model = make_model(g, 7, ir=3)
    feeds = [{"X": r.standard_normal((1, 3, 5, 5)).astype(np.float32)}]
    save_fixture(name, model, "IR 3 / opset 7 model whose initializers are also graph inputs (Conv+BN+Relu+"
                              "Dropout+Gemm); reference feeds only X", reference(name, model, feeds),
                 {"tolerance": {"rtol": 1e-5, "atol": 1e-6}})


def params_without_values():
    name = "params_without_values"
    r = rng(800)
    weights = {"fc1_W": (r.standard_normal((8, 6)) * 0.4).astype(np.float32),
               "fc1_B": (r.standard_normal(8) * 0.1).astype(np.float32)}
    weights.update({t.name: numpy_helper.to_array(t) for t in bn_inits(r, "bn", 8)})
    weights.update({"fc2_W": (r.standard_normal((8, 3)) * 0.4).astype(np.float32),
                    "fc2_B": (r.standard_normal(3) * 0.1).astype(np.float32)})
    nodes = [helper.make_node("Gemm", ["X", "fc1_W", "fc1_B"], ["h"], name="fc1", transB=1),
             helper.make_node("BatchNormalization", bn_in("bn", "h"), ["hb", "bn_rm", "bn_rv"], name="bn",
                              training_mode=1),
             helper.make_node("Relu", ["hb"], ["hr"], name="relu"),
             const_node("ratio", np.array(0.3, np.float32), name="ratio_const"),
             const_node("train", np.array(True), name="train_const"),
             helper.make_node("Dropout", ["hr", "ratio", "train"], ["hd"], name="dropout"),
             helper.make_node("Gemm", ["hd", "fc2_W", "fc2_B"], ["logits"], name="fc2")]
    inputs = [vi("X", F, [2, 6])] + [vi(k, F, list(v.shape)) for k, v in weights.items()]
    g = helper.make_graph(nodes, name, inputs, [vi("logits", F, [2, 3])], [])
    model = make_model(g, 15)
    feeds = [{"X": r.standard_normal((2, 6)).astype(np.float32), **weights}]
    save_fixture(name, model, "Training-style model whose weights are graph inputs with no initializer (values live "
                              "in a separate checkpoint, as in onnxruntime-training's training_model.onnx); the "
                              "test data feeds every input, weights included", reference(name, model, feeds),
                 {"weight_inputs_without_initializer": list(weights), "tolerance": {"rtol": 1e-5, "atol": 1e-6}})


# ----------------------------------------------------------------------------- typed fields

def typed_fields():
    name = "typed_fields"
    f16_vals = [1.0, -2.5, 0.0009765625, 65504.0, -0.0]
    bf16_vals = [1.0, -3.5, 256.0, 0.0078125]
    specs = [  # name, dtype, dims, field, values
        ("t_float", TensorProto.FLOAT, [2, 2], "float_data", [1.5, -2.25, 1024.125, -0.0078125]),
        ("t_float16", TensorProto.FLOAT16, [5], "int32_data", f16_vals),
        ("t_bfloat16", TensorProto.BFLOAT16, [4], "int32_data", bf16_vals),
        ("t_double", TensorProto.DOUBLE, [3], "double_data", [0.1, -1e300, 2.5]),
        ("t_int64", TensorProto.INT64, [4], "int64_data", [-(2 ** 63), -1, 0, 2 ** 63 - 1]),
        ("t_uint64", TensorProto.UINT64, [3], "uint64_data", [0, 1, 2 ** 64 - 1]),
        ("t_uint32", TensorProto.UINT32, [3], "uint64_data", [0, 7, 2 ** 32 - 1]),
        ("t_int32", TensorProto.INT32, [3], "int32_data", [-(2 ** 31), 0, 2 ** 31 - 1]),
        ("t_bool", TensorProto.BOOL, [3], "int32_data", [True, False, True]),
        ("t_int8", TensorProto.INT8, [3], "int32_data", [-128, -1, 127]),
        ("t_uint8", TensorProto.UINT8, [3], "int32_data", [0, 128, 255]),
        ("t_int16", TensorProto.INT16, [3], "int32_data", [-32768, -2, 32767]),
        ("t_uint16", TensorProto.UINT16, [3], "int32_data", [0, 40000, 65535]),
        ("t_string", TensorProto.STRING, [2], "string_data", ["hello", "\u00fcn\u00efc\u00f6de"]),
    ]

    def bits(dtype, v):
        if dtype == TensorProto.FLOAT16:
            return int(np.array(v, np.float16).view(np.uint16))
        f32 = int(np.array(v, np.float32).view(np.uint32))
        assert f32 & 0xFFFF == 0, "bfloat16 value must be exact"
        return f32 >> 16

    tensors, expected = {}, []
    for tname, dt, dims, field, vals in specs:
        t = TensorProto(name=tname, data_type=dt, dims=dims)
        if dt in (TensorProto.FLOAT16, TensorProto.BFLOAT16):
            t.int32_data.extend(bits(dt, v) for v in vals)
        elif dt == TensorProto.STRING:
            t.string_data.extend(v.encode() for v in vals)
        else:
            getattr(t, field).extend(int(v) if isinstance(v, bool) else v for v in vals)
        assert not t.HasField("raw_data")
        tensors[tname] = t
        e = {"name": tname, "dtype": TensorProto.DataType.Name(dt), "data_type": dt, "dims": dims, "field": field,
             "values": [bool(v) for v in vals] if dt == TensorProto.BOOL else vals}
        if dt in (TensorProto.FLOAT16, TensorProto.BFLOAT16):
            e["bits"] = [bits(dt, v) for v in vals]
        e["stored_as"] = "Constant attribute" if tname in ("t_float", "t_float16") else "initializer"
        # cross-check: onnx's own decoder gives the same values
        got = numpy_helper.to_array(t)
        if dt == TensorProto.STRING:
            assert [s.decode() if isinstance(s, bytes) else s for s in got.tolist()] == vals
        else:
            assert np.array_equal((got.astype(np.float64) if dt == TensorProto.BFLOAT16 else got).ravel(),
                                  np.array(vals, dtype=got.dtype if dt != TensorProto.BFLOAT16 else np.float64)), tname
        expected.append(e)

    nodes, inits, outputs = [], [], []
    for tname, dt, dims, _, _ in specs:
        t = tensors[tname]
        if tname in ("t_float", "t_float16"):
            nodes.append(helper.make_node("Constant", [], [tname], name=f"const_{tname}", value=t))
        else:
            inits.append(t)
        if dt == TensorProto.STRING:
            nodes.append(helper.make_node("Identity", [tname], [f"out_{tname}"], name=f"id_{tname}"))
            outputs.append(vi(f"out_{tname}", dt, dims))
        elif dt in (TensorProto.DOUBLE, TensorProto.INT64, TensorProto.UINT64):
            # keep full precision: no Cast, just pass through via Identity
            nodes.append(helper.make_node("Identity", [tname], [f"out_{tname}"], name=f"id_{tname}"))
            outputs.append(vi(f"out_{tname}", dt, dims))
        else:
            nodes.append(helper.make_node("Cast", [tname], [f"{tname}_f"], name=f"cast_{tname}", to=F))
            nodes.append(helper.make_node("Add", [f"{tname}_f", "zero"], [f"out_{tname}"], name=f"add_{tname}"))
            outputs.append(vi(f"out_{tname}", F, dims))
    zero = TensorProto(name="zero", data_type=F, dims=[], float_data=[0.0])
    inits.append(zero)
    g = helper.make_graph(nodes, name, [], outputs, inits)
    model = make_model(g, 13)
    res = run_ort(model.SerializeToString(), {})
    write_test_data(FIX / name, 0, {}, {o.name: res[o.name] for o in outputs})
    (FIX / name).mkdir(parents=True, exist_ok=True)
    (FIX / name / "expected.json").write_text(json.dumps({"tensors": expected}, indent=1, ensure_ascii=False) + "\n",
                                              encoding="utf-8")
    ok, err = ort_load_status(model.SerializeToString())
    ref = {"has_reference": True, "test_data_sets": 1, "reference_inputs": [],
           "reference_eval_outputs": [o.name for o in outputs], "reference_from": "onnxruntime on the model itself "
           "(no inputs; each tensor passed through Identity or Cast(float)+Add(0))", "ort_loads_original": ok}
    save_fixture(name, model, "Tensors stored in typed fields (float_data, int32_data for float16/bfloat16/bool/"
                              "int8/uint8/int16/uint16/int32, int64_data, uint64_data for uint32/uint64, double_data, "
                              "string_data) as initializers and Constant attributes; see expected.json", ref,
                 {"sidecar": "expected.json", "tolerance": {"rtol": 0, "atol": 0}})


# ----------------------------------------------------------------------------- unknown fields

def varint(n: int) -> bytes:
    out = bytearray()
    while True:
        b = n & 0x7F
        n >>= 7
        if n:
            out.append(b | 0x80)
        else:
            out.append(b)
            return bytes(out)


def wire_field(num: int, wt: int, value) -> bytes:
    tag = varint((num << 3) | wt)
    if wt == 0:
        return tag + varint(value)
    if wt == 1:
        return tag + struct.pack("<Q", value)
    if wt == 2:
        return tag + varint(len(value)) + value
    if wt == 5:
        return tag + struct.pack("<I", value)
    raise ValueError(wt)


def wire_parse(buf: bytes) -> list[tuple[int, int, object]]:
    """Minimal protobuf wire decoder: [(field, wire_type, value_or_bytes)]."""
    out, i = [], 0

    def rd_varint():
        nonlocal i
        shift = res = 0
        while True:
            b = buf[i]
            i += 1
            res |= (b & 0x7F) << shift
            shift += 7
            if not b & 0x80:
                return res
    while i < len(buf):
        key = rd_varint()
        num, wt = key >> 3, key & 7
        if wt == 0:
            out.append((num, wt, rd_varint()))
        elif wt == 1:
            out.append((num, wt, struct.unpack_from("<Q", buf, i)[0]))
            i += 8
        elif wt == 2:
            ln = rd_varint()
            out.append((num, wt, bytes(buf[i:i + ln])))
            i += ln
        elif wt == 5:
            out.append((num, wt, struct.unpack_from("<I", buf, i)[0]))
            i += 4
        else:
            raise ValueError(f"wire type {wt}")
    return out


def unknown_fields():
    name = "unknown_fields"
    r = rng(900)
    c = init("C", r.standard_normal((2, 3)).astype(np.float32))
    node = helper.make_node("Add", ["X", "C"], ["Y"], name="add")
    g = helper.make_graph([node], name, [vi("X", F, [2, 3])], [vi("Y", F, [2, 3])], [c])
    model = make_model(g, 13)
    plan = {  # path -> list of (field, wire_type, value)
        "ModelProto": [(1000, 0, 1), (1001, 2, b"freezer-model-extension"), (1004, 1, 0x0123456789ABCDEF)],
        "ModelProto.graph": [(1000, 0, 123456789), (1002, 5, 0xDEADBEEF)],
        "ModelProto.graph.node[0]": [(1000, 0, 7), (1001, 2, b"node-extra")],
        "ModelProto.graph.initializer[0]": [(1000, 0, 42)],
    }

    def extra(path):
        return b"".join(wire_field(*f) for f in plan[path])

    # Append wire-format bytes to each submessage; the protobuf runtime keeps them as unknown fields.
    t = TensorProto()
    t.ParseFromString(model.graph.initializer[0].SerializeToString() + extra("ModelProto.graph.initializer[0]"))
    model.graph.initializer[0].CopyFrom(t)
    n = onnx.NodeProto()
    n.ParseFromString(model.graph.node[0].SerializeToString() + extra("ModelProto.graph.node[0]"))
    model.graph.node[0].CopyFrom(n)
    gp = onnx.GraphProto()
    gp.ParseFromString(model.graph.SerializeToString() + extra("ModelProto.graph"))
    model.graph.CopyFrom(gp)
    data = model.SerializeToString() + extra("ModelProto")

    # Verify by walking the final bytes that every unknown field sits where the manifest says.
    def unknowns(buf):
        return [(f, w, v) for f, w, v in wire_parse(buf) if f >= 1000]
    top = wire_parse(data)
    graph_b = next(v for f, w, v in top if f == 7)
    gfields = wire_parse(graph_b)
    node_b = [v for f, w, v in gfields if f == 1][0]
    init_b = [v for f, w, v in gfields if f == 5][0]
    found = {"ModelProto": unknowns(data), "ModelProto.graph": unknowns(graph_b),
             "ModelProto.graph.node[0]": unknowns(node_b), "ModelProto.graph.initializer[0]": unknowns(init_b)}
    for path, fields in plan.items():
        assert found[path] == fields, (path, found[path], fields)
    desc = []
    for path, fields in plan.items():
        for f, w, v in fields:
            d = {"path": path, "field": f, "wire_type": w}
            if isinstance(v, bytes):
                d["value_utf8"], d["value_hex"] = v.decode(), v.hex()
            else:
                d["value"] = v
            desc.append(d)
    feeds = [{"X": r.standard_normal((2, 3)).astype(np.float32)}]
    reloaded = onnx.load_from_string(data)
    ref = reference(name, reloaded, feeds)
    save_fixture(name, data, "Add model with protobuf unknown fields (field numbers >= 1000) in ModelProto, GraphProto, "
                             "NodeProto and TensorProto; each message's unknown fields follow its known fields",
                 ref, {"unknown_fields": desc, "tolerance": {"rtol": 0, "atol": 0}})


# ----------------------------------------------------------------------------- bad inputs

def bad_entry(rel: str, description: str, expect: str, **extra):
    p = FIX / "bad" / rel
    e = {"file": f"bad/{rel}", "description": description, "expect": expect, "bytes": p.stat().st_size}
    try:
        m = onnx.load_model(str(p), load_external_data=False)
        e["python_protobuf_parse"] = "ok"
        try:
            # By path, so external locations resolve against the model's directory, not the cwd.
            onnx.checker.check_model(str(p) if model_has_external(m) else m)
            e["onnx_checker"] = "ok"
        except Exception as ex:  # noqa: BLE001
            e["onnx_checker"] = "error: " + clean_msg(ex)
    except Exception as ex:  # noqa: BLE001
        e["python_protobuf_parse"] = "error: " + clean_msg(ex)
    e.update(extra)
    BAD.append(e)


def tiny_graph_model(nodes, inputs, outputs, inits=(), opset=13):
    return make_model(helper.make_graph(nodes, "bad", inputs, outputs, list(inits)), opset)


def bad_fixtures():
    b = FIX / "bad"
    b.mkdir(parents=True, exist_ok=True)
    junk = bytearray(rng(1000).integers(0, 256, 512, dtype=np.uint8).tobytes())
    junk[0] = 0x07  # field 0 / wire type 7: invalid in every protobuf parser, whatever follows
    (b / "not_a_model.onnx").write_bytes(bytes(junk))
    bad_entry("not_a_model.onnx", "512 seeded random bytes, first byte 0x07 (invalid tag)", "parse-error")
    (b / "empty.onnx").write_bytes(b"")
    bad_entry("empty.onnx", "0 bytes: parses as an empty ModelProto (no ir_version, no graph, no opset_import)",
              "invalid-model")
    valid = (FIX / "torch_cnn_eval" / "model.onnx").read_bytes()
    (b / "truncated.onnx").write_bytes(valid[:len(valid) // 2])
    bad_entry("truncated.onnx", "first half of torch_cnn_eval/model.onnx", "parse-error")
    relu = tiny_graph_model([helper.make_node("Relu", ["X"], ["Y"], name="relu")], [vi("X", F, [2])], [vi("Y", F, [2])])
    (b / "graph_proto.onnx").write_bytes(relu.graph.SerializeToString())
    bad_entry("graph_proto.onnx", "a serialized GraphProto (may parse as a ModelProto full of mismatched/unknown "
                                  "fields; has no graph)", "parse-error-or-invalid-model")
    (b / "tensor_proto.onnx").write_bytes(init("T", np.arange(6, dtype=np.float32).reshape(2, 3)).SerializeToString())
    bad_entry("tensor_proto.onnx", "a serialized TensorProto", "parse-error-or-invalid-model")
    m = onnx.ModelProto(ir_version=8, producer_name="freezer-fixtures")
    m.opset_import.append(helper.make_opsetid("", 13))
    (b / "no_graph.onnx").write_bytes(m.SerializeToString())
    bad_entry("no_graph.onnx", "ModelProto with ir_version and opset_import but no graph", "invalid-model")
    m = copy.deepcopy(relu)
    del m.opset_import[:]
    (b / "no_opset.onnx").write_bytes(m.SerializeToString())
    bad_entry("no_opset.onnx", "valid Relu graph but no opset_import", "invalid-model")
    cyc = tiny_graph_model([helper.make_node("Relu", ["b"], ["a"], name="n1"),
                            helper.make_node("Relu", ["a"], ["b"], name="n2"),
                            helper.make_node("Add", ["X", "a"], ["Y"], name="n3")],
                           [vi("X", F, [2])], [vi("Y", F, [2])])
    (b / "cycle.onnx").write_bytes(cyc.SerializeToString())
    bad_entry("cycle.onnx", "n1 reads n2's output and n2 reads n1's output", "invalid-graph")
    dang = tiny_graph_model([helper.make_node("Add", ["X", "ghost"], ["Y"], name="add")],
                            [vi("X", F, [2])], [vi("Y", F, [2])])
    (b / "dangling.onnx").write_bytes(dang.SerializeToString())
    bad_entry("dangling.onnx", "node input 'ghost' is produced by nothing", "invalid-graph")
    dup = tiny_graph_model([helper.make_node("Relu", ["X"], ["h"], name="relu"),
                            helper.make_node("Neg", ["X"], ["h"], name="neg"),
                            helper.make_node("Identity", ["h"], ["Y"], name="id")],
                           [vi("X", F, [2])], [vi("Y", F, [2])])
    (b / "duplicate_output.onnx").write_bytes(dup.SerializeToString())
    bad_entry("duplicate_output.onnx", "two nodes both produce 'h'", "invalid-graph")
    bad_t = TensorProto(name="W", data_type=F, dims=[2, 3], raw_data=np.arange(5, dtype=np.float32).tobytes())
    mis = tiny_graph_model([helper.make_node("Add", ["X", "W"], ["Y"], name="add")],
                           [vi("X", F, [2, 3])], [vi("Y", F, [2, 3])], [bad_t])
    (b / "initializer_shape_mismatch.onnx").write_bytes(mis.SerializeToString())
    bad_entry("initializer_shape_mismatch.onnx", "initializer W has dims [2,3] but raw_data holds 5 floats (20 bytes)",
              "invalid-tensor")
    unt = tiny_graph_model([helper.make_node("Relu", ["X"], ["Y"], name="relu")],
                           [onnx.ValueInfoProto(name="X")], [vi("Y", F, [2])])
    (b / "untyped_io.onnx").write_bytes(unt.SerializeToString())
    bad_entry("untyped_io.onnx", "graph input X has no type", "invalid-graph")

    # External-data failures: MatMul with a 16x16 float weight (1024 bytes) stored outside the model.
    w = np.arange(256, dtype=np.float32).reshape(16, 16) / 256

    def ext_model(sub: str, location: str, offset: int | None, length: int | None):
        t = TensorProto(name="W", data_type=F, dims=[16, 16])
        t.data_location = TensorProto.EXTERNAL
        for k, v in (("location", location), ("offset", offset), ("length", length)):
            if v is not None:
                e = t.external_data.add()
                e.key, e.value = k, str(v)
        m = tiny_graph_model([helper.make_node("MatMul", ["X", "W"], ["Y"], name="matmul")],
                             [vi("X", F, [1, 16])], [vi("Y", F, [1, 16])], [t])
        (b / sub).mkdir(parents=True, exist_ok=True)
        (b / sub / "model.onnx").write_bytes(m.SerializeToString())

    ext_model("external_escape", "../external_escape_outside.bin", 0, 1024)
    (b / "external_escape_outside.bin").write_bytes(w.tobytes())
    bad_entry("external_escape/model.onnx", "location '../external_escape_outside.bin' leaves the model directory "
                                            "(the target file exists, so only a path check can refuse it)",
              "refuse-location")
    ext_model("external_absolute", "/etc/hosts", None, None)
    bad_entry("external_absolute/model.onnx", "absolute location '/etc/hosts'", "refuse-location")
    ext_model("external_out_of_range", "data.bin", 512, 1024)
    (b / "external_out_of_range" / "data.bin").write_bytes(w.tobytes())
    bad_entry("external_out_of_range/model.onnx", "offset 512 + length 1024 runs past the 1024-byte data.bin",
              "out-of-range")
    ext_model("external_missing", "missing.bin", None, None)
    bad_entry("external_missing/model.onnx", "location 'missing.bin' does not exist", "missing-file")
    ext_model("external_length_mismatch", "data.bin", 0, 512)
    (b / "external_length_mismatch" / "data.bin").write_bytes(w.tobytes()[:512])
    bad_entry("external_length_mismatch/model.onnx", "length 512 but dims [16,16] float need 1024 bytes",
              "invalid-tensor")


# ----------------------------------------------------------------------------- main

def main():
    if FIX.exists():
        shutil.rmtree(FIX)  # external data is appended to existing files, so start clean
    FIX.mkdir(parents=True)
    np.random.seed(0)
    try:
        torch_fixtures()
    except ImportError:
        sys.exit("torch is required for the PyTorch fixtures (see scripts/requirements-fixtures.txt)")
    training_info_fixture("training_info_adam", "adam", reg="l1", clip="global", schedule="exp", seed=10)
    training_info_fixture("training_info_momentum", "momentum", reg="l2", clip="value", schedule="step", seed=20)
    training_info_fixture("training_info_adagrad", "adagrad", reg="l1", clip="value", schedule="const", seed=30)
    training_in_main_graph()
    for op in (1, 6, 7, 10):
        dropout_old(op)
    dropout_opset12()
    for op in (1, 6, 7, 9, 14):
        batchnorm_old(op)
    float16_convbn()
    external_data()
    if_loop_subgraphs()
    shared_weights()
    initializers_as_inputs()
    params_without_values()
    typed_fields()
    unknown_fields()
    bad_fixtures()

    manifest = {
        "generator": "scripts/make_fixtures.py",
        "versions": {"onnx": onnx.__version__, "onnxruntime": ort.__version__, "numpy": np.__version__},
        "definitions": {
            "dropout.training": "opset>=12: training_mode input is 'absent' (missing/empty), 'constant-true'/"
                                "'constant-false' (initializer or Constant, possibly outer scope), 'graph-input', or "
                                "'computed'; opset 7-11: 'absent' (no training input, inference semantics); opset<=6: "
                                "'is_test=<0|1>' (attribute, default 0 = training)",
            "dropout.mask_used": "mask output exists and is read by a node or is a (sub)graph output",
            "batch_norm.training": "since_version>=14: training_mode==1; 7..9: more than one output; <=6: is_test==0",
            "batch_norm.outputs": "number of non-empty outputs",
            "batch_norm.foldable_into": "op type of X's producer when it is Conv/ConvTranspose/Gemm/MatMul in the same "
                                        "graph, its output is read only by this BN (and is not a graph output), its "
                                        "weight is an initializer/Constant, and BN is spatial; otherwise null",
            "parameters": "total element count of the main graph's initializers",
            "reference": "test_data_set_<i>/input_<k>.pb, output_<k>.pb: TensorProto named after the graph "
                         "input/output; outputs are what the inference-mode (frozen) model must produce",
        },
        "fixtures": MANIFEST,
        "bad": BAD,
    }
    (FIX / "MANIFEST.json").write_text(json.dumps(manifest, indent=1, sort_keys=False) + "\n")
    total = sum(p.stat().st_size for p in FIX.rglob("*") if p.is_file())
    print(f"wrote {len(MANIFEST)} fixtures + {len(BAD)} bad inputs to {FIX.relative_to(ROOT)} ({total} bytes)")


if __name__ == "__main__":
    main()
