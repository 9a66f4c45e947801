// A key that keeps being refused is slowed down (issue 19.1): once most of a key's recent answers were refusals
// and it recently had several requests in progress at once, its refusals are held back REFUSAL_DELAY (a timer), so
// a closed-loop flood's rate is bounded by its requests in flight / the delay. Its successful answers, other keys, a key's first
// few refusals, a client sending one request at a time and an analysis's expected outcomes (no face) are not
// delayed; a held answer goes out at once when its client leaves.
import { Hono } from 'hono';
import { describe, expect, it } from 'vitest';
import { NoFaceFound, UnsupportedImage } from '../../shared/errors.js';
import type { AppEnv } from '../../server/src/http/env.js';
import { ConfigError, loadConfig } from '../../server/src/config.js';
import { errorHandler } from '../../server/src/http/errors.js';
import { keyShare } from '../../server/src/http/key-share.js';
import { createLogger } from '../../server/src/http/logger.js';
import { isRefusal, MIN_REFUSALS, RefusalDelay, WINDOW_S } from '../../server/src/http/refusal-delay.js';

const KEY_A = '00000000-0000-4000-8000-00000000000a';
const KEY_B = '00000000-0000-4000-8000-00000000000b';
const DELAY_MS = 2000;

/** How long `p` took, in ms, or Infinity when it had not settled after `limitMs`. */
async function took(p: Promise<unknown>, limitMs: number): Promise<number> {
  const t = performance.now();
  const done = await Promise.race([
    p.then(() => true),
    new Promise((r) => setTimeout(() => r(false), limitMs)),
  ]);
  return done ? performance.now() - t : Infinity;
}

function app(limit = 4) {
  const a = new Hono<AppEnv>();
  const waiting: (() => void)[] = [];
  a.use('/api/v1/*', keyShare(limit, DELAY_MS));
  a.post('/api/v1/refuse', () => {
    throw new UnsupportedImage('refused from its header');
  });
  a.post('/api/v1/noface', () => {
    throw new NoFaceFound();
  });
  a.post('/api/v1/ok', (c) => c.json({ ok: true }));
  // In progress until released: the key's other request while its refusals come back.
  a.post('/api/v1/wait', async (c) => {
    await new Promise<void>((r) => waiting.push(r));
    return c.json({ ok: true });
  });
  a.onError(errorHandler(createLogger('error', () => {})));
  const post = async (path: string, key: string) =>
    a.request(`/api/v1/${path}`, { method: 'POST', headers: { 'x-api-key': key } });
  const release = () => {
    for (const r of waiting.splice(0)) r();
  };
  return { post, release };
}

describe('refusals held back for a key that is mostly refused', () => {
  it('answers the first refusals at once, then holds refusals but not successes or other keys', async () => {
    const { post, release } = app();
    const other = post('wait', KEY_A);
    // One 400 (a CompreFace client's mistake) and the next few: not held.
    for (let i = 0; i < MIN_REFUSALS - 1; i++)
      expect(await took(post('refuse', KEY_A), 1000)).toBeLessThan(1000);
    await post('refuse', KEY_A); // the MIN_REFUSALS-th (counts decay: held or just not)
    const refused = post('refuse', KEY_A); // now mostly refused, with another request in progress
    expect(await took(refused, DELAY_MS / 2)).toBe(Infinity);
    expect((await refused).status).toBe(400);
    expect(await (await refused).json()).toMatchObject({ code: 21 });
    // its successes and another key's refusals go out at once
    expect(await took(post('ok', KEY_A), 1000)).toBeLessThan(1000);
    expect(await took(post('refuse', KEY_B), 1000)).toBeLessThan(1000);
    release();
    expect((await other).status).toBe(200);
  });

  it('does not hold a client that sends one request at a time', async () => {
    const { post } = app();
    for (let i = 0; i < 3 * MIN_REFUSALS; i++)
      expect(await took(post('refuse', KEY_A), 1000)).toBeLessThan(1000);
  });

  it('holds 429s of an abusive key with a Retry-After covering the delay', async () => {
    const { post, release } = app(1);
    for (let i = 0; i < MIN_REFUSALS; i++) await post('refuse', KEY_A);
    const holding = post('wait', KEY_A);
    const over = post('ok', KEY_A);
    expect(await took(over, DELAY_MS / 2)).toBe(Infinity);
    const r = await over;
    expect(r.status).toBe(429);
    expect(r.headers.get('retry-after')).toBe(String(DELAY_MS / 1000));
    release();
    await holding;
  });

  it('does not count a photo without a face as a refusal', async () => {
    const { post, release } = app();
    const other = post('wait', KEY_A);
    for (let i = 0; i < 2 * MIN_REFUSALS; i++)
      expect(await took(post('noface', KEY_A), 1000)).toBeLessThan(1000);
    expect(isRefusal(400, new NoFaceFound())).toBe(false);
    expect(isRefusal(400, new UnsupportedImage('x'))).toBe(true);
    expect(isRefusal(503, undefined)).toBe(false);
    release();
    await other;
  });

  it('lets a held answer go at once when its client leaves', async () => {
    const delay = new RefusalDelay(60_000, () => 0);
    for (let i = 0; i < MIN_REFUSALS; i++) delay.record(KEY_A, true);
    delay.concurrent(KEY_A);
    const leaving = new AbortController();
    const held = delay.hold(KEY_A, leaving.signal);
    expect(delay.held).toBe(1);
    leaving.abort();
    expect(await took(held, 1000)).toBeLessThan(1000);
    expect(delay.held).toBe(0);
  });

  it('forgets: refusals decay over the window, and successes outweigh them', () => {
    let now = 0;
    const delay = new RefusalDelay(1000, () => now);
    for (let i = 0; i < MIN_REFUSALS; i++) delay.record(KEY_A, true);
    expect(delay.abusive(KEY_A)).toBe(false); // one request at a time so far
    delay.concurrent(KEY_A);
    expect(delay.abusive(KEY_A)).toBe(true);
    now += WINDOW_S * 1000; // counts fall to 1/e
    expect(delay.abusive(KEY_A)).toBe(false);
    for (let i = 0; i < 3 * MIN_REFUSALS; i++) delay.record(KEY_B, true);
    delay.concurrent(KEY_B);
    for (let i = 0; i < 4 * MIN_REFUSALS; i++) delay.record(KEY_B, false);
    expect(delay.abusive(KEY_B)).toBe(false);
  });

  it('is a setting: REFUSAL_DELAY seconds, default 5, 0 (off) to 60', () => {
    expect(loadConfig({}).refusalDelay).toBe(5);
    expect(loadConfig({ REFUSAL_DELAY: '0' }).refusalDelay).toBe(0);
    expect(loadConfig({ REFUSAL_DELAY: '2.5' }).refusalDelay).toBe(2.5);
    for (const bad of ['-1', '61', 'soon'])
      expect(() => loadConfig({ REFUSAL_DELAY: bad })).toThrow(ConfigError);
  });
});
