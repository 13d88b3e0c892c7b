import { ipcMain, type WebContents } from 'electron';
import { createDispatcher } from '../core/api/dispatcher';
import { IPC_EVENT_CHANNEL, ipcChannel, methodNames } from '../core/api/contract';
import type { Core } from '../core/create-core';

/**
 * Wires every contract method to an IPC handler; channel names come from the contract.
 * Only frames loaded from the app's own files may call.
 */
export function wireIpc(core: Core, isTrusted: (url: string) => boolean): { attach(wc: WebContents): void } {
  const call = createDispatcher(core.api);
  for (const m of methodNames) {
    ipcMain.handle(ipcChannel(m), async (e, args) => {
      if (!e.senderFrame || !isTrusted(e.senderFrame.url)) {
        return { ok: false, error: { code: 'ipc.untrusted_sender', message: 'Refused a call from an untrusted frame.' } };
      }
      return call(m, args);
    });
  }
  return {
    attach(wc) {
      const off = core.events.on((name, payload) => { if (!wc.isDestroyed()) wc.send(IPC_EVENT_CHANNEL, name, payload); });
      wc.once('destroyed', off);
    },
  };
}
