/**
 * Kernel-side Jupyter comms: open/msg/close in both directions, comm_info, and the parent header
 * rule (comm and display messages are parented to the running execute_request, or to the comm
 * message being handled, so nbclient records them and the front end's throttle sees its idle).
 *
 * One CommManager lives in the kernel process; code loaded by cells (a second copy of this module)
 * reaches it through `getCommManager()` (a `Symbol.for` global), never through module identity.
 */
import { randomUUID } from 'node:crypto';
import type { JupyterHeader, JupyterMessage } from './wire.js';

/** What the manager needs from the kernel: publish on iopub and log outside cell outputs. */
export interface CommTransport {
  publish(msgType: string, content: Record<string, unknown>, parent: JupyterHeader | Record<string, never>, metadata?: Record<string, unknown>, buffers?: readonly (ArrayBufferView | ArrayBuffer)[]): void;
  log(message: string): void;
}

export type CommMsgHandler = (data: Record<string, unknown>, buffers: Buffer[], msg: JupyterMessage) => void;
export type CommTargetHandler = (comm: Comm, msg: JupyterMessage) => void;

/** One end of a comm channel, kernel side. */
export class Comm {
  #closed = false;
  #onMsg: CommMsgHandler[] = [];
  #onClose: CommMsgHandler[] = [];
  constructor(readonly id: string, readonly targetName: string, private readonly manager: CommManager) {}

  get closed(): boolean {
    return this.#closed;
  }

