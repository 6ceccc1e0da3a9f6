#!/usr/bin/env python3
"""Held-out validation models for freezer's removal of random-draw regularizers: real architectures with
drop path (stochastic depth), DropBlock, dropout masks and Gaussian noise, exported in training mode.

    python3 scripts/make_regularizer_models.py OUT_DIR [--models NAME,...] [--freezer PATH] [--skip-export]

Writes OUT_DIR/NAME.onnx for each model: a training-mode export with the TorchScript exporter
(torch.onnx.export(dynamo=False, training=TrainingMode.TRAINING, do_constant_folding=False), opset 17),
random weights (seeded), BatchNormalization affine parameters and running statistics set to non-default
values (as in make_criterion_models.py), small inputs. In training mode every regularizer below exports
as a random draw (RandomUniform(Like), RandomNormal(Like), Bernoulli) followed by arithmetic that turns it
into a mask or a noise; OUT_DIR/NAME.json describes each draw's subgraph (the op sequence with its
constants, e.g. timm's drop path `[RandomUniformLike{dtype=f32,high=1,low=0}([1, 1, 1, 1] all 0)] ->
Less(., 0.975) -> Cast{to=f32}(.) -> Div(., 0.975) => Mul(x, .)`; see random_patterns).

Beside it, OUT_DIR/NAME.eval.onnx is an EVAL-mode export (TrainingMode.EVAL) of the same weights: the
reference a correct frozen model must match. The training export's own forward pass updates the
BatchNorm running statistics before it serializes them, so the statistics stored in NAME.onnx are loaded
back into the module before the eval export is made (otherwise the two files describe different models).
OUT_DIR/NAME.samples.npz holds the 8 inputs `freezer convert` draws by default (seed 0; its SplitMix64
generator is reproduced here).

With --freezer PATH it runs `PATH convert NAME.onnx -o NAME.frozen.onnx --json` at default settings on each
model and checks, per model:
  1. exit 0;
  2. the frozen model (subgraphs included) has no RandomUniform(Like), RandomNormal(Like), Bernoulli,
     Multinomial or Dropout node and no BatchNormalization with training_mode=1;
  3. onnx.checker.check_model(frozen, full_check=True) passes;
  4. onnxruntime runs it;
  5. on freezer's seeded inputs it matches onnxruntime on NAME.eval.onnx: max abs error, max rel error
     (max |frozen - eval| / max |eval|) and the largest elementwise relative error (over elements with
     |eval| > 1e-6 max |eval|); it passes when max abs <= 1e-5 + 1e-4 max |eval| (float32 rounding of
     a folded model; the figures are in the table whatever the verdict). A model with a dynamic batch
     is also compared at batch 3.
It also reports what freezer removed: the Dropout category's changes in the conversion log. When a
model is refused, the same conversion is repeated with --no-verify (NAME.noverify.onnx) and checked the
same way, to tell a conversion failure from a verification failure.
Negative controls must be refused instead: exit non-zero with a message that names the random node.
The table goes to stdout, OUT_DIR/results.md (with every model's random subgraphs and every failure's
freezer message verbatim) and OUT_DIR/results.json (with the freezer binary's SHA-256).

Models (input shape; p = drop probability):
  tv_efficientnet_b0    torchvision efficientnet_b0, stochastic_depth_prob 0.2 (default), 1x3x64x64
  tv_convnext_tiny      torchvision convnext_tiny, stochastic_depth_prob 0.1 (default), 1x3x64x64
  tv_swin_t             torchvision swin_t, stochastic_depth_prob 0.2 (default), 1x3x64x64
  timm_convnext_atto    timm convnext_atto, drop_path_rate 0.1, 1x3x64x64
  timm_vit_tiny         timm vit_tiny_patch16_224 with img_size 64, drop_path_rate 0.1, 1x3x64x64
  timm_cspdarknet53     timm cspdarknet53, drop_path_rate 0.1, 1x3x64x64
  timm_mobilevit_xxs    timm mobilevit_xxs, drop_path_rate 0.1, 1x3x64x64
  timm_efficientnet_b0  timm efficientnet_b0, drop_path_rate 0.2, drop_rate 0.2, 1x3x64x64
  timm_resnet18d_dropblock  timm resnet18d, drop_block_rate 0.1 (DropBlock in stages 3 and 4, blocks 5
                        and 3), 1x3x160x160 so that both blocks fit (10x10 and 5x5 feature maps)
  timm_resnet26d_dropblock  timm resnet26d, drop_block_rate 0.1, 1x3x160x160
  Hand-written (this file): a stem conv+BN+ReLU and residual blocks x + R(ReLU(BN(conv(x)))) where R is
  the regularizer, pooling, a Linear classifier; 1x3x32x32, 16 channels, p 0.2 unless said:
  hand_droppath_floor   old timm drop path: mask = floor(keep + torch.rand(N,1,1,1)); x.div(keep) * mask
  hand_droppath_bernoulli  mask = torch.bernoulli(torch.full((N,1,1,1), keep)); x * mask / keep
  hand_channel_mask     per-channel mask (N,C,1,1): (torch.rand < keep) / keep * x
  hand_where_mask       element-wise mask: torch.where(torch.rand_like(x) < keep, x / keep, 0)
  hand_gaussian_noise   x + torch.randn_like(x) * 0.1
  hand_gaussian_dropout x * (1 + torch.randn_like(x) * 0.3)
  hand_if_switch        drop path (rand < keep, x * mask / keep) inside an If on a boolean buffer (True), made
                        with torch.jit.script_if_tracing; the else branch returns x
  hand_where_switch     torch.where(switch buffer, x * mask / keep, x)
  hand_deep_droppath    48 residual blocks with drop path (bernoulli_ form, linear rates to 0.2)
  hand_wide_droppath    residual MLP, 3 blocks of Linear 2048 + BatchNorm1d + ReLU with per-sample drop
                        path; input 2x2048
  hand_large_outputs    4 drop-path blocks, classifier scaled by 1e4
  hand_dynamic_batch    4 drop-path blocks, batch dimension dynamic (dynamic_axes), exported at batch 2
  hand_tv_sd_batch      torchvision.ops.StochasticDepth(0.2, mode="batch"): one [1,1,1,1] draw for the batch
  hand_dropblock_uncoupled  timm DropBlock2d(0.2, block_size 3, couple_channels=False) on 16x16 maps
  hand_dropblock_even   timm DropBlock2d(0.2, block_size 4): even block, the mask is sliced after MaxPool (timm
                        clips a resnet's blocks 5/3 to the map size, e.g. 4 and 2 at 64x64 input, but the
                        TorchScript exporter fails on resnet18d there, so the even case is tested here)
  hand_bernoulli_dynamic  the Bernoulli drop path with a dynamic batch (exported at 2), 3 blocks
  hand_shared_mask      two conv branches a, b sharing one per-sample draw: x + a * m / keep + b * m / keep
  Negative controls (freezer must refuse them):
  neg_non_inverted_mask x * mask, mask = (rand(N,1,1,1) < keep) without the 1/keep scaling: the
                        expectation is keep * x, not x, so removing it would change the model
  neg_noise_output      x + noise where the noise tensor is also a graph output
  neg_mask_mix          x + a * m + b * (1 - m): a random choice between two branches (E = keep a + p b)
  neg_dropblock_with_noise  timm DropBlock2d(with_noise=True): x * keep_mask + N(0,1) * block_mask, no
                        rescaling: E = (1 - P(dropped)) x, not x, although timm is the identity at inference

Needs torch 2.13.0+cpu, torchvision 0.28, timm, onnx, numpy; onnxruntime for the checks.
"""
from __future__ import annotations

