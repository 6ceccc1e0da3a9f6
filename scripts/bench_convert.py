#!/usr/bin/env python3
"""Helper of scripts/bench-convert.sh: synthesizes large training-mode models, optimizes them with
onnxruntime, measures commands, and follows a conversion's memory phase by phase.

    python3 scripts/bench_convert.py synth conv   OUT.onnx [--layers 53] [--spatial 8] [--gamma LO,HI] [--beta-std S]
    python3 scripts/bench_convert.py synth matmul OUT.onnx [--layers 9] [--width 8192] [--batch 4] [--value-info]
    python3 scripts/bench_convert.py synth llama  OUT.onnx [--layers 32] [--hidden 4096] [--mlp 11008]
                                                  [--heads 32] [--vocab 32000] [--max-positions 2048]
    python3 scripts/bench_convert.py check MODEL.onnx [--run-ort]   # onnx.checker (path form); ORT run
    python3 scripts/bench_convert.py ort MODEL.onnx OUT.onnx        # ORT_ENABLE_BASIC offline, 1 thread
    python3 scripts/bench_convert.py measure --name NAME --repeat N [--as-limit BYTES] -- COMMAND...
    python3 scripts/bench_convert.py phases --out FILE.json -- COMMAND...
    python3 scripts/bench_convert.py table RESULTS.jsonl
    python3 scripts/bench_convert.py generator-digest               # changes when the synthesis code does

The models are written by streaming: no whole model is ever held in Python memory. Weights are seeded
random numbers; every file is byte-identical for the same arguments.

  conv    L x [Conv 3x3 512->512 (pads 1) + BatchNormalization(training_mode=1) + Relu +
          Dropout(ratio 0.1, training_mode constant true)], input [1, 512, S, S]; inline (no external
          data; the ModelProto is written as protobuf pieces, one initializer at a time).
  matmul  L x [MatMul W x W + Add + BatchNormalization(training_mode=1) + Relu + Dropout(training)],
          input [batch, W]; weights in OUT.onnx.data (external data, offsets aligned to 4 KiB).
  llama   a Llama-style decoder in float16 as a training export writes it: embedding Gather, per layer
          RMSNorm spelled out (Cast, Pow, ReduceMean, Add, Sqrt, Div, Cast, Mul), q/k/v projections,
          rotary embedding (Gather of cached cos/sin by Range positions, Slice/Neg/Concat/Mul/Add),
          scaled scores plus a causal mask sliced from a cached constant, Softmax in float32,
          Dropout(training) on the attention probabilities and on both residual branches, SiLU MLP
          (Sigmoid, Mul); final RMSNorm, LM head, logits cast to float32, and a shifted
          SoftmaxCrossEntropyLoss against a `labels` input. Inputs input_ids and labels, int64
          [1, seq]. Weights in OUT.onnx.data. The default configuration is Llama-7B (6.74 B
          parameters, 13.5 GB).

BatchNorm statistics are not defaults: each layer's running mean and variance are the statistics of
its actual pre-normalization activations on random inputs uniform in [-1, 1) (what freezer feeds
by default), perturbed per channel, so that activations stay O(1) through every layer in inference
mode, as in a trained network.
"""
from __future__ import annotations

import argparse
import json
import math
import os
import pty
import re
import select
import shutil
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import numpy as np

OPSET = 17
ALIGN = 4096
EXTERNAL_MIN_BYTES = 1024  # tensors at least this large go to the external data file


# ------------------------------------------------------------------------------------------------
# Streaming writers


def _varint(n: int) -> bytes:
    from google.protobuf.internal.encoder import _VarintBytes  # protobuf's own base-128 varint encoder

    return _VarintBytes(n)


def _field(number: int, payload: bytes) -> bytes:
    """A length-delimited protobuf field."""
    return _varint((number << 3) | 2) + _varint(len(payload)) + payload


