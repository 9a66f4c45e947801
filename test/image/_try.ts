import fs from 'node:fs';
import { decodeImage } from '../../server/src/image/decode.js';
const dir = 'test/fixtures/image-formats/';
const ref = await decodeImage(fs.readFileSync(dir + 'einstein.png'));
for (const f of fs.readdirSync(dir)) {
  try {
    const t = performance.now();
    const img = await decodeImage(fs.readFileSync(dir + f));
    let s = 0; for (let i = 0; i < img.data.length; i++) s += Math.abs(img.data[i] - (ref.data[i] ?? 0));
    console.log(f, img.width, img.height, img.channels, 'mad', (s / img.data.length).toFixed(2), (performance.now() - t).toFixed(1), 'ms');
  } catch (e) { console.log(f, (e as Error).name, (e as Error).message); }
}
for (let k = 0; k < 3; k++) {
  const b = fs.readFileSync('test/fixtures/compreface-samples/001_A.jpg');
  const t = performance.now(); const img = await decodeImage(b); console.log('001_A', img.width, img.height, (performance.now() - t).toFixed(0), 'ms');
}
