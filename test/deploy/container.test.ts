// The container files, without a container runtime (none runs here): compose.yaml parses and says what the README
// says (Visor on port 8000 with PostgreSQL and pgvector, volumes, CompreFace's settings, limits); the Dockerfile
// passes dockerfile-utils' linter, is multi-stage, runs as a non-root user, checks /api/ready, and copies only
// files the build makes; and the image's start command runs here as the container would run it: from the repo root
// (the image's /app), with nothing but the image's and compose's environment (the database URL pointed at the test
// PostgreSQL with pgvector), its health check passing, and SIGTERM ending it with exit code 0.
import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { validate } from 'dockerfile-utils';
import { afterAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { createTestDatabase } from '../storage/backends.js';
import { listening, ROOT, spawnVisor, stopVisor, waitReady, type VisorProcess } from './process.js';

interface ComposeService {
  image?: string;
  build?: unknown;
  ports?: string[];
  environment?: Record<string, string>;
  volumes?: string[];
  healthcheck?: { test: string[] };
  deploy?: { resources?: { limits?: { memory?: string; cpus?: string } } };
}
const composeText = readFileSync(join(ROOT, 'compose.yaml'), 'utf8');
/** Compose's interpolation with no .env, on the parsed values: `${name:-default}` → default, `$$` → `$`. */
const interpolate = (v: unknown): unknown =>
  typeof v === 'string'
    ? v.replace(/\$\{(\w+):-([^}]*)\}/g, (_, _name: string, d: string) => d).replace(/\$\$/g, '$')
    : Array.isArray(v)
      ? v.map(interpolate)
      : v && typeof v === 'object'
        ? Object.fromEntries(Object.entries(v).map(([k, x]) => [k, interpolate(x)]))
        : v;
const compose = interpolate(parse(composeText)) as {
  services: Record<string, ComposeService>;
  volumes: Record<string, unknown>;
};

/** The Dockerfile's instructions (continuation lines joined, comments dropped). */
const dockerfile = readFileSync(join(ROOT, 'Dockerfile'), 'utf8');
const instructions = dockerfile
  .replace(/\\\n/g, ' ')
  .split('\n')
  .filter((l) => l.trim() && !l.trimStart().startsWith('#'))
  .map((l) => {
    const [, op, rest] = /^\s*(\w+)\s+(.*)$/.exec(l)!;
    return { op: op.toUpperCase(), rest: rest.trim() };
  });
const stages = instructions.reduce<{ op: string; rest: string }[][]>(
  (acc, i) => (i.op === 'FROM' ? [...acc, [i]] : (acc.at(-1)?.push(i), acc)),
  [],
);
const runtime = stages.at(-1)!;
const one = (op: string) => runtime.filter((i) => i.op === op);

describe('compose.yaml', () => {
  it('runs Visor on port 8000 with PostgreSQL and pgvector, volumes, CompreFace settings and limits', () => {
    const { visor, postgres } = compose.services;
    expect(visor.build).toBe('.');
    expect(visor.ports).toEqual(['8000:8000']);
    expect(visor.environment).toMatchObject({
      DATABASE_URL: 'postgres://visor:visor@postgres:5432/visor',
      SEARCH_BACKEND: 'pgvector',
      SAVE_IMAGES_TO_DB: 'true',
      MAX_FILE_SIZE: '5242880',
      MAX_REQUEST_SIZE: '10485760',
    });
    expect(visor.volumes).toContain('visor-data:/data');
    expect(visor.deploy?.resources?.limits).toEqual({ cpus: '2', memory: '2g' });
    expect(postgres.image).toMatch(/^pgvector\/pgvector:pg15$/);
    expect(postgres.volumes).toContain('postgres-data:/var/lib/postgresql/data');
    expect(postgres.healthcheck?.test.join(' ')).toContain('pg_isready');
    expect(Object.keys(compose.volumes).sort()).toEqual(['postgres-data', 'visor-data']);
    // the CompreFace names a user's .env sets
    for (const name of ['save_images_to_db', 'max_file_size', 'max_request_size', 'postgres_password'])
      expect(composeText).toContain(`\${${name}:-`);
  });
});

