"""Exports a stage-1 cascade + stage-2 net to the detection ONNX contract (models/<name>/).

Usage:
  /usr/bin/python3 training/export_onnx.py --placeholder --width 8 --out models/cryoread-ts-v1
  /usr/bin/python3 training/export_onnx.py --checkpoint training/runs/<run>/final.pt --out models/cryoread-ts-v1
"""
import argparse
import json
import os
import sys

import torch

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from network import Stage1Cascade, Stage1Export, Stage2Export, init_weights, stage2_net  # noqa: E402

OPSET = 17


def export_models(cascade, net2, out_dir, card, opset=OPSET, probe_edge=32):
    """Writes stage1.onnx, stage2.onnx and model.json into out_dir (eval mode, float32, dynamic batch and spatial dims)."""
    os.makedirs(out_dir, exist_ok=True)
    cascade.eval()
    net2.eval()
    dyn = {0: "N", 2: "D", 3: "H", 4: "W"}
    x = torch.rand(1, 1, probe_edge, probe_edge, probe_edge)
    p8 = torch.rand(1, 8, probe_edge, probe_edge, probe_edge)
    with torch.no_grad():
        tmp1, tmp2 = os.path.join(out_dir, ".stage1.onnx.tmp"), os.path.join(out_dir, ".stage2.onnx.tmp")
        torch.onnx.export(Stage1Export(cascade), (x,), tmp1, input_names=["density"], output_names=["chain", "base"],
                          dynamic_axes={"density": dyn, "chain": dyn, "base": dyn}, opset_version=opset, do_constant_folding=True)
        torch.onnx.export(Stage2Export(net2), (p8,), tmp2, input_names=["prob8"], output_names=["prob"],
                          dynamic_axes={"prob8": dyn, "prob": dyn}, opset_version=opset, do_constant_folding=True)
    os.replace(tmp1, os.path.join(out_dir, "stage1.onnx"))
    os.replace(tmp2, os.path.join(out_dir, "stage2.onnx"))
    full = {
        "name": os.path.basename(os.path.normpath(out_dir)),
        "width": cascade.width,
        "resolutionRangeA": [2.5, 6.0],
        "boxSize": 64,
        "opset": opset,
        "placeholder": False,
        "stage1": {"input": "density", "outputs": ["chain", "base"]},
        "stage2": {"input": "prob8", "output": "prob"},
        "sigmoidInGraph": True,
    }
    full.update(card)
    tmp = os.path.join(out_dir, ".model.json.tmp")
    with open(tmp, "w") as f:
        json.dump(full, f, indent=2)
        f.write("\n")
    os.replace(tmp, os.path.join(out_dir, "model.json"))
    return full


def load_checkpoint(path):
    """(cascade, net2, meta) from a train.py checkpoint."""
    ck = torch.load(path, map_location="cpu")
    w = ck["width"]
    cascade, net2 = Stage1Cascade(w), stage2_net(w)
    cascade.load_state_dict(ck["stage1"], strict=True)
    net2.load_state_dict(ck["stage2"], strict=True)
    return cascade, net2, ck.get("meta", {})


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--out", required=True)
    ap.add_argument("--checkpoint")
    ap.add_argument("--placeholder", action="store_true", help="random weights (shapes right, predictions meaningless)")
    ap.add_argument("--width", type=int, default=8)
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--card", help="JSON file with extra/overriding model.json fields")
    a = ap.parse_args()
    torch.manual_seed(a.seed)
    extra = {}
    if a.placeholder:
        cascade, net2 = Stage1Cascade(a.width), stage2_net(a.width)
        init_weights(cascade)
        init_weights(net2)
        extra = {"placeholder": True, "trainedOn": "nothing (random initialisation, seed %d)" % a.seed,
                 "description": "Placeholder: CryoREAD topology at width %d with random weights; shapes and channel order right, probabilities meaningless." % a.width}
    else:
        if not a.checkpoint:
            ap.error("--checkpoint or --placeholder is required")
        cascade, net2, meta = load_checkpoint(a.checkpoint)
        extra = meta.get("card", {})
    if a.card:
        with open(a.card) as f:
            extra.update(json.load(f))
    card = export_models(cascade, net2, a.out, extra)
    print(json.dumps(card))


if __name__ == "__main__":
    main()
