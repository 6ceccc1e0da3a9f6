"""A small CNN with BatchNorm and Dropout: the model `freezer export` freezes in this example."""
import torch
from torch import nn


def build() -> nn.Module:
    """The factory the recipe names (`cnn.nets:build`): an untrained model, its weights come from the checkpoint."""
    return nn.Sequential(
        nn.Conv2d(3, 8, 3, padding=1, bias=False),
        nn.BatchNorm2d(8),
        nn.ReLU(),
        nn.MaxPool2d(2),
        nn.Conv2d(8, 16, 3, padding=1),
        nn.BatchNorm2d(16),
        nn.ReLU(),
        nn.AdaptiveAvgPool2d(1),
        nn.Flatten(),
        nn.Dropout(0.3),
        nn.Linear(16, 10),
    )
