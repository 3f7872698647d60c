// Draws Till's tray icon from the logo's geometry (src/renderer/src/app/Logo.tsx: a rounded
// square in the accent colour with a white T) into resources/tray.png (16 px, the Windows tray
// size) and resources/tray@2x.png (32 px: Electron picks it on high-density screens, and the
// Linux tray gets it directly, as its hosts draw 22-24 px icons). Run it again after changing the
// logo:  node scripts/tray-icon.ts
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { deflateSync } from 'node:zlib';

const ACCENT = [0x2a, 0x55, 0xc9] as const;
const WHITE = [0xff, 0xff, 0xff] as const;
const SUBSAMPLES = 4;

/** The logo in its 32-unit viewBox: 0 outside, 1 the square, 2 the T. */
function logoAt(x: number, y: number): 0 | 1 | 2 {
  const capsule = (ax: number, ay: number, bx: number, by: number, radius: number): boolean => {
    const t = Math.max(0, Math.min(1, ((x - ax) * (bx - ax) + (y - ay) * (by - ay)) / ((bx - ax) ** 2 + (by - ay) ** 2)));
    return Math.hypot(x - (ax + t * (bx - ax)), y - (ay + t * (by - ay))) <= radius;
  };
  if (capsule(10, 11, 22, 11, 1.5) || capsule(16, 11, 16, 23, 1.5)) return 2;
  // rect x=1 y=1 width=30 height=30 rx=9
  const dx = Math.max(Math.abs(x - 16) - (15 - 9), 0);
  const dy = Math.max(Math.abs(y - 16) - (15 - 9), 0);
  return Math.hypot(dx, dy) <= 9 ? 1 : 0;
}

function rgba(size: number): Buffer {
  const pixels = Buffer.alloc(size * size * 4);
  const scale = 32 / size;
  for (let py = 0; py < size; py++) {
    for (let px = 0; px < size; px++) {
      let covered = 0;
      const sum = [0, 0, 0];
      for (let sy = 0; sy < SUBSAMPLES; sy++) {
        for (let sx = 0; sx < SUBSAMPLES; sx++) {
          const part = logoAt((px + (sx + 0.5) / SUBSAMPLES) * scale, (py + (sy + 0.5) / SUBSAMPLES) * scale);
          if (part === 0) continue;
          covered++;
          const colour = part === 2 ? WHITE : ACCENT;
          for (let c = 0; c < 3; c++) sum[c]! += colour[c]!;
        }
      }
      const offset = (py * size + px) * 4;
      for (let c = 0; c < 3; c++) pixels[offset + c] = covered ? Math.round(sum[c]! / covered) : 0;
      pixels[offset + 3] = Math.round((covered / SUBSAMPLES ** 2) * 255);
    }
  }
  return pixels;
}

const CRC_TABLE = Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});
function crc32(data: Buffer): number {
  let crc = 0xffffffff;
  for (const byte of data) crc = CRC_TABLE[(crc ^ byte) & 0xff]! ^ (crc >>> 8);
  return (crc ^ 0xffffffff) >>> 0;
}

function chunk(type: string, data: Buffer): Buffer {
  const length = Buffer.alloc(4);
  length.writeUInt32BE(data.length);
  const body = Buffer.concat([Buffer.from(type, 'ascii'), data]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(body));
  return Buffer.concat([length, body, crc]);
}

/** A PNG (RFC 2083): 8-bit RGBA, no interlace, filter type 0 on every row. */
function png(size: number): Buffer {
  const pixels = rgba(size);
  const rows = Buffer.alloc(size * (size * 4 + 1));
  for (let y = 0; y < size; y++) pixels.copy(rows, y * (size * 4 + 1) + 1, y * size * 4, (y + 1) * size * 4);
  const header = Buffer.alloc(13);
  header.writeUInt32BE(size, 0);
  header.writeUInt32BE(size, 4);
  header.set([8, 6, 0, 0, 0], 8);
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', header),
    chunk('IDAT', deflateSync(rows, { level: 9 })),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}

const resources = join(import.meta.dirname, '..', 'resources');
writeFileSync(join(resources, 'tray.png'), png(16));
writeFileSync(join(resources, 'tray@2x.png'), png(32));
console.log('wrote resources/tray.png and resources/tray@2x.png');
