// `npm run eval [-- --only lfw|detection|mask] [--limit N] [--json FILE] [--detect-mode fast|accurate]
// [--embedder ID]`: detection, LFW View 1 and the mask plugin through the real pipeline, printed as tables; whatever
// is absent (eval data, models) is skipped with a message. --embedder: the embedder a face service may choose
// (faceplugin-recognition, the default, or faceapi-recognition): LFW accuracy, its calibration fit and the
// CompreFace identities are that embedder's.
import { existsSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { DETECT_MODES, type DetectMode, type FaceEngine } from '../../shared/engine/types.js';
import {
  runBoxes,
  runCounts,
  runSamples,
  type BoxesReport,
  type CountRow,
  type SamplesReport,
} from './detection.js';
import { runLfw, type LfwReport } from './lfw.js';
import { printMask, runMask } from './mask.js';
import { pct, table } from './table.js';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const evalData = resolve(root, '../shared/data/eval');
const samplesDir = join(root, 'test/fixtures/compreface-samples');
const log = (line: string) => process.stderr.write(`${line}\n`);
const say = (text = '') => process.stdout.write(`${text}\n`);

async function loadEngine(embedder?: string): Promise<FaceEngine | string> {
  if (!existsSync(join(root, 'models/manifest.json')))
    return 'models/manifest.json is missing (run `npm run build`)';
  try {
    const { createServerEngine } = await import('../../server/src/inference/engine.js');
    return await createServerEngine(embedder ? { embedder } : {});
  } catch (e) {
    return `the engine could not start: ${e instanceof Error ? e.message : String(e)} (models missing? run \`npm run build\`)`;
  }
}

/** CompreFace's det_prob_threshold most clients set (an NVR integration's default), evaluated next to Visor's own. */
const CLIENT_THRESHOLD = 0.8;
const thresholdName = (t?: number | 'default') =>
  t === undefined || t === 'default' ? 'the default threshold' : `det_prob_threshold ${t}`;

function printSamples(r: SamplesReport, threshold?: number): void {
  const total = (k: 'noses' | 'found') => r.rows.reduce((s, x) => s + x[k], 0);
  const falseBoxes = r.rows.reduce((s, x) => s + x.falseBoxes.length, 0);
  say(
    `CompreFace sample photos: nose rule at ${thresholdName(threshold)} (test/fixtures/compreface-samples)`,
  );
  say(
    table(
      ['image', 'noses', 'found', 'missed', 'false boxes', 'decode ms', 'detect ms'],
      r.rows.map((x) => [
        x.file,
        x.noses,
        x.found,
        x.missed.map(([a, b]) => `(${a},${b})`).join(' ') || 0,
        x.falseBoxes.map((b) => `[${b.x_min},${b.y_min},${b.x_max},${b.y_max}]`).join(' ') || 0,
        x.decodeMs.toFixed(0),
        x.detectMs.toFixed(0),
      ]),
    ),
  );
  const noFace = r.rows.find((x) => x.noses === 0);
  say(
    `total: ${total('found')}/${total('noses')} noses found, ${falseBoxes} false boxes` +
      (noFace ? `; ${noFace.file} (no face): ${noFace.falseBoxes.length} boxes` : ''),
  );
  if (r.identity) {
    const { minSame: s, maxDifferent: d, separated } = r.identity;
    say(
      `identities A/B/C: lowest same-person similarity ${s.value.toFixed(3)} (${s.a}, ${s.b}), ` +
        `highest different-person ${d.value.toFixed(3)} (${d.a}, ${d.b}): ${separated ? 'separated' : 'NOT separated'}`,
    );
  }
  say();
}

function printCounts(rows: CountRow[], threshold?: number): void {
  say(
    `Face counts on group photos (../shared/data/eval/detection) at ${thresholdName(threshold)}: ` +
      'ok when faces ≤ detected ≤ faces + ambiguous',
  );
  say(
    table(
      ['image', 'faces', 'ambiguous', 'detected', 'ok', 'detect ms'],
      rows.map((r) => [r.file, r.faces, r.ambiguous, r.detected, r.ok ? 'yes' : 'NO', r.detectMs.toFixed(0)]),
    ),
  );
  say(`total: ${rows.filter((r) => r.ok).length}/${rows.length} images within range`);
  say();
}

function printBoxes(r: BoxesReport): void {
  const sum = (f: (x: BoxesReport['rows'][number]) => number) => r.rows.reduce((s, x) => s + f(x), 0);
  say(
    `Box-annotated photos (../shared/data/eval/detection-boxes) at ${thresholdName(r.threshold)}: ` +
      'one-to-one at IoU ≥ 0.3 or face centre in box; hard faces count neither way',
  );
  say(
    table(
      ['image', 'faces', 'found', 'false boxes', 'hard found', 'detect ms'],
      r.rows.map((x) => [
        x.file,
        x.faces,
        x.found,
        x.falseBoxes.length,
        `${x.hardFound}/${x.hard}`,
        x.detectMs.toFixed(0),
      ]),
    ),
  );
  const [faces, found, hard, hardFound] = [
    sum((x) => x.faces),
    sum((x) => x.found),
    sum((x) => x.hard),
    sum((x) => x.hardFound),
  ];
  const falseBoxes = sum((x) => x.falseBoxes.length);
  say(
    `total: ${found}/${faces} faces (recall ${(found / faces).toFixed(3)}), ${falseBoxes} false boxes ` +
      `(${((50 * falseBoxes) / faces).toFixed(2)} per 50 faces), hard faces ${hardFound}/${hard}, ` +
      `detection ${sum((x) => x.detectMs).toFixed(0)} ms`,
  );
  say();
}

function printLfw(r: LfwReport): void {
  say(`LFW View 1, unaligned 150x150 photos through the whole pipeline (${r.embedderId})`);
  say(
    `${r.pairs.devtrain} devtrain + ${r.pairs.devtest} devtest pairs, ${r.images} images in ${r.seconds.toFixed(0)} s; ` +
      `${r.noFace.length} without a detected face (embedded whole), ${r.failed.length} failed`,
  );
  if (r.noFace.length)
    say(`  no face: ${r.noFace.slice(0, 20).join(', ')}${r.noFace.length > 20 ? ', …' : ''}`);
  if (r.failed.length) say(`  failed: ${r.failed.slice(0, 20).join(', ')}`);
  say(
    `calibration fitted on devtrain: c0 = ${r.fit.c0.toFixed(4)}, c1 = ${r.fit.c1.toFixed(3)} (equal-error rate ${pct(r.fit.equalErrorRate)})`,
  );
  say(
    `devtest accuracy: ${pct(r.test.accuracy)} at distance ${r.trainThreshold.distance.toFixed(4)} chosen on devtrain ` +
      `(devtrain ${pct(r.trainThreshold.accuracy)}); ${pct(r.testAtEqualError.accuracy)} at similarity 0.5`,
  );
  const [train, test] = [r.operating.devtrain, r.operating.devtest];
  say(
    table(
      [
        'similarity ≥',
        'distance ≤',
        'FAR devtrain',
        'FRR devtrain',
        'FAR devtest',
        'FRR devtest',
        'FAR shipped',
        'FRR shipped',
      ],
      test.map((p, i) => [
        p.similarity.toFixed(1),
        p.distance.toFixed(4),
        pct(train[i].far),
        pct(train[i].frr),
        pct(p.far),
        pct(p.frr),
        pct(r.shipped[i].far),
        pct(r.shipped[i].frr),
      ]),
    ),
  );
  say(
    '(shipped: devtest with the calibration engine.similarity uses now, shared/engine/calibration.ts CALIBRATIONS)',
  );
  const id = r.embedderId.split('@')[0];
  say(`fitted constants: '${id}': { c0: ${r.fit.c0.toFixed(4)}, c1: ${r.fit.c1.toFixed(3)} }`);
  say();
}

async function main(): Promise<number> {
  const { values } = parseArgs({
    options: {
      only: { type: 'string' },
      limit: { type: 'string' },
      json: { type: 'string' },
      'detect-mode': { type: 'string' },
      embedder: { type: 'string' },
      help: { type: 'boolean' },
    },
  });
  const mode = values['detect-mode'] as DetectMode | undefined;
  if (
    values.help ||
    (values.only && !['lfw', 'detection', 'mask'].includes(values.only)) ||
    (mode && !DETECT_MODES.includes(mode))
  ) {
    log(
      'usage: npm run eval -- [--only lfw|detection|mask] [--limit N (pairs per LFW set)] [--json FILE] ' +
        '[--detect-mode fast|accurate] [--embedder faceplugin-recognition|faceapi-recognition]',
    );
    return values.help ? 0 : 2;
  }
  const limit = values.limit ? Number(values.limit) : 0;
  if (!Number.isInteger(limit) || limit < 0) {
    log(`--limit must be a whole number of pairs, got ${values.limit}`);
    return 2;
  }
  const loaded = await loadEngine(values.embedder);
  if (typeof loaded === 'string') {
    say(`eval skipped: ${loaded}`);
    return 0;
  }
  // --detect-mode: every analysis of the run with that detection plan (default: the engine's, accurate)
  const engine: FaceEngine = mode
    ? { ...loaded, analyze: (image, opts) => loaded.analyze(image, { ...opts, detectMode: mode }) }
    : loaded;
  if (mode) say(`detect_mode=${mode}\n`);
  say(`embedder: ${engine.embedderId} (${engine.embeddingSize}-d)\n`);
  const report: Record<string, unknown> = { embedderId: engine.embedderId, date: new Date().toISOString() };
  const missing = (what: string) =>
    say(`${what} skipped: ${evalData} not found (the evaluation photos live outside the repository)\n`);
  try {
    const want = (section: string) => !values.only || values.only === section;
    if (want('detection')) {
      log('detection: CompreFace samples');
      printSamples((report.samples = await runSamples(samplesDir, engine, log)));
      printSamples(
        (report.samplesAt08 = await runSamples(samplesDir, engine, log, CLIENT_THRESHOLD)),
        CLIENT_THRESHOLD,
      );
      const countsDir = join(evalData, 'detection');
      if (existsSync(join(countsDir, 'annotations.json'))) {
        log('detection: group photos');
        printCounts((report.counts = await runCounts(countsDir, engine, log)));
        printCounts(
          (report.countsAt08 = await runCounts(countsDir, engine, log, CLIENT_THRESHOLD)),
          CLIENT_THRESHOLD,
        );
      } else missing('face counts');
      const boxesDir = join(evalData, 'detection-boxes');
      if (existsSync(join(boxesDir, 'annotations.json'))) {
        log('detection: box-annotated photos');
        const boxes = await runBoxes(boxesDir, engine, ['default', CLIENT_THRESHOLD], log);
        boxes.forEach(printBoxes);
        report.boxes = boxes;
      } else missing('box-annotated detection');
    }
    if (want('lfw')) {
      const lfwDir = join(evalData, 'lfw-view1');
      if (existsSync(join(lfwDir, 'pairs.json'))) {
        log(`lfw: ${limit ? `${limit} pairs per set` : 'all pairs'}`);
        printLfw((report.lfw = await runLfw({ dir: lfwDir, engine, limit, log })));
      } else missing('LFW View 1');
    }
    if (want('mask')) {
      const maskDir = join(evalData, 'mask');
      if (existsSync(join(maskDir, 'labels.json')))
        say(printMask((report.mask = await runMask(maskDir, engine, log))));
      else missing('mask photos');
    }
  } finally {
    await engine.dispose();
  }
  if (values.json) {
    await writeFile(values.json, JSON.stringify(report, null, 1));
    log(`report written to ${values.json}`);
  }
  return 0;
}

main().then(
  (code) => process.exit(code),
  (e: unknown) => {
    log(`eval failed: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}`);
    process.exit(1);
  },
);