import argparse
import copy
import hashlib
import json
import subprocess
import sys
import time
import warnings
from collections import Counter, OrderedDict
from pathlib import Path

import numpy as np

SEED = 20250101
OPSET = 17
SAMPLES = 8  # freezer convert's default --samples
RANDOM_OPS = {"RandomUniform", "RandomUniformLike", "RandomNormal", "RandomNormalLike", "Bernoulli", "Multinomial"}
FORBIDDEN_OPS = RANDOM_OPS | {"Dropout"}


# freezer's seeded inputs and the torchvision/timm import workaround are the criterion models' own.
from make_criterion_models import freezer_samples, import_vision  # noqa: E402


# ------------------------------------------------------------------------------------------------
# Hand-written regularizers. Each is the identity (or returns its input) in eval mode, so the eval
# export is the model a correct freezer must produce.


def regularizers():
    import torch
    import torch.nn as nn

    class DropPathFloor(nn.Module):
        """timm's drop path before 0.4: keep + U[0, 1) floored is a Bernoulli(keep) mask."""

        def __init__(self, p):
            super().__init__()
            self.p = p

        def forward(self, x):
            if not self.training or self.p == 0:
                return x
            keep = 1 - self.p
            shape = (x.shape[0],) + (1,) * (x.ndim - 1)
            mask = keep + torch.rand(shape, dtype=x.dtype, device=x.device)
            mask.floor_()
            return x.div(keep) * mask

    class DropPathBernoulli(nn.Module):
        def __init__(self, p):
            super().__init__()
            self.p = p

        def forward(self, x):
            if not self.training or self.p == 0:
                return x
            keep = 1 - self.p
            shape = (x.shape[0],) + (1,) * (x.ndim - 1)
            mask = torch.bernoulli(torch.full(shape, keep, dtype=x.dtype, device=x.device))
            return x * mask / keep

    class DropPathInplace(nn.Module):
        """timm's current form: new_empty(shape).bernoulli_(keep).div_(keep), then x * mask."""

        def __init__(self, p):
            super().__init__()
            self.p = p

        def forward(self, x):
            if not self.training or self.p == 0:
                return x
            keep = 1 - self.p
            shape = (x.shape[0],) + (1,) * (x.ndim - 1)
            mask = x.new_empty(shape).bernoulli_(keep)
            mask.div_(keep)
            return x * mask

    class ChannelMask(nn.Module):
        def __init__(self, p):
            super().__init__()
            self.p = p

        def forward(self, x):
            if not self.training:
                return x
            keep = 1 - self.p
            mask = (torch.rand(x.shape[0], x.shape[1], 1, 1, dtype=x.dtype) < keep).to(x.dtype)
            return mask / keep * x

    class WhereMask(nn.Module):
        def __init__(self, p):
            super().__init__()
            self.p = p

        def forward(self, x):
            if not self.training:
                return x
            keep = 1 - self.p
            return torch.where(torch.rand_like(x) < keep, x / keep, torch.zeros_like(x))

    class GaussianNoise(nn.Module):
        def __init__(self, sigma):
            super().__init__()
            self.sigma = sigma

        def forward(self, x):
            if not self.training:
                return x
            return x + torch.randn_like(x) * self.sigma

    class GaussianDropout(nn.Module):
        def __init__(self, sigma):
            super().__init__()
            self.sigma = sigma

        def forward(self, x):
            if not self.training:
                return x
            return x * (1 + torch.randn_like(x) * self.sigma)

    class NonInvertedMask(nn.Module):
        """Negative control: E[mask] = keep, so the training output's expectation is keep * x."""

        def __init__(self, p):
            super().__init__()
            self.p = p

        def forward(self, x):
            if not self.training:
                return x
            shape = (x.shape[0],) + (1,) * (x.ndim - 1)
            return x * (torch.rand(shape, dtype=x.dtype) < 1 - self.p).to(x.dtype)

    return {"floor": DropPathFloor, "bernoulli": DropPathBernoulli, "inplace": DropPathInplace,
            "channel": ChannelMask, "where": WhereMask, "gnoise": GaussianNoise, "gdropout": GaussianDropout,
            "noninverted": NonInvertedMask}


def _drop_path_if(x, flag, keep: float):
    """Drop path behind a training switch, compiled so that the export keeps the If (TorchScript reads
    `torch` from this module's globals: switch_regularizers puts it there)."""
    if bool(flag):
        mask = (torch.rand([x.shape[0], 1, 1, 1], dtype=x.dtype) < keep).to(x.dtype)
        return x * mask / keep
    return x


def switch_regularizers():
    """Drop path behind a boolean training switch stored as a buffer (True: the training behaviour):
    an If (TorchScript-compiled function) or a Where choosing between the noisy and the clean value."""
    import torch
    import torch.nn as nn

    globals()["torch"] = torch  # TorchScript compiles _drop_path_if against the module's globals
    drop_path_if = torch.jit.script_if_tracing(_drop_path_if)

    class IfSwitch(nn.Module):
        def __init__(self, p):
            super().__init__()
            self.p = p
            self.register_buffer("training_switch", torch.tensor(True))

        def forward(self, x):
            if not self.training:
                return x
            return drop_path_if(x, self.training_switch, 1.0 - self.p)

    class WhereSwitch(nn.Module):
        def __init__(self, p):
            super().__init__()
            self.p = p
            self.register_buffer("training_switch", torch.tensor(True))

        def forward(self, x):
            if not self.training:
                return x
            keep = 1.0 - self.p
            mask = (torch.rand(x.shape[0], 1, 1, 1, dtype=x.dtype) < keep).to(x.dtype)
            return torch.where(self.training_switch, x * mask / keep, x)

    return {"if_switch": IfSwitch, "where_switch": WhereSwitch}


