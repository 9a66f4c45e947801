// `npm run check:cycles`: fails (exit 1) on any import cycle in server/, shared/ and web/src/, .svelte files
// included. The imports listed in PENDING are left out of the search (each is reported while it still closes a
// cycle, and as deletable once it closes none), so any other cycle fails the check.
import { fileURLToPath } from 'node:url';
import { findCycles, importGraph, type Graph } from './find.js';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const DIRS = ['server', 'shared', 'web/src'];

/** Imports (`from > to`) that close cycles owned by work in progress, and why. Keep this list empty where you can. */
const PENDING: Record<string, string> = {
  // 'server/src/a.ts > server/src/b.ts': 'issue N (what removes it)',
};

const graph = await importGraph(ROOT, DIRS, `${ROOT}tsconfig.json`);
/** The graph without the PENDING imports, or with just `keep` of them. */
const without = (keep?: string): Graph =>
  Object.fromEntries(
    Object.entries(graph).map(([file, deps]) => [
      file,
      deps.filter((to) => {
        const edge = `${file} > ${to}`;
        return !(edge in PENDING) || edge === keep;
      }),
    ]),
  );
const edges = (cycle: string[]) => cycle.map((file, i) => `${file} > ${cycle[(i + 1) % cycle.length]}`);

for (const edge of Object.keys(PENDING)) {
  const n = findCycles(without(edge)).filter((c) => edges(c).includes(edge)).length;
  if (n > 0) console.log(`import cycle(s) through ${edge} tolerated until ${PENDING[edge]}`);
  else console.log(`no cycle goes through ${edge} any more: delete its PENDING entry in test/cycles/run.ts`);
}
const failing = findCycles(without());
for (const cycle of failing) console.error(`import cycle: ${[...cycle, cycle[0]].join(' > ')}`);
console.log(`${Object.keys(graph).length} files, ${failing.length} import cycle(s)`);
process.exitCode = failing.length > 0 ? 1 : 0;
