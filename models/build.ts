// Builds models/*.onnx from the npm packages that ship the weights, and writes models/manifest.json.
// Runs on `npm install` (postinstall) and `npm run build`; cached by the hash of every input file and the converter.
// `--check` rebuilds everything and fails if any file's sha256 differs from the committed manifest.
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { OPSET } from './src/onnx/graph-builder.js';
import { allSpecs } from './src/registry.js';
import type { Manifest, ManifestEntry, ModelSpec } from './src/spec.js';

const here = dirname(fileURLToPath(import.meta.url));
const require = createRequire(import.meta.url);
const cacheDir = join(here, '.cache');
const manifestPath = join(here, 'manifest.json');

function sha256(data: Uint8Array | string): string {
  return createHash('sha256').update(data).digest('hex');
}

function packageRoot(pkg: string): string {
  return dirname(require.resolve(`${pkg}/package.json`));
}

/** Hash of the converter's own sources: a change to any of them rebuilds every model. */
function converterHash(): string {
  const h = createHash('sha256');
  const walk = (dir: string): void => {
    for (const name of readdirSync(dir).sort()) {
      const p = join(dir, name);
      if (statSync(p).isDirectory()) walk(p);
      else if (p.endsWith('.ts') && !p.endsWith('.test.ts'))
        h.update(relative(here, p)).update(readFileSync(p));
    }
  };
  walk(join(here, 'src'));
  return h.digest('hex').slice(0, 16);
}

function inputKey(spec: ModelSpec, converter: string): string {
  const root = packageRoot(spec.source.package);
  const h = createHash('sha256').update(converter).update(spec.id);
  for (const f of spec.source.files) h.update(f).update(readFileSync(join(root, f)));
  return h.digest('hex');
}

function describe(spec: ModelSpec, file: string, bytes: Uint8Array): ManifestEntry {
  const { convert: _convert, ...rest } = spec;
  return { ...rest, file, sha256: sha256(bytes), bytes: bytes.length };
}

async function main(): Promise<void> {
  const check = process.argv.includes('--check');
  const only = process.argv.filter((a) => !a.startsWith('--')).slice(2);
  const committed: Manifest | undefined = existsSync(manifestPath)
    ? JSON.parse(readFileSync(manifestPath, 'utf8'))
    : undefined;
  const converter = converterHash();
  mkdirSync(cacheDir, { recursive: true });
  const manifest: Manifest = { converterVersion: converter, opset: OPSET, models: {} };
  const started = Date.now();
  let built = 0;
  const mismatches: string[] = [];
  for (const spec of allSpecs()) {
    if (only.length && !only.includes(spec.id)) continue;
    const file = `${spec.id}.onnx`;
    const out = join(here, file);
    const keyFile = join(cacheDir, `${spec.id}.key`);
    const key = inputKey(spec, converter);
    let bytes: Uint8Array;
    if (!check && existsSync(out) && existsSync(keyFile) && readFileSync(keyFile, 'utf8') === key) {
      bytes = readFileSync(out);
    } else {
      const t = Date.now();
      try {
        bytes = await spec.convert(packageRoot(spec.source.package));
      } catch (e) {
        throw new Error(`model ${spec.id}: ${(e as Error).message}`, { cause: e });
      }
      writeFileSync(out, bytes);
      writeFileSync(keyFile, key);
      built++;
      process.stdout.write(
        `models: built ${file} (${(bytes.length / 1e6).toFixed(1)} MB) in ${Date.now() - t} ms\n`,
      );
    }
    const entry = describe(spec, file, bytes);
    const previous = committed?.models[spec.id];
    if (previous && previous.sha256 !== entry.sha256)
      mismatches.push(`${spec.id}: ${previous.sha256} -> ${entry.sha256}`);
    manifest.models[spec.id] = entry;
  }
  if (check && mismatches.length) {
    throw new Error(`regenerated models differ from models/manifest.json:\n  ${mismatches.join('\n  ')}`);
  }
  if (!only.length) writeFileSync(manifestPath, JSON.stringify(manifest, null, 2) + '\n');
  const total = Object.values(manifest.models).reduce((n, m) => n + m.bytes, 0);
  process.stdout.write(
    `models: ${Object.keys(manifest.models).length} ready (${built} built) in ${Date.now() - started} ms, ${(total / 1e6).toFixed(0)} MB total\n`,
  );
}

main().catch((e: Error) => {
  process.stderr.write(`models: build failed: ${e.message}\n`);
  process.exit(1);
});