def library_regularizers():
    """Regularizer layers of torchvision and timm used in the hand-written networks."""
    tv, timm = import_vision()
    from timm.layers import DropBlock2d

    return {"tv_sd_batch": lambda p: tv.ops.StochasticDepth(p, "batch"),
            "dropblock_uncoupled": lambda p: DropBlock2d(p, block_size=3, couple_channels=False),
            "dropblock_even": lambda p: DropBlock2d(p, block_size=4),
            "dropblock_noise": lambda p: DropBlock2d(p, block_size=3, with_noise=True)}


def residual_cnn(kind, blocks=2, p=0.2, linear_rates=False, width=16):
    """Stem conv+BN+ReLU, `blocks` residual blocks x + R(ReLU(BN(conv(x)))), pooling, Linear(10)."""
    import torch.nn as nn

    reg = {**regularizers(), **switch_regularizers()}.get(kind) or library_regularizers()[kind]

    class Block(nn.Module):
        def __init__(self, rate):
            super().__init__()
            self.conv = nn.Conv2d(width, width, 3, 1, 1, bias=False)
            self.bn = nn.BatchNorm2d(width)
            self.act = nn.ReLU()
            self.reg = reg(rate)

        def forward(self, x):
            return x + self.reg(self.act(self.bn(self.conv(x))))

    class Net(nn.Module):
        def __init__(self):
            super().__init__()
            self.stem = nn.Sequential(nn.Conv2d(3, width, 3, 2, 1, bias=False), nn.BatchNorm2d(width), nn.ReLU())
            rates = [p * i / max(blocks - 1, 1) for i in range(blocks)] if linear_rates else [p] * blocks
            self.blocks = nn.Sequential(*[Block(r) for r in rates])
            self.pool = nn.AdaptiveAvgPool2d(1)
            self.fc = nn.Linear(width, 10)

        def forward(self, x):
            return self.fc(self.pool(self.blocks(self.stem(x))).flatten(1))

    return Net()


def wide_mlp(width=2048, blocks=3, p=0.2):
    import torch.nn as nn

    reg = regularizers()["inplace"]

    class Block(nn.Module):
        def __init__(self):
            super().__init__()
            self.fc = nn.Linear(width, width)
            self.bn = nn.BatchNorm1d(width)
            self.act = nn.ReLU()
            self.reg = reg(p)

        def forward(self, x):
            return x + self.reg(self.act(self.bn(self.fc(x))))

    return nn.Sequential(*[Block() for _ in range(blocks)], nn.Linear(width, 10))


def two_branch_cnn(mode, blocks=2, p=0.2, width=16):
    """Residual blocks with two conv branches a, b sharing one per-sample draw m ~ Bernoulli(keep):
    shared: x + a * m / keep + b * m / keep (both identity at inference: a legitimate removal);
    mix (negative control): x + a * m + b * (1 - m), a random choice between the branches whose
    expectation keep * a + (1 - keep) * b is no identity."""
    import torch
    import torch.nn as nn

    class Block(nn.Module):
        def __init__(self):
            super().__init__()
            self.a = nn.Sequential(nn.Conv2d(width, width, 3, 1, 1, bias=False), nn.BatchNorm2d(width), nn.ReLU())
            self.b = nn.Sequential(nn.Conv2d(width, width, 1, 1, 0, bias=False), nn.BatchNorm2d(width), nn.ReLU())

        def forward(self, x):
            a, b = self.a(x), self.b(x)
            if not self.training:
                return x + a + b if mode == "shared" else x + p * a + (1 - p) * b
            keep = 1 - p
            m = x.new_empty((x.shape[0], 1, 1, 1)).bernoulli_(keep)
            if mode == "shared":
                return x + a * m / keep + b * m / keep
            return x + a * m + b * (1 - m)

    class Net(nn.Module):
        def __init__(self):
            super().__init__()
            self.stem = nn.Sequential(nn.Conv2d(3, width, 3, 2, 1, bias=False), nn.BatchNorm2d(width), nn.ReLU())
            self.blocks = nn.Sequential(*[Block() for _ in range(blocks)])
            self.fc = nn.Linear(width, 10)

        def forward(self, x):
            return self.fc(self.blocks(self.stem(x)).mean((2, 3)))

    return Net()


def noise_output_net():
    """Negative control: the added noise is also returned, so it cannot be removed."""
    import torch
    import torch.nn as nn

    class Net(nn.Module):
        def __init__(self):
            super().__init__()
            self.conv = nn.Conv2d(3, 8, 3, 1, 1, bias=False)
            self.bn = nn.BatchNorm2d(8)
            self.fc = nn.Linear(8, 10)

        def forward(self, x):
            y = torch.relu(self.bn(self.conv(x)))
            noise = torch.randn_like(y) * 0.1 if self.training else torch.zeros_like(y)
            y = y + noise
            return self.fc(y.mean((2, 3))), noise

    return Net()


# ------------------------------------------------------------------------------------------------
# The model list


class Spec:
    def __init__(self, build, shape, note, last=None, scale=None, dynamic=False, negative=False, outputs=("output",)):
        self.build, self.shape, self.note = build, shape, note
        self.last, self.scale, self.dynamic, self.negative, self.outputs = last, scale, dynamic, negative, outputs


def timm_model(name, **kw):
    return lambda: import_vision()[1].create_model(name, pretrained=False, **kw)


def tv_model(name, **kw):
    return lambda: getattr(import_vision()[0].models, name)(weights=None, **kw)


