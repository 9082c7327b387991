"""Converts CryoREAD's own checkpoints to our ONNX detection contract (models/<name>/).

Usage:
  /usr/bin/python3 training/convert_cryoread_checkpoint.py MODEL_DIR OUT_DIR [--name NAME]
      [--resolution-range LO HI]

MODEL_DIR holds CryoREAD's stage1_network.pth and stage2_network.pth (e.g. its best_model/,
best_model_0_3A/ or best_model_5_10A/). Each file is a torch.load-able dict with the weights under
'state_dict' (a bare state dict is accepted too), saved from nn.DataParallel, so every key starts
with 'module.' (stage 1: 'module.chain_net.*' and 'module.base_net.*'; stage 2: 'module.*'),
reference section 6.6. The width-64 network of network.py is built, the weights are loaded
strictly (any missing or unexpected key is an error naming it), and stage1.onnx, stage2.onnx and
model.json are written to OUT_DIR with the same inputs and outputs as our trained models (sigmoid in
the graph, stage-2 outputs in CryoREAD order), so `cryoread build --model NAME` runs the published
network. The weights themselves are the authors' (GPL-3 project); they are not part of this repo.
"""
import argparse
import os
import sys

import torch

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from export_onnx import export_models  # noqa: E402
from network import Stage1Cascade, stage2_net  # noqa: E402

CRYOREAD_WIDTH = 64


def read_state_dict(path):
    """State dict of a CryoREAD checkpoint with the DataParallel 'module.' prefix removed."""
    if not os.path.isfile(path):
        raise SystemExit(f"{path}: file not found (expected CryoREAD's stage1_network.pth / stage2_network.pth)")
    ck = torch.load(path, map_location="cpu")
    sd = ck.get("state_dict", ck) if isinstance(ck, dict) else None
    if not isinstance(sd, dict):
        raise SystemExit(f"{path}: no 'state_dict' in the checkpoint (found {type(ck).__name__})")
    out = {}
    for k, v in sd.items():
        out[k[len("module."):] if k.startswith("module.") else k] = v
    return out


def load_strict(module, sd, path):
    missing, unexpected = [], []
    try:
        module.load_state_dict(sd, strict=True)
    except RuntimeError as e:  # torch lists every bad key; keep the message on one line per key
        own = set(module.state_dict().keys())
        missing = sorted(own - set(sd))
        unexpected = sorted(set(sd) - own)
        detail = f"missing {missing[:5]}{'...' if len(missing) > 5 else ''}; unexpected {unexpected[:5]}{'...' if len(unexpected) > 5 else ''}"
        raise SystemExit(f"{path}: weights do not fit the width-64 CryoREAD network ({detail}); is this a CryoREAD stage checkpoint?") from e


def convert(model_dir, out_dir, name=None, resolution_range=(2.0, 5.0)):
    p1 = os.path.join(model_dir, "stage1_network.pth")
    p2 = os.path.join(model_dir, "stage2_network.pth")
    cascade, net2 = Stage1Cascade(CRYOREAD_WIDTH), stage2_net(CRYOREAD_WIDTH)
    load_strict(cascade, read_state_dict(p1), p1)
    load_strict(net2, read_state_dict(p2), p2)
    card = {
        "placeholder": False,
        "resolutionRangeA": list(resolution_range),
        "trainedOn": "CryoREAD's published training (Wang, Terashi & Kihara, Nature Methods 2023)",
        "description": f"CryoREAD checkpoints from {os.path.abspath(model_dir)} converted by training/convert_cryoread_checkpoint.py",
    }
    if name:
        card["name"] = name
    return export_models(cascade, net2, out_dir, card)


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("model_dir")
    ap.add_argument("out_dir")
    ap.add_argument("--name")
    ap.add_argument("--resolution-range", type=float, nargs=2, default=(2.0, 5.0), metavar=("LO", "HI"))
    a = ap.parse_args()
    card = convert(a.model_dir, a.out_dir, a.name, tuple(a.resolution_range))
    print(f"wrote {a.out_dir}/stage1.onnx, stage2.onnx, model.json (width {card['width']})")


if __name__ == "__main__":
    main()