class Writer:
    """Collects nodes and value infos; initializers go either inline (into a spool file, written as
    GraphProto.initializer fields at the end) or external (appended to the data file)."""

    def __init__(self, path: Path, external: bool):
        import onnx

        self.onnx = onnx
        self.path = Path(path)
        self.external = external
        self.nodes = []
        self.inputs = []
        self.outputs = []
        self.value_info = []
        self.small_inits = []
        self.names = set()
        self.counter = 0
        self.path.parent.mkdir(parents=True, exist_ok=True)
        if external:
            self.data_name = self.path.name + ".data"
            self.data = open(self.path.parent / self.data_name, "wb")
        else:
            self.spool_path = self.path.with_suffix(".spool")
            self.spool = open(self.spool_path, "wb")
            self.spool_bytes = 0

    def fresh(self, prefix: str) -> str:
        self.counter += 1
        return f"{prefix}_{self.counter}"

    def node(self, op, inputs, outputs=None, name=None, **attrs):
        helper = self.onnx.helper
        if outputs is None:
            outputs = [self.fresh(f"/{op}_output")]
        elif isinstance(outputs, int):
            outputs = [self.fresh(f"/{op}_output") for _ in range(outputs)]
        self.nodes.append(helper.make_node(op, inputs, outputs, name=name or self.fresh(f"/{op}"), **attrs))
        return outputs[0] if len(outputs) == 1 else outputs

    def const(self, array, name=None) -> str:
        """A Constant node (as the TorchScript exporter writes scalars and shape vectors)."""
        helper, numpy_helper = self.onnx.helper, self.onnx.numpy_helper
        out = name or self.fresh("/Constant_output")
        tensor = numpy_helper.from_array(np.asarray(array), name=out)
        self.nodes.append(helper.make_node("Constant", [], [out], name=self.fresh("/Constant"), value=tensor))
        return out

    def initializer(self, name: str, shape, dtype, chunks) -> str:
        """Writes an initializer whose payload is produced by `chunks` (an iterable of arrays whose
        concatenation, in C order, is the tensor)."""
        onnx = self.onnx
        assert name not in self.names, name
        self.names.add(name)
        dtype = np.dtype(dtype)
        nbytes = int(np.prod(shape, dtype=np.int64)) * dtype.itemsize
        elem = onnx.helper.np_dtype_to_tensor_dtype(dtype)
        if self.external and nbytes >= EXTERNAL_MIN_BYTES:
            offset = self.data.tell()
            pad = (-offset) % ALIGN
            if pad:
                self.data.write(b"\0" * pad)
                offset += pad
            written = 0
            for c in chunks:
                b = np.ascontiguousarray(c, dtype=dtype).tobytes()
                self.data.write(b)
                written += len(b)
            assert written == nbytes, (name, written, nbytes)
            t = onnx.TensorProto(name=name, data_type=elem, dims=list(shape))
            t.data_location = onnx.TensorProto.EXTERNAL
            for k, v in (("location", self.data_name), ("offset", str(offset)), ("length", str(nbytes))):
                e = t.external_data.add()
                e.key, e.value = k, v
            self.small_inits.append(t)
        elif not self.external and nbytes >= (1 << 20):
            # Large inline tensor: serialize it alone and spool it; GraphProto fields may come in any
            # order, so the initializer fields are appended after the rest of the graph.
            raw = b"".join(np.ascontiguousarray(c, dtype=dtype).tobytes() for c in chunks)
            assert len(raw) == nbytes
            t = onnx.TensorProto(name=name, data_type=elem, dims=list(shape), raw_data=raw)
            piece = _field(5, t.SerializeToString())
            del raw, t
            self.spool.write(piece)
            self.spool_bytes += len(piece)
        else:
            arr = np.concatenate([np.ravel(np.asarray(c, dtype=dtype)) for c in chunks]).reshape(shape)
            self.small_inits.append(self.onnx.numpy_helper.from_array(arr, name=name))
        return name

    def array(self, name, array) -> str:
        array = np.asarray(array)
        return self.initializer(name, array.shape, array.dtype, [array])

    def finish(self, graph_name: str, producer: str = "pytorch", producer_version: str = "2.13.0"):
        onnx = self.onnx
        graph = onnx.helper.make_graph(self.nodes, graph_name, self.inputs, self.outputs, initializer=self.small_inits,
                                       value_info=self.value_info)
        model = onnx.helper.make_model(graph, opset_imports=[onnx.helper.make_opsetid("", OPSET)],
                                       producer_name=producer, producer_version=producer_version)
        model.ir_version = 8
        if self.external:
            self.data.close()
            with open(self.path, "wb") as f:
                f.write(model.SerializeToString())
            return
        self.spool.close()
        graph_head = model.graph.SerializeToString()
        model.ClearField("graph")
        head = model.SerializeToString()
        with open(self.path, "wb") as f:
            f.write(head)
            f.write(_varint((7 << 3) | 2) + _varint(len(graph_head) + self.spool_bytes))
            f.write(graph_head)
            with open(self.spool_path, "rb") as s:
                shutil.copyfileobj(s, f, 1 << 24)
        self.spool_path.unlink()


