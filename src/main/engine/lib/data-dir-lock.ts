import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { z } from 'zod';
import { processAlive } from './process-alive.ts';

/**
 * Who runs on a data folder: the desktop app and `till serve` write `running.json` while their
 * loops run, so commands that must not share the folder with them (till restore) can refuse.
 * One-shot CLI commands do not write it: they may run beside the app.
 */
const RunningSchema = z.object({ pid: z.number().int(), host: z.string(), startedAt: z.string(), kind: z.string() });
export type RunningTill = z.infer<typeof RunningSchema>;

const markerPath = (dataDir: string): string => join(dataDir, 'running.json');

function readMarker(dataDir: string): RunningTill | null {
  try {
    const parsed = RunningSchema.safeParse(JSON.parse(readFileSync(markerPath(dataDir), 'utf8')));
    return parsed.success ? parsed.data : null;
  } catch {
    return null;
  }
}

/** The Till running on this folder, or null. A marker left by a process that is gone is ignored. */
export function runningTill(dataDir: string): RunningTill | null {
  const marker = readMarker(dataDir);
  if (!marker) return null;
  // On another host (a shared folder) Till cannot look: believe the marker.
  if (marker.host !== hostname()) return marker;
  return marker.pid !== process.pid && processAlive(marker.pid) ? marker : null;
}

/** Marks the folder as in use by this process; the returned function removes the mark if it is still ours. */
export function markRunning(dataDir: string, kind: string, startedAt: string): () => void {
  const mine: RunningTill = { pid: process.pid, host: hostname(), startedAt, kind };
  writeFileSync(markerPath(dataDir), `${JSON.stringify(mine)}\n`);
  return () => {
    const marker = readMarker(dataDir);
    if (marker?.pid === mine.pid && marker.host === mine.host) rmSync(markerPath(dataDir), { force: true });
  };
}
