// Section `plans`: detection time of the accurate plan (adaptive image pyramid: sized by confirmed faces, it stops
// once a level confirms no new face; the default) next to the accurate plan before (every candidate sizes the
// pyramid, every level runs) and the fast plan (whole image plus one tile level on big photos; detect_mode=fast) on the three photos.
// The plans run interleaved (one run of each per repetition), so a loaded machine slows all of them alike; the
// detector and face-mesh runs per photo are counted too, which load does not change.
import { readFile } from 'node:fs/promises';
import { loadConfig } from '../../server/src/config.js';
import { decodeImage } from '../../server/src/image/decode.js';
import { DEFAULT_MODELS_DIR } from '../../server/src/inference/engine.js';
import { OrtSessionProvider, readManifest } from '../../server/src/inference/ort.js';
import { DEFAULT_PYRAMID_PLAN } from '../../shared/engine/detector.js';
import { createEngine } from '../../shared/engine/engine.js';
import type { ModelSession, SessionProvider } from '../../shared/engine/session.js';
import type { DetectMode, FaceEngine } from '../../shared/engine/types.js';
import { PHOTOS, photoPath } from './setup.js';
import { median, repeat, type Sampling } from './stats.js';
import { printTable, times, type Cell } from './table.js';

interface Plan {
  name: string;
  engine: FaceEngine;
  mode: DetectMode;
}

/** The real sessions, with a count of runs per model. */
class CountingSessions implements SessionProvider {
  readonly runs = new Map<string, number>();
  constructor(private readonly inner: SessionProvider) {}
  async load(id: string): Promise<ModelSession> {
    const s = await this.inner.load(id);
    return {
      inputNames: s.inputNames,
      outputNames: s.outputNames,
      run: (feeds) => (this.runs.set(id, (this.runs.get(id) ?? 0) + 1), s.run(feeds)),
    };
  }
}

export async function runPlans(s: Sampling, threads?: number): Promise<void> {
  const catalog = await readManifest(DEFAULT_MODELS_DIR);
  const ort = new OrtSessionProvider(DEFAULT_MODELS_DIR, catalog, { intraOpThreads: threads });
  const sessions = new CountingSessions(ort);
  const engine = await createEngine({ sessions, catalog });
  const everyLevel = await createEngine({
    sessions,
    catalog,
    detectorSettings: { pyramid: { ...DEFAULT_PYRAMID_PLAN, adaptive: false } },
  });
  const plans: Plan[] = [
    { name: 'fast', engine, mode: 'fast' },
    { name: 'accurate, every level (before)', engine: everyLevel, mode: 'accurate' },
    { name: 'accurate (default)', engine, mode: 'accurate' },
  ];
  try {
    const ms = plans.map((): number[] => []);
    const counts = plans.map((): string[] => []);
    for (const photo of PHOTOS) {
      // as the server decodes: photos longer than ANALYSIS_MAX_SIDE decode reduced
      const bytes = new Uint8Array(await readFile(photoPath(photo.file)));
      const image = await decodeImage(bytes, { maxSide: loadConfig().analysisMaxSide });
      for (const [i, plan] of plans.entries()) {
        sessions.runs.clear();
        const r = await plan.engine.analyze(image, { detectMode: plan.mode });
        const n = (id: string) => sessions.runs.get(id) ?? 0;
        counts[i].push(`${r.faces.length} / ${n('blazeface-back')} / ${n('facemesh')}`);
      }
      const runs = await repeat(async () => {
        const out: number[] = [];
        for (const plan of plans) {
          const t = (await plan.engine.analyze(image, { detectMode: plan.mode })).execution_time;
          out.push((t.detector ?? 0) + (t.verifier ?? 0));
        }
        return out;
      }, s);
      plans.forEach((_, i) => ms[i].push(median(runs.map((r) => r[i]))));
    }
    const rows: Cell[][] = [];
    plans.forEach((plan, i) =>
      rows.push([`detect + verify, ${plan.name}`, ...ms[i]], [`  faces / views / checks`, ...counts[i]]),
    );
    const ratio = (a: number, b: number) => ms[a].map((v, i) => times(v / ms[b][i]));
    rows.push(['accurate / fast', ...ratio(2, 0)], ['accurate / accurate before', ...ratio(2, 1)]);
    printTable({
      title: 'Detection plans: ms (median), the accurate plan (default) against the earlier plans',
      headers: ['plan', ...PHOTOS.map((p) => p.label)],
      rows,
      notes: [
        'detect + verify: the detector over every view of the plan plus the face-mesh check of its candidates',
        'faces / views / checks: faces reported, detector runs (views), face-mesh runs (checks), one analysis',
        'accurate, every level (before): the pyramid sized by every candidate over 0.5, without stopping',
        'the plans run interleaved, one run of each per repetition',
        `photos decoded as the server decodes them (ANALYSIS_MAX_SIDE ${loadConfig().analysisMaxSide})`,
      ],
    });
  } finally {
    await engine.dispose();
    await everyLevel.dispose();
    await ort.dispose();
  }
}
