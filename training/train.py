"""Trains the CryoREAD cascade (network.py) on the maps of make-dataset.ts, on CPU, seeded.

Scheme (documented in models/MODEL_CARD.md):
  phase 1: the stage-1 cascade (chain net -> decoder features -> base net) end to end on density crops.
           Loss = BCE with positive weights on the 4 chain and 5 base channels (U and T both learn the
           UT label: our labels do not separate them and detection only uses max(U, T)), over the three
           deep-supervision heads (weights 1, 0.5, 0.25), plus a 4-way cross-entropy over (A, U, C, G)
           logits on base voxels (class balancing for the hard part, base type).
  phase 2: stage 1 frozen (eval mode); stage 2 learns on its probabilities (prob8 = chain 4 +
           [A, max(U,T), C, G], computed on the same crop) the labels in CryoREAD stage-2 order, same loss
           form (BCE with positive weights + cross-entropy over A/UT/C/G on base voxels).
Crops: edge drawn per step from --crops (32/40/48), batch = --voxels-per-step / edge^3; flips and
90-degree rotations; 80 % of crops centred near nucleotides.

  /usr/bin/python3 training/train.py --width 16 --steps1 1500 --steps2 400 --seed 0 \
      --out training/runs/v1 --export models/cryoread-ts-v1

Reproducible for a seed and step counts (--deadline-utc only cuts phases short; the log and checkpoint
record the steps actually done, so the same run is repeated by passing them as --stop1/--stop2 with the
same --steps1/--steps2, which set the learning-rate schedule).
"""
import argparse
import datetime as dt
import json
import math
import os
import sys
import time

import numpy as np
import torch
import torch.nn.functional as F

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
from dataset import STAGE2_FROM_LABELS, CropSampler, load_samples, positive_fractions  # noqa: E402
from network import Stage1Cascade, count_parameters, init_weights, merge_base, stage2_net  # noqa: E402

DS_WEIGHTS = (1.0, 0.5, 0.25)
# stage-1 base head targets (A, U, C, G, T) from label channels (A=4, UT=5, C=6, G=7)
BASE_TARGETS = (4, 5, 6, 7, 5)


def pos_weights(frac, cap=20.0):
    """sqrt(neg/pos) clamped to [1, cap]: balances rare classes without flooding precision.
    cap 1 = plain BCE, which keeps the outputs calibrated to soft (oracle) targets."""
    f = np.clip(frac, 1e-5, 1)
    return torch.tensor(np.clip(np.sqrt((1 - f) / f), 1, max(1.0, cap)), dtype=torch.float32)


def bce_ds(outputs, target, pw):
    loss = 0.0
    for w, o in zip(DS_WEIGHTS, outputs):
        loss = loss + w * F.binary_cross_entropy_with_logits(o, target, pos_weight=pw.view(1, -1, 1, 1, 1))
    return loss


def base_type_ce(logits4, types4, base_mask):
    """Cross-entropy over 4 base-type logits at base voxels where exactly one type target is > 0.5."""
    m = (base_mask > 0.5) & ((types4 > 0.5).sum(1) == 1)
    if not bool(m.any()):
        return logits4.sum() * 0
    tgt = types4.argmax(1)[m]
    lg = logits4.permute(0, 2, 3, 4, 1)[m]
    return F.cross_entropy(lg, tgt)


def stage1_loss(model, x, y, pw_chain, pw_base):
    chain, base = model(x)
    yc = y[:, 0:4]
    yb = y[:, list(BASE_TARGETS)]
    loss = bce_ds(chain, yc, pw_chain) + bce_ds(base, yb, pw_base)
    loss = loss + base_type_ce(base[0][:, 0:4], y[:, 4:8], y[:, 2])
    return loss


def stage1_prob8(model, x):
    with torch.no_grad():
        chain, base = model(x, deep_supervision=False)
        return torch.cat([torch.sigmoid(chain[0]), merge_base(torch.sigmoid(base[0]))], 1)


def stage2_loss(net2, p8, y, pw2):
    out, _ = net2(p8)
    y2 = y[:, list(STAGE2_FROM_LABELS)]
    loss = bce_ds(out, y2, pw2)
    return loss + base_type_ce(out[0][:, 2:6], y2[:, 2:6], y2[:, 7])


