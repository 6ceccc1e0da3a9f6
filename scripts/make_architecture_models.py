#!/usr/bin/env python3
"""Held-out validation of freezer on the architectures of issue 11 that are not random-draw regularizers
(those are make_regularizer_models.py's): recurrent, attention and quantization-aware-trained models, and
onnxruntime-training artifacts.

    python3 scripts/make_architecture_models.py OUT_DIR [--models NAME,...] [--freezer PATH] [--skip-export]
                                                [--ort-python PATH] [--dynamo-python PATH]

Writes OUT_DIR/NAME.onnx for each model, random weights (seeded), BatchNormalization affine parameters and
running statistics set to non-default values (set_non_default_bn of make_regularizer_models.py), small
inputs, and beside it OUT_DIR/NAME.eval.onnx: an EVAL-mode export of the same weights, the reference a
correct frozen model must match. A training-mode trace updates the BatchNorm running statistics before it
serializes them, so every value the training file stores (statistics, and for QAT the quantizers' scales
and zero points) is loaded back into the module before the eval export is made (otherwise the two files
describe different models). OUT_DIR/NAME.samples.npz holds the 8 inputs `freezer convert` draws by default
(make_criterion_models.freezer_samples) and torch's eval-mode outputs on them; OUT_DIR/NAME.json what the
export holds (operators, training constructs). The onnxruntime-training artifacts, their two references
and their samples are in OUT_DIR/ort_cnn.

With --freezer PATH it runs `PATH convert NAME.onnx -o NAME.frozen.onnx --json` at default settings (plus
`--checkpoint` for the onnxruntime-training artifacts) and checks, per model:
  1. exit 0;
  2. the frozen model (subgraphs included) has no random draw, Dropout, training-mode BatchNormalization
     (training_mode=1 or its training outputs), com.microsoft BatchNormInternal, gradient, accumulator,
     optimizer or loss node; a quantized model keeps as many QuantizeLinear/DequantizeLinear as its eval
     export (they are the inference semantics);
  3. onnx.checker.check_model(frozen, full_check=True) passes;
  4. onnxruntime runs it;
  5. on freezer's seeded inputs it matches onnxruntime on each reference: max abs error, max rel error
     (max |frozen - ref| / max |ref|) and the largest elementwise relative error; it passes when
     max abs <= 1e-5 + 1e-4 max |ref| (float32 rounding of a folded model).
It reports what freezer removed: the log's Dropout, Batch Normalization, Gradient and optimizer, and Loss
categories. A refused model is converted again with --no-verify and checked the same way, to tell a
conversion failure from a verification failure. The table goes to stdout, OUT_DIR/results.md (with
every failure's freezer message verbatim, the exported pattern, a reproduction command and, for a checker
failure, the inputs/outputs declared without a shape with what the conversion log says about them) and
OUT_DIR/results.json (with the freezer binary's SHA-256).

Models (TorchScript exporter, do_constant_folding=False, opset 17, unless said):
  gru_bn_dropout      training mode: Conv1d(8->16)+BN+ReLU, 2-layer GRU(32) (linear_before_reset=1 as torch
                      exports it), Dropout, Linear+BatchNorm1d+ReLU, Dropout, Linear; input 2x8x12
  lstm_bidir_2layer   EVAL mode (PyTorch cannot export RNN dropout in training mode): 2-layer bidirectional
                      LSTM(16) with dropout 0.2 between layers, Linear+BatchNorm1d+ReLU, Dropout, Linear;
                      input 2x12x8
  gru_dynamic, lstm_dynamic  the same two with a symbolic batch and sequence length (dynamic_axes); freezer
                      draws 1 for them, and the frozen model is also compared at batch 3, sequence 20
  qat_cnn_fused       torch.ao QAT: Conv+BN+ReLU fused (ConvBnReLU2d) x2, Linear, per-channel int8 weight and
                      uint8 activation FakeQuantize (exported as QuantizeLinear/DequantizeLinear), 5 SGD steps,
                      observers then disabled; training-mode export; input 1x3x16x16
  qat_cnn_unfused     the same without fusion: Conv with a fake-quantized weight and no output quantizer, then a
                      float BatchNorm2d: training-mode BatchNormalization right after Conv(x, DQ(Q(W))), the
                      case where a fold must keep the integer weights (per-channel scales absorb the factor)
  transformer_ts17    training mode: Linear embedding + BatchNorm1d, nn.TransformerEncoder (2 layers, d 32,
                      4 heads, FF 64, dropout 0.1), nn.MultiheadAttention pooling with a learned query
                      (dropout 0.1), Dropout, Linear; input 2x16x24
  dyn23_rope_attention  torch.onnx.export(dynamo=True, opset_version=23), training mode: 2 blocks of nn.RMSNorm
                      (RMSNormalization), torch.onnx.ops.rotary_embedding (RotaryEmbedding), causal
                      F.scaled_dot_product_attention without attention dropout (Attention), Dropout on the
                      residual branches; input 1x8x32
  dyn23_gqa_mask      dynamo, opset 23, training mode: grouped-query attention (4 query heads, 2 key/value
                      heads, enable_gqa) with an additive float mask (Attention), Dropout; input 1x8x32
  dyn23_sdpa_dropout  dynamo, opset 23, training mode: scaled_dot_product_attention with dropout_p 0.2, RMSNorm,
                      Dropout; input 1x8x32. The exporter writes the attention out as MatMul/Softmax with an
                      ONNX Dropout without training_mode (an identity) that its optimizer drops: 4 Dropout nodes
                      for 6 sites, the table says so
                      (No dynamo model has a BatchNorm: this exporter writes a training-mode BatchNorm as an
                      inference BatchNormalization and folds it into the Conv, so its export holds none.)
  dyn23_onnx_ops_attention  dynamo, opset 23, training mode: torch.onnx.ops.attention and rotary_embedding
                      written directly: 3-D inputs, 4 query / 2 key-value heads, a key/value cache of 4 earlier
                      positions (past_key/past_value), softcap 30, interleaved rotary embedding; RMSNorm,
                      Dropout; input 1x8x32
  ort_training_model  onnxruntime-training generate_artifacts of a small CNN (Conv+BN+ReLU x2, Linear +
                      BatchNorm1d + ReLU, Dropout, Linear; input 4x3x8x8; CrossEntropyLoss, AdamW):
                      training_model.onnx converted with --checkpoint checkpoint
  ort_eval_model      eval_model.onnx of the same artifacts, with --checkpoint checkpoint
                      Both are compared with onnxruntime-training's export_model_for_inferencing output and
                      with torch's eval export of the statistics the artifacts hold. The artifacts are made by
                      this script run with --ort-generate DIR under --ort-python (default
                      /work/ortt/bin/python, a venv with onnxruntime-training).

The dynamo exporter needs onnxscript: the dyn23 models are exported by this script run with
--dynamo-export under --dynamo-python (default: this interpreter; one is made with
`python3 -m venv --system-site-packages V && V/bin/pip install onnxscript`). A model an exporter cannot produce is
listed as SKIP with the exporter's message.

Needs torch 2.13.0+cpu, onnx, numpy, onnxruntime (and onnxscript, onnxruntime-training as above).
"""
from __future__ import annotations

