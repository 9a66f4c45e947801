// The sync protocol's wire schema (shared/api/sync.ts SyncPushEvent): which pushed events the server accepts.
import { describe, expect, it } from 'vitest';
import { SyncPushEvent } from '../../shared/api/sync.js';
import type { SyncPushEvent as Event } from '../../shared/sync.js';

const isSyncPushEvent = (e: unknown): boolean => SyncPushEvent.safeParse(e).success;

const event: Event = {
  event_id: '17',
  at: 1_700_000_000_000,
  subject: 'Person C',
  similarity: 0.93,
  box: { x_min: 10, y_min: 20, x_max: 110, y_max: 140 },
};

describe('SyncPushEvent', () => {
  it('accepts a well-formed event, with a subject or none, at the similarity bounds', () => {
    expect(isSyncPushEvent(event)).toBe(true);
    expect(isSyncPushEvent({ ...event, subject: null })).toBe(true);
    expect(isSyncPushEvent({ ...event, similarity: 0 })).toBe(true);
    expect(isSyncPushEvent({ ...event, similarity: 1 })).toBe(true);
    expect(isSyncPushEvent({ ...event, event_id: 'x'.repeat(64), subject: '😀'.repeat(50) })).toBe(true);
  });

  it('rejects what is not an event', () => {
    expect(isSyncPushEvent(null)).toBe(false);
    expect(isSyncPushEvent(undefined)).toBe(false);
    expect(isSyncPushEvent('event')).toBe(false);
    expect(isSyncPushEvent({})).toBe(false);
  });

  it('rejects each malformed field', () => {
    const bad: Record<string, unknown>[] = [
      { event_id: 17 },
      { event_id: 'x'.repeat(65) },
      { at: Number.NaN },
      { at: '2024-01-01' },
      { subject: undefined },
      { subject: 'x'.repeat(51) },
      { similarity: -0.01 },
      { similarity: 1.01 },
      { similarity: '0.9' },
      { box: undefined },
      { box: { ...event.box, x_max: Number.POSITIVE_INFINITY } },
      { box: { x_min: 0, y_min: 0, x_max: 1 } },
    ];
    for (const change of bad)
      expect(isSyncPushEvent({ ...event, ...change }), JSON.stringify(change)).toBe(false);
  });
});
