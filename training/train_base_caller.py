"""Trains the base caller (src/trace/base-caller.ts): a small fully connected network from density samples
on a backbone-fixed local grid to the base type (A, U/T, C, G), on features written by
training/make-base-caller-data.ts (the pipeline's own feature code). Seeded; CPU, a few minutes.

The same network and card format serve the nucleic-acid classifier (src/trace/na-classifier.ts): when the
data's meta.json says kind "na-classifier" (training/make-na-classifier-data.ts), the classes are
["not", "NA"], the card's kind is "na-classifier", classes are weighted to balance them, and validation
reports per-class recall.

  /usr/bin/python3 training/train_base_caller.py --data training/data-b8/base-caller --out models/base-caller-v1.json

Writes the card the TypeScript side reads (kind "base-caller", the sampling grid, the layers as base64
little-endian float32, row-major [out][in]) to a temporary name and renames it, plus validation accuracy
per resolution bin (the held-out structures of training/split.ts) in the card's "metrics".
"""
import argparse
import base64
import json
import os
import sys
import time

import numpy as np
import torch
import torch.nn as nn

CLASSES = ["A", "UT", "C", "G"]


def load(d, split, nf):
    x = np.fromfile(os.path.join(d, split + ".f32"), dtype="<f4")
    if x.size % nf:
        sys.exit("%s/%s.f32: %d floats is not a multiple of %d features; regenerate with make-base-caller-data.ts" % (d, split, x.size, nf))
    y = np.fromfile(os.path.join(d, split + ".labels.u8"), dtype=np.uint8).astype(np.int64)
    r = np.fromfile(os.path.join(d, split + ".res.f32"), dtype="<f4")
    return x.reshape(-1, nf), y, r


