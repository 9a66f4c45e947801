// `npm start` runs the built server with no tsx and no shell in between (package.json: `exec node …`), so a
// SIGTERM sent to the npm process (what a service manager sends) reaches the server: the request in flight is
// answered, then the workers stop, the database closes (the PGlite lock is released), the port is freed and the
// exit code is 0.
import { request } from 'node:http';
import { existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seedPglite } from '../storage/backends.js';
import { listening, spawnVisor, stopVisor, waitReady, type VisorProcess } from './process.js';

/** Sends headers with `Expect: 100-continue`; resolves once the server has read them (its 100 Continue). */
function startRequest(port: number, path: string, body: string) {
  const req = request({
    host: '127.0.0.1',
    port,
    path,
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      'content-length': Buffer.byteLength(body),
      'x-requested-with': 'visor',
      expect: '100-continue',
    },
  });
  const response = new Promise<{ status: number; body: string }>((resolve, reject) => {
    req.once('error', reject);
    req.once('response', (res) => {
      let text = '';
      res.on('data', (d: Buffer) => (text += d.toString()));
      res.once('end', () => resolve({ status: res.statusCode ?? 0, body: text }));
    });
  });
  const accepted = new Promise<void>((resolve) => req.once('continue', resolve));
  req.flushHeaders();
  return { accepted, response, finish: () => req.end(body) };
}

describe('npm start and SIGTERM', () => {
  let visor: VisorProcess | undefined;
  beforeAll(async () => {
    // a copy of the migrated template: the start need not migrate (a first start from nothing on PGlite is
    // test/storage/migrations.test.ts's; the built server's own migrations run in container.test.ts)
    const dataDir = mkdtempSync(join(tmpdir(), 'visor-deploy-'));
    await seedPglite(dataDir);
    visor = await spawnVisor({ command: ['npm', 'start', '--silent'], dataDir });
    await waitReady(visor);
  });
  afterAll(() => stopVisor(visor));

  it('answers the request in flight, then frees the port and the database and exits 0', async () => {
    const p = visor!;
    expect(existsSync(join(p.dataDir, 'pglite', 'visor.lock'))).toBe(true);
    const signup = startRequest(
      p.port,
      '/admin/signup',
      JSON.stringify({ email: 'owner@example.com', password: 'a long passphrase' }),
    );
    await signup.accepted;
    expect(p.child.kill('SIGTERM')).toBe(true); // the npm process
    signup.finish();
    const answered = await signup.response;
    expect(answered.status, answered.body).toBe(201);
    expect(JSON.parse(answered.body)).toMatchObject({ user: { email: 'owner@example.com' } });
    const exit = await p.exited;
    expect(exit, p.log()).toEqual({ code: 0, signal: null });
    expect(p.log()).toContain('"shutting down"');
    expect(await listening(p.port)).toBe(false);
    expect(existsSync(join(p.dataDir, 'pglite', 'visor.lock'))).toBe(false);
  });
});
