// The mask plugin on real masked photos (../shared/data/eval/mask: labels.json, SOURCES.md; evaluation only, never
// trained on): each crop analysed as `face_plugins=mask` would, scored on the biggest face.
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { decodeImage } from '../../server/src/image/decode.js';
import head from '../../models/mask/head.json';
import { MASK_LABELS } from '../../shared/engine/plugins/mask.js';
import type { FaceEngine } from '../../shared/engine/types.js';
import { pct, table } from './table.js';

export interface MaskRow {
  file: string;
  label: string;
  /** The plugin's answer on the biggest detected face, or undefined when no face was detected. */
  detected?: { value: string; probability: number };
  /** The answer with detect_faces=false (the whole crop is the face). */
  whole: { value: string; probability: number };
}

export interface MaskReport {
  rows: MaskRow[];
  detected: { faces: number; right: number };
  whole: { right: number };
  /** Rows: truth, columns: answer, in MASK_LABELS order (detected faces). */
  confusion: number[][];
}

export async function runMask(
  dir: string,
  engine: FaceEngine,
  log: (l: string) => void,
): Promise<MaskReport> {
  const labels = JSON.parse(await readFile(join(dir, 'labels.json'), 'utf8')) as Record<string, string>;
  const rows: MaskRow[] = [];
  for (const [file, label] of Object.entries(labels)) {
    log(`mask: ${file}`);
    const image = await decodeImage(new Uint8Array(await readFile(join(dir, file))));
    const [face] = (await engine.analyze(image, { limit: 1, plugins: ['mask'] })).faces;
    const [whole] = (await engine.analyze(image, { detectFaces: false, plugins: ['mask'] })).faces;
    rows.push({ file, label, detected: face?.mask, whole: whole.mask! });
  }
  const found = rows.filter((r) => r.detected);
  const index = (v: string) => MASK_LABELS.indexOf(v as (typeof MASK_LABELS)[number]);
  const confusion = MASK_LABELS.map(() => MASK_LABELS.map(() => 0));
  for (const r of found) confusion[index(r.label)][index(r.detected!.value)]++;
  return {
    rows,
    detected: { faces: found.length, right: found.filter((r) => r.detected!.value === r.label).length },
    whole: { right: rows.filter((r) => r.whole.value === r.label).length },
    confusion,
  };
}

/** The report as text: the synthetic held-back score the head was trained with, then the real photos. */
export function printMask(r: MaskReport): string {
  const held = (head as { report?: { heldBack: { samples: number; people: number; accuracy: number } } })
    .report?.heldBack;
  const n = r.rows.length;
  return [
    'Mask plugin (models/mask/head.json)',
    held
      ? `synthetic masks on held-back LFW people: ${pct(held.accuracy)} of ${held.samples} faces (${held.people} people)`
      : 'synthetic held-back accuracy: not recorded in head.json',
    `real masked photos (../shared/data/eval/mask): ${r.detected.right}/${r.detected.faces} right on detected faces ` +
      `(${r.detected.faces}/${n} detected), ${r.whole.right}/${n} right with detect_faces=false`,
    table(
      ['truth \\ answer', ...MASK_LABELS],
      MASK_LABELS.map((l, i) => [l, ...r.confusion[i]]),
    ),
    table(
      ['file', 'label', 'detected face', 'whole crop'],
      r.rows.map((x) => [
        x.file.replace(/^.*__/, ''),
        x.label,
        x.detected ? `${x.detected.value} ${x.detected.probability.toFixed(2)}` : 'no face',
        `${x.whole.value} ${x.whole.probability.toFixed(2)}`,
      ]),
    ),
    '',
  ].join('\n');
}
