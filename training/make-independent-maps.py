"""Maps from an independent generator (issue 13): gemmi's electron-scattering density calculator.

No training map comes from this code: the network trains on src/simulate (Gaussian or Fourier model,
training/make-dataset.ts). Here the Coulomb potential is computed by gemmi.DensityCalculatorE (Mott-Bethe
electron form factors, each atom's own B-factor from the file), truncated at d_min = the resolution in
reciprocal space (a hard cut, no sharpening), resampled to 1.1 A voxels, given noise low-passed with a
Gaussian falloff (not our simulator's noise), and written as MRC with permuted axes (MAPC/MAPR/MAPS =
3/1/2) and the origin that puts it on the structure's own coordinates.

  /usr/bin/python3 training/make-independent-maps.py --structures ../shared/data/structures \
      --out bench/data/independent --resolutions 3.7,4.5 --files a.pdb,b.cif,... [--snr 3] [--seed 7]

Writes <out>/<stem>_<R>A.mrc and <out>/index.json (file, resolution, map, seed). Debian python3-gemmi,
python3-mrcfile, python3-numpy.
"""
import argparse
import json
import os

import gemmi
import mrcfile
import numpy as np

VOXEL_A = 1.1
PAD_A = 10.0


def potential_map(path, resolution, rng):
    st = gemmi.read_structure(path)
    st.setup_entities()
    st.remove_hydrogens()
    st.remove_waters()
    st.remove_empty_chains()
    model = st[0]
    xyz = np.array([[a.pos.x, a.pos.y, a.pos.z] for ch in model for res in ch for a in res])
    lo, hi = gemmi.Position(*xyz.min(0)), gemmi.Position(*xyz.max(0))
    shift = gemmi.Position(PAD_A - lo.x, PAD_A - lo.y, PAD_A - lo.z)
    cell = [hi.x - lo.x + 2 * PAD_A, hi.y - lo.y + 2 * PAD_A, hi.z - lo.z + 2 * PAD_A]
    for ch in model:
        for res in ch:
            for at in res:
                at.pos = at.pos + shift
    st.cell = gemmi.UnitCell(cell[0], cell[1], cell[2], 90, 90, 90)
    st.spacegroup_hm = "P 1"
    dc = gemmi.DensityCalculatorE()
    dc.d_min = resolution / 2.0  # fine sampling; the resolution is imposed in reciprocal space below
    dc.rate = 1.5
    dc.set_grid_cell_and_spacegroup(st)
    dc.put_model_density_on_grid(model)
    sf = gemmi.transform_map_to_f_phi(dc.grid)
    asu = sf.prepare_asu_data(dmin=resolution)
    size = [int(round(c / VOXEL_A)) for c in cell]
    size = [n + (n % 2) for n in size]
    grid = asu.transform_f_phi_to_map(exact_size=size)
    arr = np.array(grid, copy=True).astype(np.float32)  # [x][y][z] on a (cell / size) spacing
    spacing = [c / n for c, n in zip(cell, size)]
    return arr, spacing, [-shift.x, -shift.y, -shift.z]


def add_noise(arr, resolution, snr, rng):
    if snr <= 0:
        return arr
    top = np.percentile(arr, 99)
    env = arr[arr > 0.1 * top]
    noise = rng.normal(size=arr.shape).astype(np.float32)
    f = np.fft.rfftn(noise)
    freqs = np.meshgrid(*[np.fft.fftfreq(n, VOXEL_A) for n in arr.shape[:2]], np.fft.rfftfreq(arr.shape[2], VOXEL_A), indexing="ij")
    s2 = sum(q * q for q in freqs)
    # Gaussian falloff reaching exp(-1) at 1/resolution: coloured noise unlike our simulator's
    f *= np.exp(-s2 * resolution * resolution)
    noise = np.fft.irfftn(f, s=arr.shape).astype(np.float32)
    noise *= np.sqrt(env.var() / snr) / (noise.std() or 1)
    return arr + noise


def write_permuted(path, arr, spacing, origin):
    # file axes: columns = z (MAPC 3), rows = x (MAPR 1), sections = y (MAPS 2) -> data[y][x][z]
    data = np.ascontiguousarray(arr.transpose(1, 0, 2))
    tmp = path + ".part"
    with mrcfile.new(tmp, overwrite=True) as m:
        m.set_data(data)
        h = m.header
        h.mapc, h.mapr, h.maps = 3, 1, 2
        nx, ny, nz = arr.shape
        h.mx, h.my, h.mz = nx, ny, nz
        h.cella = (nx * spacing[0], ny * spacing[1], nz * spacing[2])
        h.origin = tuple(origin)
        m.update_header_stats()
    os.replace(tmp, path)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--structures", default="../shared/data/structures")
    ap.add_argument("--out", required=True)
    ap.add_argument("--files", required=True, help="comma-separated structure file names")
    ap.add_argument("--resolutions", default="3.7,4.5")
    ap.add_argument("--snr", type=float, default=3.0)
    ap.add_argument("--seed", type=int, default=7)
    a = ap.parse_args()
    os.makedirs(a.out, exist_ok=True)
    rng = np.random.default_rng(a.seed)
    index = []
    for f in a.files.split(","):
        stem = f.split(".")[0]
        for r in [float(x) for x in a.resolutions.split(",")]:
            arr, spacing, origin = potential_map(os.path.join(a.structures, f), r, rng)
            arr = add_noise(arr, r, a.snr, rng)
            name = "%s_%gA.mrc" % (stem, r)
            write_permuted(os.path.join(a.out, name), arr, spacing, origin)
            index.append({"file": f, "resolutionA": r, "map": name, "snr": a.snr, "voxelA": [round(s, 4) for s in spacing]})
            print("%s  %s %g A  %s voxels" % (name, f, r, "x".join(str(n) for n in arr.shape)), flush=True)
    with open(os.path.join(a.out, "index.json"), "w") as fh:
        json.dump({"generator": "gemmi.DensityCalculatorE %s" % gemmi.__version__, "seed": a.seed, "maps": index}, fh, indent=1)


if __name__ == "__main__":
    main()
