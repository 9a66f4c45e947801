// Generates the PWA icons in web/public/icons from one SVG drawing (a face in a viewfinder).
// Run: node web/scripts/icons.mjs  (the PNGs are committed; rerun only when the drawing changes).
import { mkdir, writeFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import sharp from 'sharp';

const out = fileURLToPath(new URL('../public/icons/', import.meta.url));

/**
 * The drawing on a 512 grid; `pad` shrinks it into the maskable safe zone (inner 80%).
 * @param {number} pad
 * @param {boolean} rounded
 */
function svg(pad, rounded) {
  const s = 512 - 2 * pad;
  const k = s / 512;
  const t = (/** @type {number} */ v) => pad + v * k;
  const corner = rounded ? 96 : 0;
  const bracket = (x, y, dx, dy) => `<path d="M${t(x)} ${t(y + dy * 90)} V${t(y)} H${t(x + dx * 90)}" />`;
  return `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 512 512" width="512" height="512">
  <rect width="512" height="512" rx="${corner}" fill="#1e3a8a"/>
  <g fill="none" stroke="#ffffff" stroke-width="${28 * k}" stroke-linecap="round" stroke-linejoin="round">
    ${bracket(96, 96, 1, 1)}${bracket(416, 96, -1, 1)}${bracket(96, 416, 1, -1)}${bracket(416, 416, -1, -1)}
    <ellipse cx="${t(256)}" cy="${t(250)}" rx="${96 * k}" ry="${120 * k}" />
    <path d="M${t(214)} ${t(300)} Q${t(256)} ${t(330)} ${t(298)} ${t(300)}" />
  </g>
  <g fill="#ffffff"><circle cx="${t(220)}" cy="${t(228)}" r="${14 * k}"/><circle cx="${t(292)}" cy="${t(228)}" r="${14 * k}"/></g>
</svg>`;
}

await mkdir(out, { recursive: true });
const plain = Buffer.from(svg(0, true));
const maskable = Buffer.from(svg(64, false));
await writeFile(`${out}favicon.svg`, plain);
for (const [name, size, src] of [
  ['icon-192.png', 192, plain],
  ['icon-512.png', 512, plain],
  ['maskable-512.png', 512, maskable],
  ['apple-touch-icon.png', 180, maskable],
]) {
  await sharp(src, { density: 72 * (size / 512) * 2 })
    .resize(size, size)
    .png({ compressionLevel: 9 })
    .toFile(`${out}${name}`);
}
console.log(`icons written to ${out}`);
