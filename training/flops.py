"""FLOPs of the exported detection network per 64^3 box (both stages), counted from the layers.

Usage: /usr/bin/python3 training/flops.py [--width 8 16 64] [--edge 64]

Convolutions and transposed convolutions count 2 x multiply-accumulates (+ bias adds); batch norm,
activations, pooling and upsampling count one operation per output element (they are < 2 % of the
total). The count is exact for the layers PyTorch runs on one box of `edge`^3 voxels, batch 1.
"""
import argparse
import os
import sys

import torch
from torch import nn

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from network import Stage1Cascade, Stage1Export, Stage2Export, stage2_net  # noqa: E402


def count_flops(module, inputs):
    total = [0]

    def hook(m, inp, out):
        o = out if torch.is_tensor(out) else out[0]
        if isinstance(m, (nn.Conv3d, nn.ConvTranspose3d)):
            k = m.kernel_size[0] * m.kernel_size[1] * m.kernel_size[2]
            cin = m.in_channels // m.groups
            macs = o.numel() * cin * k if isinstance(m, nn.Conv3d) else inp[0].numel() * m.out_channels * k // m.groups
            total[0] += 2 * macs + (o.numel() if m.bias is not None else 0)
        elif len(list(m.children())) == 0:
            total[0] += o.numel()

    handles = [m.register_forward_hook(hook) for m in module.modules()]
    with torch.no_grad():
        module(*inputs)
    for h in handles:
        h.remove()
    return total[0]


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--width", type=int, nargs="+", default=[8, 16, 64])
    ap.add_argument("--edge", type=int, default=64)
    a = ap.parse_args()
    torch.set_num_threads(1)
    e = a.edge
    for w in a.width:
        s1 = Stage1Export(Stage1Cascade(w)).eval()
        s2 = Stage2Export(stage2_net(w)).eval()
        f1 = count_flops(s1, (torch.zeros(1, 1, e, e, e),))
        f2 = count_flops(s2, (torch.zeros(1, 8, e, e, e),))
        print(f"width {w}: stage 1 {f1 / 1e9:.1f} GFLOP, stage 2 {f2 / 1e9:.1f} GFLOP, total {(f1 + f2) / 1e9:.1f} GFLOP per {e}^3 box")


if __name__ == "__main__":
    main()
