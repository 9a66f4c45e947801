// Bring your own ONNX: the models folder (MODELS_DIR) holds one folder per pack (e.g. InsightFace's buffalo_l/).
// At start each detector and embedder in it is checked (input shape, a test run, output sizes) and, when valid,
// joins the built-in catalog under the id `<pack>.<file stem>`, served to the browser as /models/pack.<pack>.<file>.
// A bad file is logged and listed as invalid with the file and what is wrong; it never stops the built-in models.
import { createHash } from 'node:crypto';
import { readdir, readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { inputDims, type ModelCatalog, type ModelInfo } from '../../../shared/engine/manifest.js';
import {
  arcfaceEntry,
  describedEntry,
  PackError,
  packFileKind,
  scrfdEntry,
  withEmbedderOutput,
  withInput,
  withScrfdOutputs,
} from '../../../shared/engine/packs.js';
import { detectorProfile, embedderProfile, inputProfile } from '../../../shared/engine/profiles.js';
import { probeOnnx, readManifest } from './ort.js';

/** What became of one file of the models folder. */
export interface PackFileReport {
  pack: string;
  file: string;
  status: 'valid' | 'invalid' | 'ignored';
  /** The model id it is offered under (valid files). */
  id?: string;
  task?: string;
  /** Why it is invalid or ignored. */
  reason?: string;
}

/** The built-in catalog plus the valid packs, where their files are, and what became of every pack file. */
export interface ModelSet {
  catalog: ModelCatalog;
  /** Absolute path of each pack model by its served name (ModelInfo.file). */
  files: Record<string, string>;
  packs: PackFileReport[];
}

export type PackLog = (message: string, fields: Record<string, unknown>) => void;

const firstLine = (e: unknown) =>
  String((e as Error)?.message ?? e)
    .split('\n')[0]
    .slice(0, 300);

/** onnxruntime's message with the file's folder left out (the reasons are served at /models/packs.json). */
const ortReason = (e: unknown, path: string, file: string) => firstLine(e).replaceAll(path, file);

/** Opens, checks and test-runs one pack model; returns its finished manifest entry or throws PackError. */
async function checkModel(path: string, file: string, draft: ModelInfo): Promise<ModelInfo> {
  const bytes = await readFile(path);
  let probe;
  try {
    probe = await probeOnnx(path);
  } catch (e) {
    throw new PackError(file, `not an ONNX model onnxruntime can open (${ortReason(e, path, file)})`);
  }
  try {
    let entry = withInput(draft, file, probe.inputs);
    const spec = inputProfile(entry);
    const dims = inputDims(spec);
    let out;
    try {
      out = await probe.session.run({
        [entry.input.name]: { data: new Float32Array(dims.reduce((a, b) => a * b, 1)), dims },
      });
    } catch (e) {
      throw new PackError(
        file,
        `test run on a [${dims.join(', ')}] input failed (${ortReason(e, path, file)})`,
      );
    }
    const outputs = Object.entries(out).map(([name, t]) => ({ name, dims: t.dims, data: t.data }));
    if (entry.task === 'embedder') {
      entry = withEmbedderOutput(entry, file, outputs);
      embedderProfile(entry.id!, entry);
    } else {
      entry = withScrfdOutputs(entry, file, outputs);
      detectorProfile(entry.id!, entry);
    }
    return { ...entry, sha256: createHash('sha256').update(bytes).digest('hex') };
  } finally {
    await probe.release();
  }
}

async function readJson(path: string, file: string): Promise<unknown> {
  try {
    return JSON.parse(await readFile(path, 'utf8'));
  } catch (e) {
    throw new PackError(file, `not valid JSON (${firstLine(e)})`);
  }
}

/** Every pack model of `dir` checked, in folder and file order. */
export async function loadPacks(
  dir: string,
  log: PackLog = () => {},
): Promise<Omit<ModelSet, 'catalog'> & { models: Record<string, ModelInfo> }> {
  const packs: PackFileReport[] = [];
  const models: Record<string, ModelInfo> = {};
  const files: Record<string, string> = {};
  let entries: string[];
  try {
    entries = (await readdir(dir)).sort();
  } catch (e) {
    log('models folder unreadable', { dir, error: firstLine(e) });
    return { packs, models, files };
  }
  for (const pack of entries) {
    const packDir = join(dir, pack);
    if (!(await stat(packDir)).isDirectory()) {
      if (pack.toLowerCase().endsWith('.onnx'))
        packs.push({
          pack: '',
          file: pack,
          status: 'invalid',
          reason: 'put it in a folder of its own (its pack)',
        });
      continue;
    }
    const names = (await readdir(packDir)).sort();
    for (const file of names.filter((n) => n.toLowerCase().endsWith('.onnx'))) {
      const jsonName = file.replace(/\.onnx$/i, '.json');
      const kind = packFileKind(file, names.includes(jsonName));
      if (kind === 'ignored') {
        const reason = `not a detector or embedder Visor recognises by name; describe it in ${jsonName}`;
        packs.push({ pack, file, status: 'ignored', reason });
        continue;
      }
      try {
        const draft =
          kind === 'scrfd'
            ? scrfdEntry(pack, file)
            : kind === 'arcface'
              ? arcfaceEntry(pack, file)
              : describedEntry(pack, file, await readJson(join(packDir, jsonName), jsonName));
        if (models[draft.id!])
          throw new PackError(file, `model id ${draft.id} is taken by another pack file`);
        const entry = await checkModel(join(packDir, file), file, draft);
        models[entry.id!] = entry;
        files[entry.file] = join(packDir, file);
        packs.push({ pack, file, status: 'valid', id: entry.id, task: entry.task });
      } catch (e) {
        const reason = e instanceof PackError ? e.message : `${file}: ${firstLine(e)}`;
        log('model pack file skipped', { pack, reason });
        packs.push({ pack, file, status: 'invalid', reason });
      }
    }
  }
  return { packs, models, files };
}

/** The built-in manifest of `builtInDir` plus the valid packs of `packsDir` (none when it is unset). */
export async function loadModelSet(builtInDir: string, packsDir?: string, log?: PackLog): Promise<ModelSet> {
  const builtIn = await readManifest(builtInDir);
  if (!packsDir) return { catalog: builtIn, files: {}, packs: [] };
  const { packs, models, files } = await loadPacks(packsDir, log);
  return { catalog: { ...builtIn, models: { ...builtIn.models, ...models } }, files, packs };
}
