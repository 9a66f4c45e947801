// detect_mode, Visor's per-request detection plan (issue 14): fast or accurate, absent = the engine's default.
import { describe, expect, it } from 'vitest';
import { ValidationError } from '../../shared/errors.js';
import { detectModeParam, imageQuery } from '../../server/src/http/query.js';

const ctx = (query: Record<string, string>) =>
  ({ req: { query: (name: string) => query[name] } }) as unknown as Parameters<typeof imageQuery>[0];

describe('detect_mode', () => {
  it('reads fast and accurate in any case, and nothing when absent or blank', () => {
    expect(detectModeParam(ctx({ detect_mode: 'fast' }))).toBe('fast');
    expect(detectModeParam(ctx({ detect_mode: 'Accurate' }))).toBe('accurate');
    expect(detectModeParam(ctx({}))).toBeUndefined();
    expect(detectModeParam(ctx({ detect_mode: ' ' }))).toBeUndefined();
    expect(imageQuery(ctx({ detect_mode: 'fast' })).detectMode).toBe('fast');
  });

  it('refuses any other value with a validation error (400)', () => {
    expect(() => detectModeParam(ctx({ detect_mode: 'slow' }))).toThrow(ValidationError);
  });
});
