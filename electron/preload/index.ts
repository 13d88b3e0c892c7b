import { contextBridge, ipcRenderer } from 'electron';
import { IPC_EVENT_CHANNEL, ipcChannel, methodNames, type MethodName } from '../core/api/contract';

/**
 * Exposes the typed API and nothing else: one function per contract method (each resolves
 * to a Reply, so errors keep their code and details across the bridge) and an event feed.
 */
const bridge: Record<string, unknown> = {};
for (const m of methodNames) {
  const [ns, method] = m.split('.');
  const group = (bridge[ns] ??= {}) as Record<string, unknown>;
  group[method] = (args: unknown) => ipcRenderer.invoke(ipcChannel(m as MethodName), args);
}
bridge.onEvent = (cb: (name: string, payload: unknown) => void) => {
  const listener = (_e: unknown, name: string, payload: unknown) => cb(name, payload);
  ipcRenderer.on(IPC_EVENT_CHANNEL, listener);
  return () => ipcRenderer.removeListener(IPC_EVENT_CHANNEL, listener);
};

contextBridge.exposeInMainWorld('outpost', bridge);
