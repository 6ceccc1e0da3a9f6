"""Trains the tiny residual network for a few steps on seeded random data and writes checkpoint.pt.

Run from this directory: python3 train.py."""
import pathlib
import sys

import torch

sys.path.insert(0, str(pathlib.Path(__file__).parent / "src"))
from resnet.blocks import build  # noqa: E402

torch.manual_seed(1)
model = build().train()
optimizer = torch.optim.Adam(model.parameters(), lr=0.01)
images = torch.randn(48, 1, 12, 12)
labels = (images.mean(dim=(1, 2, 3)) > 0).long() + 2 * (images[:, :, :6].mean(dim=(1, 2, 3)) > 0).long()
for step in range(30):
    batch = slice((step * 16) % 48, (step * 16) % 48 + 16)
    loss = torch.nn.functional.cross_entropy(model(images[batch]), labels[batch])
    optimizer.zero_grad()
    loss.backward()
    optimizer.step()
torch.save(model.state_dict(), pathlib.Path(__file__).parent / "checkpoint.pt")
print(f"final loss {loss.item():.4f}; wrote checkpoint.pt")
