/**
 * Browser side of the live round-trip test: @jupyterlab/services connected to a real Jupyter Server,
 * an html-manager WidgetManager whose comms go through that kernel connection (the pattern of
 * ipywidgets' examples/web3), and our anywidget host for the views. Exposes `window.cryoread`:
 * connect(baseUrl, token), run(code) -> { stdout, stderr, status } (widget outputs are displayed).
 */
import { KernelManager, ServerConnection, type Kernel, type KernelMessage } from '@jupyterlab/services';
import { HTMLManager } from '@jupyter-widgets/html-manager';
import { shims } from '@jupyter-widgets/base';
import * as anywidgetHost from '../../../widgets/src/anywidget-host.js';

class LiveManager extends HTMLManager {
  constructor(private readonly kernel: Kernel.IKernelConnection) {
    super({
      loader: async (name: string, version: string) => {
        if (name === anywidgetHost.ANYWIDGET_MODULE) return anywidgetHost;
        throw new Error(`live page: no module ${name}@${version}`);
      },
    });
    kernel.registerCommTarget('jupyter.widget', async (comm, msg) => {
      await this.handle_comm_open(new shims.services.Comm(comm), msg as KernelMessage.ICommOpenMsg);
    });
  }
  override async _create_comm(target: string, modelId: string, data?: unknown, metadata?: unknown, buffers?: ArrayBuffer[] | ArrayBufferView[]): Promise<unknown> {
    const comm = this.kernel.createComm(target, modelId);
    if (data || metadata) comm.open(data as never, metadata as never, buffers as never);
    return new shims.services.Comm(comm);
  }
  override async _get_comm_info(): Promise<{}> {
    const reply = await this.kernel.requestCommInfo({ target_name: 'jupyter.widget' });
    return reply.content.status === 'ok' ? reply.content.comms : {};
  }
}

let kernel: Kernel.IKernelConnection | null = null;
let manager: LiveManager | null = null;

async function connect(baseUrl: string, token: string): Promise<string> {
  const serverSettings = ServerConnection.makeSettings({ baseUrl, wsUrl: baseUrl.replace(/^http/, 'ws'), token, appendToken: true });
  const km = new KernelManager({ serverSettings });
  kernel = await km.startNew({ name: 'cryoread' });
  manager = new LiveManager(kernel);
  await kernel.info;
  return kernel.id;
}

async function run(code: string): Promise<{ status: string; stdout: string; stderr: string; views: number }> {
  if (!kernel || !manager) throw new Error('not connected');
  const out = { status: '', stdout: '', stderr: '', views: 0 };
  const pending: Promise<void>[] = [];
  const future = kernel.requestExecute({ code });
  future.onIOPub = (msg) => {
    const t = msg.header.msg_type;
    if (t === 'stream') {
      const c = msg.content as { name: string; text: string };
      if (c.name === 'stdout') out.stdout += c.text;
      else out.stderr += c.text;
    }
    if (t === 'display_data') {
      const d = (msg.content as { data: Record<string, unknown> }).data['application/vnd.jupyter.widget-view+json'] as { model_id: string } | undefined;
      if (d) {
        out.views++;
        pending.push((async () => {
          const model = await manager!.get_model(d.model_id);
          const el = document.createElement('div');
          el.className = 'cell-output';
          document.body.appendChild(el);
          await manager!.display_view(manager!.create_view(model), el);
        })());
      }
    }
  };
  const reply = await future.done;
  await Promise.all(pending);
  out.status = (reply.content as { status: string }).status;
  return out;
}

(window as unknown as { cryoread: unknown }).cryoread = { connect, run };
document.documentElement.dataset.liveReady = 'true';