import argparse
import copy
import hashlib
import json
import os
import subprocess
import sys
import time
import warnings
from collections import Counter, OrderedDict
from pathlib import Path

import numpy as np

# freezer's seeded inputs are the criterion models' own; the BatchNorm statistics, graph walk and
# onnxruntime helpers are the regularizer models'.
from make_criterion_models import freezer_samples  # noqa: E402
from make_regularizer_models import (RANDOM_OPS, all_nodes, compare, forbidden_nodes, ort_session,  # noqa: E402
                                     set_non_default_bn)

SEED = 20250101
SAMPLES = 8  # freezer convert's default --samples
ORT_PYTHON = "/work/ortt/bin/python"
# What onnxruntime-training adds to a training graph and must not survive freezing.
TRAINING_OPS = {"BatchNormInternal", "InPlaceAccumulatorV2", "InPlaceAccumulator", "SoftmaxCrossEntropyLossInternal",
                "SoftmaxCrossEntropyLoss", "NegativeLogLikelihoodLoss", "SoftmaxCrossEntropyLossInternalGrad",
                "Gradient", "AdamWOptimizer", "AdamOptimizer", "SGDOptimizer", "ZeroGradient", "YieldOp",
                "PassThrough", "ReduceAllL2", "InPlaceClipGradNorm"}
QDQ_OPS = ("QuantizeLinear", "DequantizeLinear")


# ------------------------------------------------------------------------------------------------
# Architectures


def gru_net():
    import torch
    import torch.nn as nn

    class Net(nn.Module):
        def __init__(self):
            super().__init__()
            self.conv = nn.Conv1d(8, 16, 3, padding=1)
            self.bn = nn.BatchNorm1d(16)
            self.gru = nn.GRU(16, 32, num_layers=2, batch_first=True)
            self.drop1 = nn.Dropout(0.2)
            self.fc1 = nn.Linear(32, 24)
            self.bn1 = nn.BatchNorm1d(24)
            self.drop2 = nn.Dropout(0.3)
            self.fc2 = nn.Linear(24, 5)

        def forward(self, x):
            y = torch.relu(self.bn(self.conv(x))).transpose(1, 2)
            y, _ = self.gru(y)
            y = torch.relu(self.bn1(self.fc1(self.drop1(y[:, -1]))))
            return self.fc2(self.drop2(y))

    return Net()


def lstm_net():
    import torch
    import torch.nn as nn

    class Net(nn.Module):
        def __init__(self):
            super().__init__()
            self.lstm = nn.LSTM(8, 16, num_layers=2, bidirectional=True, batch_first=True, dropout=0.2)
            self.fc1 = nn.Linear(32, 24)
            self.bn1 = nn.BatchNorm1d(24)
            self.drop = nn.Dropout(0.3)
            self.fc2 = nn.Linear(24, 5)

        def forward(self, x):
            y, _ = self.lstm(x)
            return self.fc2(self.drop(torch.relu(self.bn1(self.fc1(y[:, -1])))))

    return Net()


def qat_cnn(fused):
    """A CNN prepared for quantization-aware training (eager mode, torch.ao): per-channel symmetric int8
    weights, uint8 activations, FakeQuantize modules (the fused moving-average variant of the default
    QAT qconfig has no ONNX export)."""
    import torch
    import torch.nn as nn
    import torch.ao.quantization as tq

    class Net(nn.Module):
        def __init__(self):
            super().__init__()
            self.quant, self.dequant = tq.QuantStub(), tq.DeQuantStub()
            self.conv1, self.bn1, self.relu1 = nn.Conv2d(3, 8, 3, padding=1, bias=False), nn.BatchNorm2d(8), nn.ReLU()
            self.conv2, self.bn2, self.relu2 = nn.Conv2d(8, 16, 3, 2, 1, bias=False), nn.BatchNorm2d(16), nn.ReLU()
            self.pool = nn.AdaptiveAvgPool2d(1)
            self.fc = nn.Linear(16, 10)

        def forward(self, x):
            x = self.quant(x)
            x = self.relu1(self.bn1(self.conv1(x)))
            x = self.relu2(self.bn2(self.conv2(x)))
            return self.dequant(self.fc(torch.flatten(self.pool(x), 1)))

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        net = Net().train()
        net.qconfig = tq.QConfig(activation=tq.default_fake_quant, weight=tq.default_per_channel_weight_fake_quant)
        if fused:
            tq.fuse_modules_qat(net, [["conv1", "bn1", "relu1"], ["conv2", "bn2", "relu2"]], inplace=True)
        else:  # the convolutions' outputs are not quantized, so the float BatchNorm reads Conv(DQ(Q(W), x))
            weight_only = tq.QConfig(activation=nn.Identity, weight=tq.default_per_channel_weight_fake_quant)
            net.conv1.qconfig = net.conv2.qconfig = weight_only
            net.bn1.qconfig = net.bn2.qconfig = None
        tq.prepare_qat(net, inplace=True)
    return net


def qat_train(model, shape, generator):
    """A few QAT steps (weights, BatchNorm statistics and quantizer ranges move), then the observers are
    frozen so that exporting does not move the scales again."""
    import torch
    import torch.ao.quantization as tq

    opt = torch.optim.SGD(model.parameters(), lr=0.01)
    model.train()
    for _ in range(5):
        x = torch.empty((4,) + tuple(shape[1:])).uniform_(-1, 1, generator=generator)
        loss = model(x).pow(2).mean()
        opt.zero_grad()
        loss.backward()
        opt.step()
    model.apply(tq.disable_observer)


def transformer_net():
    import torch
    import torch.nn as nn

    class Net(nn.Module):
        def __init__(self, d=32):
            super().__init__()
            self.embed = nn.Linear(24, d)
            self.bn = nn.BatchNorm1d(d)
            layer = nn.TransformerEncoderLayer(d, 4, 64, dropout=0.1, batch_first=True)
            self.encoder = nn.TransformerEncoder(layer, 2, enable_nested_tensor=False)
            self.query = nn.Parameter(torch.randn(1, 1, d))
            self.pool = nn.MultiheadAttention(d, 4, dropout=0.1, batch_first=True)
            self.drop = nn.Dropout(0.2)
            self.fc = nn.Linear(d, 6)

        def forward(self, x):
            y = self.bn(self.embed(x).transpose(1, 2)).transpose(1, 2)
            y = self.encoder(y)
            q = self.query.expand(y.shape[0], -1, -1)
            pooled, _ = self.pool(q, y, y, need_weights=False)
            return self.fc(self.drop(pooled[:, 0]))

    return Net()


