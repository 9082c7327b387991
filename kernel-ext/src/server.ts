/**
 * WidgetZmqServer: tslab's ZmqServer plus comms, raw buffers, execute_input, and parent headers
 * that follow the running cell. Non-comm requests still go through tslab's own code.
 */
import { writeSync } from 'node:fs';
import { randomUUID } from 'node:crypto';
import type { Router } from 'zeromq';
import { CommManager, type CommTransport } from './comm-manager.js';
import { newHeader, parseFrames, serializeMessage, WireError, type JupyterHeader, type JupyterMessage } from './wire.js';
import { tslabJupyter } from './tslab-internals.js';

type TslabMsg = { header: JupyterHeader; content: Record<string, unknown>; createReply(): TslabMsg & { signAndSend(key: string, sock: unknown): void } };
type WriteDisplayData = ((data: unknown, update: boolean) => void) & { onExecuteStart?: (executionCount: number) => void };

/** Writes to the kernel's own stderr (fd 2), never into a cell's output stream. */
export function kernelLog(message: string): void {
  try {
    writeSync(2, `[cryoread-kernel] ${message}\n`);
  } catch {
    // stderr closed: nothing else to do.
  }
}

/** A view of `sock` whose send() waits for the previous send (zeromq sockets are sealed: no patching). */
function queueSends<T extends object>(sock: T & { send(frames: unknown): Promise<void> }): T {
  let chain: Promise<void> = Promise.resolve();
  const queued = (frames: unknown): Promise<void> => {
    const p = chain.then(() => sock.send(frames));
    chain = p.catch((e: Error) => kernelLog(`send failed: ${e.message}`));
    return p;
  };
  return new Proxy(sock, {
    get(target, prop) {
      if (prop === 'send') return queued;
      const v = Reflect.get(target, prop, target) as unknown;
      return typeof v === 'function' ? v.bind(target) : v;
    },
  });
}

const COMM_TYPES = new Set(['comm_open', 'comm_msg', 'comm_close', 'comm_info_request']);

export class WidgetZmqServer extends tslabJupyter.ZmqServer {
  readonly session = randomUUID();
  readonly comms: CommManager;

  constructor(handler: ConstructorParameters<typeof tslabJupyter.ZmqServer>[0], configPath: string) {
    super(handler, configPath);
    const transport: CommTransport = {
      publish: (msgType, content, parent, metadata, buffers) => this.publishIopub(msgType, content, parent, metadata, buffers),
      log: kernelLog,
    };
    this.comms = new CommManager(transport);
  }

  publishIopub(msgType: string, content: Record<string, unknown>, parent: JupyterHeader | Record<string, never>, metadata: Record<string, unknown> = {}, buffers: readonly (ArrayBufferView | ArrayBuffer)[] = []): void {
    if (!this.iopub) return;
    const frames = serializeMessage({ identities: [], header: newHeader(msgType, this.session), parent_header: parent, metadata, content, buffers }, this.connInfo.key);
    this.iopub.send(frames).catch((e: Error) => kernelLog(`iopub send failed: ${e.message}`));
  }

  #reply(sock: Router, req: JupyterMessage, msgType: string, content: Record<string, unknown>): void {
    const frames = serializeMessage({ identities: req.identities, header: newHeader(msgType, req.header.session ?? this.session), parent_header: req.header, metadata: {}, content }, this.connInfo.key);
    sock.send(frames).catch((e: Error) => kernelLog(`reply send failed: ${e.message}`));
  }

  override async handleShellMessage(sock: Router, ...frames: Buffer[]): Promise<void> {
    let msg: JupyterMessage;
    try {
      msg = parseFrames(frames, this.connInfo.key);
    } catch (e) {
      this.#rejectMalformed(sock, e as Error);
      return;
    }
    if (!COMM_TYPES.has(msg.header.msg_type)) {
      try {
        await super.handleShellMessage(sock, ...frames);
      } catch (e) {
        kernelLog(`${msg.header.msg_type} failed: ${(e as Error).stack ?? e}`);
      }
      return;
    }
    this.publishIopub('status', { execution_state: 'busy' }, msg.header);
    try {
      switch (msg.header.msg_type) {
        case 'comm_info_request':
          this.#reply(sock, msg, 'comm_info_reply', this.comms.commInfo(msg.content.target_name as string | undefined));
          break;
        case 'comm_open':
          this.comms.handleOpen(msg);
          break;
        case 'comm_msg':
          this.comms.handleMsg(msg);
          break;
        case 'comm_close':
          this.comms.handleClose(msg);
          break;
      }
    } catch (e) {
      kernelLog(`${msg.header.msg_type} failed: ${(e as Error).stack ?? e}`);
    } finally {
      this.publishIopub('status', { execution_state: 'idle' }, msg.header);
    }
  }

  /**
   * A message that cannot be read. Bad signatures and missing delimiters are dropped after logging
   * (an unauthenticated message must not get an answer); a readable header with a broken JSON frame
   * gets busy/idle and, for a request, an error reply so the client does not wait forever.
   */
  #rejectMalformed(sock: Router, e: Error): void {
    kernelLog(`malformed message: ${e.message}`);
    if (!(e instanceof WireError) || e.kind !== 'json' || !e.header) return;
    const header = e.header;
    this.publishIopub('status', { execution_state: 'busy' }, header);
    if (header.msg_type.endsWith('_request')) {
      const fake: JupyterMessage = { identities: e.identities, header, parent_header: {}, metadata: {}, content: {}, buffers: [] };
      this.#reply(sock, fake, header.msg_type.replace(/_request$/, '_reply'), { status: 'error', ename: 'InvalidMessage', evalue: e.message, traceback: [] });
    }
    this.publishIopub('status', { execution_state: 'idle' }, header);
  }

  /**
   * zeromq 6 allows one pending send per socket, but tslab and this class both send without waiting
   * (stream output, status, comm messages): every socket's send goes through a queue.
   */
  override async init(): Promise<void> {
    await super.init();
    // tslab reads these properties at every use (sends, close, and the shell loop's dispatch).
    this.iopub = queueSends(this.iopub);
    this.shell = queueSends(this.shell);
    this.control = queueSends(this.control);
  }

  /** tslab's handleExecute, plus: the running cell becomes the comm parent, and execute_input is published. */
  override async handleExecute(sock: unknown, msg: unknown): Promise<void> {
    const m = msg as TslabMsg;
    const key = this.connInfo.key;
    const reply = m.createReply();
    reply.header.msg_type = 'execute_reply';
    const writeStream = (name: string, text: string): void => {
      const r = m.createReply();
      r.header.msg_type = 'stream';
      r.content = { name, text };
      r.signAndSend(key, this.iopub);
    };
    const writeDisplayData: WriteDisplayData = (data, update) => {
      this.publishIopub(update ? 'update_display_data' : 'display_data', data as Record<string, unknown>, m.header);
    };
    writeDisplayData.onExecuteStart = (executionCount) => {
      this.comms.setExecuteParent(m.header);
      this.publishIopub('execute_input', { code: m.content.code ?? '', execution_count: executionCount }, m.header);
    };
    const content = await this.handler.handleExecute(m.content as never, writeStream, writeDisplayData as never);
    reply.content = content as unknown as Record<string, unknown>;
    reply.signAndSend(key, sock);
  }
}