class QuickVal:
    """Fixed, seeded 48^3 crops of the validation maps; voxel F1 and base-type voxel accuracy."""

    def __init__(self, samples, n=12, seed=12345):
        s = CropSampler(samples, seed=seed, focus=0.9)
        s.augment = lambda x, y: (x, y)
        xs, ys = s.batch(48, n)
        self.x, self.y = torch.from_numpy(xs), torch.from_numpy(ys)

    @staticmethod
    def f1(p, t):
        tp = float((p & t).sum())
        return 2 * tp / max(float(p.sum()) + float(t.sum()), 1)

    def run(self, model, net2=None):
        model.eval()
        res = {}
        with torch.no_grad():
            outs = [stage1_prob8(model, self.x[i:i + 2]) for i in range(0, len(self.x), 2)]
            p8 = torch.cat(outs)
            for i, name in enumerate(("sugar", "phosphate", "base")):
                res["f1_" + name] = round(self.f1(p8[:, i] > 0.5, self.y[:, i] > 0.5), 4)
            m = (self.y[:, 2] > 0.5) & ((self.y[:, 4:8] > 0.5).sum(1) == 1)
            res["baseType_voxel_acc"] = round(float((p8[:, 4:8].argmax(1)[m] == self.y[:, 4:8].argmax(1)[m]).float().mean()), 4)
            if net2 is not None:
                net2.eval()
                q = torch.cat([torch.sigmoid(net2(p8[i:i + 2], deep_supervision=False)[0][0]) for i in range(0, len(p8), 2)])
                y2 = self.y[:, list(STAGE2_FROM_LABELS)]
                res["s2_f1_sugar"] = round(self.f1(q[:, 0] > 0.5, y2[:, 0] > 0.5), 4)
                res["s2_f1_phosphate"] = round(self.f1(q[:, 1] > 0.5, y2[:, 1] > 0.5), 4)
                m2 = (y2[:, 7] > 0.5) & ((y2[:, 2:6] > 0.5).sum(1) == 1)
                res["s2_baseType_voxel_acc"] = round(float((q[:, 2:6].argmax(1)[m2] == y2[:, 2:6].argmax(1)[m2]).float().mean()), 4)
        return res


