// `npm run dev`: the server from source under `tsx watch` (restarted on every change) next to Vite's dev server
// for the web app (which proxies the API to :8000, see vite.config.ts). Ctrl-C or SIGTERM stops both; when one
// exits, the other is stopped too.
import { spawn, type ChildProcess } from 'node:child_process';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

const require = createRequire(import.meta.url);
const bin = (pkg: string, file: string) => join(dirname(require.resolve(`${pkg}/package.json`)), file);

const children: ChildProcess[] = [
  spawn(
    process.execPath,
    [bin('tsx', 'dist/cli.mjs'), 'watch', '--clear-screen=false', 'server/src/main.ts'],
    {
      stdio: 'inherit',
    },
  ),
  spawn(process.execPath, [bin('vite', 'bin/vite.js'), ...process.argv.slice(2)], { stdio: 'inherit' }),
];

let exitCode: number | undefined;
const stopAll = (signal: NodeJS.Signals) => {
  for (const c of children) if (c.exitCode === null && c.signalCode === null) c.kill(signal);
};
for (const signal of ['SIGINT', 'SIGTERM'] as const) process.on(signal, () => stopAll(signal));
for (const c of children)
  c.on('exit', (code) => {
    exitCode ??= code ?? 0;
    stopAll('SIGTERM');
    if (children.every((x) => x.exitCode !== null || x.signalCode !== null)) process.exit(exitCode);
  });
