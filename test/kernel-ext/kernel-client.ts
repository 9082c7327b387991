/**
 * Test helper: starts the cryoread kernel on 127.0.0.1 with a generated connection file and talks
 * to it over ZMQ from Node (no Python). Every kernel gets a hard timeout and is killed by stop().
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { createServer } from 'node:net';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes, randomUUID } from 'node:crypto';
import * as zmq from 'zeromq';
import { newHeader, parseFrames, serializeMessage, type JupyterHeader, type JupyterMessage } from '../../kernel-ext/src/wire.js';

export const LAUNCHER = join(import.meta.dirname, '..', '..', 'kernel-ext', 'bin', 'cryoread-kernel.mjs');

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const port = (s.address() as { port: number }).port;
      s.close(() => resolve(port));
    });
  });
}

export class KernelClient {
  readonly key = randomBytes(16).toString('hex');
  readonly session = randomUUID();
  readonly iopubLog: JupyterMessage[] = [];
  stderr = '';
  #proc?: ChildProcess;
  #dir = mkdtempSync(join(tmpdir(), 'cryoread-kernel-test-'));
  #shell = new zmq.Dealer();
  #control = new zmq.Dealer();
  #iopub = new zmq.Subscriber();
  #waiters: (() => void)[] = [];
  #killTimer?: NodeJS.Timeout;

  /** Starts the kernel (cwd = `cwd`) and waits until iopub delivers. */
  async start(cwd: string, timeoutMs = 60_000): Promise<void> {
    const ports = { shell_port: await freePort(), iopub_port: await freePort(), stdin_port: await freePort(), control_port: await freePort(), hb_port: await freePort() };
    const conn = { ...ports, ip: '127.0.0.1', key: this.key, transport: 'tcp', signature_scheme: 'hmac-sha256', kernel_name: 'cryoread' };
    const file = join(this.#dir, 'connection.json');
    writeFileSync(file, JSON.stringify(conn));
    this.#proc = spawn(process.execPath, [LAUNCHER, 'kernel', '--config-path', file], { cwd, stdio: ['ignore', 'ignore', 'pipe'] });
    this.#proc.stderr!.on('data', (d: Buffer) => (this.stderr += d.toString()));
    this.#killTimer = setTimeout(() => this.#proc?.kill('SIGKILL'), timeoutMs * 4);
    this.#killTimer.unref();
    this.#shell.connect(`tcp://127.0.0.1:${ports.shell_port}`);
    this.#control.connect(`tcp://127.0.0.1:${ports.control_port}`);
    this.#iopub.connect(`tcp://127.0.0.1:${ports.iopub_port}`);
    this.#iopub.subscribe();
    void this.#pump();
    void this.#pumpReplies(this.#shell);
    void this.#pumpReplies(this.#control);
    // Slow joiner: ask kernel_info until a status message shows the subscription is live.
    const deadline = Date.now() + timeoutMs;
    while (Date.now() < deadline) {
      const id = this.send('shell', 'kernel_info_request', {});
      await this.reply(this.#shell, id, 2000).catch(() => undefined);
      if (this.iopubLog.some((m) => m.header.msg_type === 'status' && (m.parent_header as JupyterHeader).msg_id === id)) return;
    }
    throw new Error(`kernel did not start within ${timeoutMs} ms; stderr:\n${this.stderr}`);
  }

  async #pump(): Promise<void> {
    try {
      for await (const frames of this.#iopub) {
        this.iopubLog.push(parseFrames(frames as Buffer[], this.key));
        for (const w of this.#waiters.splice(0)) w();
      }
    } catch {
      // socket closed
    }
  }

  header(msgType: string): JupyterHeader {
    return newHeader(msgType, this.session, 'test');
  }

  /** Sends a request; returns its msg_id. */
  send(channel: 'shell' | 'control', msgType: string, content: Record<string, unknown>, buffers: ArrayBufferView[] = [], metadata: Record<string, unknown> = {}): string {
    const header = this.header(msgType);
    const frames = serializeMessage({ identities: [], header, parent_header: {}, metadata, content, buffers }, this.key);
    this.#queue(channel === 'shell' ? this.#shell : this.#control, frames);
    return header.msg_id;
  }

  /** Sends raw frames on the shell socket (for malformed-message tests). */
  sendRaw(frames: Buffer[]): void {
    this.#queue(this.#shell, frames);
  }

  // zeromq allows one pending send per socket (a Dealer blocks until its peer connects): chain them.
  #chains = new Map<zmq.Dealer, Promise<void>>();
  #queue(sock: zmq.Dealer, frames: Buffer[]): void {
    const prev = this.#chains.get(sock) ?? Promise.resolve();
    this.#chains.set(sock, prev.then(() => sock.send(frames)).catch(() => undefined));
  }

  #replies = new Map<string, JupyterMessage>();
  async #pumpReplies(sock: zmq.Dealer): Promise<void> {
    try {
      for await (const frames of sock) {
        const m = parseFrames(frames as Buffer[], this.key);
        this.#replies.set((m.parent_header as JupyterHeader).msg_id, m);
        for (const w of this.#waiters.splice(0)) w();
      }
    } catch {
      // socket closed
    }
  }

  async reply(_sock: zmq.Dealer, msgId: string, timeoutMs: number): Promise<JupyterMessage> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const got = this.#replies.get(msgId);
      if (got) {
        this.#replies.delete(msgId);
        return got;
      }
      if (Date.now() > deadline) throw new Error(`no reply to ${msgId} within ${timeoutMs} ms; stderr:\n${this.stderr}`);
      await new Promise<void>((r) => {
        this.#waiters.push(r);
        setTimeout(r, 100);
      });
    }
  }

  shellReply(msgId: string, timeoutMs = 30_000): Promise<JupyterMessage> {
    return this.reply(this.#shell, msgId, timeoutMs);
  }

  controlReply(msgId: string, timeoutMs = 30_000): Promise<JupyterMessage> {
    return this.reply(this.#control, msgId, timeoutMs);
  }

  /** Iopub messages parented to `msgId`, once its idle status arrived. */
  async iopubFor(msgId: string, timeoutMs = 30_000): Promise<JupyterMessage[]> {
    const deadline = Date.now() + timeoutMs;
    const of = () => this.iopubLog.filter((m) => (m.parent_header as JupyterHeader).msg_id === msgId);
    while (!of().some((m) => m.header.msg_type === 'status' && m.content.execution_state === 'idle')) {
      if (Date.now() > deadline) throw new Error(`no idle for ${msgId} within ${timeoutMs} ms; stderr:\n${this.stderr}`);
      await new Promise<void>((r) => {
        this.#waiters.push(r);
        setTimeout(r, 200);
      });
    }
    return of();
  }

  /** Runs code; returns the execute_reply and the iopub messages of that request. */
  async execute(code: string, timeoutMs = 60_000): Promise<{ msgId: string; reply: JupyterMessage; iopub: JupyterMessage[]; stdout: string; stderr: string }> {
    const msgId = this.send('shell', 'execute_request', { code, silent: false, store_history: true, user_expressions: {}, allow_stdin: false, stop_on_error: true });
    const reply = await this.shellReply(msgId, timeoutMs);
    const iopub = await this.iopubFor(msgId, timeoutMs);
    const text = (name: string) => iopub.filter((m) => m.header.msg_type === 'stream' && m.content.name === name).map((m) => String(m.content.text)).join('');
    return { msgId, reply, iopub, stdout: text('stdout'), stderr: text('stderr') };
  }

  async stop(): Promise<void> {
    try {
      if (this.#proc && this.#proc.exitCode === null) {
        const id = this.send('control', 'shutdown_request', { restart: false });
        await this.controlReply(id, 3000).catch(() => undefined);
      }
    } finally {
      this.#proc?.kill('SIGKILL');
      clearTimeout(this.#killTimer);
      for (const s of [this.#shell, this.#control, this.#iopub]) s.close();
      rmSync(this.#dir, { recursive: true, force: true });
    }
  }
}
