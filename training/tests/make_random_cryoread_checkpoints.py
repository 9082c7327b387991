"""Test fixture: random-weight checkpoints in exactly CryoREAD's layout, plus reference outputs.

Usage: /usr/bin/python3 training/tests/make_random_cryoread_checkpoints.py OUT_DIR [--edge 16]
Writes OUT_DIR/ckpt/stage{1,2}_network.pth ({'state_dict': {'module.<key>': tensor}, 'epoch': 0}),
OUT_DIR/input_density.f32 and OUT_DIR/input_prob8.f32 (random inputs, [1,C,E,E,E] float32 C-order), and the
PyTorch outputs OUT_DIR/ref_chain.f32, ref_base.f32, ref_prob.f32 (sigmoid of the first head) for
comparison with the converted ONNX models.
"""
import argparse
import os
import sys

import numpy as np
import torch

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))
from network import Stage1Cascade, init_weights, stage2_net  # noqa: E402


def randomise_bn(module, g):
    for m in module.modules():
        if isinstance(m, torch.nn.BatchNorm3d):
            m.running_mean.copy_(torch.randn(m.running_mean.shape, generator=g) * 0.1)
            m.running_var.copy_(torch.rand(m.running_var.shape, generator=g) + 0.5)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("out")
    ap.add_argument("--edge", type=int, default=16)
    a = ap.parse_args()
    torch.manual_seed(1234)
    g = torch.Generator().manual_seed(99)
    s1, s2 = Stage1Cascade(64), stage2_net(64)
    for m in (s1, s2):
        init_weights(m)
        randomise_bn(m, g)
        m.eval()
    os.makedirs(os.path.join(a.out, "ckpt"), exist_ok=True)
    torch.save({"state_dict": {"module." + k: v for k, v in s1.state_dict().items()}, "epoch": 0}, os.path.join(a.out, "ckpt", "stage1_network.pth"))
    torch.save({"state_dict": {"module." + k: v for k, v in s2.state_dict().items()}, "epoch": 0}, os.path.join(a.out, "ckpt", "stage2_network.pth"))
    e = a.edge
    x = torch.rand(1, 1, e, e, e, generator=g)
    p8 = torch.rand(1, 8, e, e, e, generator=g)
    with torch.no_grad():
        chain, base = s1(x)
        prob = s2(p8)[0][0]
    x.numpy().astype(np.float32).tofile(os.path.join(a.out, "input_density.f32"))
    p8.numpy().astype(np.float32).tofile(os.path.join(a.out, "input_prob8.f32"))
    torch.sigmoid(chain[0]).numpy().astype(np.float32).tofile(os.path.join(a.out, "ref_chain.f32"))
    torch.sigmoid(base[0]).numpy().astype(np.float32).tofile(os.path.join(a.out, "ref_base.f32"))
    torch.sigmoid(prob).numpy().astype(np.float32).tofile(os.path.join(a.out, "ref_prob.f32"))
    keys1 = list(s1.state_dict().keys())
    print(f"{len(keys1)} stage-1 keys, e.g. module.{keys1[0]}")


if __name__ == "__main__":
    main()
