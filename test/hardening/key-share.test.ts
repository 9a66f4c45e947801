// One key's flood is refused cheaply (issue 19.1): requests beyond a key's share in progress answer 429 code 45 +
// Retry-After from their header, before the key is looked up or the body read, while other keys are served; and
// concurrent requests with one key share one key lookup (nothing is cached after it settles).
import { Hono } from 'hono';
import { describe, expect, it } from 'vitest';
import { ServiceNotFound } from '../../shared/errors.js';
import { resolveApiKey } from '../../server/src/http/api-key.js';
import type { AppEnv } from '../../server/src/http/env.js';
import { errorHandler } from '../../server/src/http/errors.js';
import { keyShare } from '../../server/src/http/key-share.js';
import { createLogger } from '../../server/src/http/logger.js';
import type { FaceServices, ServiceRef } from '../../server/src/services/types.js';

const KEY_A = '00000000-0000-4000-8000-00000000000a';
const KEY_B = '00000000-0000-4000-8000-00000000000b';

describe('per-key share of requests in progress', () => {
  // Each request to /hold waits until released; `reads` counts the bodies the handler read.
  const held: (() => void)[] = [];
  let reads = 0;
  const app = new Hono<AppEnv>();
  app.use('/api/v1/*', keyShare(2));
  app.post('/api/v1/hold', async (c) => {
    reads++;
    await c.req.arrayBuffer();
    await new Promise<void>((r) => held.push(r));
    return c.json({ ok: true });
  });
  app.onError(errorHandler(createLogger('error', () => {})));
  const post = (key?: string) =>
    app.request('/api/v1/hold', {
      method: 'POST',
      headers: key ? { 'x-api-key': key } : {},
      body: 'x'.repeat(1000),
    });
  const until = async (check: () => boolean) => {
    while (!check()) await new Promise((r) => setTimeout(r, 5));
  };

  it('refuses the share+1st request of a key with 429 code 45 and Retry-After before its body is read', async () => {
    const first = [post(KEY_A), post(KEY_A.toUpperCase())];
    await until(() => held.length === 2);
    const refused = await post(` ${KEY_A} `);
    expect(refused.status).toBe(429);
    expect(refused.headers.get('retry-after')).toBe('1');
    expect(await refused.json()).toMatchObject({ code: 45 });
    expect(reads).toBe(2);
    // another key and a request without a key are not held to A's share
    const other = post(KEY_B);
    const keyless = post();
    await until(() => held.length === 4);
    for (const release of held.splice(0)) release();
    for (const r of [...first, other, keyless]) expect((await r).status).toBe(200);
    // the places came back
    const again = post(KEY_A);
    await until(() => held.length === 1);
    held.splice(0)[0]();
    expect((await again).status).toBe(200);
  });

  it('gives the place back when the handler fails', async () => {
    const failing = new Hono<AppEnv>();
    failing.use('/api/v1/*', keyShare(1));
    failing.post('/api/v1/fail', () => {
      throw new ServiceNotFound('recognition', KEY_A);
    });
    failing.onError(errorHandler(createLogger('error', () => {})));
    for (let i = 0; i < 3; i++) {
      const r = await failing.request('/api/v1/fail', { method: 'POST', headers: { 'x-api-key': KEY_A } });
      expect(r.status).not.toBe(429);
    }
  });
});

describe('key lookups shared while in progress', () => {
  it('answers concurrent requests with one key from one lookup, then looks up afresh', async () => {
    let lookups = 0;
    const waiting: (() => void)[] = [];
    const release = () => {
      for (const r of waiting.splice(0)) r();
    };
    const ref: ServiceRef = { id: 's', apiKey: KEY_A, type: 'recognition', name: 'door', minSimilarity: 0 };
    const services = {
      resolveKey: async (key: string) => {
        lookups++;
        await new Promise<void>((r) => waiting.push(r));
        if (key.toLowerCase() !== KEY_A) throw new ServiceNotFound('recognition', key);
        return ref;
      },
    } as unknown as FaceServices;
    const burst = [KEY_A, KEY_A.toUpperCase(), KEY_A].map((k) => resolveApiKey(services, k, 'recognition'));
    const other = resolveApiKey(services, KEY_B, 'recognition').catch((e: unknown) => e);
    expect(lookups).toBe(2);
    release();
    expect(await Promise.all(burst)).toEqual([ref, ref, ref]);
    expect(await other).toBeInstanceOf(ServiceNotFound);
    const later = resolveApiKey(services, KEY_A, 'recognition');
    expect(lookups).toBe(3);
    release();
    expect(await later).toBe(ref);
  });
});
