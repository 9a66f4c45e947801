import fs from 'node:fs';
import sharp from 'sharp';
import { decodeImage } from '../../server/src/image/decode.js';
if (process.argv[2] === 'nocache') sharp.cache(false);
const b = fs.readFileSync('test/fixtures/compreface-samples/001_A.jpg');
console.log(await sharp(b).metadata().then((m) => [m.width, m.height, m.orientation, m.chromaSubsampling, m.isProgressive]));
for (let k = 0; k < 4; k++) {
  const t = performance.now(); const img = await decodeImage(b); console.log('001_A', img.width, img.height, (performance.now() - t).toFixed(0), 'ms', (process.memoryUsage().rss/1e6).toFixed(0),'MB');
}
let t = performance.now(); await sharp(b).raw().toBuffer(); console.log('plain sharp raw', (performance.now() - t).toFixed(0));
t = performance.now(); await sharp(b).resize(1024).raw().toBuffer(); console.log('shrink-on-load to 1024', (performance.now() - t).toFixed(0));