def attention_net(variant):
    """Two pre-norm blocks for the dynamo exporter at opset 23. rope: RMSNorm, rotary embedding
    (torch.onnx.ops.rotary_embedding), causal SDPA without attention dropout (exports as Attention);
    gqa: 4 query and 2 key/value heads with enable_gqa and an additive mask; sdpa_dropout: SDPA with
    dropout_p 0.2 in training."""
    import torch
    import torch.nn as nn
    import torch.nn.functional as F

    d, heads, kv_heads, seq = 32, 4, 2 if variant == "gqa" else 4, 8
    hd = d // heads

    class Block(nn.Module):
        def __init__(self):
            super().__init__()
            self.norm1, self.norm2 = nn.RMSNorm(d), nn.RMSNorm(d)
            self.q = nn.Linear(d, d)
            self.kv = nn.Linear(d, 2 * kv_heads * hd)
            self.proj = nn.Linear(d, d)
            self.drop = nn.Dropout(0.1)
            self.ff = nn.Sequential(nn.Linear(d, 2 * d), nn.GELU(), nn.Dropout(0.1), nn.Linear(2 * d, d))
            self.register_buffer("mask", torch.triu(torch.full((seq, seq), -1e4), 1) + 0.1 * torch.randn(seq, seq))
            inv = 1.0 / (10000 ** (torch.arange(0, hd, 2).float() / hd))
            freqs = torch.arange(2 * seq).float()[:, None] * inv[None]
            self.register_buffer("cos", freqs.cos())
            self.register_buffer("sin", freqs.sin())

        def forward(self, x):
            b, t, _ = x.shape
            h = self.norm1(x)
            q = self.q(h).reshape(b, t, heads, hd).transpose(1, 2)
            k, v = self.kv(h).reshape(b, t, 2, kv_heads, hd).permute(2, 0, 3, 1, 4)
            if variant == "rope":
                pos = torch.arange(t).unsqueeze(0).expand(b, t)
                q = torch.onnx.ops.rotary_embedding(q, self.cos, self.sin, pos)
                k = torch.onnx.ops.rotary_embedding(k, self.cos, self.sin, pos)
            if variant == "gqa":
                a = F.scaled_dot_product_attention(q, k, v, attn_mask=self.mask, enable_gqa=True)
            else:
                p = 0.2 if variant == "sdpa_dropout" and self.training else 0.0
                a = F.scaled_dot_product_attention(q, k, v, dropout_p=p, is_causal=True)
            x = x + self.drop(self.proj(a.transpose(1, 2).reshape(b, t, d)))
            return x + self.ff(self.norm2(x))

    net = nn.Sequential(Block(), Block())
    with torch.no_grad():  # RMSNorm scales other than their default ones
        for m in net.modules():
            if isinstance(m, nn.RMSNorm):
                m.weight.uniform_(0.5, 1.5)
    return net


def onnx_ops_attention_net():
    """torch.onnx.ops.attention / rotary_embedding written directly (they export as ONNX Attention and
    RotaryEmbedding): 3-D inputs with q_num_heads 4 / kv_num_heads 2, a key/value cache of 4 earlier
    positions (past_key, past_value buffers), softcap 30, interleaved rotary embedding; RMSNorm, Dropout."""
    import torch
    import torch.nn as nn

    d, heads, kv_heads, seq, past = 32, 4, 2, 8, 4
    hd = d // heads

    class Block(nn.Module):
        def __init__(self):
            super().__init__()
            self.norm = nn.RMSNorm(d)
            self.q, self.k, self.v = nn.Linear(d, d), nn.Linear(d, kv_heads * hd), nn.Linear(d, kv_heads * hd)
            self.proj = nn.Linear(d, d)
            self.drop = nn.Dropout(0.1)
            self.register_buffer("past_key", torch.randn(1, kv_heads, past, hd))
            self.register_buffer("past_value", torch.randn(1, kv_heads, past, hd))
            inv = 1.0 / (10000 ** (torch.arange(0, hd, 2).float() / hd))
            freqs = torch.arange(2 * (seq + past)).float()[:, None] * inv[None]
            self.register_buffer("cos", freqs.cos())
            self.register_buffer("sin", freqs.sin())

        def forward(self, x):
            b, t, _ = x.shape
            h = self.norm(x)
            pos = (torch.arange(t) + past).unsqueeze(0).expand(b, t)
            q = torch.onnx.ops.rotary_embedding(self.q(h), self.cos, self.sin, pos, interleaved=True, num_heads=heads)
            k = torch.onnx.ops.rotary_embedding(self.k(h), self.cos, self.sin, pos, interleaved=True,
                                                num_heads=kv_heads)
            past_key, past_value = self.past_key.expand(b, -1, -1, -1), self.past_value.expand(b, -1, -1, -1)
            a, present_key, present_value, _ = torch.onnx.ops.attention(
                q, k, self.v(h), None, past_key, past_value, q_num_heads=heads, kv_num_heads=kv_heads, softcap=30.0)
            # onnxruntime's CPU Attention refuses a past_key whose present_key is not produced: the cache
            # outputs feed a small term of the block's output.
            return x + self.drop(self.proj(a)) + 0.01 * (present_key.mean() + present_value.mean())

    net = nn.Sequential(Block(), Block())
    with torch.no_grad():
        for m in net.modules():
            if isinstance(m, nn.RMSNorm):
                m.weight.uniform_(0.5, 1.5)
    return net


def ort_cnn():
    import torch
    import torch.nn as nn

    class Net(nn.Module):
        def __init__(self):
            super().__init__()
            self.conv1, self.bn1 = nn.Conv2d(3, 8, 3, padding=1), nn.BatchNorm2d(8)
            self.conv2, self.bn2 = nn.Conv2d(8, 16, 3, 2, 1), nn.BatchNorm2d(16)
            self.fc1, self.bn3 = nn.Linear(16 * 4 * 4, 32), nn.BatchNorm1d(32)
            self.drop = nn.Dropout(0.25)
            self.fc2 = nn.Linear(32, 10)

        def forward(self, x):
            y = torch.relu(self.bn1(self.conv1(x)))
            y = torch.relu(self.bn2(self.conv2(y))).flatten(1)
            return self.fc2(self.drop(torch.relu(self.bn3(self.fc1(y)))))

    return Net()


# ------------------------------------------------------------------------------------------------
# The model list


