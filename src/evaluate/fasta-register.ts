/**
 * Register of a model against a reference through the FASTA the model was built with (not in the original):
 * which FASTA record and position each residue stands for, on both sides, so that one-to-one register recall
 * (evaluate-model.ts) counts a pair when the model put the reference's own sequence position there.
 *
 * Why: comparing chain ids and residue numbers only works when the reference is numbered by FASTA position
 * and named like the FASTA's records (bench/real-density renumbers its references so). Deposited files are not:
 * the bundled example's reference has a blank chain id and its own numbering, so `npm start` reported register
 * recall 0 for a model with dozens of nucleotides at their true position. Here each reference chain's sequence is
 * aligned to the FASTA records (semi-global: the record may run past the modelled residues at either end; best
 * scoring record of the chain's molecule type, kept when >= 80 % of the aligned letters agree), and a model
 * residue's position comes from the build (chain -> record, residue number = record position) or, for a model
 * read from a file (`cryoread evaluate --fasta`), from its letters (modelRecordsFromLetters).
 */
import type { Structure } from '../structure/model.js';
import { Structure as S } from '../structure/model.js';

/** FASTA (record, position) keys of residues: `record:position`, or null when a residue has none. */
export interface RegisterMaps {
  model(chainId: string, seqNum: number): string | null;
  reference(chainId: string, seqNum: number): string | null;
}

export interface FastaRecordForRegister {
  sequence: string;
  moleculeType: 'rna' | 'dna' | 'protein';
}

const norm = (c: string) => (c === 'T' ? 'U' : c);

/**
 * Semi-global alignment of `query` (a reference chain's letters) to `target` (a record): every query letter is
 * aligned or gapped, the target's ends are free. Match +2, mismatch -1, gap -2. Returns per query letter its
 * 1-based target position (null: gapped) and the fraction of aligned letters that agree.
 */
export function alignToRecord(query: string, target: string): { positions: (number | null)[]; score: number; identity: number } {
  const n = query.length, m = target.length;
  const W = m + 1;
  // Scores are small integers (+2 / -1 / -2 steps): Int32 is exact; (n + 1) (m + 1) cells, ~45 MB with the
  // traceback for a 3,000-nt chain against a 3,000-nt record.
  const H = new Int32Array((n + 1) * W);
  const back = new Uint8Array((n + 1) * W); // 0 diag, 1 up (query gap), 2 left (target gap)
  for (let i = 1; i <= n; i++) { H[i * W] = -2 * i; back[i * W] = 1; }
  for (let j = 1; j <= m; j++) { H[j] = 0; back[j] = 2; }
  for (let i = 1; i <= n; i++) {
    const q = norm(query[i - 1]);
    for (let j = 1; j <= m; j++) {
      const diag = H[(i - 1) * W + j - 1] + (q === norm(target[j - 1]) ? 2 : -1);
      const up = H[(i - 1) * W + j] - 2;
      // leaving target letters unaligned is free only before the first or after the last query letter
      const left = H[i * W + j - 1] - (i === n ? 0 : 2);
      let best = diag, b = 0;
      if (up > best) { best = up; b = 1; }
      if (left > best) { best = left; b = 2; }
      H[i * W + j] = best;
      back[i * W + j] = b;
    }
  }
  const positions: (number | null)[] = new Array(n).fill(null);
  let i = n, j = m, same = 0, aligned = 0;
  while (i > 0) {
    const b = j === 0 ? 1 : back[i * W + j];
    if (b === 0) {
      positions[i - 1] = j;
      aligned++;
      if (norm(query[i - 1]) === norm(target[j - 1])) same++;
      i--; j--;
    } else if (b === 1) i--;
    else j--;
  }
  return { positions, score: H[n * W + m], identity: aligned ? same / aligned : 0 };
}

/**
 * Register maps from the FASTA records: reference residues by alignment (see the module comment), model
 * residues by `modelRecordOfChain` (the record index a model chain was assigned to, or null) and their numbers.
 */
export function fastaRegisterMaps(reference: Structure, records: readonly FastaRecordForRegister[], modelRecordOfChain: (chainId: string) => number | null): RegisterMaps {
  const refKey = new Map<string, string>();
  for (const chain of reference.chains) {
    const nts = chain.residues.filter(S.isSequenceNucleotide);
    if (!nts.length) continue;
    const letters = nts.map((r) => r.base ?? 'N').join('');
    let best: { r: number; positions: (number | null)[]; score: number } | null = null;
    records.forEach((rec, r) => {
      if (rec.moleculeType === 'protein') return;
      const a = alignToRecord(letters, rec.sequence.toUpperCase());
      if (a.identity >= 0.8 && (!best || a.score > best.score)) best = { r, positions: a.positions, score: a.score };
    });
    const hit = best as { r: number; positions: (number | null)[] } | null;
    if (!hit) continue;
    nts.forEach((res, k) => {
      const pos = hit.positions[k];
      if (pos !== null) refKey.set(`${chain.id}\u0000${res.seqNum}`, `${hit.r}:${pos}`);
    });
  }
  return {
    model: (chainId, seqNum) => {
      const r = modelRecordOfChain(chainId);
      return r === null ? null : `${r}:${seqNum}`;
    },
    reference: (chainId, seqNum) => refKey.get(`${chainId}\u0000${seqNum}`) ?? null,
  };
}

/**
 * The FASTA record each chain of a model file carries, from the file alone: a chain numbered by record
 * positions (as cryoread-ts and CryoREAD number sequence-assigned chains) has the record's letter at every
 * residue number (nearly: a fragment end may keep its called letter). A chain is assigned to the record whose
 * letters agree at >= `minAgreement` of its residues
 * (best record; at least `minResidues` residues); chains numbered 1..n with called letters agree by chance
 * (~0.3 per residue) and stay unassigned.
 */
export function modelRecordsFromLetters(model: Structure, records: readonly FastaRecordForRegister[], minAgreement = 0.8, minResidues = 3): (chainId: string) => number | null {
  const byChain = new Map<string, number | null>();
  for (const chain of model.chains) {
    const nts = chain.residues.filter(S.isSequenceNucleotide);
    let best: number | null = null, bestAgree = 0;
    if (nts.length >= minResidues) {
      records.forEach((rec, r) => {
        if (rec.moleculeType === 'protein') return;
        const seq = rec.sequence.toUpperCase();
        let agree = 0;
        for (const res of nts) if (res.seqNum >= 1 && res.seqNum <= seq.length && norm(seq[res.seqNum - 1]) === norm(res.base ?? 'N')) agree++;
        const f = agree / nts.length;
        if (f >= minAgreement && f > bestAgree) { best = r; bestAgree = f; }
      });
    }
    byChain.set(chain.id, best);
  }
  return (chainId) => byChain.get(chainId) ?? null;
}