def b64(a):
    return base64.b64encode(np.ascontiguousarray(a, dtype="<f4").tobytes()).decode("ascii")


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--data", default="training/data-b8/base-caller")
    ap.add_argument("--out", default="models/base-caller-v1.json")
    ap.add_argument("--hidden", default="128,64")
    ap.add_argument("--epochs", type=int, default=30)
    ap.add_argument("--lr", type=float, default=1e-3)
    ap.add_argument("--dropout", type=float, default=0.2)
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--threads", type=int, default=1)
    ap.add_argument("--test-time-samples", type=int, default=1, help="template frame: readings averaged per nucleotide at inference (card testTimeSamples)")
    ap.add_argument("--test-time-jitter-a", type=float, default=0.0, help="their jitter per axis, A (card testTimeJitterA)")
    ap.add_argument("--init", help="start from this card's weights (fine-tuning; same kind, grid and layer sizes) instead of random ones")
    ap.add_argument("--predictions", help="also write the softmax probabilities of the val features here (float32 N x 4; tests compare them with the TypeScript inference)")
    a = ap.parse_args()
    torch.manual_seed(a.seed)
    np.random.seed(a.seed)
    torch.set_num_threads(a.threads)
    t0 = time.time()
    # --data a,b: several folders of the same kind and grid, concatenated (train with train, val with val)
    dirs = a.data.split(",")
    meta = json.load(open(os.path.join(dirs[0], "meta.json")))
    for d in dirs[1:]:
        m = json.load(open(os.path.join(d, "meta.json")))
        if m["featureCount"] != meta["featureCount"] or m.get("kind") != meta.get("kind") or m.get("grid") != meta.get("grid"):
            sys.exit("%s/meta.json: kind, grid or featureCount differ from %s/meta.json; make both with the same script and options" % (d, dirs[0]))
    nf = meta["featureCount"]
    kind = meta.get("kind", "base-caller")
    classes = meta.get("classes", CLASSES)
    def load_all(split):
        parts = [load(d, split, nf) for d in dirs]
        return tuple(np.concatenate([p[i] for p in parts]) for i in range(3))

    xt, yt, _ = load_all("train")
    xv, yv, rv = load_all("val")
    hidden = [int(h) for h in a.hidden.split(",")]
    layers, prev = [], nf
    for h in hidden:
        layers += [nn.Linear(prev, h), nn.ReLU(), nn.Dropout(a.dropout)]
        prev = h
    layers.append(nn.Linear(prev, len(classes)))
    net = nn.Sequential(*layers)
    if a.init:
        init = json.load(open(a.init))
        lin = [m for m in net if isinstance(m, nn.Linear)]
        shapes = [(L["inSize"], L["outSize"]) for L in init.get("layers", [])]
        if init.get("kind", "base-caller") != kind or init.get("grid") != meta["grid"] or shapes != [(m.in_features, m.out_features) for m in lin]:
            sys.exit("%s: kind, grid or layer sizes differ from this training (%s, %s); give --hidden as the card has it" % (a.init, kind, [(m.in_features, m.out_features) for m in lin]))
        with torch.no_grad():
            for m, L in zip(lin, init["layers"]):
                m.weight.copy_(torch.from_numpy(np.frombuffer(base64.b64decode(L["weights"]), dtype="<f4").reshape(m.out_features, m.in_features).copy()))
                m.bias.copy_(torch.from_numpy(np.frombuffer(base64.b64decode(L["bias"]), dtype="<f4").copy()))
    opt = torch.optim.Adam(net.parameters(), a.lr, weight_decay=1e-4)
    xt_t, yt_t, xv_t = torch.from_numpy(xt), torch.from_numpy(yt), torch.from_numpy(xv)
    g = torch.Generator().manual_seed(a.seed)
    # the nucleic-acid classifier's classes are unbalanced (more NA nodes than false ones): weight them equally
    counts = np.bincount(yt, minlength=len(classes)).astype(np.float64)
    weight = torch.tensor(counts.sum() / (len(classes) * np.maximum(counts, 1)), dtype=torch.float32) if kind != "base-caller" else None

    def val_metrics():
        was_training = net.training
        net.eval()
        with torch.no_grad():
            p = net(xv_t).argmax(1).numpy()
        net.train(was_training)
        out = {"accuracy": round(float((p == yv).mean()), 4)}
        if kind == "base-caller":
            pur = lambda y: (y == 0) | (y == 3)  # noqa: E731
            out["purinePyrimidine"] = round(float((pur(p) == pur(yv)).mean()), 4)
        else:
            for c, name in enumerate(classes):
                out["recall_" + name] = round(float((p[yv == c] == c).mean()), 4) if (yv == c).any() else None
        for r in sorted(set(rv.tolist())):
            m = rv == r
            out["accuracy_%gA" % r] = round(float((p[m] == yv[m]).mean()), 4)
        return out

    for ep in range(a.epochs):
        perm = torch.randperm(len(yt), generator=g)
        tot = 0.0
        for i in range(0, len(yt), 256):
            j = perm[i:i + 256]
            loss = nn.functional.cross_entropy(net(xt_t[j]), yt_t[j], weight=weight)
            opt.zero_grad()
            loss.backward()
            opt.step()
            tot += float(loss) * len(j)
        if ep % 5 == 4 or ep == a.epochs - 1:
            print(json.dumps({"epoch": ep + 1, "loss": round(tot / len(yt), 4), "val": val_metrics(), "wall_s": round(time.time() - t0, 1)}), flush=True)
    net.eval()
    linears = [m for m in net if isinstance(m, nn.Linear)]
    card = {
        "kind": kind,
        "name": os.path.splitext(os.path.basename(a.out))[0],
        "frame": meta.get("frame", "curvature"),
        "grid": meta["grid"],
        "neighbourMinA": 4,
        "testTimeSamples": a.test_time_samples,
        "testTimeJitterA": a.test_time_jitter_a,
        "classes": classes,
        "layers": [{"inSize": L.in_features, "outSize": L.out_features, "weights": b64(L.weight.detach().numpy()), "bias": b64(L.bias.detach().numpy())} for L in linears],
        "training": {
            "command": "/usr/bin/python3 training/train_base_caller.py " + " ".join(sys.argv[1:]),
            "data": meta if len(dirs) == 1 else {"folders": dirs, "first": meta}, "hidden": hidden, "epochs": a.epochs, "lr": a.lr, "dropout": a.dropout, "seed": a.seed, "init": a.init,
            "trainViews": int(len(yt)), "wallSeconds": round(time.time() - t0, 1),
        },
        "metrics": {("validation (held-out structures, the pipeline's traced nodes)" if meta.get("points") == "traced" else "validation (held-out structures, true sugar points jittered)"): val_metrics()},
    }
    if a.predictions:
        net.eval()
        with torch.no_grad():
            torch.softmax(net(xv_t), 1).numpy().astype("<f4").tofile(a.predictions)  # N x len(classes)
    tmp = a.out + ".tmp"
    with open(tmp, "w") as f:
        json.dump(card, f, indent=1)
        f.write("\n")
    os.replace(tmp, a.out)
    print("wrote", a.out)


if __name__ == "__main__":
    main()