class Spec:
    """exporter: ts (TorchScript, opset 17) or dynamo (opset 23); mode: train or eval export of NAME.onnx;
    prepare: a training step after the BatchNorm statistics (QAT); sites: regularizer sites in the module
    (Dropout layers and dropout arguments), to tell an exporter that loses one."""

    def __init__(self, build, shape, note, exporter="ts", mode="train", prepare=None, sites=None, output="output",
                 dynamic=None, other_shape=None):
        self.build, self.shape, self.note, self.exporter, self.mode = build, shape, note, exporter, mode
        self.prepare, self.sites, self.output = prepare, sites, output
        # dynamic: {axis: name} of the input (TorchScript dynamic_axes; the output's batch follows); freezer
        # draws 1 for a symbolic dimension, so the samples have 1 there, and other_shape is compared too.
        self.dynamic, self.other_shape = dynamic, other_shape

    def sample_shape(self):
        return tuple(1 if i in (self.dynamic or {}) else d for i, d in enumerate(self.shape))


SPECS = OrderedDict([
    ("gru_bn_dropout", Spec(gru_net, (2, 8, 12), "Conv1d+BN, 2-layer GRU, Dropout, Linear+BN1d, Dropout; train",
                            sites=2)),
    ("lstm_bidir_2layer", Spec(lstm_net, (2, 12, 8), "bidirectional 2-layer LSTM, Linear+BN1d, Dropout; EVAL export",
                               mode="eval", sites=2)),
    ("gru_dynamic", Spec(gru_net, (2, 8, 12), "gru_bn_dropout with symbolic batch and sequence length; train",
                         sites=2, dynamic={0: "batch", 2: "seq"}, other_shape=(3, 8, 20))),
    ("lstm_dynamic", Spec(lstm_net, (2, 12, 8), "lstm_bidir_2layer with symbolic batch and sequence length; EVAL",
                          mode="eval", sites=2, dynamic={0: "batch", 1: "seq"}, other_shape=(3, 20, 8))),
    ("qat_cnn_fused", Spec(lambda: qat_cnn(True), (1, 3, 16, 16),
                           "torch.ao QAT, ConvBnReLU2d fused, per-channel int8 weights; train", prepare=qat_train)),
    ("qat_cnn_unfused", Spec(lambda: qat_cnn(False), (1, 3, 16, 16),
                             "torch.ao QAT, Conv(x, DQ(Q(W))) then float BatchNorm2d; train", prepare=qat_train)),
    ("transformer_ts17", Spec(transformer_net, (2, 16, 24),
                              "Linear+BN1d, TransformerEncoder x2, MultiheadAttention pooling, Dropout; train",
                              sites=2 * 4 + 2)),  # per layer: attention, residual x2, FF
    ("dyn23_rope_attention", Spec(lambda: attention_net("rope"), (1, 8, 32),
                                  "dynamo opset 23: RMSNorm, RotaryEmbedding, causal Attention, Dropout; train",
                                  exporter="dynamo", sites=4)),
    ("dyn23_gqa_mask", Spec(lambda: attention_net("gqa"), (1, 8, 32),
                            "dynamo opset 23: GQA (4 q / 2 kv heads) Attention with float mask, Dropout; train",
                            exporter="dynamo", sites=4)),
    ("dyn23_sdpa_dropout", Spec(lambda: attention_net("sdpa_dropout"), (1, 8, 32),
                                "dynamo opset 23: SDPA with dropout_p 0.2, RMSNorm, Dropout; train",
                                exporter="dynamo", sites=6)),
    ("dyn23_onnx_ops_attention", Spec(onnx_ops_attention_net, (1, 8, 32),
                                      "dynamo opset 23: torch.onnx.ops Attention (3-D, GQA, past KV, softcap) "
                                      "and interleaved RotaryEmbedding, RMSNorm, Dropout; train",
                                      exporter="dynamo", sites=2)),
    ("ort_training_model", Spec(ort_cnn, (4, 3, 8, 8), "onnxruntime-training training_model.onnx + checkpoint",
                                exporter="ort", sites=1, output="logits")),
    ("ort_eval_model", Spec(ort_cnn, (4, 3, 8, 8), "onnxruntime-training eval_model.onnx + checkpoint",
                            exporter="ort", sites=1, output="logits")),
])
MODELS = list(SPECS)
ORT_DIR = "ort_cnn"  # OUT_DIR/ort_cnn: the artifacts both ort rows convert


# ------------------------------------------------------------------------------------------------
# Export


def load_stored_state(model, state_before, graph):
    """Loads every value the export stores under a state_dict name (BatchNorm statistics the trace
    updated, quantizer scales) into `model`; returns how many."""
    import torch
    from onnx import numpy_helper

    stored = {t.name: numpy_helper.to_array(t) for t in graph.initializer}
    state = {k: v.clone() for k, v in state_before.items()}
    loaded = 0
    for key, value in model.state_dict().items():
        if key in stored and tuple(stored[key].shape) == tuple(value.shape):
            state[key] = torch.from_numpy(np.array(stored[key])).to(value.dtype)
            loaded += 1
    model.load_state_dict(state)
    return loaded


def torch_export(model, x, path, exporter, train, output, dynamic=None):
    import torch

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        if exporter == "dynamo":
            model.train(train)
            torch.onnx.export(model, (x,), str(path), dynamo=True, opset_version=23, input_names=["input"],
                              output_names=[output], verbose=False)
        else:
            mode = torch.onnx.TrainingMode.TRAINING if train else torch.onnx.TrainingMode.EVAL
            axes = {"input": dynamic, output: {0: dynamic[0]}} if dynamic else None
            torch.onnx.export(model.train(train), (x,), str(path), training=mode, do_constant_folding=False,
                              dynamo=False, opset_version=17, input_names=["input"], output_names=[output],
                              dynamic_axes=axes)


def graph_facts(graph):
    """What an exported graph holds: operators (subgraphs included, with their domain) and its training
    constructs."""
    ops = Counter((f"{n.domain}." if n.domain not in ("", "ai.onnx") else "") + n.op_type for n in all_nodes(graph))
    bare = Counter(n.op_type for n in all_nodes(graph))
    training_bn = sum(1 for n in all_nodes(graph) if n.op_type == "BatchNormalization"
                      and (any(a.name == "training_mode" and a.i == 1 for a in n.attribute) or len(n.output) > 1))
    return {"operators": dict(sorted(ops.items())), "nodes": sum(ops.values()), "dropout_nodes": bare["Dropout"],
            "training_bn_nodes": training_bn, "bn_internal_nodes": bare["BatchNormInternal"],
            "random_nodes": {op: bare[op] for op in sorted(RANDOM_OPS) if bare[op]},
            "qdq_nodes": sum(bare[op] for op in QDQ_OPS),
            "training_op_nodes": sum(bare[op] for op in TRAINING_OPS) + sum(c for op, c in bare.items()
                                                                           if op.endswith("Grad")),
            "kernels": {op: bare[op] for op in ("GRU", "LSTM", "RNN", "Attention", "RMSNormalization",
                                                 "RotaryEmbedding", "QuantizeLinear", "DequantizeLinear") if bare[op]}}