  /** Sends `comm_msg` with `data` and raw buffers. Ignored once the comm is closed. */
  send(data: Record<string, unknown>, buffers: readonly (ArrayBufferView | ArrayBuffer)[] = [], metadata: Record<string, unknown> = {}): void {
    if (this.#closed) return;
    this.manager.publish('comm_msg', { comm_id: this.id, data }, metadata, buffers);
  }

  /** Closes from the kernel side and tells the front end. */
  close(data: Record<string, unknown> = {}): void {
    if (this.#closed) return;
    this.manager.publish('comm_close', { comm_id: this.id, data });
    this.#finish();
  }

  onMsg(handler: CommMsgHandler): void {
    this.#onMsg.push(handler);
  }

  onClose(handler: CommMsgHandler): void {
    this.#onClose.push(handler);
  }

  /** Called by the manager for a front-end comm_msg. */
  dispatchMsg(msg: JupyterMessage): void {
    const data = (msg.content.data ?? {}) as Record<string, unknown>;
    for (const h of this.#onMsg) h(data, msg.buffers, msg);
  }

  /** Called by the manager for a front-end comm_close. */
  dispatchClose(msg: JupyterMessage): void {
    const data = (msg.content.data ?? {}) as Record<string, unknown>;
    for (const h of this.#onClose) h(data, msg.buffers, msg);
    this.#finish();
  }

  #finish(): void {
    this.#closed = true;
    this.manager.forget(this.id);
  }
}

/** A widget the control comm can report (`update_states`). */
export interface LiveModel {
  readonly modelId: string;
  fullState(): { modelName: string; modelModule: string; modelModuleVersion: string; state: Record<string, unknown>; bufferPaths: (string | number)[][]; buffers: ArrayBufferView[] };
}

export class CommManager {
  readonly comms = new Map<string, Comm>();
  readonly targets = new Map<string, CommTargetHandler>();
  /** Widgets alive in this kernel, by model id (shared by every copy of the widget module). */
  readonly liveModels = new Map<string, LiveModel>();
  /** True once a front end showed it speaks comms (comm_info_request, comm_open or comm_msg from it). */
  frontEndSeen = false;
  #executeParent: JupyterHeader | undefined;
  #overrides: JupyterHeader[] = [];

  constructor(private readonly transport: CommTransport) {}

  /** The header outgoing comm/display messages are parented to. */
  currentParent(): JupyterHeader | Record<string, never> {
    return this.#overrides[this.#overrides.length - 1] ?? this.#executeParent ?? {};
  }

  /** The server calls this when a cell starts running (Run All: the one that runs, not the last queued). */
  setExecuteParent(header: JupyterHeader): void {
    this.#executeParent = header;
  }

  /** Runs `fn` with outgoing messages parented to `header` (a comm message being handled). */
  withParent<T>(header: JupyterHeader, fn: () => T): T {
    this.#overrides.push(header);
    try {
      return fn();
    } finally {
      this.#overrides.pop();
    }
  }

  publish(msgType: string, content: Record<string, unknown>, metadata: Record<string, unknown> = {}, buffers: readonly (ArrayBufferView | ArrayBuffer)[] = []): void {
    this.transport.publish(msgType, content, this.currentParent(), metadata, buffers);
  }

  log(message: string): void {
    this.transport.log(message);
  }

  /** Opens a comm from the kernel side (`comm_open` on iopub). */
  open(targetName: string, data: Record<string, unknown>, metadata: Record<string, unknown> = {}, buffers: readonly (ArrayBufferView | ArrayBuffer)[] = [], commId: string = randomUUID().replace(/-/g, '')): Comm {
    const comm = new Comm(commId, targetName, this);
    this.comms.set(commId, comm);
    this.publish('comm_open', { comm_id: commId, target_name: targetName, data }, metadata, buffers);
    return comm;
  }

  registerTarget(name: string, handler: CommTargetHandler): void {
    this.targets.set(name, handler);
  }

  forget(commId: string): void {
    this.comms.delete(commId);
  }

  /** Publishes `display_data` (or `update_display_data` when `update`) parented to the running cell. */
  display(data: Record<string, unknown>, metadata: Record<string, unknown> = {}, transient: Record<string, unknown> = {}, update = false): void {
    this.publish(update ? 'update_display_data' : 'display_data', { data, metadata, transient });
  }

  /** `comm_info_reply` content for an optional target filter. */
  commInfo(targetName?: string): Record<string, unknown> {
    this.frontEndSeen = true;
    const comms: Record<string, { target_name: string }> = {};
    for (const [id, c] of this.comms) if (!targetName || c.targetName === targetName) comms[id] = { target_name: c.targetName };
    return { status: 'ok', comms };
  }

  /** Front end opened a comm: run its target, or close it at once when the target is unknown. */
  handleOpen(msg: JupyterMessage): void {
    this.frontEndSeen = true;
    const commId = String(msg.content.comm_id ?? '');
    const target = String(msg.content.target_name ?? '');
    const handler = this.targets.get(target);
    this.withParent(msg.header, () => {
      if (!commId) return this.log(`comm_open without comm_id (target "${target}") ignored`);
      const comm = new Comm(commId, target, this);
      this.comms.set(commId, comm);
      if (!handler) {
        this.log(`comm_open for unknown target "${target}": closing comm ${commId}`);
        comm.close();
        return;
      }
      try {
        handler(comm, msg);
      } catch (e) {
        this.log(`comm target "${target}" failed: ${(e as Error).stack ?? e}`);
      }
    });
  }

  handleMsg(msg: JupyterMessage): void {
    this.frontEndSeen = true;
    const commId = String(msg.content.comm_id ?? '');
    const comm = this.comms.get(commId);
    if (!comm) return this.log(`comm_msg for unknown comm id "${commId}" ignored`);
    this.withParent(msg.header, () => {
      try {
        comm.dispatchMsg(msg);
      } catch (e) {
        this.log(`comm ${commId} message handler failed: ${(e as Error).stack ?? e}`);
      }
    });
  }

  handleClose(msg: JupyterMessage): void {
    const commId = String(msg.content.comm_id ?? '');
    const comm = this.comms.get(commId);
    if (!comm) return this.log(`comm_close for unknown comm id "${commId}" ignored`);
    this.withParent(msg.header, () => {
      try {
        comm.dispatchClose(msg);
      } catch (e) {
        this.log(`comm ${commId} close handler failed: ${(e as Error).stack ?? e}`);
      }
    });
  }
}

const MANAGER_KEY = Symbol.for('cryoread.kernel-ext.comm-manager');

/** The kernel's comm manager, or undefined when not running inside the cryoread kernel. */
export function getCommManager(): CommManager | undefined {
  return (globalThis as Record<symbol, unknown>)[MANAGER_KEY] as CommManager | undefined;
}

/** Installs `manager` as the process-wide one (the launcher does this once). */
export function setCommManager(manager: CommManager | undefined): void {
  (globalThis as Record<symbol, unknown>)[MANAGER_KEY] = manager;
}
