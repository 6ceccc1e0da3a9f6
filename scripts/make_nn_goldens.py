#!/usr/bin/env python3
"""Generate Tests/FreezerKernelsTests/NeuralNetworkGoldens.swift: single-operator golden cases for the
NeuralNetwork kernel family (Conv, MatMul, Gemm, pooling, normalization).

Last run with: onnx==1.23.2, onnxruntime==1.32.0, numpy==2.4.6.

    python3 scripts/make_nn_goldens.py > Tests/FreezerKernelsTests/NeuralNetworkGoldens.swift

Each case is one node with seeded random inputs. Expected outputs come from onnxruntime (CPU,
single thread) when it implements the operator at that opset and type; otherwise from the ONNX
reference evaluator (onnx.reference), or from numpy for BatchNormalization's training outputs at
opset <= 13 (the ONNX reference semantics: saved_var is the batch variance). The `source` field of
each case says which.
"""

from __future__ import annotations

import json

import numpy as np
import onnx
import onnxruntime as ort
from onnx import TensorProto, helper
from onnx.reference import ReferenceEvaluator

RNG = np.random.default_rng(20240611)
CASES: list[dict] = []

NP_TO_ONNX = {np.float32: TensorProto.FLOAT, np.float64: TensorProto.DOUBLE, np.float16: TensorProto.FLOAT16,
              np.int32: TensorProto.INT32, np.int64: TensorProto.INT64, np.int8: TensorProto.INT8,
              np.uint8: TensorProto.UINT8, np.bool_: TensorProto.BOOL}


def rand(*shape, dtype=np.float32):
    return RNG.standard_normal(shape).astype(dtype)


def model_for(op, inputs, n_outputs, attrs, opset, domain):
    names = [f"in{k}" if a is not None else "" for k, a in enumerate(inputs)]
    outs = [f"out{k}" for k in range(n_outputs)]
    node = helper.make_node(op, names, outs, domain=domain or None, **attrs)
    infos = [helper.make_tensor_value_info(f"in{k}", NP_TO_ONNX[a.dtype.type], a.shape)
             for k, a in enumerate(inputs) if a is not None]
    g = helper.make_graph([node], "g", infos, [helper.make_empty_tensor_value_info(o) for o in outs])
    imports = [helper.make_opsetid("", opset)]
    if domain:
        imports.append(helper.make_opsetid(domain, 1))
    m = helper.make_model(g, opset_imports=imports)
    m.ir_version = 8
    return m


def run_ort(m, feeds):
    so = ort.SessionOptions()
    so.intra_op_num_threads = 1
    so.graph_optimization_level = ort.GraphOptimizationLevel.ORT_DISABLE_ALL
    return ort.InferenceSession(m.SerializeToString(), so, providers=["CPUExecutionProvider"]).run(None, feeds)


def case(name, op, inputs, attrs=None, opset=17, outputs=1, domain="", rtol=1e-5, atol=1e-6, source=None,
         expected=None, inference=False):
    attrs = attrs or {}
    feeds = {f"in{k}": a for k, a in enumerate(inputs) if a is not None}
    m = model_for(op, inputs, outputs, attrs, opset, domain)
    if expected is None:
        if source in (None, "onnxruntime"):
            try:
                expected = run_ort(m, feeds)
                source = "onnxruntime"
            except Exception as e:  # noqa: BLE001
                import sys; print(f"{name}: onnxruntime: {str(e)[:200]}", file=sys.stderr)
                if source == "onnxruntime":
                    raise
                source = None
        if expected is None:
            expected = ReferenceEvaluator(m).run(None, feeds)
            source = "onnx.reference"
    else:
        source = source or "numpy"
    CASES.append(dict(name=name, op=op, opset=opset, domain=domain, attrs=attrs, inputs=inputs,
                      outputs=[np.asarray(e) for e in expected], rtol=rtol, atol=atol, source=source,
                      inference=inference))


TYPE_NAME = {np.float32: "float32", np.float64: "float64", np.float16: "float16", np.int32: "int32",
             np.int64: "int64", np.int8: "int8", np.uint8: "uint8", np.bool_: "bool"}


