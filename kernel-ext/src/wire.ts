/**
 * Jupyter wire protocol (messaging spec 5.3): frames <-> messages.
 *
 * Frames: [identities..., "<IDS|MSG>", signature, header, parent_header, metadata, content, buffers...].
 * The HMAC-SHA256 signature covers the four JSON frames only; buffers travel raw and unsigned
 * (tslab 1.0.22 signs every frame and JSON-stringifies buffers, which is what this module fixes).
 */
import { createHmac, randomUUID, timingSafeEqual } from 'node:crypto';

export const DELIMITER = Buffer.from('<IDS|MSG>');
export const PROTOCOL_VERSION = '5.3';

export interface JupyterHeader {
  msg_id: string;
  session: string;
  username: string;
  date: string;
  msg_type: string;
  version: string;
}

export interface JupyterMessage {
  /** ZMQ routing identities (shell/control); empty for iopub. */
  identities: Buffer[];
  header: JupyterHeader;
  /** Header of the message this one answers, or `{}`. */
  parent_header: JupyterHeader | Record<string, never>;
  metadata: Record<string, unknown>;
  content: Record<string, unknown>;
  /** Raw binary buffers that follow the content frame. */
  buffers: Buffer[];
}

/** Why a frame list could not be read as a message. */
export type WireErrorKind = 'delimiter' | 'signature' | 'json';

export class WireError extends Error {
  constructor(readonly kind: WireErrorKind, message: string, readonly identities: Buffer[] = [], readonly header?: JupyterHeader) {
    super(message);
    this.name = 'WireError';
  }
}

/** Hex HMAC-SHA256 of the four JSON frames; '' when the key is empty (signing disabled). */
export function sign(key: string, jsonFrames: readonly (Buffer | string)[]): string {
  if (key === '') return '';
  const h = createHmac('sha256', key);
  for (const f of jsonFrames) h.update(f);
  return h.digest('hex');
}

function parseJson(frame: Buffer, name: string, identities: Buffer[], header?: JupyterHeader): Record<string, unknown> {
  try {
    const v = JSON.parse(frame.toString('utf8')) as unknown;
    if (v === null || typeof v !== 'object' || Array.isArray(v)) throw new Error('not a JSON object');
    return v as Record<string, unknown>;
  } catch (e) {
    throw new WireError('json', `wire: ${name} frame is not a JSON object (${(e as Error).message}); the client must send valid JSON`, identities, header);
  }
}

/** Reads a received frame list, checking the signature over header, parent, metadata and content. */
export function parseFrames(frames: readonly Buffer[], key: string): JupyterMessage {
  const d = frames.findIndex((f) => f.equals(DELIMITER));
  if (d < 0 || frames.length < d + 6) throw new WireError('delimiter', `wire: message of ${frames.length} frames has no "<IDS|MSG>" delimiter followed by 5 frames`);
  const identities = frames.slice(0, d);
  const signature = frames[d + 1].toString('ascii');
  const json = frames.slice(d + 2, d + 6);
  if (key !== '') {
    const want = Buffer.from(sign(key, json), 'ascii');
    const got = Buffer.from(signature, 'ascii');
    if (got.length !== want.length || !timingSafeEqual(got, want)) {
      throw new WireError('signature', 'wire: HMAC signature does not match the connection key; message dropped', identities);
    }
  }
  const header = parseJson(json[0], 'header', identities) as unknown as JupyterHeader;
  if (typeof header.msg_type !== 'string') throw new WireError('json', 'wire: header has no msg_type string', identities);
  return {
    identities,
    header,
    parent_header: parseJson(json[1], 'parent_header', identities, header) as JupyterMessage['parent_header'],
    metadata: parseJson(json[2], 'metadata', identities, header),
    content: parseJson(json[3], 'content', identities, header),
    buffers: frames.slice(d + 6).map((b) => Buffer.from(b)),
  };
}

/** Any binary view becomes a Buffer sharing its memory (no copy). */
export function toBuffer(b: ArrayBufferView | ArrayBuffer): Buffer {
  if (b instanceof ArrayBuffer) return Buffer.from(b);
  return Buffer.from(b.buffer, b.byteOffset, b.byteLength);
}

/** Frames ready to send: identities, delimiter, signature, four JSON frames, raw buffers. */
export function serializeMessage(msg: Omit<JupyterMessage, 'buffers'> & { buffers?: readonly (ArrayBufferView | ArrayBuffer)[] }, key: string): Buffer[] {
  const json = [msg.header, msg.parent_header, msg.metadata, msg.content].map((o) => Buffer.from(JSON.stringify(o), 'utf8'));
  return [...msg.identities, DELIMITER, Buffer.from(sign(key, json), 'ascii'), ...json, ...(msg.buffers ?? []).map(toBuffer)];
}

/** A fresh header for a message of `msgType` sent in `session`. */
export function newHeader(msgType: string, session: string, username = 'kernel'): JupyterHeader {
  return { msg_id: randomUUID(), session, username, date: new Date().toISOString(), msg_type: msgType, version: PROTOCOL_VERSION };
}
