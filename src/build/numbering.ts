/**
 * Chains and residue numbers that agree with the built bonds (the last step of buildAtoms).
 * Refinement programs link residue n to n + 1 of a chain, so:
 *   - a chain with given numbers (assigned to a FASTA record: record positions) keeps them; wherever
 *     two consecutive numbers are not bonded (O3'-P > BOND_MAX_A: two fragments of the record from
 *     different paths, a link the builder could not make), the chain is broken: the rest goes on
 *     under a new chain id (same record, same numbering);
 *   - a chain numbered 'by-bonds' (geometry only) is broken wherever its nucleotides are not bonded,
 *     and each bonded run is numbered 1..n under its own chain id.
 * A bond across a jump in numbering is never made (build-atoms links only consecutive numbers of an
 * assigned chain; an unlinked 5' phosphate that lands on an O3' is turned away or removed by
 * unlinked-phosphate.ts). Not in CryoREAD, whose numbering ignores bonds.
 */
import type { Chain, Residue } from '../structure/model.js';
import type { CoarseChain } from './types.js';

/** Chain ids in the order they are handed out (62 single characters, then two-character ids). */
export const CHAIN_IDS = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';

/** Hands out chain ids in CHAIN_IDS order, skipping `used` and every id it gave before. */
export function makeChainIdAllocator(used: Iterable<string>): () => string {
  const taken = new Set(used);
  let k = 0;
  return () => {
    for (;;) {
      const id = k < CHAIN_IDS.length ? CHAIN_IDS[k] : `${CHAIN_IDS[Math.floor(k / CHAIN_IDS.length) - 1]}${CHAIN_IDS[k % CHAIN_IDS.length]}`;
      k++;
      if (!taken.has(id)) { taken.add(id); return id; }
    }
  };
}

export interface BuiltChainInfo {
  id: string;
  /** FASTA record the residues are assigned to (numbers = record positions), or null (geometry only). */
  assigned: { recordIndex: number; recordChainId: string } | null;
  firstSeqNum: number;
  lastSeqNum: number;
  residues: number;
  /** Per residue of the chain (same order): the base-call probability of the modelled base (null: unknown). */
  baseCallProbability: (number | null)[];
}

/** O3'-P within this is a phosphodiester (1.6 A ideal; src/evaluate/numbering.ts uses the same). */
export const BOND_MAX_A = 2.0;

/** O3'(a)-P(b) <= BOND_MAX_A. */
export function bonded(a: Residue, b: Residue): boolean {
  const o3 = a.atoms.find((x) => x.name === "O3'"), p = b.atoms.find((x) => x.name === 'P');
  return Boolean(o3 && p && Math.hypot(o3.x - p.x, o3.y - p.y, o3.z - p.z) <= BOND_MAX_A);
}

export function numberByBonds(chains: readonly Chain[], coarseOf: (c: Chain) => Pick<CoarseChain, 'assigned' | 'numbering'>, baseCallOf: (r: Residue) => number | null = () => null): { chains: Chain[]; info: BuiltChainInfo[]; splits: number } {
  const alloc = makeChainIdAllocator(chains.map((c) => c.id));
  const out: Chain[] = [];
  const info: BuiltChainInfo[] = [];
  let splits = 0;
  for (const chain of chains) {
    const coarse = coarseOf(chain);
    const assigned = coarse.assigned ?? null;
    const byBonds = coarse.numbering === 'by-bonds';
    const segments: Residue[][] = [];
    let cur: Residue[] = [];
    for (const r of chain.residues) {
      const last = cur[cur.length - 1];
      const breakHere = last !== undefined && (byBonds ? !bonded(last, r) : r.seqNum === last.seqNum + 1 && !bonded(last, r));
      if (breakHere) { segments.push(cur); cur = []; }
      cur.push(r);
    }
    if (cur.length) segments.push(cur);
    splits += segments.length - 1;
    segments.forEach((residues, i) => {
      const id = i === 0 ? chain.id : alloc();
      if (byBonds) residues.forEach((r, k) => { r.seqNum = k + 1; });
      out.push({ id, residues });
      info.push({ id, assigned, firstSeqNum: residues[0].seqNum, lastSeqNum: residues[residues.length - 1].seqNum, residues: residues.length, baseCallProbability: residues.map(baseCallOf) });
    });
  }
  return { chains: out, info, splits };
}