def normal_chunks(rng, shape, std, dtype=np.float32, chunk_elems=1 << 24):
    """Seeded normal values, generated in chunks of rows."""
    shape = tuple(shape)
    row = int(np.prod(shape[1:], dtype=np.int64)) if len(shape) > 1 else 1
    rows_per = max(1, chunk_elems // max(row, 1))
    for start in range(0, shape[0], rows_per):
        n = min(rows_per, shape[0] - start)
        a = rng.standard_normal((n,) + shape[1:], dtype=np.float32)
        a *= np.float32(std)
        yield a.astype(dtype, copy=False)


# BatchNorm affine parameters: gamma ~ U(GAMMA), beta ~ N(0, BETA_STD). With gamma ~ U(0.5, 1.5) and
# beta ~ N(0, 0.2), 53 plain Conv+BN+ReLU layers with calibrated statistics are chaotic: a float32
# evaluation of the original differs from a float64 one by ~3e-3 of the output range, rounding
# differences growing ~1.2x per layer, and every tolerance check of a correct conversion fails. These
# defaults keep the networks in the ordered regime (float32 vs float64 ~3e-6 relative) while the
# outputs still depend on the input.
GAMMA = (0.3, 0.8)
BETA_STD = 1.0


def bn_statistics(rng, pre: np.ndarray, axis_reduce):
    """Running statistics from actual activations `pre`, perturbed per channel (mean by 5 % of the
    standard deviation, variance by ±10 %)."""
    mean = pre.mean(axis=axis_reduce)
    var = pre.var(axis=axis_reduce)
    c = mean.shape[0]
    spread = np.sqrt(var) + 1e-3
    running_mean = (mean + 0.05 * spread * rng.standard_normal(c)).astype(np.float32)
    running_var = (var * rng.uniform(0.9, 1.1, c) + 1e-4).astype(np.float32)
    gamma = rng.uniform(GAMMA[0], GAMMA[1], c).astype(np.float32)
    beta = rng.normal(0.0, BETA_STD, c).astype(np.float32)
    return gamma, beta, running_mean, running_var


def bn_apply(x, gamma, beta, mean, var, channel_axis, eps=1e-5):
    shape = [1] * x.ndim
    shape[channel_axis] = -1
    r = lambda v: v.reshape(shape)  # noqa: E731
    return r(gamma) * (x - r(mean)) / np.sqrt(r(var) + eps) + r(beta)


def dropout(w: Writer, x: str, prefix: str, ratio=0.1) -> str:
    r = w.const(np.array(ratio, dtype=np.float32), name=f"{prefix}/Constant_output_0")
    t = w.const(np.array(True), name=f"{prefix}/Constant_1_output_0")
    out, _mask = w.node("Dropout", [x, r, t], [f"{prefix}/Dropout_output_0", f"{prefix}/Dropout_output_1"],
                        name=f"{prefix}/Dropout")
    return out


def batchnorm(w: Writer, x: str, prefix: str, params) -> str:
    gamma, beta, mean, var = params
    names = [w.array(f"{prefix}.{k}", v) for k, v in
             (("weight", gamma), ("bias", beta), ("running_mean", mean), ("running_var", var))]
    y, _m, _v = w.node("BatchNormalization", [x] + names,
                       [f"/{prefix}/BatchNormalization_output_{i}" for i in range(3)],
                       name=f"/{prefix}/BatchNormalization", epsilon=1e-5, momentum=0.9, training_mode=1)
    return y


# ------------------------------------------------------------------------------------------------
# Models


def calibration_inputs(rng, shape, count=16):
    """Inputs as freezer draws them: uniform in [-1, 1)."""
    return rng.uniform(-1.0, 1.0, (count,) + tuple(shape[1:])).astype(np.float32)


def im2col3(x):
    """x [n, c, h, w] -> [n*h*w, c*9] for a 3x3 convolution with pads 1, stride 1."""
    n, c, h, wd = x.shape
    p = np.pad(x, ((0, 0), (0, 0), (1, 1), (1, 1)))
    cols = np.empty((n, h, wd, c, 3, 3), dtype=np.float32)
    for i in range(3):
        for j in range(3):
            cols[..., i, j] = p[:, :, i:i + h, j:j + wd].transpose(0, 2, 3, 1)
    return cols.reshape(n * h * wd, c * 9)


def synth_conv(path: Path, layers=53, channels=512, spatial=8, seed=1):
    import onnx

    rng = np.random.default_rng(seed)
    w = Writer(path, external=False)
    shape = [1, channels, spatial, spatial]
    w.inputs.append(onnx.helper.make_tensor_value_info("input", onnx.TensorProto.FLOAT, shape))
    act = calibration_inputs(rng, shape)
    x = "input"
    std = math.sqrt(2.0 / (channels * 9))
    for i in range(layers):
        weight = next(normal_chunks(rng, (channels, channels, 3, 3), std, chunk_elems=1 << 30))
        bias = rng.normal(0.0, 0.05, channels).astype(np.float32)
        cols = im2col3(act)
        pre = (cols @ weight.reshape(channels, -1).T + bias).reshape(act.shape[0], spatial, spatial, channels)
        pre = pre.transpose(0, 3, 1, 2)
        params = bn_statistics(rng, pre, (0, 2, 3))
        act = np.maximum(bn_apply(pre, *params, channel_axis=1), 0).astype(np.float32)
        wname = w.initializer(f"layers.{i}.conv.weight", weight.shape, np.float32, [weight])
        bname = w.array(f"layers.{i}.conv.bias", bias)
        y = w.node("Conv", [x, wname, bname], [f"/layers.{i}/conv/Conv_output_0"], name=f"/layers.{i}/conv/Conv",
                   dilations=[1, 1], group=1, kernel_shape=[3, 3], pads=[1, 1, 1, 1], strides=[1, 1])
        y = batchnorm(w, y, f"layers.{i}.bn", params)
        y = w.node("Relu", [y], [f"/layers.{i}/Relu_output_0"], name=f"/layers.{i}/Relu")
        x = dropout(w, y, f"/layers.{i}/drop")
        del weight
    w.nodes.append(onnx.helper.make_node("Identity", [x], ["output"], name="/output/Identity"))
    w.outputs.append(onnx.helper.make_tensor_value_info("output", onnx.TensorProto.FLOAT, shape))
    w.finish("conv_bn_dropout")
    print(f"{path}: {layers} conv layers, input {shape}, calibration output |max| {np.abs(act).max():.3g}")


def synth_matmul(path: Path, layers=9, width=8192, batch=4, seed=2, value_info=False):
    import onnx

    rng = np.random.default_rng(seed)
    w = Writer(path, external=True)
    w.inputs.append(onnx.helper.make_tensor_value_info("input", onnx.TensorProto.FLOAT, [batch, width]))
    act = calibration_inputs(rng, [batch, width], count=64)
    x = "input"
    std = math.sqrt(2.0 / width)
    rows = 1024
    for i in range(layers):
        pre = np.zeros((act.shape[0], width), dtype=np.float32)

        def gen(i=i):
            # The product with the calibration activations is accumulated while the weight streams out.
            for start, chunk in zip(range(0, width, rows), normal_chunks(rng, (width, width), std, chunk_elems=rows * width)):
                pre[:] += act[:, start:start + chunk.shape[0]] @ chunk
                yield chunk

        wname = w.initializer(f"onnx::MatMul_{1000 + i}", (width, width), np.float32, gen())
        bias = rng.normal(0.0, 0.05, width).astype(np.float32)
        pre += bias
        params = bn_statistics(rng, pre, (0,))
        act = np.maximum(bn_apply(pre, *params, channel_axis=1), 0).astype(np.float32)
        y = w.node("MatMul", [x, wname], [f"/layers.{i}/fc/MatMul_output_0"], name=f"/layers.{i}/fc/MatMul")
        y = w.node("Add", [w.array(f"layers.{i}.fc.bias", bias), y], [f"/layers.{i}/fc/Add_output_0"],
                   name=f"/layers.{i}/fc/Add")
        y = batchnorm(w, y, f"layers.{i}.bn", params)
        y = w.node("Relu", [y], [f"/layers.{i}/Relu_output_0"], name=f"/layers.{i}/Relu")
        x = dropout(w, y, f"/layers.{i}/drop")
        if value_info:
            w.value_info += [onnx.helper.make_tensor_value_info(v, onnx.TensorProto.FLOAT, [batch, width]) for v in (y, x)]
    w.nodes.append(onnx.helper.make_node("Identity", [x], ["output"], name="/output/Identity"))
    w.outputs.append(onnx.helper.make_tensor_value_info("output", onnx.TensorProto.FLOAT, [batch, width]))
    w.finish("matmul_bn_dropout")
    print(f"{path}: {layers} MatMul layers {width}x{width}, input [{batch}, {width}], "
          f"calibration output |max| {np.abs(act).max():.3g}")


def synth_llama(path: Path, layers=32, hidden=4096, mlp=11008, heads=32, vocab=32000, max_positions=2048,
                seed=3, std=0.02, eps=1e-6, dropout_ratio=0.1):
    import onnx

    TP = onnx.TensorProto
    f16 = np.float16
    rng = np.random.default_rng(seed)
    head_dim = hidden // heads
    w = Writer(path, external=True)
    w.inputs.append(onnx.helper.make_tensor_value_info("input_ids", TP.INT64, [1, "seq"]))
    w.inputs.append(onnx.helper.make_tensor_value_info("labels", TP.INT64, [1, "seq"]))

    def linear(name, fan_in, fan_out):
        # torch's exporter stores a bias-free Linear's weight transposed, as the MatMul's right operand.
        return w.initializer(name, (fan_in, fan_out), f16, normal_chunks(rng, (fan_in, fan_out), std, f16))

    def i64(*values):
        return w.const(np.array(values, dtype=np.int64))

    def rmsnorm(x, prefix):
        weight = w.array(f"{prefix}.weight", (1.0 + 0.05 * rng.standard_normal(hidden)).astype(f16))
        xf = w.node("Cast", [x], name=f"/{prefix}/Cast", to=TP.FLOAT)
        p = w.node("Pow", [xf, w.const(np.array(2.0, dtype=np.float32))], name=f"/{prefix}/Pow")
        m = w.node("ReduceMean", [p], name=f"/{prefix}/ReduceMean", axes=[-1], keepdims=1)
        a = w.node("Add", [m, w.const(np.array(eps, dtype=np.float32))], name=f"/{prefix}/Add")
        s = w.node("Sqrt", [a], name=f"/{prefix}/Sqrt")
        n = w.node("Div", [xf, s], name=f"/{prefix}/Div")
        h = w.node("Cast", [n], name=f"/{prefix}/Cast_1", to=TP.FLOAT16)
        return w.node("Mul", [weight, h], name=f"/{prefix}/Mul")

    # Embedding, positions, rotary tables, causal mask.
    embed = w.initializer("model.embed_tokens.weight", (vocab, hidden), f16, normal_chunks(rng, (vocab, hidden), std, f16))
    x = w.node("Gather", [embed, "input_ids"], name="/model/embed_tokens/Gather")
    shape_ids = w.node("Shape", ["input_ids"], name="/model/Shape")
    seq = w.node("Gather", [shape_ids, w.const(np.array(1, dtype=np.int64))], name="/model/Gather", axis=0)
    seq1 = w.node("Unsqueeze", [seq, i64(0)], name="/model/Unsqueeze")
    positions = w.node("Range", [w.const(np.array(0, dtype=np.int64)), seq, w.const(np.array(1, dtype=np.int64))],
                       name="/model/Range")
    inv_freq = 1.0 / (10000.0 ** (np.arange(0, head_dim, 2, dtype=np.float64) / head_dim))
    angles = np.outer(np.arange(max_positions, dtype=np.float64), inv_freq)
    angles = np.concatenate([angles, angles], axis=1)
    cos = w.node("Gather", [w.array("model.rotary_emb.cos_cached", np.cos(angles).astype(f16)), positions],
                 name="/model/rotary_emb/Gather", axis=0)
    sin = w.node("Gather", [w.array("model.rotary_emb.sin_cached", np.sin(angles).astype(f16)), positions],
                 name="/model/rotary_emb/Gather_1", axis=0)
    mask_cached = np.triu(np.full((max_positions, max_positions), np.finfo(f16).min, dtype=f16), k=1)
    mask = w.node("Slice", [w.array("model.causal_mask", mask_cached), i64(0, 0),
                            w.node("Concat", [seq1, seq1], name="/model/Concat", axis=0), i64(0, 1)],
                  name="/model/Slice")
    del mask_cached
    half = head_dim // 2
    big = np.iinfo(np.int64).max

    def rotary(t, prefix):
        t1 = w.node("Slice", [t, i64(0), i64(half), i64(3)], name=f"{prefix}/Slice")
        t2 = w.node("Slice", [t, i64(half), i64(big), i64(3)], name=f"{prefix}/Slice_1")
        rot = w.node("Concat", [w.node("Neg", [t2], name=f"{prefix}/Neg"), t1], name=f"{prefix}/Concat", axis=-1)
        return w.node("Add", [w.node("Mul", [t, cos], name=f"{prefix}/Mul"),
                              w.node("Mul", [rot, sin], name=f"{prefix}/Mul_1")], name=f"{prefix}/Add")

    for i in range(layers):
        p = f"model.layers.{i}"
        h = rmsnorm(x, f"{p}.input_layernorm")
        heads_shape = i64(1, -1, heads, head_dim)

        def project(kind):
            y = w.node("MatMul", [h, linear(f"{p}.self_attn.{kind}_proj.weight", hidden, hidden)],
                       name=f"/{p}/self_attn/{kind}_proj/MatMul")
            y = w.node("Reshape", [y, heads_shape], name=f"/{p}/self_attn/Reshape_{kind}")
            return w.node("Transpose", [y], name=f"/{p}/self_attn/Transpose_{kind}", perm=[0, 2, 1, 3])

        q, k, v = project("q"), project("k"), project("v")
        q = rotary(q, f"/{p}/self_attn/rotary_q")
        k = rotary(k, f"/{p}/self_attn/rotary_k")
        kt = w.node("Transpose", [k], name=f"/{p}/self_attn/Transpose_kt", perm=[0, 1, 3, 2])
        scores = w.node("MatMul", [q, kt], name=f"/{p}/self_attn/MatMul")
        scores = w.node("Div", [scores, w.const(np.array(math.sqrt(head_dim), dtype=f16))], name=f"/{p}/self_attn/Div")
        scores = w.node("Add", [scores, mask], name=f"/{p}/self_attn/Add")
        probs = w.node("Softmax", [w.node("Cast", [scores], name=f"/{p}/self_attn/Cast", to=TP.FLOAT)],
                       name=f"/{p}/self_attn/Softmax", axis=-1)
        probs = w.node("Cast", [probs], name=f"/{p}/self_attn/Cast_1", to=TP.FLOAT16)
        probs = dropout(w, probs, f"/{p}/self_attn/attention_dropout", dropout_ratio)
        o = w.node("MatMul", [probs, v], name=f"/{p}/self_attn/MatMul_1")
        o = w.node("Transpose", [o], name=f"/{p}/self_attn/Transpose_o", perm=[0, 2, 1, 3])
        o = w.node("Reshape", [o, i64(1, -1, hidden)], name=f"/{p}/self_attn/Reshape_o")
        o = w.node("MatMul", [o, linear(f"{p}.self_attn.o_proj.weight", hidden, hidden)], name=f"/{p}/self_attn/o_proj/MatMul")
        o = dropout(w, o, f"/{p}/resid_attn_dropout", dropout_ratio)
        x = w.node("Add", [x, o], name=f"/{p}/Add")
        h = rmsnorm(x, f"{p}.post_attention_layernorm")
        g = w.node("MatMul", [h, linear(f"{p}.mlp.gate_proj.weight", hidden, mlp)], name=f"/{p}/mlp/gate_proj/MatMul")
        u = w.node("MatMul", [h, linear(f"{p}.mlp.up_proj.weight", hidden, mlp)], name=f"/{p}/mlp/up_proj/MatMul")
        act = w.node("Mul", [g, w.node("Sigmoid", [g], name=f"/{p}/mlp/act_fn/Sigmoid")], name=f"/{p}/mlp/act_fn/Mul")
        d = w.node("MatMul", [w.node("Mul", [act, u], name=f"/{p}/mlp/Mul"),
                              linear(f"{p}.mlp.down_proj.weight", mlp, hidden)], name=f"/{p}/mlp/down_proj/MatMul")
        d = dropout(w, d, f"/{p}/resid_mlp_dropout", dropout_ratio)
        x = w.node("Add", [x, d], name=f"/{p}/Add_1")

    h = rmsnorm(x, "model.norm")
    logits16 = w.node("MatMul", [h, linear("lm_head.weight", hidden, vocab)], name="/lm_head/MatMul")
    w.node("Cast", [logits16], ["logits"], name="/Cast", to=TP.FLOAT)
    shifted = w.node("Slice", ["logits", i64(0), i64(-1), i64(1)], name="/loss/Slice")
    shifted = w.node("Reshape", [shifted, i64(-1, vocab)], name="/loss/Reshape")
    targets = w.node("Slice", ["labels", i64(1), i64(big), i64(1)], name="/loss/Slice_1")
    targets = w.node("Reshape", [targets, i64(-1)], name="/loss/Reshape_1")
    w.node("SoftmaxCrossEntropyLoss", [shifted, targets], ["loss"], name="/loss/SoftmaxCrossEntropyLoss",
           reduction="mean", ignore_index=-100)
    w.outputs.append(onnx.helper.make_tensor_value_info("logits", TP.FLOAT, [1, "seq", vocab]))
    w.outputs.append(onnx.helper.make_tensor_value_info("loss", TP.FLOAT, []))
    w.finish("llama_decoder_training")
    params = vocab * hidden * 2 + layers * (4 * hidden * hidden + 3 * hidden * mlp + 2 * hidden) + hidden
    print(f"{path}: Llama-style decoder, {layers} layers, hidden {hidden}, MLP {mlp}, {heads} heads, vocab {vocab}: "
          f"{params / 1e9:.3f} B parameters")


# ------------------------------------------------------------------------------------------------
# Checks and onnxruntime


def check(path: Path, run_ort: bool):
    import onnx

    onnx.checker.check_model(str(path), full_check=True)
    print(f"onnx.checker (path form, full_check): {path} OK")
    if not run_ort:
        return
    import onnxruntime as ort

    options = ort.SessionOptions()
    options.intra_op_num_threads = 1
    session = ort.InferenceSession(str(path), options, providers=["CPUExecutionProvider"])
    rng = np.random.default_rng(0)
    feeds = {}
    for i in session.get_inputs():
        shape = [d if isinstance(d, int) else 8 for d in i.shape]
        if i.type == "tensor(int64)":
            feeds[i.name] = rng.integers(0, 4, shape, dtype=np.int64)
        else:
            feeds[i.name] = rng.uniform(-1, 1, shape).astype(np.float32)
    outputs = session.run(None, feeds)
    for o, v in zip(session.get_outputs(), outputs):
        v = np.asarray(v)
        finite = bool(np.isfinite(v.astype(np.float64)).all())
        print(f"onnxruntime output {o.name}: shape {list(v.shape)}, |max| {float(np.abs(v.astype(np.float64)).max()):.4g}, "
              f"finite {finite}")
        if not finite:
            raise SystemExit(f"{path}: output {o.name} is not finite")


def ort_optimize(model: Path, out: Path):
    """Offline ORT_ENABLE_BASIC optimization: load + optimize + save; prints the in-process time."""
    t0 = time.perf_counter()
    import onnxruntime as ort

    t1 = time.perf_counter()
    options = ort.SessionOptions()
    options.graph_optimization_level = ort.GraphOptimizationLevel.ORT_ENABLE_BASIC
    options.intra_op_num_threads = 1
    options.inter_op_num_threads = 1
    options.optimized_model_filepath = str(out)
    if (model.parent / (model.name + ".data")).exists():
        # Without this, ORT writes only the graph and keeps references into the source's data file
        # (relative to the source's directory); with it, ORT writes every initializer of 1 KiB or more
        # to its own data file, as freezer does for such models. It is also required beyond 2 GiB.
        options.add_session_config_entry("session.optimized_model_external_initializers_file_name", out.name + ".data")
        options.add_session_config_entry("session.optimized_model_external_initializers_min_size_in_bytes", "1024")
    error = None
    try:
        ort.InferenceSession(str(model), options, providers=["CPUExecutionProvider"])
    except Exception as e:  # the optimized model may be saved before the session fails
        error = str(e).splitlines()[0][:300]
    t2 = time.perf_counter()
    saved = out.exists()
    print(json.dumps({"import_s": t1 - t0, "session_s": t2 - t1, "saved": saved, "error": error}))
    if not saved:
        raise SystemExit(f"onnxruntime did not write {out}: {error}")


# ------------------------------------------------------------------------------------------------
# Measuring


def parse_time_v(path: Path):
    text = path.read_text(errors="replace")
    wall = re.search(r"Elapsed \(wall clock\) time.*: (.*)", text).group(1).strip()
    parts = [float(p) for p in wall.split(":")]
    seconds = 0.0
    for p in parts:
        seconds = seconds * 60 + p
    rss_kib = int(re.search(r"Maximum resident set size \(kbytes\): (\d+)", text).group(1))
    user = float(re.search(r"User time \(seconds\): ([\d.]+)", text).group(1))
    system = float(re.search(r"System time \(seconds\): ([\d.]+)", text).group(1))
    return seconds, rss_kib * 1024, user + system


def measure(args):
    """Runs COMMAND under /usr/bin/time -v REPEAT times; appends one JSON line to --results."""
    work = Path(args.work)
    work.mkdir(parents=True, exist_ok=True)
    runs = []
    for r in range(args.repeat):
        tv = work / f"{args.name}.{r}.time"
        out, err = work / f"{args.name}.{r}.out", work / f"{args.name}.{r}.err"
        cmd = ["/usr/bin/time", "-v", "-o", str(tv)]
        if args.as_limit:
            cmd += ["prlimit", f"--as={args.as_limit}", "--"]
        cmd += args.command
        if args.cleanup:
            for p in args.cleanup:
                for q in Path(p).parent.glob(Path(p).name + "*"):
                    q.unlink()
        killed = False
        load = os.getloadavg()[0]
        with open(out, "wb") as o, open(err, "wb") as e:
            proc = subprocess.Popen(cmd, stdout=o, stderr=e, start_new_session=True)
            while proc.poll() is None:
                if args.rss_limit and _tree_rss(proc.pid) > args.rss_limit:
                    # A session of our own: only the measured command and its children are in it.
                    os.killpg(proc.pid, signal.SIGKILL)
                    killed = True
                    proc.wait()
                    break
                time.sleep(0.2)
            rc = proc.returncode
        extra = {}
        if killed:
            wall, rss, cpu = float("nan"), args.rss_limit, float("nan")
            extra["killed"] = f"resident set of the process tree exceeded {args.rss_limit / 2**30:.0f} GiB"
            rc = "killed"
        else:
            wall, rss, cpu = parse_time_v(tv)
        text = out.read_text(errors="replace")
        if "session_s" in text:
            try:
                extra = json.loads(text.strip().splitlines()[-1])
            except json.JSONDecodeError:
                pass
        if text.lstrip().startswith("{"):
            try:
                summary = json.loads(text)
                extra["summary"] = summary
            except json.JSONDecodeError:
                pass
        lines = err.read_text(errors="replace").strip().splitlines()
        first_error = next((x for x in lines if re.search(r"error", x, re.I)), None)
        runs.append({"rc": rc, "wall": wall, "rss": rss, "cpu": cpu, "load_before": load, **extra,
                     "stderr_tail": lines[-3:], "error_line": first_error})
        print(f"  {args.name} run {r + 1}/{args.repeat}: exit {rc}, {wall:.2f} s, {rss / 2**20:.0f} MiB"
              + (f" ({extra['killed']})" if killed else ""), file=sys.stderr)
        if rc != 0 and args.stop_on_error:
            break
    row = {"model": args.model, "case": args.case, "name": args.name, "runs": runs, "as_limit": args.as_limit,
           "rss_limit": args.rss_limit,
           "target_s": args.target_s, "target_rss": args.target_rss, "target_ratio": args.target_ratio}
    with open(args.results, "a") as f:
        f.write(json.dumps(row) + "\n")


def _tree_rss(root: int) -> int:
    """Resident bytes of a process and all its descendants."""
    children = {}
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/stat") as f:
                ppid = int(f.read().rsplit(")", 1)[1].split()[1])
        except (OSError, IndexError, ValueError):
            continue
        children.setdefault(ppid, []).append(int(entry))
    total, stack = 0, [root]
    while stack:
        pid = stack.pop()
        fields = _rss_fields(pid)
        total += (fields or {}).get("VmRSS", 0)
        stack.extend(children.get(pid, []))
    return total


def _rss_fields(pid):
    try:
        with open(f"/proc/{pid}/status") as f:
            text = f.read()
    except OSError:
        return None
    out = {}
    for key in ("VmRSS", "VmHWM", "RssAnon", "RssFile", "RssShmem"):
        m = re.search(rf"^{key}:\s+(\d+) kB", text, re.M)
        if m:
            out[key] = int(m.group(1)) * 1024
    return out


def phases(args):
    """Runs COMMAND with stderr on a pseudo-terminal (so freezer prints its progress phases), samples
    /proc/PID/status every --interval seconds, and attributes each sample to the phase announced last."""
    master, slave = pty.openpty()
    t0 = time.perf_counter()
    proc = subprocess.Popen(args.command, stdout=subprocess.PIPE, stderr=slave, stdin=subprocess.DEVNULL)
    os.close(slave)
    events = [(0.0, "start")]
    buf = b""

    def reader():
        nonlocal buf
        while True:
            try:
                chunk = os.read(master, 4096)
            except OSError:
                return
            if not chunk:
                return
            now = time.perf_counter() - t0
            buf += chunk
            while b"\n" in buf:
                line, buf = buf.split(b"\n", 1)
                text = line.decode(errors="replace").strip()
                if text:
                    events.append((now, text))

    thread = threading.Thread(target=reader, daemon=True)
    thread.start()
    stdout_chunks = []
    out_thread = threading.Thread(target=lambda: stdout_chunks.append(proc.stdout.read()), daemon=True)
    out_thread.start()
    samples = []
    while proc.poll() is None:
        s = _rss_fields(proc.pid)
        if s:
            samples.append((time.perf_counter() - t0, s))
        time.sleep(args.interval)
    end = time.perf_counter() - t0
    thread.join(timeout=2)
    out_thread.join(timeout=2)
    os.close(master)

    def phase_name(text):
        t = re.sub(r"^freezer: ", "", text).rstrip("…").strip()
        if t.startswith("verifying sample"):
            return "verifying (sample " + t.split()[-1] + ")"
        if t.startswith("verifying equivalence"):
            return "verifying (sample 1)"
        return t.split()[0] if t else t

    marks = [(t, phase_name(x)) for t, x in events if x == "start" or x.startswith("freezer: ")]
    table = []
    for k, (t, name) in enumerate(marks):
        t_next = marks[k + 1][0] if k + 1 < len(marks) else end
        inside = [s for ts, s in samples if t <= ts < t_next]
        entry = {"phase": name, "start_s": round(t, 3), "duration_s": round(t_next - t, 3), "samples": len(inside)}
        for key in ("VmRSS", "RssAnon", "RssFile"):
            vals = [s.get(key, 0) for s in inside]
            entry[f"peak_{key}"] = max(vals) if vals else None
        entry["hwm_at_end"] = inside[-1].get("VmHWM") if inside else None
        table.append(entry)
    result = {"command": args.command, "exit": proc.returncode, "wall_s": round(end, 3),
              "peak_VmHWM": max((s.get("VmHWM", 0) for _, s in samples), default=None),
              "events": [(round(t, 3), x) for t, x in events], "phases": table,
              "trace": [(round(t, 3), s.get("VmRSS"), s.get("RssAnon"), s.get("RssFile")) for t, s in samples]}
    Path(args.out).write_text(json.dumps(result, indent=1))
    mib = lambda b: "-" if b is None else f"{b / 2**20:.0f}"  # noqa: E731
    print(f"{' '.join(args.command[:3])} ... exit {proc.returncode}, {end:.2f} s, peak (VmHWM) {mib(result['peak_VmHWM'])} MiB")
    print(f"{'phase':28} {'start s':>8} {'dur s':>7} {'peak RSS':>9} {'anon':>7} {'file':>7}  (MiB)")
    for e in table:
        print(f"{e['phase'][:28]:28} {e['start_s']:8.2f} {e['duration_s']:7.2f} {mib(e['peak_VmRSS']):>9} "
              f"{mib(e['peak_RssAnon']):>7} {mib(e['peak_RssFile']):>7}")


# ------------------------------------------------------------------------------------------------
# Table


def table(path: Path):
    rows = [json.loads(line) for line in path.read_text().splitlines() if line.strip()]
    ort_best = {}
    for r in rows:
        ok = [x for x in r["runs"] if x["rc"] == 0]
        if r["case"] == "onnxruntime basic" and ok:
            ort_best[r["model"]] = min(x["wall"] for x in ok)
    header = ("model", "case", "exit", "wall s (best)", "wall s (runs)", "CPU s (best)", "peak RSS MiB",
              "max abs err (outside or error/bound) or failure", "target", "verdict")
    lines = []
    for r in rows:
        runs = r["runs"]
        timed = [x for x in runs if x["wall"] == x["wall"]] or runs
        best = min(timed, key=lambda x: x["wall"])
        exits = sorted({str(x["rc"]) for x in runs})
        rss = max(x["rss"] for x in runs)
        err = _error_text(best)
        target, verdict = [], "-"
        checks = []
        if r.get("target_s"):
            target.append(f"<= {r['target_s']:g} s")
            checks.append(best["wall"] <= r["target_s"] and best["rc"] == 0)
        if r.get("target_ratio"):
            base = ort_best.get(r["model"])
            target.append(f"<= {r['target_ratio']:g}x ORT" + (f" ({r['target_ratio'] * base:.2f} s)" if base else ""))
            if base:
                checks.append(best["wall"] <= r["target_ratio"] * base)
        if r.get("target_rss"):
            target.append(f"<= {r['target_rss'] / 2**20:.0f} MiB")
            checks.append(rss <= r["target_rss"])
        if checks:
            verdict = ("PASS" if all(checks) else "MISS") + ("" if exits == ["0"] else f" (exit {','.join(exits)})")
        case = r["case"] + (f" [prlimit --as {int(r['as_limit']) / 2**30:.0f} GiB]" if r.get("as_limit") else "")
        lines.append((r["model"], case, ",".join(exits), f"{best['wall']:.2f}",
                      " ".join(f"{x['wall']:.2f}" for x in runs), f"{min(x['cpu'] for x in runs):.2f}",
                      f"{rss / 2**20:.0f}", err, ", ".join(target) or "-", verdict))
    widths = [max(len(str(x[i])) for x in [header] + lines) for i in range(len(header))]
    fmt = lambda row: "| " + " | ".join(str(c).ljust(w) for c, w in zip(row, widths)) + " |"  # noqa: E731
    print(fmt(header))
    print("|" + "|".join("-" * (w + 2) for w in widths) + "|")
    for line in lines:
        print(fmt(line))


def _error_text(run):
    """The largest error freezer reported: from --json on success, from stderr when not equivalent."""
    summary = run.get("summary")
    if isinstance(summary, dict) and summary.get("outputs"):
        worst = max(summary["outputs"], key=lambda o: o.get("maxAbsError", 0))
        ratios = [o["boundRatio"] for o in summary["outputs"] if o.get("boundRatio") is not None]
        if ratios:  # the default criterion: the observed error over its bound (<= 1 passes)
            return f"{worst.get('maxAbsError', 0):.3g} (error/bound {max(ratios):.2f})"
        outside = sum(o.get("outsideTolerance", 0) for o in summary["outputs"])
        return f"{worst.get('maxAbsError', 0):.3g} ({outside} out)"
    if run.get("killed"):
        return "killed: " + run["killed"]
    text = "\n".join(run.get("stderr_tail", []))
    m = re.search(r"max abs error ([0-9.eE+-]+)", text)
    n = re.search(r"(\d+) of (\d+) elements outside", text)
    if m:
        return f"{float(m.group(1)):.3g}" + (f" ({n.group(1)} out)" if n else "")
    if run.get("rc") != 0 and run.get("error_line"):
        return run["error_line"][:90]
    return ""


def generator_digest() -> str:
    """A digest of the synthesis code (from "Streaming writers" to "Checks and onnxruntime"), so that
    bench-convert.sh regenerates a model only when the code that writes it changed."""
    import hashlib

    text = Path(__file__).read_text()
    start, end = text.index("# Streaming writers"), text.index("# Checks and onnxruntime")
    return hashlib.sha256(text[start:end].encode()).hexdigest()[:16]


def main():
    global GAMMA, BETA_STD
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = ap.add_subparsers(dest="cmd", required=True)
    s = sub.add_parser("synth")
    s.add_argument("kind", choices=["conv", "matmul", "llama"])
    s.add_argument("out", type=Path)
    s.add_argument("--layers", type=int)
    s.add_argument("--spatial", type=int, default=8)
    s.add_argument("--width", type=int, default=8192)
    s.add_argument("--batch", type=int, default=4)
    s.add_argument("--hidden", type=int, default=4096)
    s.add_argument("--mlp", type=int, default=11008)
    s.add_argument("--heads", type=int, default=32)
    s.add_argument("--vocab", type=int, default=32000)
    s.add_argument("--max-positions", type=int, default=2048)
    s.add_argument("--value-info", action="store_true",
                   help="matmul: declare the shape of each layer's output (TorchScript training exports do not), "
                        "so that a converter can see the rank of every MatMul input")
    s.add_argument("--gamma", default=f"{GAMMA[0]},{GAMMA[1]}", help="BatchNorm scale range LO,HI")
    s.add_argument("--beta-std", type=float, default=BETA_STD, help="BatchNorm shift standard deviation")
    c = sub.add_parser("check")
    c.add_argument("model", type=Path)
    c.add_argument("--run-ort", action="store_true")
    o = sub.add_parser("ort")
    o.add_argument("model", type=Path)
    o.add_argument("out", type=Path)
    m = sub.add_parser("measure")
    m.add_argument("--name", required=True)
    m.add_argument("--model", required=True)
    m.add_argument("--case", required=True)
    m.add_argument("--work", required=True)
    m.add_argument("--results", required=True)
    m.add_argument("--repeat", type=int, default=1)
    m.add_argument("--as-limit")
    m.add_argument("--target-s", type=float)
    m.add_argument("--target-rss", type=float)
    m.add_argument("--target-ratio", type=float)
    m.add_argument("--cleanup", action="append", help="delete PATH* before each run (previous outputs)")
    m.add_argument("--stop-on-error", action="store_true")
    m.add_argument("--rss-limit", type=float, help="kill the command when its process tree's resident set exceeds this")
    m.add_argument("command", nargs=argparse.REMAINDER)
    p = sub.add_parser("phases")
    p.add_argument("--out", required=True)
    p.add_argument("--interval", type=float, default=0.05)
    p.add_argument("command", nargs=argparse.REMAINDER)
    sub.add_parser("generator-digest")
    t = sub.add_parser("table")
    t.add_argument("results", type=Path)
    args = ap.parse_args()
    for a in ("command",):
        if getattr(args, a, None) and args.command[0] == "--":
            args.command = args.command[1:]

    if args.cmd == "synth":
        GAMMA = tuple(float(v) for v in args.gamma.split(","))
        BETA_STD = args.beta_std
        if args.kind == "conv":
            synth_conv(args.out, layers=args.layers or 53, spatial=args.spatial)
        elif args.kind == "matmul":
            synth_matmul(args.out, layers=args.layers or 9, width=args.width, batch=args.batch,
                         value_info=args.value_info)
        else:
            synth_llama(args.out, layers=args.layers if args.layers is not None else 32, hidden=args.hidden,
                        mlp=args.mlp, heads=args.heads, vocab=args.vocab, max_positions=args.max_positions)
    elif args.cmd == "check":
        check(args.model, args.run_ort)
    elif args.cmd == "ort":
        ort_optimize(args.model, args.out)
    elif args.cmd == "measure":
        measure(args)
    elif args.cmd == "phases":
        phases(args)
    elif args.cmd == "generator-digest":
        print(generator_digest())
    else:
        table(args.results)


if __name__ == "__main__":
    main()