S64 = (1, 3, 64, 64)
S32 = (1, 3, 32, 32)
SPECS = OrderedDict([
    ("tv_efficientnet_b0", Spec(tv_model("efficientnet_b0"), S64, "torchvision, stochastic_depth_prob 0.2 (default)")),
    ("tv_convnext_tiny", Spec(tv_model("convnext_tiny"), S64, "torchvision, stochastic_depth_prob 0.1 (default)")),
    ("tv_swin_t", Spec(tv_model("swin_t"), S64, "torchvision, stochastic_depth_prob 0.2 (default)")),
    ("timm_convnext_atto", Spec(timm_model("convnext_atto", drop_path_rate=0.1), S64, "timm, drop_path_rate 0.1")),
    ("timm_vit_tiny", Spec(timm_model("vit_tiny_patch16_224", img_size=64, drop_path_rate=0.1), S64,
                           "timm vit_tiny_patch16_224 img_size 64, drop_path_rate 0.1")),
    ("timm_cspdarknet53", Spec(timm_model("cspdarknet53", drop_path_rate=0.1), S64, "timm, drop_path_rate 0.1")),
    ("timm_mobilevit_xxs", Spec(timm_model("mobilevit_xxs", drop_path_rate=0.1), S64, "timm, drop_path_rate 0.1")),
    ("timm_efficientnet_b0", Spec(timm_model("efficientnet_b0", drop_rate=0.2, drop_path_rate=0.2), S64,
                                  "timm, drop_path_rate 0.2, drop_rate 0.2")),
    ("timm_resnet18d_dropblock", Spec(timm_model("resnet18d", drop_block_rate=0.1), (1, 3, 160, 160),
                                      "timm, drop_block_rate 0.1 (DropBlock 5x5 on 10x10, 3x3 on 5x5)")),
    ("timm_resnet26d_dropblock", Spec(timm_model("resnet26d", drop_block_rate=0.1), (1, 3, 160, 160),
                                      "timm, drop_block_rate 0.1 (DropBlock 5x5 on 10x10, 3x3 on 5x5)")),
    ("hand_droppath_floor", Spec(lambda: residual_cnn("floor"), S32, "floor(keep + rand) mask, x.div(keep) * mask")),
    ("hand_droppath_bernoulli", Spec(lambda: residual_cnn("bernoulli"), S32,
                                     "torch.bernoulli(torch.full(shape, keep)), x * mask / keep")),
    ("hand_channel_mask", Spec(lambda: residual_cnn("channel"), S32, "per-channel (N,C,1,1) mask / keep * x")),
    ("hand_where_mask", Spec(lambda: residual_cnn("where"), S32, "torch.where(rand_like(x) < keep, x / keep, 0)")),
    ("hand_gaussian_noise", Spec(lambda: residual_cnn("gnoise", p=0.1), S32, "x + randn_like(x) * 0.1")),
    ("hand_gaussian_dropout", Spec(lambda: residual_cnn("gdropout", p=0.3), S32, "x * (1 + randn_like(x) * 0.3)")),
    ("hand_if_switch", Spec(lambda: residual_cnn("if_switch"), S32,
                            "drop path inside If(training switch buffer) (torch.jit.script_if_tracing)")),
    ("hand_where_switch", Spec(lambda: residual_cnn("where_switch"), S32,
                               "Where(training switch buffer, x * mask / keep, x)")),
    ("hand_deep_droppath", Spec(lambda: residual_cnn("inplace", blocks=48, linear_rates=True), S32,
                                "48 residual blocks, drop path 0 .. 0.2 (bernoulli_ form)")),
    ("hand_wide_droppath", Spec(lambda: wide_mlp(), (2, 2048), "residual MLP 3 x Linear 2048 + BN1d, drop path 0.2")),
    ("hand_large_outputs", Spec(lambda: residual_cnn("inplace", blocks=4), S32,
                                "4 drop-path blocks, classifier x 1e4", last="fc", scale=1e4)),
    ("hand_dynamic_batch", Spec(lambda: residual_cnn("inplace", blocks=4), (2, 3, 32, 32),
                                "4 drop-path blocks, dynamic batch (exported at 2)", dynamic=True)),
    ("hand_tv_sd_batch", Spec(lambda: residual_cnn("tv_sd_batch"), S32,
                              "torchvision.ops.StochasticDepth(0.2, mode='batch'): one draw for the whole batch")),
    ("hand_dropblock_uncoupled", Spec(lambda: residual_cnn("dropblock_uncoupled"), S32,
                                      "timm DropBlock2d(0.2, block 3, couple_channels=False) on 16x16")),
    ("hand_dropblock_even", Spec(lambda: residual_cnn("dropblock_even"), S32,
                                 "timm DropBlock2d(0.2, block 4): even block, MaxPool then Slice")),
    ("hand_bernoulli_dynamic", Spec(lambda: residual_cnn("bernoulli", blocks=3), (2, 3, 32, 32),
                                    "torch.bernoulli(torch.full(shape, keep)) drop path, dynamic batch", dynamic=True)),
    ("hand_shared_mask", Spec(lambda: two_branch_cnn("shared"), S32,
                              "one per-sample draw shared by two branches: x + a*m/keep + b*m/keep")),
    ("neg_non_inverted_mask", Spec(lambda: residual_cnn("noninverted"), S32,
                                   "NEGATIVE: x * mask without 1/keep", negative=True)),
    ("neg_noise_output", Spec(noise_output_net, S32, "NEGATIVE: the noise is also a graph output", negative=True,
                              outputs=("output", "noise"))),
    ("neg_mask_mix", Spec(lambda: two_branch_cnn("mix"), S32,
                          "NEGATIVE: x + a*m + b*(1-m): a random choice between branches", negative=True)),
    ("neg_dropblock_with_noise", Spec(lambda: residual_cnn("dropblock_noise"), S32,
                                      "NEGATIVE: timm DropBlock2d(with_noise=True): x * keep_mask + noise * "
                                      "block_mask, expectation (1 - P(dropped)) x", negative=True)),
])
MODELS = list(SPECS)


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
            if bn.affine:
                bn.weight.copy_(torch.empty_like(bn.weight).uniform_(0.5, 1.5, generator=generator))
                bn.bias.copy_(torch.empty_like(bn.bias).normal_(0.0, 0.2, generator=generator))
            if bn.track_running_stats:
                bn.reset_running_stats()
                bn.momentum = None
        model.train()
        batch = (4,) + tuple(shape[1:])
        for _ in range(6):
            model(torch.empty(batch).uniform_(-1, 1, generator=generator))
        for bn in bns:
            if bn.track_running_stats:
                bn.momentum = 0.1
                bn.num_batches_tracked.zero_()
    return len(bns)


# ------------------------------------------------------------------------------------------------
# The random subgraphs of an exported graph


def all_nodes(graph):
    """The nodes of a graph and of its subgraphs (If branches, Loop bodies)."""
    for n in graph.node:
        yield n
        for a in n.attribute:
            if a.type == a.GRAPH:
                yield from all_nodes(a.g)
            for g in a.graphs:
                yield from all_nodes(g)


