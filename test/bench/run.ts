// `npm run bench -- [--quick] [--only stages,plans,peers,search,pgvector,cold,http,browser,kiosk,soak] [--visor-threads N]
// [--soak-seconds 600] [--pgvector-size N] [--pgvector-rebuild] [--pgvector-halfvec]`: Visor's speed and memory, side by side with @vladmandic/human and @vladmandic/face-api on
// tfjs-wasm, and in Chromium. One table per section. `soak` (10 minutes by default) runs only when asked for.
import { parseArgs } from 'node:util';
import { runBrowser } from './browser.js';
import { runKiosk } from './browser-kiosk.js';
import { runCold } from './cold.js';
import type { TimingResult } from './engine-child.js';
import { runHttp } from './http.js';
import { runPeers } from './peers.js';
import { runPgvector } from './pgvector.js';
import { runPlans } from './plans.js';
import { runSearch } from './search.js';
import { runSoak } from './soak.js';
import { describeMachine, loadWarning, sampling } from './setup.js';
import { runStages } from './stages.js';
import { now } from './stats.js';

const SECTIONS = [
  'stages',
  'plans',
  'peers',
  'search',
  'pgvector',
  'cold',
  'http',
  'browser',
  'kiosk',
  'soak',
] as const;
type Section = (typeof SECTIONS)[number];

const { values } = parseArgs({
  options: {
    quick: { type: 'boolean', default: false },
    only: { type: 'string' },
    'visor-threads': { type: 'string' },
    'soak-seconds': { type: 'string', default: '600' },
    'pgvector-size': { type: 'string' },
    'pgvector-rebuild': { type: 'boolean', default: false },
    'pgvector-halfvec': { type: 'boolean', default: false },
    help: { type: 'boolean', short: 'h', default: false },
  },
});
if (values.help) {
  console.log(
    `usage: npm run bench -- [--quick] [--only ${SECTIONS.join('|')}[,...]] [--visor-threads N] [--soak-seconds 600] [--pgvector-size N] [--pgvector-rebuild] [--pgvector-halfvec]`,
  );
  process.exit(0);
}
const only =
  values.only?.split(',').map((s) => s.trim()) ?? SECTIONS.filter((s) => s !== 'soak' && s !== 'kiosk');
const unknown = only.filter((s) => !SECTIONS.includes(s as Section));
if (unknown.length) {
  console.error(`unknown section ${unknown.join(', ')}; expected ${SECTIONS.join(', ')}`);
  process.exit(2);
}
const wanted = (s: Section) => only.includes(s);
const quick = values.quick;
const s = sampling(quick);
const visorThreads = values['visor-threads'] ? Number(values['visor-threads']) : undefined;
if (visorThreads !== undefined && !(Number.isInteger(visorThreads) && visorThreads > 0)) {
  console.error('--visor-threads expects a positive integer');
  process.exit(2);
}

const soakSeconds = Number(values['soak-seconds']);
if (!(Number.isInteger(soakSeconds) && soakSeconds >= 10)) {
  console.error('--soak-seconds expects an integer of at least 10');
  process.exit(2);
}

console.log('# Visor benchmark');
for (const line of describeMachine()) console.log(line);
console.log(
  `mode: ${quick ? '--quick' : 'full'}: 1 warm-up, up to ${s.runs} timed runs per photo (${s.budgetMs / 1000} s budget each)`,
);
const warning = loadWarning();
if (warning) console.log(warning);

const started = now();
let failed = 0;
async function section<T>(name: Section, fn: () => Promise<T>): Promise<T | undefined> {
  if (!wanted(name)) return undefined;
  const t = now();
  try {
    return await fn();
  } catch (e) {
    failed++;
    console.log(`\n## ${name}: FAILED\n  ${(e as Error).message}`);
    return undefined;
  } finally {
    console.log(`  (${name}: ${((now() - t) / 1000).toFixed(0)} s)`);
  }
}

const stages: TimingResult | undefined = await section('stages', () => runStages(s, visorThreads));
await section('plans', () => runPlans(s, visorThreads));
await section('peers', () => runPeers(s, stages, visorThreads));
await section('search', () => runSearch(quick));
await section('pgvector', () =>
  runPgvector({
    quick,
    size: values['pgvector-size'] ? Number(values['pgvector-size']) : undefined,
    rebuild: values['pgvector-rebuild'],
    halfvec: values['pgvector-halfvec'],
  }),
);
await section('cold', () => runCold(quick));
await section('http', () => runHttp(quick));
await section('browser', () => runBrowser(s, quick));
// `browser` includes the kiosk loops; `kiosk` runs them alone (no Visor server), only when asked for.
await section('kiosk', () => runKiosk(quick));
await section('soak', () => runSoak(soakSeconds));

console.log(
  `\nbench finished in ${((now() - started) / 1000).toFixed(0)} s${failed ? `, ${failed} section(s) failed` : ''}`,
);
const after = loadWarning();
if (after) console.log(after.replace('warning: load average', 'warning: load average at the end'));
process.exit(failed ? 1 : 0);
