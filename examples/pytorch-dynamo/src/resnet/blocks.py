"""A tiny residual network (Conv, BatchNorm, a skip connection, Dropout): exported with the dynamo exporter."""
import torch
from torch import nn


class Residual(nn.Module):
    def __init__(self, channels: int):
        super().__init__()
        self.conv = nn.Conv2d(channels, channels, 3, padding=1, bias=False)
        self.bn = nn.BatchNorm2d(channels)

    def forward(self, x):
        return torch.relu(x + self.bn(self.conv(x)))


class TinyResNet(nn.Module):
    def __init__(self, classes: int = 5):
        super().__init__()
        self.stem = nn.Sequential(nn.Conv2d(1, 8, 3, padding=1), nn.BatchNorm2d(8), nn.ReLU())
        self.block = Residual(8)
        self.head = nn.Sequential(nn.AdaptiveAvgPool2d(1), nn.Flatten(), nn.Dropout(0.2), nn.Linear(8, classes))

    def forward(self, image):
        return self.head(self.block(self.stem(image)))


def build() -> nn.Module:
    """The factory the recipe names (`resnet.blocks:build`)."""
    return TinyResNet()