def _short_value(arr):
    arr = np.asarray(arr)
    if arr.size == 0:
        return "[]"
    flat = arr.reshape(-1)
    if arr.ndim > 1 or (arr.size > 4 and bool((flat == flat[0]).all())):
        first = flat[0].item()
        same = bool((flat == flat[0]).all())
        return f"{list(arr.shape)}" + (f" all {first:.6g}" if same else f" {arr.dtype}")
    if arr.size <= 4:
        vals = arr.reshape(-1).tolist()
        txt = ",".join(f"{v:.6g}" if isinstance(v, float) else str(v) for v in vals)
        return txt if arr.ndim == 0 else f"[{txt}]"
    return f"<{arr.dtype} {list(arr.shape)}>"


def random_patterns(graph, outer_kind=None, outer_const=None, where="main"):
    """For each random node of `graph`: the ops that compute its input (shape arithmetic), the draw, the
    noise-only ops after it, the op where it meets the data and at most two more ops whose other inputs
    are constants or which are a Where (a Div by keep after the Mul, a switch); a Div/Mul by a constant on
    the data operand just before the meeting op comes first (x.div(keep) * mask). Values: numbers for
    constants, `x` for data, `.` for the noise, `y` for data already mixed with noise. Returns (list of
    {node, pattern, skeleton}, Counter of skeletons, the kind of every value). Subgraphs (If branches)
    are searched too."""
    from onnx import helper, numpy_helper

    const = dict(outer_const or {})
    const.update({t.name: numpy_helper.to_array(t) for t in graph.initializer})
    producer = {}
    for n in graph.node:
        for o in n.output:
            producer[o] = n
        if n.op_type == "Constant":
            for a in n.attribute:
                if a.name == "value":
                    const[n.output[0]] = numpy_helper.to_array(a.t)
    # Value kinds in topological order: const, shape (from Shape and constants), noise (random and
    # shape/const), data (graph inputs, parameters used as data), mixed (noise met data).
    kind = dict(outer_kind or {})
    patterns, skeletons = [], Counter()
    for i in graph.input:
        kind[i.name] = "data"
    for name in const:
        kind[name] = "const"

    def k(v):
        return kind.get(v, "const") if v else "const"

    for n in graph.node:
        ins = [k(v) for v in n.input if v]
        if n.op_type == "Constant":
            continue
        subgraphs = [(a.name, a.g) for a in n.attribute if a.type == a.GRAPH]
        if subgraphs:
            # If/Loop/Scan: the branches see this graph's values; an output is as noisy as its branches'.
            branch_kinds = set()
            for attr, sub in subgraphs:
                sp, ss, sk = random_patterns(sub, kind, const, f"{where}/{n.name}.{attr}")
                patterns += sp
                skeletons.update(ss)
                branch_kinds.update(sk.get(o.name, "const") for o in sub.output)
            ins = ins + sorted(branch_kinds)
        if n.op_type in RANDOM_OPS:
            out = "noise"
        elif n.op_type in ("Shape", "Size"):
            out = "shape"
        elif "mixed" in ins or (any(x in ("data", "mixed") for x in ins) and "noise" in ins):
            out = "mixed"
        elif "noise" in ins:
            out = "noise"
        elif any(x in ("data", "mixed") for x in ins):
            out = "data"
        elif "shape" in ins:
            out = "shape"
        else:
            out = "const"
        if "mixed" in ins and subgraphs:
            out = "mixed"
        for o in n.output:
            kind[o] = out

    consumers = {}
    for n in graph.node:
        for v in n.input:
            consumers.setdefault(v, []).append(n)

    def fmt_attr(n):
        parts = []
        for a in n.attribute:
            v = helper.get_attribute_value(a)
            if a.name in ("value",):
                continue
            if a.name == "dtype" or a.name == "to":
                v = {1: "f32", 7: "i64", 9: "bool", 10: "f16", 11: "f64"}.get(v, v)
            if isinstance(v, bytes):
                v = v.decode()
            if isinstance(v, float):
                v = f"{v:.6g}"
            parts.append(f"{a.name}={v}")
        return ",".join(parts)

    def arg(v, noise_names):
        if not v:
            return "-"
        if v in const:
            return _short_value(const[v])
        if v in noise_names:
            return "."
        kd = kind.get(v)
        return {"shape": "shape", "data": "x", "mixed": "y"}.get(kd, kd or "?")

    def fmt(n, noise_names):
        a = fmt_attr(n)
        return f"{n.op_type}{'{' + a + '}' if a else ''}({', '.join(arg(v, noise_names) for v in n.input)})"

    order = {id(n): i for i, n in enumerate(graph.node)}
    for r in graph.node:
        if r.op_type not in RANDOM_OPS:
            continue
        # Upstream: the shape/const computation of the draw's inputs.
        up, stack = [], [v for v in r.input if v]
        seen = set()
        while stack:
            v = stack.pop()
            p = producer.get(v)
            if p is None or id(p) in seen or p.op_type == "Constant" or kind.get(v) in ("data", "mixed"):
                continue
            seen.add(id(p))
            up.append(p)
            if p.op_type not in ("Shape", "Size"):
                stack.extend(x for x in p.input if x)
        up.sort(key=lambda n: order[id(n)])
        # Downstream: noise-only nodes, then the nodes where the noise meets data.
        noise_names = set(r.output)
        down, frontier, mixed = [], list(r.output), []
        visited = set()
        while frontier:
            v = frontier.pop()
            for c in consumers.get(v, []):
                if id(c) in visited:
                    continue
                visited.add(id(c))
                if kind.get(c.output[0]) == "noise":
                    down.append(c)
                    noise_names.update(c.output)
                    frontier.extend(c.output)
                else:
                    mixed.append(c)
        down.sort(key=lambda n: order[id(n)])
        mixed.sort(key=lambda n: order[id(n)])
        tail = []
        for m in mixed[:3]:
            cur = m
            for _ in range(2):
                cs = consumers.get(cur.output[0], [])
                if len(cs) != 1:
                    break
                c = cs[0]
                others = [v for v in c.input if v and v != cur.output[0]]
                if c.op_type != "Where" and (not all(v in const for v in others)
                                             or c.op_type in ("Conv", "Gemm", "MatMul")):
                    break
                tail.append(c)
                cur = c
        # The data operand's own scaling by a constant just before it meets the noise (x.div(keep) * mask).
        pre = []
        for m in mixed[:3]:
            for v in m.input:
                p = producer.get(v)
                if (v and v not in noise_names and p is not None and p.op_type in ("Div", "Mul")
                        and any(u in const for u in p.input) and p not in pre):
                    pre.append(p)
        names = set(noise_names)
        body = [fmt(n, names) for n in up] + [f"[{fmt(r, names)}]"] + [fmt(n, names) for n in down]
        meet = [fmt(n, names) for n in pre + mixed[:3]] + [fmt(n, names) for n in tail]
        text = " -> ".join(body) + " => " + " ; ".join(meet)
        if graph.output and any(o.name in noise_names for o in graph.output):
            text += "  (noise is a graph output)"
        skel = (" -> ".join([n.op_type for n in up] + [f"[{r.op_type}]"] + [n.op_type for n in down])
                + " => " + " ; ".join([n.op_type for n in pre + mixed[:3]] + [n.op_type for n in tail]))
        if where != "main":
            text, skel = f"in {where}: {text}", f"in {where.split('/')[0]}/{where.split('.')[-1]}: {skel}"
        patterns.append({"node": r.name, "pattern": text, "skeleton": skel})
        skeletons[skel] += 1
    return patterns, skeletons, kind


