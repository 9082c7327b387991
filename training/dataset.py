"""Reader for the maps written by training/make-dataset.ts, and seeded crop sampling with augmentation.

A sample: density float32 [D,H,W] (normalised as at inference, reference 5.1) and targets uint8 [8,D,H,W]
in LABEL_CLASSES order (sugar, phosphate, base, protein, A, UT, C, G), on a 1 A grid. The index's
`labelScale` says what 1.0 is stored as: 1 for 0/1 labels, 255 for oracle probabilities (make-dataset.ts
--targets); crops come out as float32 in [0, 1] either way.
"""
import json
import os

import numpy as np

LABEL_CLASSES = ("sugar", "phosphate", "base", "protein", "A", "UT", "C", "G")
# Stage-2 output order (reference 5.4) as indices into LABEL_CLASSES.
STAGE2_FROM_LABELS = (0, 1, 4, 5, 6, 7, 3, 2)


class Sample:
    __slots__ = ("meta", "density", "labels", "atoms", "_dir", "scale")

    def __init__(self, meta, directory, load_atoms=False, scale=1):
        self.meta = meta
        self.scale = scale
        self._dir = directory
        shape = tuple(meta["shape"])
        sid = meta["id"]
        self.density = np.fromfile(os.path.join(directory, sid + ".density.f32"), dtype=np.float32).reshape(shape)
        self.labels = np.fromfile(os.path.join(directory, sid + ".labels.u8"), dtype=np.uint8).reshape((8,) + shape)
        self.atoms = None
        if load_atoms:
            with open(os.path.join(directory, sid + ".atoms.json")) as f:
                self.atoms = json.load(f)

    @property
    def origin(self):
        """Angstrom position of voxel (0,0,0) as (x, y, z)."""
        return np.asarray(self.meta["originA"], dtype=np.float64)


def load_index(directory, split):
    """Samples of one split ('train' or 'val') from <directory>/index.<split>.json (or index.json)."""
    for name in ("index.%s.json" % split, "index.json"):
        path = os.path.join(directory, name)
        if os.path.exists(path):
            with open(path) as f:
                idx = json.load(f)
            return [s for s in idx["samples"] if s["split"] == split], idx
    raise FileNotFoundError("%s: no index.%s.json or index.json; run `npx tsx training/make-dataset.ts` first" % (directory, split))


def load_samples(directory, split, load_atoms=False):
    metas, idx = load_index(directory, split)
    scale = int(idx.get("labelScale", 1))
    return [Sample(m, directory, load_atoms, scale) for m in metas]


class CropSampler:
    """Random crops (edge divisible by 4) with flips and 90-degree rotations, seeded.

    With probability `focus` the crop is centred near a random nucleotide voxel (base or sugar label),
    otherwise anywhere in the map. Maps smaller than the crop are zero-padded (labels 0).
    """

    def __init__(self, samples, seed=0, focus=0.8):
        self.samples = samples
        self.rng = np.random.default_rng(seed)
        self.focus = focus
        # nucleotide voxel indices per sample, for focused crops
        self.nuc = []
        for s in samples:
            half = max(1, s.scale // 2)
            m = ((s.labels[0] >= half) | (s.labels[2] >= half)).reshape(-1)
            self.nuc.append(np.flatnonzero(m).astype(np.int64))

    def crop(self, edge):
        rng = self.rng
        i = int(rng.integers(len(self.samples)))
        s = self.samples[i]
        shape = s.density.shape
        if len(self.nuc[i]) and rng.random() < self.focus:
            flat = self.nuc[i][rng.integers(len(self.nuc[i]))]
            centre = np.unravel_index(flat, shape)
            start = [int(c) - edge // 2 + int(rng.integers(-edge // 4, edge // 4 + 1)) for c in centre]
        else:
            start = [int(rng.integers(min(0, n - edge), max(0, n - edge) + 1)) for n in shape]
        start = [min(max(st, min(0, n - edge)), max(0, n - edge)) for st, n in zip(start, shape)]
        x = np.zeros((1, edge, edge, edge), np.float32)
        y = np.zeros((8, edge, edge, edge), np.float32)
        src = tuple(slice(max(st, 0), min(st + edge, n)) for st, n in zip(start, shape))
        dst = tuple(slice(max(st, 0) - st, min(st + edge, n) - st) for st, n in zip(start, shape))
        x[(0,) + dst] = s.density[src]
        y[(slice(None),) + dst] = s.labels[(slice(None),) + src]
        if s.scale != 1:
            y *= 1.0 / s.scale
        return self.augment(x, y)

    def augment(self, x, y):
        rng = self.rng
        for ax in (1, 2, 3):
            if rng.random() < 0.5:
                x, y = np.flip(x, ax), np.flip(y, ax)
        k = int(rng.integers(4))
        plane = [(1, 2), (1, 3), (2, 3)][int(rng.integers(3))]
        if k:
            x, y = np.rot90(x, k, plane), np.rot90(y, k, plane)
        return np.ascontiguousarray(x), np.ascontiguousarray(y)

    def batch(self, edge, size):
        xs, ys = zip(*(self.crop(edge) for _ in range(size)))
        return np.stack(xs), np.stack(ys)


def positive_fractions(samples):
    """Mean positive fraction per label channel over the samples (voxel-weighted)."""
    tot = np.zeros(8)
    n = 0
    for s in samples:
        tot += s.labels.reshape(8, -1).sum(1, dtype=np.float64) / s.scale
        n += s.labels[0].size
    return tot / max(n, 1)