def save_samples(out_dir, name, model, shape, other_shape=None):
    """freezer's draws and torch's eval outputs on them; with other_shape also two inputs of that shape
    (another batch and sequence length for a model with symbolic dimensions)."""
    import torch

    xs = freezer_samples(shape, SAMPLES)
    with torch.no_grad():
        ys = [model(torch.from_numpy(xk)).numpy() for xk in xs]
        extra = {}
        if other_shape:
            xo = freezer_samples(other_shape, 2, seed=1)
            extra = {"x_other": np.stack(xo), "y_torch_eval_other": np.stack([model(torch.from_numpy(xk)).numpy()
                                                                                for xk in xo])}
    np.savez(out_dir / f"{name}.samples.npz", x=np.stack(xs), y_torch_eval=np.stack(ys), **extra)
    return float(max(np.abs(y).max() for y in ys))


def export(name, out_dir: Path):
    """NAME.onnx, NAME.eval.onnx, NAME.samples.npz, NAME.json for a torch model (this interpreter must
    have onnxscript for the dynamo models)."""
    import onnx
    import torch

    spec = SPECS[name]
    torch.manual_seed(SEED)
    generator = torch.Generator().manual_seed(SEED)
    model = spec.build()
    bn_count = set_non_default_bn(model, spec.shape, generator)
    if spec.prepare:
        spec.prepare(model, spec.shape, generator)
    x = torch.empty(spec.shape).uniform_(-1, 1, generator=generator)
    path, eval_path = out_dir / f"{name}.onnx", out_dir / f"{name}.eval.onnx"
    state_before = copy.deepcopy(model.state_dict())
    t0 = time.perf_counter()
    torch_export(model, x, path, spec.exporter, spec.mode == "train", spec.output, spec.dynamic)
    export_s = time.perf_counter() - t0
    proto = onnx.load(str(path))
    onnx.checker.check_model(proto, full_check=True)
    loaded = load_stored_state(model, state_before, proto.graph)
    torch_export(model, x, eval_path, spec.exporter, False, spec.output, spec.dynamic)
    model.eval()
    abs_max = save_samples(out_dir, name, model, spec.sample_shape(), spec.other_shape)
    info = {"name": name, "note": spec.note, "exporter": spec.exporter, "mode": spec.mode,
            "input_shape": list(spec.shape), "dynamic_axes": spec.dynamic, "other_shape": spec.other_shape,
            "bn_modules": bn_count, "stored_state_loaded": loaded,
            "regularizer_sites": spec.sites, "parameters": int(sum(p.numel() for p in model.parameters())),
            "output_abs_max_torch_eval": abs_max, "file_bytes": path.stat().st_size, "export_s": round(export_s, 2),
            **graph_facts(proto.graph), "eval": graph_facts(onnx.load(str(eval_path)).graph)}
    (out_dir / f"{name}.json").write_text(json.dumps(info, indent=1))
    return info


def ort_generate(out: Path):
    """onnxruntime-training artifacts of ort_cnn (run under the onnxruntime-training interpreter), as
    make_ort_artifacts.py makes its fixture, plus torch's eval export of the values they hold."""
    import onnx
    import torch
    from onnxruntime.training import artifacts
    from onnxruntime.training.api import CheckpointState, Module

    out.mkdir(parents=True, exist_ok=True)
    spec = SPECS["ort_training_model"]
    torch.manual_seed(SEED)
    generator = torch.Generator().manual_seed(SEED)
    net = spec.build()
    bn_count = set_non_default_bn(net, spec.shape, generator)
    x = torch.empty(spec.shape).uniform_(-1, 1, generator=generator)
    state_before = copy.deepcopy(net.state_dict())
    forward = out / "forward.onnx"
    torch_export(net, x, forward, "ts", True, spec.output)
    model = onnx.load(str(forward))
    # The reference: the statistics the training export (and so the checkpoint) holds.
    loaded = load_stored_state(net, state_before, model.graph)
    torch_export(net, x, out / "torch_eval.onnx", "ts", False, spec.output)
    net.eval()
    abs_max = save_samples(out, "ort_cnn", net, spec.shape)
    names = [i.name for i in model.graph.initializer]
    frozen = [n for n in names if "running" in n or "num_batches" in n]
    artifacts.generate_artifacts(model, requires_grad=[n for n in names if n not in frozen], frozen_params=frozen,
                                 loss=artifacts.LossType.CrossEntropyLoss, optimizer=artifacts.OptimType.AdamW,
                                 artifact_directory=str(out))
    # onnxruntime-training cannot load the eval model it wrote for a BatchNorm model (inference-mode
    # BatchNormalization with its three training outputs): its Module gets a copy with those outputs
    # dropped (make_ort_artifacts.py's workaround); eval_model.onnx stays as generate_artifacts wrote it.
    eval_model = onnx.load(str(out / "eval_model.onnx"))
    for node in eval_model.graph.node:
        if node.op_type == "BatchNormalization":
            del node.output[1:]
    patched = out / "eval_model_for_ort.onnx"
    onnx.save(eval_model, str(patched))
    state = CheckpointState.load_checkpoint(str(out / "checkpoint"))
    module = Module(str(out / "training_model.onnx"), state, str(patched))
    module.export_model_for_inferencing(str(out / "inference_model.onnx"), [spec.output])
    for leftover in ("optimizer_model.onnx", "eval_model_for_ort.onnx", "forward.onnx"):
        (out / leftover).unlink()
    info = {"bn_modules": bn_count, "stored_state_loaded": loaded, "output_abs_max_torch_eval": abs_max,
            "parameters": int(sum(p.numel() for p in net.parameters()))}
    (out / "info.json").write_text(json.dumps(info, indent=1))


def export_ort(out_dir: Path, ort_python: str):
    """Runs ort_generate under the onnxruntime-training interpreter; NAME.json for both ort rows."""
    import onnx

    out = out_dir / ORT_DIR
    t0 = time.perf_counter()
    cmd = [ort_python, str(Path(__file__).resolve()), str(out_dir), "--ort-generate", str(out)]
    proc = subprocess.run(cmd, capture_output=True, text=True, env={**os.environ, "PYTHONWARNINGS": "ignore"})
    if proc.returncode != 0:
        raise RuntimeError(f"{' '.join(cmd)} failed: {proc.stderr.strip()[-1500:]}")
    export_s = time.perf_counter() - t0
    base = json.loads((out / "info.json").read_text())
    infos = {}
    for name, file in (("ort_training_model", "training_model.onnx"), ("ort_eval_model", "eval_model.onnx")):
        spec = SPECS[name]
        proto = onnx.load(str(out / file))
        info = {"name": name, "note": spec.note, "exporter": "ort", "mode": "train" if "training" in file else "eval",
                "input_shape": list(spec.shape), "regularizer_sites": spec.sites, **base,
                "file_bytes": (out / file).stat().st_size, "export_s": round(export_s, 2), **graph_facts(proto.graph),
                "eval": graph_facts(onnx.load(str(out / "inference_model.onnx")).graph)}
        (out_dir / f"{name}.json").write_text(json.dumps(info, indent=1))
        infos[name] = info
    return infos


