// Writes build/icons/icon.png (512×512) and the smaller Linux sizes: a rounded
// square in the portal's red with a white "page" mark. Pure Node (see png.js), so
// it runs anywhere without image tools: `node build/make-icon.mjs`.
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { encodePng } from './png.js';

const here = dirname(fileURLToPath(import.meta.url));
const outDir = join(here, 'icons');

/** Coverage (0..1) of pixel (x, y) by a rounded rectangle, 4×4 supersampled for smooth edges. */
function roundedRectCoverage(x, y, left, top, right, bottom, radius) {
  let inside = 0;
  for (let sy = 0; sy < 4; sy += 1) {
    for (let sx = 0; sx < 4; sx += 1) {
      const px = x + (sx + 0.5) / 4;
      const py = y + (sy + 0.5) / 4;
      if (px < left || px > right || py < top || py > bottom) continue;
      const cx = Math.min(Math.max(px, left + radius), right - radius);
      const cy = Math.min(Math.max(py, top + radius), bottom - radius);
      if ((px - cx) ** 2 + (py - cy) ** 2 <= radius ** 2) inside += 1;
    }
  }
  return inside / 16;
}

function drawIcon(size) {
  const s = size / 512;
  const red = [0xc8, 0x1e, 0x1e];
  const rows = [];
  for (let y = 0; y < size; y += 1) {
    const row = Buffer.alloc(1 + size * 4);
    for (let x = 0; x < size; x += 1) {
      const background = roundedRectCoverage(x, y, 24 * s, 24 * s, 488 * s, 488 * s, 96 * s);
      // A white sheet with three "lines of text" in red: an article.
      const sheet = roundedRectCoverage(x, y, 140 * s, 104 * s, 372 * s, 408 * s, 18 * s);
      let line = 0;
      for (const [top, right] of [[170, 332], [226, 332], [282, 332], [338, 270]]) {
        line = Math.max(line, roundedRectCoverage(x, y, 180 * s, top * s, right * s, (top + 22) * s, 8 * s));
      }
      const white = sheet * (1 - line);
      const color = red.map((channel) => Math.round(channel * (1 - white) + 255 * white));
      const offset = 1 + x * 4;
      row[offset] = color[0];
      row[offset + 1] = color[1];
      row[offset + 2] = color[2];
      row[offset + 3] = Math.round(255 * background);
    }
    rows.push(row);
  }
  return encodePng({ width: size, height: size, alpha: true, scanlines: Buffer.concat(rows) }, { level: 9 });
}

mkdirSync(outDir, { recursive: true });
writeFileSync(join(outDir, 'icon.png'), drawIcon(512));
for (const size of [16, 32, 48, 64, 128, 256, 512]) {
  writeFileSync(join(outDir, `${size}x${size}.png`), drawIcon(size));
}
console.log(`icons written to ${outDir}`);
