/** Minimal PNG encoder (8-bit greyscale or RGBA, no interlace) on node:zlib, for static notebook output. */
import { crc32, deflateSync } from 'node:zlib';

function chunk(type: string, data: Uint8Array): Buffer {
  const out = Buffer.alloc(12 + data.length);
  out.writeUInt32BE(data.length, 0);
  out.write(type, 4, 'ascii');
  out.set(data, 8);
  out.writeUInt32BE(crc32(out.subarray(4, 8 + data.length)), 8 + data.length);
  return out;
}

/** Encodes `pixels` (row-major, top row first; 1 byte per pixel for 'grey', 4 for 'rgba'). */
export function encodePng(width: number, height: number, pixels: Uint8Array, kind: 'grey' | 'rgba' = 'grey'): Buffer {
  const bpp = kind === 'grey' ? 1 : 4;
  if (pixels.length !== width * height * bpp) throw new RangeError(`encodePng: ${pixels.length} bytes for ${width}x${height} ${kind} (need ${width * height * bpp})`);
  const raw = Buffer.alloc((width * bpp + 1) * height);
  for (let y = 0; y < height; y++) {
    raw[y * (width * bpp + 1)] = 0; // filter: none
    raw.set(pixels.subarray(y * width * bpp, (y + 1) * width * bpp), y * (width * bpp + 1) + 1);
  }
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(width, 0);
  ihdr.writeUInt32BE(height, 4);
  ihdr[8] = 8;
  ihdr[9] = kind === 'grey' ? 0 : 6;
  return Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), chunk('IHDR', ihdr), chunk('IDAT', deflateSync(raw)), chunk('IEND', new Uint8Array(0))]);
}
