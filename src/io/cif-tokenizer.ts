/**
 * CIF 1.1 / mmCIF tokenizer and a minimal data model: data blocks -> categories -> columns.
 * Handles comments (#), single- and double-quoted values (a quote closes only when followed by
 * whitespace, so `"C4'"` and `'O5''` ... work as in the spec), semicolon text fields (`;` at the
 * start of a line up to the next line starting with `;`), `loop_`, `save_` frames (skipped) and
 * the null markers `.` (inapplicable) and `?` (unknown), which are kept as strings; `isCifNull` tests them.
 */
import { StructureFormatError } from '../util/errors.js';

export interface CifCategory {
  /** Category name without the leading underscore, e.g. "atom_site". */
  name: string;
  /** Field (item) names, e.g. ["group_PDB", "id", ...]. */
  fields: string[];
  /** Row-major values: row r, field f at values[r * fields.length + f]. */
  values: string[];
  rowCount: number;
}

export interface CifBlock {
  name: string;
  categories: Map<string, CifCategory>;
}

export function isCifNull(v: string | undefined): boolean {
  return v === undefined || v === '.' || v === '?';
}

const WS = (c: number): boolean => c === 32 || c === 9 || c === 10 || c === 13;

/** Splits CIF text into tokens; `quoted[i]` is 1 for quoted or text-field tokens (never keywords). */
export function tokenizeCif(text: string, source = '<cif text>'): { tokens: string[]; quoted: Uint8Array } {
  const tokens: string[] = [];
  const quotedIdx: number[] = [];
  const n = text.length;
  let i = 0;
  let lineStart = true;
  while (i < n) {
    const c = text.charCodeAt(i);
    if (WS(c)) {
      lineStart = c === 10 || c === 13;
      i++;
      continue;
    }
    if (c === 35 /* # */) {
      while (i < n && text.charCodeAt(i) !== 10) i++;
      continue;
    }
    if (c === 59 /* ; */ && lineStart) {
      // Semicolon text field: up to a line that starts with ';'.
      let j = i + 1;
      let end = -1;
      while (j < n) {
        const nl = text.indexOf('\n', j);
        if (nl < 0) break;
        if (text.charCodeAt(nl + 1) === 59) {
          end = nl;
          break;
        }
        j = nl + 1;
      }
      if (end < 0) throw new StructureFormatError('CIF_UNTERMINATED_TEXT', `${source}: semicolon text field starting at offset ${i} is never closed (a line starting with ';'); the file is truncated`, source);
      let val = text.slice(i + 1, end);
      if (val.endsWith('\r')) val = val.slice(0, -1);
      quotedIdx.push(tokens.length);
      tokens.push(val);
      i = end + 2;
      lineStart = false;
      continue;
    }
    lineStart = false;
    if (c === 39 || c === 34) {
      // Quoted value: closes at the same quote followed by whitespace or end of text.
      let j = i + 1;
      while (j < n) {
        if (text.charCodeAt(j) === c && (j + 1 >= n || WS(text.charCodeAt(j + 1)))) break;
        j++;
      }
      if (j >= n) throw new StructureFormatError('CIF_UNTERMINATED_QUOTE', `${source}: quoted value starting at offset ${i} is never closed; the file is truncated or not CIF`, source);
      quotedIdx.push(tokens.length);
      tokens.push(text.slice(i + 1, j));
      i = j + 1;
      continue;
    }
    let j = i + 1;
    while (j < n && !WS(text.charCodeAt(j))) j++;
    tokens.push(text.slice(i, j));
    i = j;
  }
  const quoted = new Uint8Array(tokens.length);
  for (const q of quotedIdx) quoted[q] = 1;
  return { tokens, quoted };
}

/** Parse CIF text into data blocks (a token is a tag or keyword only when it is unquoted). */
export function parseCif(text: string, source = '<cif text>'): CifBlock[] {
  const { tokens: toks, quoted } = tokenizeCif(text, source);
  const blocks: CifBlock[] = [];
  let block: CifBlock | null = null;
  const cat = (name: string): CifCategory => {
    if (!block) {
      block = { name: '', categories: new Map() };
      blocks.push(block);
    }
    let c = block.categories.get(name);
    if (!c) {
      c = { name, fields: [], values: [], rowCount: 0 };
      block.categories.set(name, c);
    }
    return c;
  };
  const splitTag = (tag: string): [string, string] => {
    const dot = tag.indexOf('.');
    return dot < 0 ? [tag.slice(1), ''] : [tag.slice(1, dot), tag.slice(dot + 1)];
  };
  const isKeyword = (k: number): boolean => quoted[k] === 0 && (toks[k][0] === '_' || /^(data_|loop_$|save_|global_$|stop_$)/i.test(toks[k]));
  let i = 0;
  while (i < toks.length) {
    const t = toks[i];
    if (quoted[i]) {
      i++; // a stray value outside any tag; ignore
    } else if (/^data_/i.test(t)) {
      block = { name: t.slice(5), categories: new Map() };
      blocks.push(block);
      i++;
    } else if (/^save_/i.test(t)) {
      // Skip save frames (dictionaries): to the matching bare "save_".
      i++;
      while (i < toks.length && toks[i].toLowerCase() !== 'save_') i++;
      i++;
    } else if (t.toLowerCase() === 'loop_') {
      i++;
      const tags: string[] = [];
      while (i < toks.length && !quoted[i] && toks[i][0] === '_') tags.push(toks[i++]);
      if (tags.length === 0) throw new StructureFormatError('CIF_EMPTY_LOOP', `${source}: loop_ without tags; the file is not valid CIF`, source);
      const [catName] = splitTag(tags[0]);
      const c = cat(catName);
      c.fields = tags.map((tg) => splitTag(tg)[1]);
      const start = i;
      while (i < toks.length && !isKeyword(i)) i++;
      const count = i - start;
      if (count % tags.length !== 0) {
        throw new StructureFormatError('CIF_LOOP_COUNT', `${source}: loop of _${catName} has ${count} values for ${tags.length} columns (not a multiple); the file is truncated or a value has unbalanced quotes`, source);
      }
      c.values = toks.slice(start, i);
      c.rowCount = count / tags.length;
    } else if (t[0] === '_') {
      const [catName, field] = splitTag(t);
      const v = toks[i + 1];
      if (v === undefined) throw new StructureFormatError('CIF_MISSING_VALUE', `${source}: tag ${t} has no value; the file is truncated`, source);
      const c = cat(catName);
      c.fields.push(field);
      c.values.push(v);
      c.rowCount = 1;
      i += 2;
    } else {
      i++; // stray token (e.g. global_ / stop_); ignore
    }
  }
  return blocks;
}

/** Column accessor for a category: `col('Cartn_x')` -> (row) => value, or undefined when absent. */
export function cifColumn(c: CifCategory, field: string): ((row: number) => string) | undefined {
  const f = c.fields.indexOf(field);
  if (f < 0) return undefined;
  const w = c.fields.length;
  return (row) => c.values[row * w + f];
}