def export_dynamo(names, out_dir: Path, python: str):
    """Exports the dynamo models in a child interpreter that has onnxscript; returns their infos and the
    exporter's message for each model it could not export."""
    cmd = [python, str(Path(__file__).resolve()), str(out_dir), "--dynamo-export", "--models", ",".join(names)]
    proc = subprocess.run(cmd, capture_output=True, text=True, env={**os.environ, "PYTHONWARNINGS": "ignore"})
    print(proc.stdout, end="", flush=True)
    infos, skipped = {}, {}
    for name in names:
        err = out_dir / f"{name}.export-error.txt"
        if (out_dir / f"{name}.json").exists() and not err.exists():
            infos[name] = json.loads((out_dir / f"{name}.json").read_text())
        else:
            skipped[name] = err.read_text() if err.exists() else f"exit {proc.returncode}: {proc.stderr.strip()[-800:]}"
    return infos, skipped


def export_here(names, out_dir: Path):
    """Exports in this interpreter; an exporter's failure is written to NAME.export-error.txt."""
    infos, skipped = {}, {}
    for name in names:
        err = out_dir / f"{name}.export-error.txt"
        err.unlink(missing_ok=True)
        (out_dir / f"{name}.json").unlink(missing_ok=True)
        try:
            infos[name] = export(name, out_dir)
        except Exception as e:  # noqa: BLE001 - one exporter failure must not hide the other models
            msg = f"{type(e).__name__}: {str(e).strip()[:1500]}"
            err.write_text(msg)
            skipped[name] = msg
            continue
        i = infos[name]
        print(f"{name}: {i['nodes']} nodes, kernels {i['kernels']}, Dropout {i['dropout_nodes']}, training BN "
              f"{i['training_bn_nodes']}, export {i['export_s']} s", flush=True)
    return infos, skipped


# ------------------------------------------------------------------------------------------------
# freezer and the checks


def model_files(out_dir: Path, name: str):
    """(the model freezer converts, extra convert arguments, the references [(label, path)], samples)."""
    if SPECS[name].exporter == "ort":
        d = out_dir / ORT_DIR
        file = "training_model.onnx" if name == "ort_training_model" else "eval_model.onnx"
        return (d / file, ["--checkpoint", str(d / "checkpoint")],
                [("ort export_model_for_inferencing", d / "inference_model.onnx"), ("torch eval export", d / "torch_eval.onnx")],
                d / "ort_cnn.samples.npz")
    return (out_dir / f"{name}.onnx", [], [("eval export", out_dir / f"{name}.eval.onnx")],
            out_dir / f"{name}.samples.npz")


def training_left(graph):
    """forbidden_nodes (random, Dropout, training_mode=1) plus onnxruntime-training's ops and
    BatchNormalization with its training outputs."""
    left = forbidden_nodes(graph)
    for n in all_nodes(graph):
        if n.op_type in TRAINING_OPS or n.op_type.endswith("Grad"):
            left.append(f"{n.domain}.{n.op_type} {n.name}")
        elif n.op_type == "BatchNormalization" and len(n.output) > 1 and any(n.output[1:]):
            left.append(f"BatchNormalization with training outputs {n.name}")
    return left


def removed_summary(log):
    """The log's categories Dropout, Batch Normalization, Gradient and optimizer, Loss: status, changes
    counted by action and the summary."""
    out = {}
    for c in log["modelConversion"]["eliminationOfTrainingSpecificOperations"]:
        if c.get("category") in ("dropout", "batchNormalization", "gradientAndOptimizer", "loss"):
            actions = Counter(ch.get("action", "?") for ch in c.get("changes", []))
            out[c["category"]] = {"status": c.get("status"), "actions": dict(actions), "summary": c.get("summary")}
    return out


def checker_context(graph, log_path: Path):
    """For a checker failure: the graph inputs and outputs declared without a shape, and what the
    conversion log says about them."""
    unshaped = [v.name for v in list(graph.input) + list(graph.output)
                if v.type.HasField("tensor_type") and not v.type.tensor_type.HasField("shape")]
    said = []
    if log_path.exists() and unshaped:
        log = json.loads(log_path.read_text())
        for c in log["modelConversion"]["eliminationOfTrainingSpecificOperations"]:
            said += [f"{c['category']} / {ch.get('pass')}: {ch.get('action')}: {ch.get('detail')}"
                     for ch in c.get("changes", []) if set(ch.get("nodes", [])) & set(unshaped)]
    return {"declared_without_shape": unshaped, "log_says": said}


def check_frozen(frozen: Path, refs, samples: Path, info: dict, failures: list):
    """Checks 2-5 on a frozen model; appends to `failures`, returns the figures."""
    import onnx

    row = {}
    log_path = frozen.parent / (frozen.name[:-len(".onnx")] + ".conversion-log.json")
    if log_path.exists():
        row["removed"] = removed_summary(json.loads(log_path.read_text()))
    proto = onnx.load(str(frozen))
    row["frozen_kernels"] = graph_facts(proto.graph)["kernels"]
    left = training_left(proto.graph)
    row["forbidden_left"] = left
    if left:
        failures.append(f"{len(left)} training nodes left: {left[:5]}")
    qdq = graph_facts(proto.graph)["qdq_nodes"]
    if qdq != info["eval"]["qdq_nodes"]:
        failures.append(f"QuantizeLinear/DequantizeLinear: {qdq} in the frozen model, {info['eval']['qdq_nodes']} "
                        "in the eval export")
    try:
        onnx.checker.check_model(proto, full_check=True)
        row["checker"] = "ok"
    except Exception as e:  # noqa: BLE001 - reported, not raised
        row["checker"] = f"{type(e).__name__}: {str(e).splitlines()[0][:300]}"
        failures.append(f"checker: {row['checker']}")
        row["checker_context"] = checker_context(proto.graph, log_path)
    data = np.load(samples)
    sets = [("", list(data["x"]), data["y_torch_eval"])]
    if "x_other" in data:
        sets.append((f" at {list(data['x_other'].shape[1:])}", list(data["x_other"]), data["y_torch_eval_other"]))
    row["vs"] = {}
    try:
        fs = ort_session(frozen)
        row["ort"] = "ok"
    except Exception as e:  # noqa: BLE001
        row["ort"] = f"{type(e).__name__}: {str(e).splitlines()[0][:300]}"
        failures.append(f"onnxruntime: {row['ort']}")
        return row
    for (label, path), (where, xs, ys) in ((r, w) for r in refs for w in sets):
        label += where
        try:
            es = ort_session(path)
            out_name = es.get_outputs()[0].name
            ref = np.stack([es.run([out_name], {"input": xk})[0] for xk in xs]).astype(np.float64)
            v = compare(fs, es, xs)
            v["ref_vs_torch_eval_max_abs"] = float(np.abs(ref - ys).max())
        except Exception as e:  # noqa: BLE001
            msg = f"{type(e).__name__}: {str(e).splitlines()[0][:300]}"
            failures.append(f"onnxruntime run against {label}: {msg}")
            row["vs"][label] = {"error": msg}
            continue
        row["vs"][label] = v
        if not v["max_abs"] <= 1e-5 + 1e-4 * v["ref_abs_max"]:
            failures.append(f"vs {label}: max abs {v['max_abs']:.3g} > 1e-5 + 1e-4 * {v['ref_abs_max']:.3g}")
    return row


