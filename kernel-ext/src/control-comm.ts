/**
 * `jupyter.widget.control` (widget control protocol 1.0.0): a reloaded front end asks for the state
 * of every live widget at once with `request_states`; the kernel answers `update_states`.
 */
import type { Comm, CommManager } from './comm-manager.js';

export const CONTROL_TARGET = 'jupyter.widget.control';

export function registerControlTarget(manager: CommManager): void {
  manager.registerTarget(CONTROL_TARGET, (comm: Comm) => {
    comm.onMsg((data) => {
      if (data.method !== 'request_states') {
        manager.log(`control comm: unknown method "${String(data.method)}" ignored`);
        return;
      }
      const states: Record<string, unknown> = {};
      const bufferPaths: (string | number)[][] = [];
      const buffers: ArrayBufferView[] = [];
      for (const [id, model] of manager.liveModels) {
        const s = model.fullState();
        states[id] = { model_name: s.modelName, model_module: s.modelModule, model_module_version: s.modelModuleVersion, state: s.state };
        s.bufferPaths.forEach((p, i) => {
          bufferPaths.push([id, ...p]);
          buffers.push(s.buffers[i]);
        });
      }
      comm.send({ method: 'update_states', states, buffer_paths: bufferPaths }, buffers);
    });
  });
}
