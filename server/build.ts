// `npm run build:server`: bundles the server, the CLI and the inference worker to plain JavaScript in dist/server
// (esbuild, ESM, packages left external), so `npm start` and `bin/visor` run `node` on them without tsx.
//
// One rule keeps the bundles' meaning the same as the sources': in a module, `import.meta.url` names that module's
// source file, so assets found beside it (SQL migrations, docs.html, models/, dist/web, web/demo) are read where they
// live in the package. The one exception is code: `new URL('./worker.ts', import.meta.url)` names the bundle built
// from that entry (dist/server/worker.js). A `.ts` URL that is not an entry, or `import.meta.dirname`/`filename`
// (which would silently name dist/server), fails the build.
import { build, type Plugin } from 'esbuild';
import { readFile, rename, rm, writeFile } from 'node:fs/promises';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const outdir = join(root, 'dist/server');

/** Source entry → bundle name in dist/server. */
const entries: Record<string, string> = {
  main: 'server/src/main.ts',
  cli: 'server/src/cli/main.ts',
  worker: 'server/src/inference/pool/worker.ts',
};
const builtName = new Map(Object.entries(entries).map(([name, src]) => [join(root, src), `./${name}.js`]));

const posix = (p: string) => p.split('\\').join('/');
const URL_CALL = /new URL\(\s*(['"])([^'"]+)\1\s*,\s*import\.meta\.url\s*\)|import\.meta\.url/g;

/** Rewrites `import.meta.url` in our own modules as described in the header. */
function sourceLocations(): Plugin {
  return {
    name: 'visor-source-locations',
    setup(b) {
      b.onLoad({ filter: /\.ts$/ }, async (args) => {
        if (args.path.includes('/node_modules/')) return undefined;
        const text = await readFile(args.path, 'utf8');
        if (/import\.meta\.(dirname|filename)/.test(text))
          return {
            errors: [{ text: `${relative(root, args.path)}: use import.meta.url (see server/build.ts)` }],
          };
        const self = `new URL(${JSON.stringify(posix(relative(outdir, args.path)))}, import.meta.url)`;
        const errors: { text: string }[] = [];
        const contents = text.replace(
          URL_CALL,
          (match, _q: string | undefined, target: string | undefined) => {
            if (target === undefined) return `${self}.href`;
            if (!/\.[cm]?ts$/.test(target)) return `new URL(${JSON.stringify(target)}, ${self})`;
            const built = builtName.get(resolve(dirname(args.path), target));
            if (!built) errors.push({ text: `${relative(root, args.path)}: ${target} is not a build entry` });
            return `new URL(${JSON.stringify(built ?? target)}, import.meta.url)`;
          },
        );
        return errors.length ? { errors } : { contents, loader: 'ts' };
      });
    },
  };
}

/**
 * Builds dist/server. The new build is written beside it and swapped in by renames, so a server already running
 * from dist/server (or another test run building at the same time) never sees a half-written folder. `files` are
 * written into the new build before the swap (the test setup's record of the sources it was built from).
 */
export async function buildServer(files: Record<string, string> = {}): Promise<{ bytes: number }> {
  const staging = `${outdir}.${process.pid}.new`;
  const old = `${outdir}.${process.pid}.old`;
  await rm(staging, { recursive: true, force: true });
  const result = await build({
    absWorkingDir: root,
    entryPoints: Object.fromEntries(Object.entries(entries).map(([name, src]) => [name, join(root, src)])),
    outdir: staging,
    bundle: true,
    splitting: true,
    format: 'esm',
    platform: 'node',
    target: 'node20',
    packages: 'external',
    sourcemap: true,
    // every output sits directly in dist/server: the import.meta.url rewrite is relative to that folder
    chunkNames: '[name]-[hash]',
    logLevel: 'warning',
    plugins: [sourceLocations()],
    metafile: true,
  });
  for (const [name, text] of Object.entries(files)) await writeFile(join(staging, name), text);
  // Another build may swap its own folder in between our two renames: then move that one aside too and retry.
  for (let attempt = 0; ; attempt++) {
    await rename(outdir, `${old}${attempt}`).catch((e: NodeJS.ErrnoException) => {
      if (e.code !== 'ENOENT') throw e;
    });
    await rm(`${old}${attempt}`, { recursive: true, force: true });
    try {
      await rename(staging, outdir);
      break;
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code;
      if (attempt >= 5 || (code !== 'ENOTEMPTY' && code !== 'EEXIST')) throw e;
    }
  }
  return { bytes: Object.values(result.metafile.outputs).reduce((n, o) => n + o.bytes, 0) };
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const { bytes } = await buildServer();
  const n = Object.keys(entries).length;
  process.stdout.write(`server built: ${n} entries in dist/server (${(bytes / 1e6).toFixed(1)} MB)\n`);
}