def summarize_patterns(patterns, skeletons, examples=3):
    """One entry per op skeleton: its count and up to `examples` distinct examples with their constants."""
    out = []
    for skel, count in skeletons.most_common():
        texts = list(OrderedDict.fromkeys(p["pattern"] for p in patterns if p["skeleton"] == skel))
        out.append({"count": count, "skeleton": skel, "example": texts[0], "more_examples": texts[1:examples],
                    "distinct": len(texts)})
    return out


# ------------------------------------------------------------------------------------------------
# Export


def export(name, out_dir: Path):
    import onnx
    import torch
    from onnx import numpy_helper

    spec = SPECS[name]
    torch.manual_seed(SEED)
    generator = torch.Generator().manual_seed(SEED)
    model = spec.build()
    shape = spec.shape
    bn_count = set_non_default_bn(model, shape, generator)
    if spec.last and spec.scale:
        with torch.no_grad():
            layer = dict(model.named_modules())[spec.last]
            layer.weight.mul_(spec.scale)
            layer.bias.mul_(spec.scale)
    x = torch.empty(shape).uniform_(-1, 1, generator=generator)
    path = out_dir / f"{name}.onnx"
    eval_path = out_dir / f"{name}.eval.onnx"
    state_before = copy.deepcopy(model.state_dict())
    dyn = None
    if spec.dynamic:
        dyn = {"input": {0: "batch"}, **{o: {0: "batch"} for o in spec.outputs}}
    t0 = time.perf_counter()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        torch.onnx.export(model.train(), (x,), str(path), training=torch.onnx.TrainingMode.TRAINING,
                          do_constant_folding=False, dynamo=False, opset_version=OPSET,
                          input_names=["input"], output_names=list(spec.outputs), dynamic_axes=dyn)
    export_s = time.perf_counter() - t0
    onnx.checker.check_model(str(path), full_check=True)
    proto = onnx.load(str(path))
    graph = proto.graph
    ops = Counter(n.op_type for n in all_nodes(graph))
    training_bn = sum(1 for n in all_nodes(graph) if n.op_type == "BatchNormalization"
                      and any(a.name == "training_mode" and a.i == 1 for a in n.attribute))
    patterns, skeletons, _ = random_patterns(graph)

    # The eval export: the same weights with the running statistics the training file stores (the
    # exporter's own train-mode pass changed them before serializing).
    stored = {t.name: numpy_helper.to_array(t) for t in graph.initializer}
    state = {k: v.clone() for k, v in state_before.items()}
    loaded = 0
    for key, value in model.state_dict().items():
        if key in stored and tuple(stored[key].shape) == tuple(value.shape):
            state[key] = torch.from_numpy(np.array(stored[key])).to(value.dtype)
            loaded += 1
    model.load_state_dict(state)
    model.eval()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        torch.onnx.export(model, (x,), str(eval_path), training=torch.onnx.TrainingMode.EVAL,
                          do_constant_folding=False, dynamo=False, opset_version=OPSET,
                          input_names=["input"], output_names=list(spec.outputs), dynamic_axes=dyn)
    eval_ops = Counter(n.op_type for n in all_nodes(onnx.load(str(eval_path)).graph))
    # freezer draws batch 1 for a symbolic batch dimension.
    sample_shape = (1,) + tuple(shape[1:]) if spec.dynamic else shape
    xs = freezer_samples(sample_shape, SAMPLES)
    with torch.no_grad():
        ys = [model(torch.from_numpy(xk)) for xk in xs]
    ys = [y[0] if isinstance(y, tuple) else y for y in ys]
    np.savez(out_dir / f"{name}.samples.npz", x=np.stack(xs), y_torch_eval=np.stack([y.numpy() for y in ys]))
    info = {"name": name, "note": spec.note, "negative": spec.negative, "input_shape": list(shape),
            "sample_shape": list(sample_shape), "dynamic_batch": spec.dynamic, "outputs": list(spec.outputs),
            "bn_modules": bn_count, "training_bn_nodes": training_bn, "stored_state_loaded": loaded,
            "nodes": len(graph.node), "random_nodes": {op: ops[op] for op in sorted(RANDOM_OPS) if ops[op]},
            "dropout_nodes": ops["Dropout"], "eval_nodes": sum(eval_ops.values()),
            "eval_random_nodes": sum(eval_ops[op] for op in FORBIDDEN_OPS),
            "parameters": int(sum(p.numel() for p in model.parameters())),
            "output_abs_max_torch_eval": float(max(float(y.abs().max()) for y in ys)),
            "operators": dict(sorted(ops.items())), "file_bytes": path.stat().st_size,
            "export_s": round(export_s, 2), "random_patterns": summarize_patterns(patterns, skeletons),
            "random_pattern_nodes": patterns}
    (out_dir / f"{name}.json").write_text(json.dumps(info, indent=1))
    print(f"{name}: {path.stat().st_size / 2**20:.1f} MiB, {info['nodes']} nodes, random {info['random_nodes']}, "
          f"{training_bn} training BN, {ops['Dropout']} Dropout, export {export_s:.1f} s", flush=True)
    for s in info["random_patterns"]:
        print(f"    x{s['count']}: {s['example']}", flush=True)
    return info


# ------------------------------------------------------------------------------------------------
# freezer and the checks


def forbidden_nodes(graph):
    """Random/Dropout nodes and training-mode BatchNormalization, subgraphs included."""
    found = []
    for n in all_nodes(graph):
        if n.op_type in FORBIDDEN_OPS:
            found.append(f"{n.op_type} {n.name}")
        if n.op_type == "BatchNormalization" and any(a.name == "training_mode" and a.i == 1 for a in n.attribute):
            found.append(f"BatchNormalization(training_mode=1) {n.name}")
    return found


