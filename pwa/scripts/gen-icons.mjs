#!/usr/bin/env node
// Draws the app icons (PNG) with nothing but Node: a teal tile with a white "6"-like mark,
// supersampled for smooth edges, encoded with zlib. Writes public/icons/*.png; the committed
// files are the output, rerun after changing the drawing.
import { mkdirSync, writeFileSync } from "node:fs";
import { dirname, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { deflateSync } from "node:zlib";

const out = resolve(dirname(fileURLToPath(import.meta.url)), "../public/icons");
const TEAL = [15, 118, 110];
const WHITE = [255, 255, 255];

const CRC_TABLE = Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k += 1) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});
const crc32 = (buf) => {
  let c = 0xffffffff;
  for (const b of buf) c = CRC_TABLE[(c ^ b) & 0xff] ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
};
function chunk(type, data) {
  const len = Buffer.alloc(4);
  len.writeUInt32BE(data.length);
  const body = Buffer.concat([Buffer.from(type, "ascii"), data]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(body));
  return Buffer.concat([len, body, crc]);
}
function png(size, rgba) {
  const header = Buffer.alloc(13);
  header.writeUInt32BE(size, 0);
  header.writeUInt32BE(size, 4);
  header[8] = 8; // bit depth
  header[9] = 6; // RGBA
  const raw = Buffer.alloc(size * (size * 4 + 1));
  for (let y = 0; y < size; y += 1) {
    raw[y * (size * 4 + 1)] = 0; // filter: none
    rgba.copy(raw, y * (size * 4 + 1) + 1, y * size * 4, (y + 1) * size * 4);
  }
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk("IHDR", header),
    chunk("IDAT", deflateSync(raw, { level: 9 })),
    chunk("IEND", Buffer.alloc(0)),
  ]);
}

/** Coverage of the shape at unit coordinates (0..1): tile, and the white mark on it. */
function sample(x, y, { rounded, inset }) {
  const r = rounded ? 0.2 : 0;
  const inTile =
    x >= 0 &&
    x <= 1 &&
    y >= 0 &&
    y <= 1 &&
    (r === 0 || Math.hypot(Math.max(r - x, x - (1 - r), 0), Math.max(r - y, y - (1 - r), 0)) <= r);
  if (!inTile) return null;
  // The mark: a ring (the bowl of a 6) and a rising stroke, scaled into the safe area.
  const u = (x - 0.5) / inset + 0.5;
  const v = (y - 0.5) / inset + 0.5;
  const ring = Math.abs(Math.hypot(u - 0.5, v - 0.62) - 0.2) < 0.07;
  const t = (u - 0.3) / 0.42; // stroke from the ring's left side up to the top right
  const onStroke = t >= 0 && t <= 1 && Math.abs(v - (0.62 - t * 0.42)) < 0.075 && u <= 0.72;
  return ring || onStroke ? WHITE : TEAL;
}

function draw(size, options) {
  const ss = 4;
  const rgba = Buffer.alloc(size * size * 4);
  for (let py = 0; py < size; py += 1) {
    for (let px = 0; px < size; px += 1) {
      const acc = [0, 0, 0, 0];
      for (let sy = 0; sy < ss; sy += 1) {
        for (let sx = 0; sx < ss; sx += 1) {
          const color = sample((px + (sx + 0.5) / ss) / size, (py + (sy + 0.5) / ss) / size, options);
          if (!color) continue;
          acc[0] += color[0];
          acc[1] += color[1];
          acc[2] += color[2];
          acc[3] += 255;
        }
      }
      const n = ss * ss;
      const covered = acc[3] / 255 || 1;
      const i = (py * size + px) * 4;
      rgba[i] = Math.round(acc[0] / covered);
      rgba[i + 1] = Math.round(acc[1] / covered);
      rgba[i + 2] = Math.round(acc[2] / covered);
      rgba[i + 3] = Math.round(acc[3] / n);
    }
  }
  return png(size, rgba);
}

mkdirSync(out, { recursive: true });
const icons = [
  ["icon-192.png", 192, { rounded: true, inset: 0.9 }],
  ["icon-512.png", 512, { rounded: true, inset: 0.9 }],
  // Maskable: full bleed, the mark inside the 80% safe zone.
  ["maskable-512.png", 512, { rounded: false, inset: 0.7 }],
  ["apple-touch-icon-180.png", 180, { rounded: false, inset: 0.8 }],
  ["favicon-32.png", 32, { rounded: true, inset: 0.95 }],
];
for (const [name, size, options] of icons) {
  writeFileSync(resolve(out, name), draw(size, options));
  console.log(`wrote public/icons/${name}`);
}
