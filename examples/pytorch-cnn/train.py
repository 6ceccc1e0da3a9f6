"""Trains the example CNN for a few steps on seeded random data and writes checkpoint.pt (its state_dict).

Run from this directory: python3 train.py. The same seed gives the same checkpoint on one machine."""
import pathlib
import sys

import torch

sys.path.insert(0, str(pathlib.Path(__file__).parent / "src"))
from cnn.nets import build  # noqa: E402

torch.manual_seed(0)
model = build().train()
optimizer = torch.optim.SGD(model.parameters(), lr=0.05, momentum=0.9)
images = torch.randn(64, 3, 16, 16) * 2 + 0.5
labels = torch.randint(0, 10, (64,))
for step in range(20):
    batch = slice((step * 16) % 64, (step * 16) % 64 + 16)
    loss = torch.nn.functional.cross_entropy(model(images[batch]), labels[batch])
    optimizer.zero_grad()
    loss.backward()
    optimizer.step()
torch.save(model.state_dict(), pathlib.Path(__file__).parent / "checkpoint.pt")
print(f"final loss {loss.item():.4f}; wrote checkpoint.pt")