def lr_at(step, steps, lr):
    """Linear warm-up over 50 steps, then cosine decay to 5 % of lr."""
    if step < 50:
        return lr * (step + 1) / 50
    t = (step - 50) / max(1, steps - 50)
    return lr * (0.05 + 0.95 * 0.5 * (1 + math.cos(math.pi * min(1.0, t))))


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--data", default=os.path.join(HERE, "data"))
    ap.add_argument("--width", type=int, default=16)
    ap.add_argument("--steps1", type=int, default=1500)
    ap.add_argument("--steps2", type=int, default=400)
    ap.add_argument("--lr", type=float, default=2e-3)
    ap.add_argument("--crops", default="32,40,48")
    ap.add_argument("--voxels-per-step", type=int, default=8 * 32 ** 3)
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--out", required=True, help="run folder (log, checkpoints)")
    ap.add_argument("--export", help="model folder to export to when done (export_onnx contract)")
    ap.add_argument("--stop1", type=int, default=0, help="end phase 1 after this many steps of its --steps1 schedule (0 = all): repeats a deadline-cut run exactly")
    ap.add_argument("--stop2", type=int, default=0, help="same for phase 2")
    ap.add_argument("--deadline-utc", help="ISO time: phase 1 stops at 78 %% of the remaining time, phase 2 at the deadline")
    ap.add_argument("--eval-every", type=int, default=250)
    ap.add_argument("--max-train-samples", type=int, default=0, help="0 = all")
    ap.add_argument("--init", help="checkpoint (final.pt / last.pt of an earlier run, same width) to start from instead of random weights: fine-tuning")
    ap.add_argument("--pos-weight-cap", type=float, default=20.0,
                    help="upper bound of the BCE positive weights (1 = unweighted; use 1 with oracle targets so outputs stay calibrated)")
    a = ap.parse_args()

    torch.set_num_threads(a.threads)
    torch.manual_seed(a.seed)
    np.random.seed(a.seed)
    os.makedirs(a.out, exist_ok=True)
    logf = open(os.path.join(a.out, "log.jsonl"), "a")
    t_wall0, t_cpu0 = time.time(), time.process_time()

    def log(**kw):
        kw.update(wall_s=round(time.time() - t_wall0, 1), cpu_s=round(time.process_time() - t_cpu0, 1))
        line = json.dumps(kw)
        print(line, flush=True)
        logf.write(line + "\n")
        logf.flush()

    deadline = None
    if a.deadline_utc:
        deadline = dt.datetime.fromisoformat(a.deadline_utc.replace("Z", "+00:00")).timestamp()
        cut1 = t_wall0 + 0.78 * (deadline - t_wall0)
    # --data may list several dataset folders (comma-separated): their training maps are pooled, validation comes from the first
    dirs = a.data.split(",")
    train = [s for d in dirs for s in load_samples(d, "train")]
    if a.max_train_samples:
        train = train[: a.max_train_samples]
    val = load_samples(dirs[0], "val")
    frac = positive_fractions(train)
    pw_chain = pos_weights(frac[0:4], a.pos_weight_cap)
    pw_base = pos_weights(frac[list(BASE_TARGETS)], a.pos_weight_cap)
    pw2 = pos_weights(frac[list(STAGE2_FROM_LABELS)], a.pos_weight_cap)
    log(event="start", args=vars(a), train_samples=len(train), val_samples=len(val), positive_fraction=[round(float(f), 5) for f in frac],
        pos_weight_chain=pw_chain.tolist(), pos_weight_base=pw_base.tolist())

    model = Stage1Cascade(a.width)
    net2 = stage2_net(a.width)
    init_weights(model)
    init_weights(net2)
    if a.init:
        ck = torch.load(a.init, map_location="cpu")
        if ck.get("width") != a.width:
            raise SystemExit("%s: width %s, but --width %d; give the checkpoint's width" % (a.init, ck.get("width"), a.width))
        model.load_state_dict(ck["stage1"])
        net2.load_state_dict(ck["stage2"])
        log(event="init", checkpoint=a.init)
    log(event="model", params_stage1=count_parameters(model), params_stage2=count_parameters(net2))
    sampler = CropSampler(train, seed=a.seed)
    qv = QuickVal(val)
    edges = [int(e) for e in a.crops.split(",")]
    crop_rng = np.random.default_rng(a.seed + 1)

    def run_phase(name, net, steps, loss_fn, stop_at, stop_step=0):
        opt = torch.optim.Adam(net.parameters(), lr=a.lr)
        done = 0
        for step in range(steps):
            if stop_step and step >= stop_step:
                break
            if stop_at is not None and time.time() > stop_at:
                log(event="deadline", phase=name, step=step)
                break
            edge = int(edges[crop_rng.integers(len(edges))])
            bs = max(1, round(a.voxels_per_step / edge ** 3))
            xs, ys = sampler.batch(edge, bs)
            x, y = torch.from_numpy(xs), torch.from_numpy(ys)
            for g in opt.param_groups:
                g["lr"] = lr_at(step, steps, a.lr)
            net.train()
            loss = loss_fn(x, y)
            opt.zero_grad(set_to_none=True)
            loss.backward()
            opt.step()
            done = step + 1
            if step % 20 == 0:
                log(event="step", phase=name, step=step, edge=edge, batch=bs, loss=round(float(loss), 5))
            if done % a.eval_every == 0:
                log(event="quickval", phase=name, step=done, **qv.run(model, net2 if name == "stage2" else None))
                save(name, done)
        return done

    state = {"steps1": 0, "steps2": 0}

    def save(tag, step):
        ck = {"width": a.width, "stage1": model.state_dict(), "stage2": net2.state_dict(),
              "meta": {"steps1": state["steps1"] or (step if tag == "stage1" else 0), "steps2": state["steps2"] or (step if tag == "stage2" else 0),
                       "seed": a.seed, "args": vars(a)}}
        torch.save(ck, os.path.join(a.out, "last.pt.tmp"))
        os.replace(os.path.join(a.out, "last.pt.tmp"), os.path.join(a.out, "last.pt"))

    state["steps1"] = run_phase("stage1", model, a.steps1, lambda x, y: stage1_loss(model, x, y, pw_chain, pw_base), cut1 if deadline else None, a.stop1)
    model.eval()
    for p in model.parameters():
        p.requires_grad_(False)
    log(event="quickval", phase="stage1", step=state["steps1"], **qv.run(model))
    save("stage1", state["steps1"])

    def s2_loss(x, y):
        return stage2_loss(net2, stage1_prob8(model, x), y, pw2)

    state["steps2"] = run_phase("stage2", net2, a.steps2, s2_loss, deadline, a.stop2)
    final = qv.run(model, net2)
    log(event="quickval", phase="final", step=state["steps2"], **final)
    wall_min = (time.time() - t_wall0) / 60
    meta = {"steps1": state["steps1"], "steps2": state["steps2"], "seed": a.seed, "args": vars(a), "wall_minutes": round(wall_min, 1),
            "cpu_minutes": round((time.process_time() - t_cpu0) / 60, 1), "quickval": final}
    cmd = ("/usr/bin/python3 training/train.py --data %s --width %d --steps1 %d --steps2 %d --seed %d --lr %g --crops %s --voxels-per-step %d --pos-weight-cap %g --threads %d"
           % (os.path.relpath(a.data), a.width, state["steps1"], state["steps2"], a.seed, a.lr, a.crops, a.voxels_per_step, a.pos_weight_cap, a.threads))
    meta["card"] = {
        "placeholder": False,
        "width": a.width,
        "trainedOn": "maps simulated by training/make-dataset.ts from ../shared/data/structures (held out: see models/MODEL_CARD.md); %d training maps, seed %d" % (len(train), a.seed),
        "description": "CryoREAD detection topology (reference section 6) at width %d, trained on CPU (%d stage-1 + %d stage-2 steps, %.0f min on 2 cores)."
                       % (a.width, state["steps1"], state["steps2"], wall_min),
        "training": {"command": cmd, "steps1": state["steps1"], "steps2": state["steps2"], "wallMinutes": round(wall_min, 1)},
    }
    ck = {"width": a.width, "stage1": model.state_dict(), "stage2": net2.state_dict(), "meta": meta}
    torch.save(ck, os.path.join(a.out, "final.pt"))
    log(event="done", **{k: v for k, v in meta.items() if k != "args"})
    if a.export:
        from export_onnx import export_models
        card = export_models(model, net2, a.export, meta["card"])
        log(event="exported", dir=a.export, card=card)


if __name__ == "__main__":
    main()
