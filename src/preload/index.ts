/**
 * Sandboxed, context-isolated preload. Exposes `window.till` (see bridge.ts) and nothing else:
 * no ipcRenderer, no IPC event objects, no Node. Built as CommonJS (out/preload/index.cjs),
 * because Electron runs sandboxed preloads as plain scripts with a minimal `require`.
 */
import { contextBridge, ipcRenderer } from 'electron';
import { createBridge } from './bridge.ts';

contextBridge.exposeInMainWorld('till', createBridge(ipcRenderer));