def ort_session(path):
    import onnxruntime as ort

    so = ort.SessionOptions()
    so.intra_op_num_threads = 1
    so.inter_op_num_threads = 1
    return ort.InferenceSession(str(path), so, providers=["CPUExecutionProvider"])


def compare(frozen_sess, eval_sess, xs):
    max_abs, ref_max, max_rel_elem = 0.0, 0.0, 0.0
    out_name = eval_sess.get_outputs()[0].name
    for xk in xs:
        ref = eval_sess.run([out_name], {"input": xk})[0].astype(np.float64)
        got = frozen_sess.run([out_name], {"input": xk})[0].astype(np.float64)
        if ref.shape != got.shape:
            raise ValueError(f"shape {got.shape} != eval {ref.shape}")
        diff = np.abs(got - ref)
        max_abs = max(max_abs, float(diff.max()))
        ref_max = max(ref_max, float(np.abs(ref).max()))
        big = np.abs(ref) > 1e-6 * float(np.abs(ref).max())
        if big.any():
            max_rel_elem = max(max_rel_elem, float((diff[big] / np.abs(ref[big])).max()))
    return {"max_abs": max_abs, "max_rel": max_abs / ref_max if ref_max > 0 else float("inf"),
            "max_rel_elem": max_rel_elem, "ref_abs_max": ref_max}


def removed_summary(log):
    """The Dropout category of the conversion log: its changes grouped by action, and the details."""
    for c in log["modelConversion"]["eliminationOfTrainingSpecificOperations"]:
        if c.get("category") == "dropout":
            actions = Counter("Dropout node removed" if ch.get("pass") == "RemoveDropout" else ch.get("action", "?")
                              for ch in c.get("changes", []))
            return {"status": c.get("status"), "actions": dict(actions), "summary": c.get("summary"),
                    "found_states": dict(Counter(f.get("state", "?") for f in c.get("found", []))),
                    "changes": c.get("changes", []), "skips": c.get("skips", [])}
    return None


def run_freezer(freezer: str, out_dir: Path, name: str, info: dict):
    model = out_dir / f"{name}.onnx"
    frozen = out_dir / f"{name}.frozen.onnx"
    for p in list(out_dir.glob(f"{name}.frozen.*")) + list(out_dir.glob(f"{name}.noverify.*")):
        p.unlink()
    cmd = [freezer, "convert", str(model), "-o", str(frozen), "--model-id", name.upper(), "--model-version", "1",
           "--responsible", "regularizer-validation", "--json"]
    t0 = time.perf_counter()
    proc = subprocess.run(cmd, capture_output=True, text=True)
    wall = time.perf_counter() - t0
    row = {"model": name, "note": info["note"], "negative": info["negative"], "exit": proc.returncode,
           "wall_s": round(wall, 2), "command": " ".join(cmd), "random_nodes": info["random_nodes"],
           "patterns": info["random_patterns"], "failures": []}
    random_names = [p["node"] for p in info["random_pattern_nodes"]]
    if info["negative"]:
        msg = proc.stderr.strip()
        row["message"] = msg
        named = [r for r in random_names if r and r in msg]
        row["names_random_node"] = named
        if proc.returncode == 0:
            row["failures"].append("negative control converted (exit 0); it must be refused")
        elif not named:
            row["failures"].append("refused, but the message names no random node")
        row["verdict"] = "PASS" if not row["failures"] else "FAIL"
        return row
    if proc.returncode != 0:
        row["message"] = proc.stderr.strip()
        row["failures"].append(f"exit {proc.returncode}")
        row["verdict"] = "FAIL"
        # Diagnosis: does the conversion itself work? Convert again with --no-verify and check that.
        diag = out_dir / f"{name}.noverify.onnx"
        dcmd = cmd[:4] + [str(diag)] + cmd[5:] + ["--no-verify"]
        dproc = subprocess.run(dcmd, capture_output=True, text=True)
        row["diagnostic_no_verify"] = {"command": " ".join(dcmd), "exit": dproc.returncode,
                                       "message": dproc.stderr.strip()[:2000]}
        if dproc.returncode == 0:
            row["diagnostic_no_verify"].update(check_frozen(out_dir, name, diag, info, []))
        return row
    summary = json.loads(proc.stdout)
    row["freezer_equivalence"] = summary.get("equivalence")
    row["freezer_outputs"] = [{k: o.get(k) for k in ("name", "maxAbsError", "maxRelError", "passed", "boundRatio")}
                              for o in summary.get("outputs", [])]
    row.update(check_frozen(out_dir, name, frozen, info, row["failures"]))
    row["verdict"] = "PASS" if not row["failures"] else "FAIL"
    return row


def check_frozen(out_dir: Path, name: str, frozen: Path, info: dict, failures: list):
    """Checks 2-5 on a frozen model; appends to `failures`, returns the figures."""
    import onnx

    row = {}
    log_path = frozen.parent / (frozen.name[:-len(".onnx")] + ".conversion-log.json")
    if log_path.exists():
        row["removed"] = removed_summary(json.loads(log_path.read_text()))
    proto = onnx.load(str(frozen))
    left = forbidden_nodes(proto.graph)
    row["forbidden_left"] = left
    if left:
        failures.append(f"{len(left)} forbidden nodes left: {left[:5]}")
    try:
        onnx.checker.check_model(proto, full_check=True)
        row["checker"] = "ok"
    except Exception as e:  # noqa: BLE001 - reported, not raised
        row["checker"] = f"{type(e).__name__}: {str(e).splitlines()[0][:300]}"
        failures.append(f"checker: {row['checker']}")
    try:
        fs = ort_session(frozen)
        es = ort_session(out_dir / f"{name}.eval.onnx")
        row["ort"] = "ok"
    except Exception as e:  # noqa: BLE001
        row["ort"] = f"{type(e).__name__}: {str(e).splitlines()[0][:300]}"
        failures.append(f"onnxruntime: {row['ort']}")
        return row
    data = np.load(out_dir / f"{name}.samples.npz")
    xs = list(data["x"])
    try:
        # The reference itself: onnxruntime on the eval export against torch's eval-mode module.
        out_name = es.get_outputs()[0].name
        ref = np.stack([es.run([out_name], {"input": xk})[0] for xk in xs]).astype(np.float64)
        row["eval_export_vs_torch_max_abs"] = float(np.abs(ref - data["y_torch_eval"]).max())
        row["vs_eval"] = compare(fs, es, xs)
        if info["dynamic_batch"]:
            row["vs_eval_batch3"] = compare(fs, es, [np.concatenate(xs[:3], axis=0)])
    except Exception as e:  # noqa: BLE001
        row["ort"] = f"{type(e).__name__}: {str(e).splitlines()[0][:300]}"
        failures.append(f"onnxruntime run: {row['ort']}")
        return row
    for key in ("vs_eval", "vs_eval_batch3"):
        v = row.get(key)
        if v and not v["max_abs"] <= 1e-5 + 1e-4 * v["ref_abs_max"]:
            failures.append(f"{key}: max abs {v['max_abs']:.3g} > 1e-5 + 1e-4 * {v['ref_abs_max']:.3g}")
    return row


