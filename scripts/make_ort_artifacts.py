#!/usr/bin/env python3
"""Fixture: onnxruntime-training artifacts of a small CNN with BatchNorm and Dropout.

    python3 scripts/make_ort_artifacts.py [OUT_DIR]     (default Tests/Fixtures/ort_artifacts)

Needs torch, onnx and onnxruntime-training (for example in a virtual environment made with
--system-site-packages: `pip install onnxruntime-training`). Writes, as `generate_artifacts` writes them:
training_model.onnx and eval_model.onnx (parameters are graph inputs without values; com.microsoft
BatchNormInternal, gradient and InPlaceAccumulatorV2 nodes, SoftmaxCrossEntropyLoss as the only declared
output besides the gradients), checkpoint (onnxruntime's FlatBuffers checkpoint holding the values), and
inference_model.onnx: onnxruntime-training's own `export_model_for_inferencing` of the same artifacts and
checkpoint, the reference freezer's conversion is compared with. BatchNorm's parameters and statistics are
set to values other than their defaults before the export.
"""
import os
import sys

import onnx
import torch
import torch.nn as nn
from onnxruntime.training import artifacts
from onnxruntime.training.api import CheckpointState, Module


class Net(nn.Module):
    def __init__(self):
        super().__init__()
        self.conv = nn.Conv2d(3, 8, 3, padding=1)
        self.bn = nn.BatchNorm2d(8)
        self.drop = nn.Dropout(0.2)
        self.fc = nn.Linear(8 * 8 * 8, 10)

    def forward(self, x):
        y = torch.relu(self.bn(self.conv(x)))
        return self.fc(self.drop(y).flatten(1))


def main():
    out = sys.argv[1] if len(sys.argv) > 1 else os.path.join(os.path.dirname(__file__), "..", "Tests", "Fixtures", "ort_artifacts")
    os.makedirs(out, exist_ok=True)
    torch.manual_seed(0)
    net = Net().train()
    with torch.no_grad():  # BatchNorm parameters and statistics other than their defaults
        net.bn.weight.uniform_(0.5, 1.5)
        net.bn.bias.normal_(0, 0.2)
        net.bn.running_mean.normal_(0, 0.3)
        net.bn.running_var.uniform_(0.5, 2)
    forward = os.path.join(out, "forward.onnx")
    torch.onnx.export(net, (torch.randn(2, 3, 8, 8),), forward, dynamo=False, training=torch.onnx.TrainingMode.TRAINING,
                      do_constant_folding=False, opset_version=17, input_names=["input"], output_names=["logits"])
    model = onnx.load(forward)
    os.remove(forward)
    names = [i.name for i in model.graph.initializer]
    frozen = [n for n in names if "running" in n or "num_batches" in n]
    artifacts.generate_artifacts(model, requires_grad=[n for n in names if n not in frozen], frozen_params=frozen,
                                 loss=artifacts.LossType.CrossEntropyLoss, optimizer=artifacts.OptimType.AdamW,
                                 artifact_directory=out)
    # onnxruntime 1.19 cannot load the eval model it wrote for a BatchNorm model (BatchNormalization in
    # inference mode keeps its three training outputs): its Module gets a copy with those outputs dropped;
    # the fixture keeps eval_model.onnx as generate_artifacts wrote it.
    eval_model = onnx.load(os.path.join(out, "eval_model.onnx"))
    for node in eval_model.graph.node:
        if node.op_type == "BatchNormalization":
            del node.output[1:]
    patched = os.path.join(out, "eval_model_for_ort.onnx")
    onnx.save(eval_model, patched)
    state = CheckpointState.load_checkpoint(os.path.join(out, "checkpoint"))
    module = Module(os.path.join(out, "training_model.onnx"), state, patched)
    module.export_model_for_inferencing(os.path.join(out, "inference_model.onnx"), ["logits"])
    for leftover in ("optimizer_model.onnx", "eval_model_for_ort.onnx"):
        os.remove(os.path.join(out, leftover))


if __name__ == "__main__":
    main()