def convert_and_check(cmd, frozen: Path, refs, samples: Path, info: dict):
    """Runs one `freezer convert` and checks what it wrote. A refusal is diagnosed by the same conversion
    with --no-verify (frozen as NAME.noverify.onnx): does the conversion itself work?"""
    t0 = time.perf_counter()
    proc = subprocess.run(cmd, capture_output=True, text=True)
    row = {"exit": proc.returncode, "wall_s": round(time.perf_counter() - t0, 2), "command": " ".join(cmd),
           "failures": []}
    if proc.returncode != 0:
        row["message"] = proc.stderr.strip()
        row["failures"].append(f"exit {proc.returncode}")
        if "--no-verify" not in cmd:
            diag = frozen.with_name(frozen.name.replace(".frozen.", ".noverify."))
            dcmd = [str(diag) if c == str(frozen) else c for c in cmd] + ["--no-verify"]
            row["diagnostic_no_verify"] = convert_and_check(dcmd, diag, refs, samples, info)
    else:
        summary = json.loads(proc.stdout)
        row["freezer_equivalence"] = summary.get("equivalence")
        row["freezer_outputs"] = [{k: o.get(k) for k in ("name", "maxAbsError", "maxRelError", "passed", "boundRatio")}
                                  for o in summary.get("outputs", [])]
        row.update(check_frozen(frozen, refs, samples, info, row["failures"]))
    row["verdict"] = "PASS" if not row["failures"] else "FAIL"
    return row


def run_freezer(freezer: str, out_dir: Path, name: str, info: dict, script_cmd: str):
    model, extra, refs, samples = model_files(out_dir, name)
    frozen = out_dir / f"{name}.frozen.onnx"
    for p in list(out_dir.glob(f"{name}.frozen.*")) + list(out_dir.glob(f"{name}.noverify.*")):
        p.unlink()
    cmd = [freezer, "convert", str(model), "-o", str(frozen), "--model-id", name.upper(), "--model-version", "1",
           "--responsible", "architecture-validation", "--json"] + extra
    return {"model": name, "note": info["note"], "reproduce": f"{script_cmd} --models {name}", "export": info,
            **convert_and_check(cmd, frozen, refs, samples, info)}


# ------------------------------------------------------------------------------------------------
# Report


def _cell(text):
    return str(text).replace("|", "\\|").replace("\n", " ")


def exported_summary(info):
    parts = [f"{op} {c}" for op, c in info["kernels"].items()]
    for key, label in (("dropout_nodes", "Dropout"), ("training_bn_nodes", "training BN"),
                       ("bn_internal_nodes", "BatchNormInternal"), ("training_op_nodes", "grad/loss/optim")):
        if info.get(key):
            parts.append(f"{label} {info[key]}")
    sites = info.get("regularizer_sites")
    if info["mode"] == "train" and sites and info["dropout_nodes"] != sites:
        # an exporter that loses a dropout site in training mode (SDPA's dropout_p with dynamo at opset 23)
        parts.append(f"(of {sites} dropout sites in the module)")
    parts += [f"{op} {c}" for op, c in info["random_nodes"].items()]
    return ", ".join(parts) or "-"


def removed_cell(row):
    removed = row.get("removed")
    if not removed:
        return _cell((row.get("message", "").splitlines() or [""])[0][:160])
    short = {"dropout": "Dropout", "batchNormalization": "BN", "gradientAndOptimizer": "Grad", "loss": "Loss"}
    parts = []
    for cat, c in removed.items():
        if c["actions"]:
            parts.append(f"{short[cat]}: " + ", ".join(f"{a} x{n}" for a, n in c["actions"].items()))
        elif c["status"] not in ("not present",):
            parts.append(f"{short[cat]}: {c['status']}")
    return _cell("; ".join(parts) or "-")


def table(rows, skipped):
    g = lambda v: "-" if v is None else f"{v:.3g}"  # noqa: E731
    lines = ["| model | verdict | exit | freezer s | exported (training content) | left | checker | ort | reference "
             "| max abs | max rel | max elem rel | \\|ref\\| max | freezer removed (log categories) |",
             "|---|---|---|---|---|---|---|---|---|---|---|---|---|---|"]
    for r in rows:
        vs = r.get("vs") or {"-": {}}
        for k, (label, v) in enumerate(vs.items()):
            head = (f"| {r['model']} | {r['verdict']} | {r['exit']} | {r['wall_s']} | {_cell(exported_summary(r['export']))} "
                    f"| {len(r['forbidden_left']) if 'forbidden_left' in r else '-'} | {_cell(r.get('checker', '-'))} "
                    f"| {_cell(r.get('ort', '-'))} |") if k == 0 else "| | | | | | | | |"
            tail = f" {removed_cell(r)} |" if k == 0 else " |"
            lines.append(f"{head} {label} | {g(v.get('max_abs'))} | {g(v.get('max_rel'))} | {g(v.get('max_rel_elem'))} "
                         f"| {g(v.get('ref_abs_max'))} |{tail}")
    for name, msg in skipped.items():
        lines.append(f"| {name} | SKIP | - | - | exporter cannot: {_cell(msg.splitlines()[0][:200])} | | | | | | | | | |")
    return "\n".join(lines)


