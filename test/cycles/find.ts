// Finds import cycles: madge builds the TypeScript import graph (type-only imports included), and the imports in
// each .svelte file's <script> blocks, which madge cannot parse, are added here; a depth-first search reports
// each cycle once. Used by `npm run check:cycles` (run.ts) and its own test.
import { existsSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import madge from 'madge';

export type Graph = Record<string, string[]>;

const SCRIPT = /<script\b[^>]*>([\s\S]*?)<\/script>/g;
const IMPORT =
  /\b(?:import|export)\s+(?:type\s+)?(?:[^'";]*?\sfrom\s+)?['"]([^'"]+)['"]|\bimport\(\s*['"]([^'"]+)['"]\s*\)/g;

/** The relative imports in a .svelte file's scripts, as the files they name (relative to `base`). */
export function svelteImports(base: string, file: string): string[] {
  const source = readFileSync(join(base, file), 'utf8');
  const out: string[] = [];
  for (const script of source.matchAll(SCRIPT)) {
    for (const m of script[1].matchAll(IMPORT)) {
      const spec = m[1] ?? m[2];
      if (!spec?.startsWith('.')) continue;
      const target = resolveRelative(base, file, spec);
      if (target) out.push(target);
    }
  }
  return out;
}

/** `./x.js` → x.ts (as the bundler resolves it), x.svelte, x/index.ts; undefined when nothing matches. */
function resolveRelative(base: string, from: string, spec: string): string | undefined {
  const abs = resolve(base, dirname(from), spec);
  const stem = abs.replace(/\.js$/, '');
  for (const candidate of [abs, `${stem}.ts`, `${abs}.ts`, join(abs, 'index.ts')]) {
    if (existsSync(candidate) && statSync(candidate).isFile()) return relative(base, candidate);
  }
  return undefined;
}

/** The import graph of `dirs` (relative to `base`), .svelte files' script imports included. */
export async function importGraph(base: string, dirs: string[], tsConfig?: string): Promise<Graph> {
  const result = await madge(
    dirs.map((d) => join(base, d)),
    { baseDir: base, fileExtensions: ['ts', 'svelte'], tsConfig, excludeRegExp: [/\.d\.ts$/] },
  );
  const graph = result.obj();
  for (const file of Object.keys(graph)) {
    if (file.endsWith('.svelte')) graph[file] = [...new Set([...graph[file], ...svelteImports(base, file)])];
  }
  return graph;
}

/** Every elementary cycle found by a depth-first search, each reported once (rotated to start at its least file). */
export function findCycles(graph: Graph): string[][] {
  const cycles = new Map<string, string[]>();
  const state = new Map<string, 'open' | 'done'>();
  const stack: string[] = [];
  const visit = (file: string) => {
    state.set(file, 'open');
    stack.push(file);
    for (const next of graph[file] ?? []) {
      if (state.get(next) === 'open') {
        const cycle = stack.slice(stack.indexOf(next));
        const start = cycle.indexOf([...cycle].sort()[0]);
        const rotated = [...cycle.slice(start), ...cycle.slice(0, start)];
        cycles.set(rotated.join(' > '), rotated);
      } else if (!state.has(next)) visit(next);
    }
    stack.pop();
    state.set(file, 'done');
  };
  for (const file of Object.keys(graph).sort()) if (!state.has(file)) visit(file);
  return [...cycles.values()];
}