def table(rows):
    g = lambda v: "-" if v is None else f"{v:.3g}"  # noqa: E731
    lines = ["| model | verdict | exit | freezer s | random nodes | left | checker | ort | max abs | max rel | "
             "max elem rel | |eval| max | freezer removed (Dropout category) |",
             "|---|---|---|---|---|---|---|---|---|---|---|---|---|"]
    for r in rows:
        v = r.get("vs_eval") or {}
        rn = ", ".join(f"{k} {c}" for k, c in r["random_nodes"].items()) or "-"
        if r["negative"]:
            removed = "refused: " + (r.get("message", "").splitlines() or [""])[0][:160].replace("|", "\\|")
        elif r.get("removed"):
            removed = "; ".join(f"{a} x{c}" for a, c in r["removed"]["actions"].items()) or r["removed"]["status"]
        else:
            removed = (r.get("message", "").splitlines() or [""])[0][:160].replace("|", "\\|")
        extra = ""
        if r.get("vs_eval_batch3"):
            extra = f" (batch 3: {g(r['vs_eval_batch3']['max_abs'])})"
        lines.append(f"| {r['model']} | {r['verdict']} | {r['exit']} | {r['wall_s']} | {rn} | "
                     f"{len(r['forbidden_left']) if 'forbidden_left' in r else '-'} | {r.get('checker', '-')} | "
                     f"{r.get('ort', '-')} | {g(v.get('max_abs'))}{extra} | {g(v.get('max_rel'))} | "
                     f"{g(v.get('max_rel_elem'))} | {g(v.get('ref_abs_max'))} | {removed} |")
    return "\n".join(lines)


def patterns_md(rows):
    lines = ["", "## Exported random subgraphs", "",
             "Per model: count x op skeleton, then one example with its constants (`x` data, `.` noise, "
             "`shape` shape arithmetic; `[...]` the draw; after `=>` the ops where the noise meets the data).", ""]
    for r in rows:
        lines.append(f"### {r['model']} ({r['note']})")
        for p in r["patterns"]:
            lines.append(f"- x{p['count']} ({p.get('distinct', 1)} distinct): `{p['example']}`")
            for e in p.get("more_examples", []):
                lines.append(f"  - also: `{e}`")
        lines.append("")
    fails = [r for r in rows if r["failures"]]
    if fails:
        lines += ["## Failures", ""]
        for r in fails:
            lines.append(f"### {r['model']}")
            lines.append(f"- command: `{r['command']}`")
            for f in r["failures"]:
                lines.append(f"- {f}")
            if r.get("message"):
                lines.append("- freezer said:")
                lines.append("```")
                lines.append(r["message"][:4000])
                lines.append("```")
            d = r.get("diagnostic_no_verify")
            if d:
                v = d.get("vs_eval") or {}
                removed = "; ".join(f"{a} x{c}" for a, c in ((d.get("removed") or {}).get("actions") or {}).items())
                lines.append(f"- diagnosis, the same conversion with --no-verify: exit {d['exit']}"
                             + (f", forbidden nodes left {len(d.get('forbidden_left', []))},"
                                f" checker {d.get('checker')}, ort {d.get('ort')},"
                                f" vs eval export max abs {v.get('max_abs', float('nan')):.3g}"
                                f" (|eval| max {v.get('ref_abs_max', float('nan')):.3g}), removed: {removed}"
                                if d["exit"] == 0 else f": {d['message'][:500]}"))
                lines.append(f"  `{d['command']}`")
            lines.append("")
    return "\n".join(lines)


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("out_dir", type=Path)
    ap.add_argument("--models", default=",".join(MODELS))
    ap.add_argument("--freezer", help="run `freezer convert` at default settings on each model and check it")
    ap.add_argument("--skip-export", action="store_true", help="use the models already in OUT_DIR")
    args = ap.parse_args()
    import torch

    torch.set_num_threads(1)
    args.out_dir.mkdir(parents=True, exist_ok=True)
    names = [n for n in args.models.split(",") if n]
    unknown = [n for n in names if n not in SPECS]
    if unknown:
        raise SystemExit(f"unknown models: {', '.join(unknown)} (known: {', '.join(MODELS)})")
    infos = {}
    for name in names:
        if args.skip_export and (args.out_dir / f"{name}.json").exists():
            infos[name] = json.loads((args.out_dir / f"{name}.json").read_text())
            continue
        try:
            infos[name] = export(name, args.out_dir)
        except Exception as e:  # report and go on: one architecture that fails must not hide the others
            print(f"{name}: export failed: {type(e).__name__}: {str(e).splitlines()[0][:300] if str(e) else ''}",
                  file=sys.stderr, flush=True)
    if not args.freezer:
        return
    rows = []
    for name in names:
        if name not in infos:
            continue
        row = run_freezer(args.freezer, args.out_dir, name, infos[name])
        rows.append(row)
        print(f"  freezer {name}: exit {row['exit']}, {row['verdict']}"
              + (f" ({'; '.join(row['failures'])})" if row["failures"] else ""), flush=True)
    binary = Path(args.freezer).resolve()
    ident = {"path": str(binary), "sha256": hashlib.sha256(binary.read_bytes()).hexdigest(),
             "modified": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(binary.stat().st_mtime)),
             "version": subprocess.run([str(binary), "--version"], capture_output=True, text=True).stdout.strip()}
    passed = sum(r["verdict"] == "PASS" for r in rows)
    summary = {"freezer": ident, "passed": passed, "models": rows}
    (args.out_dir / "results.json").write_text(json.dumps(summary, indent=1))
    text = table(rows)
    head = (f"freezer {ident['version']} at {ident['path']}, sha256 {ident['sha256']}, modified {ident['modified']}; "
            f"{passed} of {len(rows)} models pass.")
    (args.out_dir / "results.md").write_text(head + "\n\n" + text + "\n" + patterns_md(rows) + "\n")
    print(head)
    print(text)


if __name__ == "__main__":
    main()