def json_array(a):
    if a is None:
        return None
    a = np.asarray(a)
    t = next(k for k in TYPE_NAME if np.dtype(k) == a.dtype)
    flat = a.ravel()
    if t == np.bool_:
        values = [1 if v else 0 for v in flat]
    elif t in (np.float32, np.float16):
        values = [float(str(np.float32(v))) for v in flat]  # shortest decimal that round-trips float32
    elif t == np.float64:
        values = [float(v) for v in flat]
    else:
        values = [int(v) for v in flat]
    return {"type": TYPE_NAME[t], "shape": list(a.shape), "values": values}


def json_attr(k, v):
    if isinstance(v, str):
        return {"name": k, "kind": "string", "string": v}
    if isinstance(v, float):
        return {"name": k, "kind": "float", "float": v}
    if isinstance(v, (list, tuple)):
        return {"name": k, "kind": "ints", "ints": [int(x) for x in v]}
    return {"name": k, "kind": "int", "int": int(v)}


def build_cases():
    # MatMul: 1-D promotion, batch broadcasting, a shared 2-D B, float64, int32, float16.
    case("matmul_2d", "MatMul", [rand(3, 4), rand(4, 5)])
    case("matmul_1d_2d", "MatMul", [rand(4), rand(4, 3)])
    case("matmul_2d_1d", "MatMul", [rand(3, 4), rand(4)])
    case("matmul_1d_1d", "MatMul", [rand(4), rand(4)])
    case("matmul_batch_broadcast", "MatMul", [rand(2, 1, 3, 4), rand(3, 4, 2)])
    case("matmul_shared_b", "MatMul", [rand(2, 3, 4), rand(4, 5)])
    case("matmul_1d_batched", "MatMul", [rand(4), rand(2, 4, 3)])
    case("matmul_double", "MatMul", [rand(2, 3, dtype=np.float64), rand(3, 2, dtype=np.float64)], rtol=1e-12, atol=1e-12)
    case("matmul_int32", "MatMul", [RNG.integers(-50, 50, (2, 3, 4)).astype(np.int32), RNG.integers(-50, 50, (4, 2)).astype(np.int32)], rtol=0, atol=0)
    case("matmul_int64", "MatMul", [RNG.integers(-50, 50, (3, 4)).astype(np.int64), RNG.integers(-50, 50, (1, 4, 2)).astype(np.int64)], rtol=0, atol=0)
    case("matmul_float16", "MatMul", [rand(3, 4, dtype=np.float16), rand(4, 2, dtype=np.float16)], rtol=2e-3, atol=2e-3)

    # Gemm: transposes, alpha/beta, C broadcast shapes, C absent (11+), broadcast attribute (< 7).
    case("gemm_basic", "Gemm", [rand(3, 4), rand(4, 5), rand(3, 5)], opset=13)
    case("gemm_trans_alpha_beta_vector_c", "Gemm", [rand(4, 3), rand(5, 4), rand(5)],
         dict(transA=1, transB=1, alpha=0.5, beta=2.0), opset=13)
    case("gemm_scalar_c", "Gemm", [rand(3, 4), rand(4, 5), rand(1)], dict(beta=-1.5), opset=9)
    case("gemm_column_c", "Gemm", [rand(3, 4), rand(5, 4), rand(3, 1)], dict(transB=1), opset=11)
    case("gemm_no_c", "Gemm", [rand(3, 4), rand(4, 2)], dict(alpha=3.0), opset=13)
    case("gemm_opset6_broadcast", "Gemm", [rand(3, 4), rand(4, 5), rand(5)], dict(broadcast=1, beta=0.5), opset=6)
    # No onnxruntime kernel before opset 7, and the ONNX reference drops beta when broadcast=0: numpy.
    a, bb, c = rand(3, 4), rand(4, 5), rand(3, 5)
    case("gemm_opset6_full_c", "Gemm", [a, bb, c], dict(beta=0.5), opset=6, expected=[(a @ bb + np.float32(0.5) * c).astype(np.float32)])
    case("gemm_double", "Gemm", [rand(2, 3, dtype=np.float64), rand(3, 2, dtype=np.float64), rand(2, dtype=np.float64)],
         dict(alpha=0.25), opset=13, rtol=1e-12, atol=1e-12)

    # Conv: 1-D/2-D/3-D, pads, strides, dilations, groups, depthwise, auto_pad, pointwise.
    case("conv2d_pads_strides_bias", "Conv", [rand(2, 3, 7, 6), rand(4, 3, 3, 3), rand(4)], dict(pads=[1, 1, 1, 1], strides=[2, 2]))
    case("conv2d_asymmetric_pads", "Conv", [rand(1, 2, 5, 5), rand(3, 2, 2, 3)], dict(pads=[0, 2, 1, 0]))
    case("conv2d_dilations", "Conv", [rand(1, 2, 8, 8), rand(2, 2, 3, 3), rand(2)], dict(dilations=[2, 3], pads=[1, 2, 2, 1]))
    case("conv1d", "Conv", [rand(2, 3, 11), rand(5, 3, 3), rand(5)], dict(strides=[2], dilations=[2], pads=[1, 2]))
    case("conv3d", "Conv", [rand(1, 2, 4, 5, 4), rand(3, 2, 2, 3, 2), rand(3)], dict(pads=[1, 0, 1, 0, 1, 1], strides=[1, 2, 1]))
    case("conv2d_group2", "Conv", [rand(2, 4, 5, 5), rand(6, 2, 3, 3), rand(6)], dict(group=2, pads=[1, 1, 1, 1]))
    case("conv2d_depthwise", "Conv", [rand(2, 4, 6, 6), rand(4, 1, 3, 3), rand(4)], dict(group=4, pads=[1, 1, 1, 1], strides=[2, 2]))
    case("conv2d_depthwise_multiplier2", "Conv", [rand(1, 3, 5, 5), rand(6, 1, 3, 3), rand(6)], dict(group=3, pads=[1, 0, 1, 2], dilations=[1, 2]))
    case("conv2d_pointwise", "Conv", [rand(2, 4, 3, 5), rand(6, 4, 1, 1), rand(6)])
    case("conv2d_same_upper", "Conv", [rand(1, 2, 7, 6), rand(3, 2, 4, 3)], dict(auto_pad="SAME_UPPER", strides=[2, 2]))
    case("conv2d_same_lower", "Conv", [rand(1, 2, 7, 6), rand(3, 2, 4, 3)], dict(auto_pad="SAME_LOWER", strides=[2, 2]))
    case("conv2d_valid", "Conv", [rand(1, 2, 7, 6), rand(3, 2, 3, 2)], dict(auto_pad="VALID", strides=[2, 1], kernel_shape=[3, 2]))
    case("conv2d_opset1", "Conv", [rand(1, 2, 5, 5), rand(2, 2, 3, 3)], dict(pads=[1, 1, 1, 1]), opset=1, source="onnx.reference")
    case("conv2d_double", "Conv", [rand(1, 2, 5, 4, dtype=np.float64), rand(3, 2, 3, 3, dtype=np.float64), rand(3, dtype=np.float64)],
         dict(pads=[1, 1, 1, 1]), rtol=1e-12, atol=1e-12)
    case("conv2d_float16", "Conv", [rand(1, 2, 5, 5, dtype=np.float16), rand(2, 2, 3, 3, dtype=np.float16)], rtol=5e-3, atol=5e-3)

    # ConvTranspose: strides, pads, output_padding, output_shape, groups, dilations, auto_pad, 1-D, 3-D.
    case("convtranspose2d_strides_pads_bias", "ConvTranspose", [rand(2, 3, 4, 3), rand(3, 2, 3, 3), rand(2)], dict(strides=[2, 2], pads=[1, 0, 1, 1]))
    case("convtranspose2d_output_padding", "ConvTranspose", [rand(1, 2, 3, 3), rand(2, 3, 3, 2)], dict(strides=[3, 2], output_padding=[1, 1]))
    case("convtranspose2d_output_shape", "ConvTranspose", [rand(1, 2, 3, 3), rand(2, 2, 3, 3)], dict(strides=[2, 2], output_shape=[6, 7]))
    case("convtranspose2d_output_shape_beyond_full", "ConvTranspose", [rand(1, 1, 3, 3), rand(1, 2, 3, 3)], dict(strides=[3, 2], output_shape=[10, 8]))
    case("convtranspose2d_group", "ConvTranspose", [rand(1, 4, 3, 3), rand(4, 3, 2, 2), rand(6)], dict(group=2, strides=[2, 1]))
    case("convtranspose2d_dilations", "ConvTranspose", [rand(1, 2, 3, 4), rand(2, 2, 2, 3)], dict(dilations=[2, 2], pads=[1, 1, 0, 2]))
    case("convtranspose2d_same_upper", "ConvTranspose", [rand(1, 1, 3, 3), rand(1, 2, 3, 3)], dict(auto_pad="SAME_UPPER", strides=[2, 2]))
    case("convtranspose2d_same_lower", "ConvTranspose", [rand(1, 1, 3, 3), rand(1, 2, 3, 3)], dict(auto_pad="SAME_LOWER", strides=[2, 2]))
    case("convtranspose1d", "ConvTranspose", [rand(2, 2, 5), rand(2, 3, 4), rand(3)], dict(strides=[3], pads=[1, 2]))
    case("convtranspose3d", "ConvTranspose", [rand(1, 2, 2, 3, 2), rand(2, 2, 2, 2, 3)], dict(strides=[2, 1, 2]))

    # BatchNormalization: inference at each opset, per-activation (spatial=0), training forms.
    x, s, b, m, v = rand(2, 3, 4, 5), rand(3), rand(3), rand(3), np.abs(rand(3)) + 0.5
    case("bn15_inference", "BatchNormalization", [x, s, b, m, v], dict(epsilon=1e-3), opset=15)
    case("bn9_inference_2d", "BatchNormalization", [rand(4, 3), s, b, m, v], opset=9)
    case("bn7_spatial0", "BatchNormalization", [rand(2, 3, 2, 2), rand(3, 2, 2), rand(3, 2, 2), rand(3, 2, 2), np.abs(rand(3, 2, 2)) + 0.5],
         dict(spatial=0), opset=7)
    case("bn_double", "BatchNormalization", [x.astype(np.float64), s.astype(np.float64), b.astype(np.float64), m.astype(np.float64), v.astype(np.float64)],
         opset=15, rtol=1e-12, atol=1e-12)
    case("bn14_training", "BatchNormalization", [x, s, b, m, v], dict(training_mode=1, momentum=0.8), opset=14, outputs=3)
    case("bn15_training_inference_semantics", "BatchNormalization", [x, s, b, m, v], dict(training_mode=1), opset=15, outputs=3,
         expected=[bn_infer(x, s, b, m, v, 1e-5), m, v], inference=True)
    for opset in (1, 6):
        case(f"bn{opset}_is_test", "BatchNormalization", [x, s, b, m, v], dict(is_test=1), opset=opset,
             expected=[bn_infer(x, s, b, m, v, 1e-5)])
        case(f"bn{opset}_training", "BatchNormalization", [x, s, b, m, v], dict(momentum=0.7), opset=opset, outputs=5,
             expected=bn_train(x, s, b, m, v, 1e-5, 0.7))
        case(f"bn{opset}_training_inference_semantics", "BatchNormalization", [x, s, b, m, v], dict(epsilon=1e-3), opset=opset, outputs=5,
             expected=[bn_infer(x, s, b, m, v, 1e-3), m, v, m, v], inference=True)
    for opset in (7, 9):
        case(f"bn{opset}_training_5_outputs", "BatchNormalization", [x, s, b, m, v], opset=opset, outputs=5,
             expected=bn_train(x, s, b, m, v, 1e-5, 0.9))
    case("bn15_float16_x_float_params", "BatchNormalization", [x.astype(np.float16), s, b, m, v], opset=15,
         expected=[bn_infer(x.astype(np.float16).astype(np.float32), s, b, m, v, 1e-5).astype(np.float16)], rtol=2e-3, atol=2e-3)

    # Normalizations.
    case("instancenorm", "InstanceNormalization", [rand(2, 3, 4, 5), rand(3), rand(3)], dict(epsilon=1e-3), opset=6)
    case("instancenorm_1d", "InstanceNormalization", [rand(2, 3, 7), rand(3), rand(3)], opset=6)
    case("layernorm_last_axis", "LayerNormalization", [rand(2, 3, 6), rand(6), rand(6)], dict(epsilon=1e-3), outputs=3)
    case("layernorm_axis1", "LayerNormalization", [rand(2, 3, 4), rand(3, 4), rand(3, 4)], dict(axis=1), outputs=3)
    case("layernorm_no_bias", "LayerNormalization", [rand(3, 5), rand(5)], dict(axis=-1))
    case("layernorm_broadcast_scale", "LayerNormalization", [rand(2, 3, 4), rand(1, 4), rand(4)], dict(axis=-2))
    case("groupnorm21", "GroupNormalization", [rand(2, 6, 3, 2), rand(6), rand(6)], dict(num_groups=3, epsilon=1e-3), opset=21)
    case("groupnorm18", "GroupNormalization", [rand(2, 6, 3, 2), rand(2), rand(2)], dict(num_groups=2), opset=18)
    case("lrn_size3", "LRN", [rand(2, 5, 3, 3)], dict(size=3, alpha=0.01, beta=0.6, bias=1.5), opset=13)
    # onnxruntime rejects an even size, and the ONNX reference's LRN loops over N instead of C: numpy.
    x = rand(2, 6, 2, 3)
    case("lrn_size4", "LRN", [x], dict(size=4), opset=13, expected=[lrn(x, 4, 1e-4, 0.75, 1.0)])

    # MaxPool.
    case("maxpool2d_pads_strides", "MaxPool", [rand(2, 3, 7, 6)], dict(kernel_shape=[3, 3], pads=[1, 1, 1, 1], strides=[2, 2]), opset=12)
    case("maxpool2d_ceil", "MaxPool", [rand(1, 2, 6, 7)], dict(kernel_shape=[3, 2], strides=[2, 2], ceil_mode=1), opset=12)
    case("maxpool2d_ceil_pads", "MaxPool", [rand(1, 1, 5, 5)], dict(kernel_shape=[2, 2], strides=[2, 2], pads=[1, 1, 1, 1], ceil_mode=1), opset=12)
    case("maxpool2d_dilations", "MaxPool", [rand(1, 2, 7, 7)], dict(kernel_shape=[2, 3], dilations=[2, 2], pads=[1, 0, 1, 2]), opset=12)
    case("maxpool2d_indices", "MaxPool", [rand(2, 2, 5, 4)], dict(kernel_shape=[2, 2], strides=[1, 2], pads=[0, 1, 1, 0]), opset=12, outputs=2)
    case("maxpool2d_indices_column_major", "MaxPool", [rand(2, 2, 5, 4)], dict(kernel_shape=[3, 2], storage_order=1), opset=12, outputs=2)
    case("maxpool2d_same_upper", "MaxPool", [rand(1, 2, 5, 6)], dict(kernel_shape=[3, 2], strides=[2, 2], auto_pad="SAME_UPPER"), opset=12)
    case("maxpool2d_same_lower", "MaxPool", [rand(1, 2, 5, 6)], dict(kernel_shape=[2, 3], strides=[2, 2], auto_pad="SAME_LOWER"), opset=12)
    case("maxpool1d", "MaxPool", [rand(2, 3, 9)], dict(kernel_shape=[3], strides=[2], pads=[1, 1]), opset=12)
    case("maxpool3d", "MaxPool", [rand(1, 2, 4, 4, 5)], dict(kernel_shape=[2, 2, 3], strides=[2, 1, 2]), opset=12)
    case("maxpool_int8", "MaxPool", [RNG.integers(-100, 100, (1, 2, 4, 4)).astype(np.int8)], dict(kernel_shape=[2, 2], pads=[1, 1, 0, 0]), opset=12, rtol=0, atol=0)
    case("maxpool_opset8_indices", "MaxPool", [rand(1, 2, 4, 4)], dict(kernel_shape=[2, 2], strides=[2, 2]), opset=8, outputs=2)
    case("maxpool_opset1", "MaxPool", [rand(1, 2, 4, 5)], dict(kernel_shape=[2, 2], pads=[1, 1, 1, 1]), opset=1)

    # AveragePool.
    case("avgpool_exclude_pad", "AveragePool", [rand(2, 2, 6, 5)], dict(kernel_shape=[3, 3], pads=[1, 1, 1, 1], strides=[2, 2]), opset=11)
    case("avgpool_include_pad", "AveragePool", [rand(2, 2, 6, 5)], dict(kernel_shape=[3, 3], pads=[1, 1, 1, 1], strides=[2, 2], count_include_pad=1), opset=11)
    case("avgpool_ceil_include_pad", "AveragePool", [rand(1, 1, 6, 6)], dict(kernel_shape=[3, 3], pads=[1, 1, 1, 1], strides=[2, 2], ceil_mode=1, count_include_pad=1), opset=11)
    case("avgpool_ceil_exclude_pad", "AveragePool", [rand(1, 1, 7, 6)], dict(kernel_shape=[2, 3], strides=[2, 2], ceil_mode=1), opset=11)
    case("avgpool_dilations", "AveragePool", [rand(1, 2, 7, 7)], dict(kernel_shape=[2, 2], dilations=[2, 3], pads=[1, 1, 1, 1], count_include_pad=1), opset=19)
    case("avgpool_same_lower", "AveragePool", [rand(1, 2, 5, 5)], dict(kernel_shape=[2, 2], strides=[2, 2], auto_pad="SAME_LOWER"), opset=11)
    case("avgpool_same_upper_include_pad", "AveragePool", [rand(1, 2, 5, 5)], dict(kernel_shape=[3, 3], strides=[2, 2], auto_pad="SAME_UPPER", count_include_pad=1), opset=11)
    case("avgpool1d", "AveragePool", [rand(2, 2, 8)], dict(kernel_shape=[3], strides=[2]), opset=7)
    case("avgpool3d", "AveragePool", [rand(1, 2, 4, 3, 4)], dict(kernel_shape=[2, 2, 2], pads=[1, 0, 0, 0, 1, 1]), opset=11)
    # AveragePool-1 excludes padding; onnxruntime starts at opset 7, where count_include_pad=0 is the same.
    x = rand(1, 2, 4, 4)
    attrs = dict(kernel_shape=[2, 2], pads=[1, 1, 1, 1])
    case("avgpool_opset1", "AveragePool", [x], attrs, opset=1, source="onnxruntime (opset 7 twin)",
         expected=run_ort(model_for("AveragePool", [x], 1, attrs, 7, ""), {"in0": x}))
    case("global_avgpool", "GlobalAveragePool", [rand(2, 3, 4, 5)], opset=1)
    case("global_avgpool_1d", "GlobalAveragePool", [rand(2, 3, 7)], opset=1)
    case("global_maxpool", "GlobalMaxPool", [rand(2, 3, 4, 5)], opset=1)
    case("global_maxpool_3d", "GlobalMaxPool", [rand(1, 2, 2, 3, 2)], opset=1)


