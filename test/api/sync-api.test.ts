// The sync endpoints over a real PGlite database: snapshot pull, incremental pull after server-side changes
// (add, rename, delete), idempotent push of device examples (recognisable through the REST API at once) and
// of events, and the rejection of another model's embeddings.
import { randomUUID } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SyncPull, SyncPushResult } from '../../shared/sync.js';
import { decodeImage } from '../../server/src/image/decode.js';
import { SAMPLES } from '../browser/harness.js';
import { startSyncServer, type SyncServer } from '../browser/server.js';

let s: SyncServer;
const pull = async (cursor?: string) => {
  const res = await s.api(`/api/v1/recognition/sync/pull${cursor ? `?cursor=${cursor}` : ''}`);
  expect(res.status).toBe(200);
  return (await res.json()) as SyncPull;
};
const push = async (body: unknown) => {
  const res = await s.api('/api/v1/recognition/sync/push', {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  return { status: res.status, body: (await res.json()) as SyncPushResult };
};

beforeAll(async () => {
  s = await startSyncServer();
});
afterAll(async () => {
  await s?.close();
});

describe('sync endpoints', () => {
  let cursor: string;
  let bId: string;

  it('requires the service API key', async () => {
    expect((await s.app.request('/api/v1/recognition/sync/pull')).status).toBe(400);
  });

  it('pulls a snapshot, then only what changed', async () => {
    bId = await s.upload('B', '007_B.jpg');
    const snap = await pull();
    expect(snap.subjects).toEqual(['B']);
    expect(snap.examples.map((e) => [e.image_id, e.subject])).toEqual([[bId, 'B']]);
    expect(snap.examples[0].embedding).toHaveLength(s.engine.embeddingSize);
    expect(snap.embedder).toBe(s.engine.embedderId);
    cursor = snap.cursor;
    expect(await pull(cursor)).toMatchObject({
      subjects: [],
      examples: [],
      removed_examples: [],
      more: false,
    });

    const svc = await s.services.resolveKey(s.apiKey, 'recognition');
    await s.services.renameSubject(svc, 'B', 'Bea');
    const renamed = await pull(cursor);
    expect(renamed.subjects).toEqual(['Bea']);
    expect(renamed.removed_subjects).toEqual(['B']);
    expect(renamed.examples.map((e) => [e.image_id, e.subject])).toEqual([[bId, 'Bea']]);
    cursor = renamed.cursor;

    await s.services.deleteExample(svc, bId);
    const deleted = await pull(cursor);
    expect(deleted.removed_examples).toEqual([bId]);
    cursor = deleted.cursor;
  });

  it('takes device examples and events once, and recognises the pushed example', async () => {
    const image = await decodeImage(new Uint8Array(await readFile(`${SAMPLES}/009_C.jpg`)));
    const [face] = (await s.engine.analyze(image, { embed: true })).faces;
    const example = {
      image_id: randomUUID(),
      subject: 'Person C',
      embedding: Array.from(face.embedding!),
      embedder: s.engine.embedderId,
    };
    const event = { event_id: '1', at: Date.now(), subject: 'Person C', similarity: 0.9, box: face.box };
    const body = { device_id: 'kiosk-1', examples: [example], events: [event] };
    const first = await push(body);
    expect(first.status).toBe(200);
    expect(first.body).toEqual({
      examples: [{ image_id: example.image_id, status: 'created' }],
      events: { received: 1, duplicates: 0 },
    });
    expect((await push(body)).body).toEqual({
      examples: [{ image_id: example.image_id, status: 'exists' }],
      events: { received: 0, duplicates: 1 },
    });
    const next = await pull(cursor);
    expect(next.subjects).toEqual(['Person C']);
    expect(next.examples.map((e) => e.image_id)).toEqual([example.image_id]);

    // The search index hears of the new example through the change notification.
    const form = new FormData();
    form.append('file', new Blob([await readFile(`${SAMPLES}/009_C.jpg`)], { type: 'image/jpeg' }), 'c.jpg');
    await expect
      .poll(async () => {
        const res = await s.api('/api/v1/recognition/recognize', { method: 'POST', body: form });
        const json = (await res.json()) as { result?: { subjects: { subject: string }[] }[] };
        return json.result?.[0]?.subjects[0]?.subject;
      })
      .toBe('Person C');
  });

  it('rejects embeddings of another model, per example', async () => {
    const res = await push({
      device_id: 'kiosk-1',
      examples: [{ image_id: randomUUID(), subject: 'X', embedding: [1, 0], embedder: 'other@1' }],
    });
    expect(res.status).toBe(200);
    expect(res.body.examples[0]).toMatchObject({ status: 'rejected' });
    expect((await push({ examples: [] })).status).toBe(400);
  });
});