def details_md(rows, skipped):
    lines = ["", "## Per model", ""]
    for r in rows:
        e = r["export"]
        lines.append(f"### {r['model']} ({r['note']})")
        lines.append(f"- export: {e['exporter']}, {e['mode']} mode, {e['nodes']} nodes; operators: "
                     + ", ".join(f"{op} {c}" for op, c in e["operators"].items()))
        lines.append(f"- regularizer sites in the module: {e.get('regularizer_sites')}; Dropout nodes exported: "
                     f"{e['dropout_nodes']}; stored values loaded back before the eval export: "
                     f"{e.get('stored_state_loaded')}")
        if r.get("frozen_kernels") is not None:
            lines.append(f"- frozen model keeps: {r['frozen_kernels']}; freezer's own check: "
                         f"{r.get('freezer_equivalence')} {r.get('freezer_outputs')}")
        for cat, c in (r.get("removed") or {}).items():
            lines.append(f"- log {cat}: {c['status']}: {c['summary']}")
        for label, v in (r.get("vs") or {}).items():
            if "max_abs" in v:
                lines.append(f"- vs {label}: max abs {v['max_abs']:.3g}, max rel {v['max_rel']:.3g}, reference vs "
                             f"torch eval module {v['ref_vs_torch_eval_max_abs']:.3g}")
        lines.append("")
    fails = [r for r in rows if r["failures"]]
    if fails:
        lines += ["## Failures", ""]
        for r in fails:
            lines.append(f"### {r['model']}")
            lines.append(f"- command: `{r['command']}`")
            lines.append(f"- reproduce: `{r['reproduce']}`")
            lines.append(f"- exported pattern: {exported_summary(r['export'])}")
            lines += [f"- {f}" for f in r["failures"]]
            if r.get("message"):
                lines += ["- freezer said:", "```", r["message"][:4000], "```"]
            ctx = r.get("checker_context")
            if ctx:
                lines.append(f"- declared without a shape in the frozen model: {ctx['declared_without_shape']}; "
                             "the conversion log about them:")
                lines += ["```", *ctx["log_says"], "```"]
            d = r.get("diagnostic_no_verify")
            if d:
                if d["exit"] == 0:
                    figures = "; ".join(f"vs {k} max abs {v.get('max_abs', float('nan')):.3g}"
                                        for k, v in (d.get("vs") or {}).items())
                    lines.append(f"- diagnosis, the same conversion with --no-verify: exit 0, training nodes left "
                                 f"{len(d.get('forbidden_left', []))}, checker {d.get('checker')}, ort {d.get('ort')}, "
                                 f"{figures}; failures {d['failures']}")
                else:
                    lines.append(f"- diagnosis, --no-verify: exit {d['exit']}: {d['message'][:500]}")
                lines.append(f"  `{d['command']}`")
            lines.append("")
    if skipped:
        lines += ["## Not exported", ""]
        for name, msg in skipped.items():
            lines += [f"### {name}", "```", msg[:2000], "```", ""]
    return "\n".join(lines)


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("out_dir", type=Path)
    ap.add_argument("--models", default=",".join(MODELS))
    ap.add_argument("--freezer", help="run `freezer convert` at default settings on each model and check it")
    ap.add_argument("--skip-export", action="store_true", help="use the models already in OUT_DIR")
    ap.add_argument("--ort-python", default=ORT_PYTHON, help="an interpreter with onnxruntime-training")
    ap.add_argument("--dynamo-python", default=sys.executable, help="an interpreter with onnxscript")
    ap.add_argument("--ort-generate", type=Path, help=argparse.SUPPRESS)  # child: make the ort artifacts there
    ap.add_argument("--dynamo-export", action="store_true", help=argparse.SUPPRESS)  # child: export --models here
    args = ap.parse_args()
    import torch

    torch.set_num_threads(1)
    torch.backends.mha.set_fastpath_enabled(False)  # the eval-mode fast path has no ONNX export
    args.out_dir.mkdir(parents=True, exist_ok=True)
    names = [n for n in args.models.split(",") if n]
    unknown = [n for n in names if n not in SPECS]
    if unknown:
        raise SystemExit(f"unknown models: {', '.join(unknown)} (known: {', '.join(MODELS)})")
    if args.ort_generate:
        return ort_generate(args.ort_generate)
    if args.dynamo_export:
        export_here(names, args.out_dir)
        return None
    infos, skipped = {}, {}
    if args.skip_export:
        for name in names:
            err = args.out_dir / f"{name}.export-error.txt"
            if err.exists():
                skipped[name] = err.read_text()
            elif (args.out_dir / f"{name}.json").exists():
                infos[name] = json.loads((args.out_dir / f"{name}.json").read_text())
    else:
        here = [n for n in names if SPECS[n].exporter == "ts"]
        dyn = [n for n in names if SPECS[n].exporter == "dynamo"]
        for part in export_here(here, args.out_dir), (export_dynamo(dyn, args.out_dir, args.dynamo_python)
                                                      if dyn else ({}, {})):
            infos.update(part[0])
            skipped.update(part[1])
        if any(SPECS[n].exporter == "ort" for n in names):
            try:
                ort_infos = export_ort(args.out_dir, args.ort_python)
                infos.update({n: i for n, i in ort_infos.items() if n in names})
            except Exception as e:  # noqa: BLE001
                for n in names:
                    if SPECS[n].exporter == "ort":
                        skipped[n] = f"{type(e).__name__}: {e}"
    for name, msg in skipped.items():
        print(f"{name}: not exported: {msg.splitlines()[0][:300]}", file=sys.stderr, flush=True)
    if not args.freezer:
        return None
    script_cmd = (f"python3 scripts/make_architecture_models.py {args.out_dir} --freezer {args.freezer}"
                  + (f" --dynamo-python {args.dynamo_python}" if args.dynamo_python != sys.executable else ""))
    rows = []
    for name in names:
        if name not in infos:
            continue
        row = run_freezer(args.freezer, args.out_dir, name, infos[name], script_cmd)
        rows.append(row)
        print(f"  freezer {name}: exit {row['exit']}, {row['verdict']}"
              + (f" ({'; '.join(row['failures'])})" if row["failures"] else ""), flush=True)
    binary = Path(args.freezer).resolve()
    ident = {"path": str(binary), "sha256": hashlib.sha256(binary.read_bytes()).hexdigest(),
             "modified": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(binary.stat().st_mtime)),
             "version": subprocess.run([str(binary), "--version"], capture_output=True, text=True).stdout.strip()}
    passed = sum(r["verdict"] == "PASS" for r in rows)
    summary = {"freezer": ident, "passed": passed, "models": rows, "skipped": skipped}
    (args.out_dir / "results.json").write_text(json.dumps(summary, indent=1))
    text = table(rows, skipped)
    head = (f"freezer {ident['version']} at {ident['path']}, sha256 {ident['sha256']}, modified {ident['modified']}; "
            f"{passed} of {len(rows)} models pass" + (f", {len(skipped)} not exported." if skipped else "."))
    (args.out_dir / "results.md").write_text(head + "\n\n" + text + "\n" + details_md(rows, skipped) + "\n")
    print(head)
    print(text)
    return None


if __name__ == "__main__":
    main()