def lrn(x, size, alpha, beta, bias):
    """The LRN formula of the ONNX specification, in float64."""
    xd = x.astype(np.float64)
    sq = np.zeros_like(xd)
    below, above = (size - 1) // 2, size - 1 - (size - 1) // 2
    for c in range(x.shape[1]):
        lo, hi = max(0, c - below), min(x.shape[1] - 1, c + above)
        sq[:, c] = (xd[:, lo:hi + 1] ** 2).sum(axis=1)
    return (xd / (bias + alpha / size * sq) ** beta).astype(x.dtype)


def bn_infer(x, s, b, m, v, eps):
    shape = (-1,) + (1,) * (x.ndim - 2)
    r = lambda a: a.reshape(shape)  # noqa: E731
    return (r(s) * (x - r(m)) / np.sqrt(r(v) + np.float32(eps)) + r(b)).astype(x.dtype)


def bn_train(x, s, b, m, v, eps, momentum):
    axes = (0,) + tuple(range(2, x.ndim))
    xd = x.astype(np.float64)
    bm, bv = xd.mean(axis=axes), xd.var(axis=axes)
    y = bn_infer(x, s, b, bm.astype(np.float32), bv.astype(np.float32), eps)
    f = np.float64(np.float32(momentum))
    return [y, (m * f + bm * (1 - f)).astype(np.float32), (v * f + bv * (1 - f)).astype(np.float32),
            bm.astype(np.float32), bv.astype(np.float32)]


def main():
    build_cases()
    cases = [dict(name=c["name"], op=c["op"], opset=c["opset"], domain=c["domain"], source=c["source"],
                  attributes=[json_attr(k, v) for k, v in c["attrs"].items()],
                  inputs=[json_array(a) for a in c["inputs"]], outputs=[json_array(a) for a in c["outputs"]],
                  rtol=c["rtol"], atol=c["atol"], inferenceSemantics=c["inference"]) for c in CASES]
    print("// Generated by scripts/make_nn_goldens.py (onnx 1.23.2, onnxruntime 1.32.0, numpy 2.4.6). Do not edit.")
    print("// Single-node golden cases as JSON (a string literal compiles far faster than array literals).")
    print("// Expected outputs: onnxruntime CPU (single thread) unless a case's `source` says otherwise.")
    print('let neuralNetworkGoldensJSON = #"""')
    print("[")
    print(",\n".join(json.dumps(c, separators=(",", ":")) for c in cases))
    print("]")
    print('"""#')


if __name__ == "__main__":
    main()
