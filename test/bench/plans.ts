// Section `plans`: detection time of the accurate plan (image pyramid, the default) next to the fast plan (the plan
// before issue 14: whole image plus one tile level on big photos; detect_mode=fast) on the three photos.
import { readFile } from 'node:fs/promises';
import { loadConfig } from '../../server/src/config.js';
import { decodeImage } from '../../server/src/image/decode.js';
import { createServerEngine } from '../../server/src/inference/engine.js';
import { DETECT_MODES } from '../../shared/engine/types.js';
import { PHOTOS, photoPath } from './setup.js';
import { median, repeat, type Sampling } from './stats.js';
import { printTable, times, type Cell } from './table.js';

export async function runPlans(s: Sampling, threads?: number): Promise<void> {
  const engine = await createServerEngine({ intraOpThreads: threads });
  try {
    const rows: Cell[][] = [];
    const ms: Record<string, number[]> = {};
    const faces: Record<string, number[]> = {};
    for (const photo of PHOTOS) {
      // as the server decodes: photos longer than ANALYSIS_MAX_SIDE decode reduced
      const bytes = new Uint8Array(await readFile(photoPath(photo.file)));
      const image = await decodeImage(bytes, { maxSide: loadConfig().analysisMaxSide });
      for (const mode of DETECT_MODES) {
        const runs = await repeat(async () => {
          const r = await engine.analyze(image, { detectMode: mode });
          return {
            ms: (r.execution_time.detector ?? 0) + (r.execution_time.verifier ?? 0),
            faces: r.faces.length,
          };
        }, s);
        (ms[mode] ??= []).push(median(runs.map((r) => r.ms)));
        (faces[mode] ??= []).push(runs[0].faces);
      }
    }
    for (const mode of DETECT_MODES)
      rows.push([`detect + verify, ${mode}`, ...ms[mode]], [`faces, ${mode}`, ...faces[mode].map(String)]);
    rows.push(['accurate / fast', ...ms.accurate.map((a, i) => times(a / ms.fast[i]))]);
    printTable({
      title:
        'Detection plans: ms (median), accurate (default) against fast (detect_mode=fast, the earlier plan)',
      headers: ['plan', ...PHOTOS.map((p) => p.label)],
      rows,
      notes: [
        'detect + verify: the detector over every view of the plan plus the face-mesh check of its candidates',
        `photos decoded as the server decodes them (ANALYSIS_MAX_SIDE ${loadConfig().analysisMaxSide})`,
      ],
    });
  } finally {
    await engine.dispose();
  }
}
