/** Reads a whole file, transparently gunzipping `.gz` files (or any file starting with the gzip magic). */
import { readFileSync, statSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';
import { CryoreadError } from '../util/errors.js';

export function isGzip(bytes: Uint8Array): boolean {
  return bytes.length >= 2 && bytes[0] === 0x1f && bytes[1] === 0x8b;
}

/**
 * File bytes, gunzipped when compressed. Throws CryoreadError('FILE_NOT_FOUND') with the path.
 * `maxBytes` bounds the decompressed size (default 4 GiB) so a gzip bomb or a huge map fails
 * before it is held in memory.
 */
export function readFileBytes(path: string, opts: { maxBytes?: number } = {}): Uint8Array {
  const maxBytes = opts.maxBytes ?? 4 * 1024 ** 3;
  let st;
  try {
    st = statSync(path);
  } catch {
    throw new CryoreadError('FILE_NOT_FOUND', `${path}: file not found (check the path)`, path);
  }
  if (st.isDirectory()) throw new CryoreadError('FILE_IS_DIRECTORY', `${path}: is a directory, expected a file`, path);
  const raw = readFileSync(path);
  const bytes = new Uint8Array(raw.buffer, raw.byteOffset, raw.byteLength);
  if (isGzip(bytes)) {
    try {
      const out = gunzipSync(bytes, { maxOutputLength: Math.min(maxBytes, 2 ** 31 - 1) });
      return new Uint8Array(out.buffer, out.byteOffset, out.byteLength);
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'ERR_BUFFER_TOO_LARGE') {
        throw new CryoreadError('GZIP_TOO_LARGE', `${path}: decompressed size exceeds the ${maxBytes} byte budget; raise maxBytes (--max-bytes) if the file is genuine`, path);
      }
      throw new CryoreadError('GZIP_CORRUPT', `${path}: gzip data is corrupt or truncated (${(e as Error).message}); re-download or decompress it by hand`, path);
    }
  }
  return bytes;
}

/** File text (UTF-8), gunzipped when compressed. */
export function readFileText(path: string): string {
  return new TextDecoder('utf-8').decode(readFileBytes(path));
}
