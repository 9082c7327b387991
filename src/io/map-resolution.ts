/**
 * The resolution a map states about itself in its MRC header labels (words 57-256), when it does:
 * "resolution 3.2", "Resolution: 3.2 A", "... at 3.2 A resolution", "cryoread-ts simulate 3.7 A".
 * Most deposited maps do not state it (EMDB keeps it in the entry's XML), so a missing value is
 * normal and the caller asks for --resolution. Not in CryoREAD (its default is a silent 2.5 A).
 */
export interface LabelResolution {
  resolutionA: number;
  /** The label it was read from. */
  label: string;
}

const PATTERNS: RegExp[] = [
  /\bresolution\b[^0-9\n]{0,12}?(\d{1,2}(?:\.\d+)?)\s*(?:A|Å|angstroms?)?\b/i,
  /\b(\d{1,2}(?:\.\d+)?)\s*(?:A|Å|angstroms?)\s+resolution\b/i,
  /\bcryoread-ts simulate (\d{1,2}(?:\.\d+)?) A\b/,
];

export function resolutionFromLabels(labels: readonly string[]): LabelResolution | null {
  for (const label of labels) {
    for (const re of PATTERNS) {
      const m = re.exec(label);
      const r = m ? Number(m[1]) : NaN;
      if (r > 0 && r <= 50) return { resolutionA: r, label };
    }
  }
  return null;
}