describe('Dockerfile', () => {
  it('passes the linter and is a multi-stage, non-root image with a readiness health check', () => {
    expect(validate(dockerfile)).toEqual([]);
    expect(stages.map((s) => s[0].rest)).toEqual(['${NODE_IMAGE} AS build', '${NODE_IMAGE} AS runtime']);
    expect(stages[0].some((i) => i.op === 'RUN' && i.rest.startsWith('npm ci'))).toBe(true); // models built here
    expect(one('USER').map((i) => i.rest)).toEqual(['node']);
    expect(one('HEALTHCHECK')[0].rest).toContain('/api/ready');
    expect(JSON.parse(one('CMD')[0].rest)).toEqual(['node', '--enable-source-maps', 'dist/server/main.js']);
  });

  it('copies into the image only paths the build makes', () => {
    const sources = one('COPY')
      .filter((i) => i.rest.startsWith('--from=build'))
      .flatMap((i) => i.rest.split(/\s+/).slice(1, -1));
    expect(sources.length).toBeGreaterThan(5);
    for (const src of sources) {
      const path = join(ROOT, src.replace(/^\/app\//, ''));
      if (path.endsWith('*.onnx'))
        expect(readdirSync(join(ROOT, 'models')).filter((f) => f.endsWith('.onnx')).length).toBeGreaterThan(
          3,
        );
      else expect(existsSync(path), src).toBe(true);
    }
    // the runtime needs no dev dependency: nothing the built server imports is one
    const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as {
      devDependencies: Record<string, string>;
    };
    const built = readdirSync(join(ROOT, 'dist/server'))
      .filter((f) => f.endsWith('.js'))
      .map((f) => readFileSync(join(ROOT, 'dist/server', f), 'utf8'))
      .join('\n');
    const imported = new Set(
      [...built.matchAll(/from\s*"([^".][^"]*)"|import\("([^".][^"]*)"\)/g)].map((m) => m[1] ?? m[2]),
    );
    const dev = [...imported].filter((m) =>
      Object.hasOwn(pkg.devDependencies, m.replace(/^(@[^/]+\/[^/]+|[^/]+).*$/, '$1')),
    );
    expect(dev).toEqual([]);
  });
});

describe('the image’s start command, run here', () => {
  let visor: VisorProcess | undefined;
  let cleanup: (() => Promise<void>) | undefined;
  afterAll(async () => {
    await stopVisor(visor);
    await cleanup?.();
  });

  it('starts with the image’s and compose’s environment, passes the health check and stops on SIGTERM', async () => {
    const created = await createTestDatabase('postgres');
    cleanup = created.cleanup;
    const env: Record<string, string> = {};
    for (const i of one('ENV')) for (const m of i.rest.matchAll(/(\w+)=(\S+)/g)) env[m[1]] = m[2];
    Object.assign(env, compose.services.visor.environment, {
      DATABASE_URL: created.config.databaseUrl!,
      INFERENCE_WORKERS: '1',
      PUBLIC_URL: 'http://localhost:8000',
    });
    expect(env).toMatchObject({ NODE_ENV: 'production', SEARCH_BACKEND: 'pgvector' });
    const [cmd, ...args] = JSON.parse(one('CMD')[0].rest) as string[];
    visor = await spawnVisor({ command: [cmd, ...args], env, inheritEnv: false });
    await waitReady(visor);
    expect(visor.log()).toContain('"database":"postgres"');
    // the HEALTHCHECK command itself, with the container's environment
    const check = JSON.parse(one('HEALTHCHECK')[0].rest.replace(/^.*?CMD\s+/, '')) as string[];
    expect(() =>
      execFileSync(check[0], check.slice(1), { env: { PATH: process.env.PATH, PORT: String(visor!.port) } }),
    ).not.toThrow();
    visor.child.kill('SIGTERM');
    expect(await visor.exited).toEqual({ code: 0, signal: null });
    expect(await listening(visor.port)).toBe(false);
  });
});
