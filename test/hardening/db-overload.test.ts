// The database out of connections or memory (issue 19.5): PostgreSQL's SQLSTATE 53300 too_many_connections and
// 53200 out_of_memory answer 503 code 40 with Retry-After and a clear message, not a generic 500, and leave
// readiness alone (they pass). too_many_connections is reproduced on the real PostgreSQL server: a role with
// CONNECTION LIMIT 1 and a pool that opens a second connection. out_of_memory cannot be provoked on demand, so it
// is checked at the mapper (guardFaults) with the error shape the driver gives.
import { Hono } from 'hono';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Overloaded } from '../../shared/errors.js';
import { guardFaults, OUT_OF_MEMORY, TOO_MANY_CONNECTIONS } from '../../server/src/db/faults.js';
import { openPostgres } from '../../server/src/db/postgres.js';
import type { Db } from '../../server/src/db/types.js';
import type { AppEnv } from '../../server/src/http/env.js';
import { errorHandler } from '../../server/src/http/errors.js';
import { createLogger } from '../../server/src/http/logger.js';
import { PG_ADMIN_URL } from '../api/harness.js';

const role = `visor_connlimit_${Math.random().toString(36).slice(2, 8)}`;

describe('PostgreSQL out of connections', () => {
  let admin: Db;
  let db: Db;
  beforeAll(async () => {
    admin = openPostgres(PG_ADMIN_URL, { max: 1 });
    await admin.exec(`create role ${role} login connection limit 1`);
    db = openPostgres(PG_ADMIN_URL.replace('postgres@', `${role}@`), { max: 2 });
  });
  afterAll(async () => {
    await db?.close();
    await admin.exec(`drop role if exists ${role}`);
    await admin.close();
  });

  it('answers 503 code 40 with Retry-After naming the cause, and readiness stays', async () => {
    const app = new Hono<AppEnv>();
    app.get('/slow', async (c) => c.json(await db.query('select pg_sleep(0.5) as slept')));
    app.onError(errorHandler(createLogger('error', () => {})));
    // One connection open first: two connections starting at once can both be refused (PostgreSQL counts the role's
    // backends still starting up), which showed as [503, 503] under load. Then the pool opens a second connection
    // for the second request, and the role's limit refuses it.
    await db.query('select 1');
    const [first, second] = await Promise.all([app.request('/slow'), app.request('/slow')]);
    const answers = [first, second].sort((a, b) => a.status - b.status);
    expect(answers.map((r) => r.status)).toEqual([200, 503]);
    expect(answers[1].headers.get('retry-after')).toBe('1');
    const body = (await answers[1].json()) as { code: number; message: string };
    expect(body.code).toBe(40);
    expect(body.message).toContain(`SQLSTATE ${TOO_MANY_CONNECTIONS}`);
    expect(await db.writable()).toBe(true);
  });

  it('keeps the driver error as the cause', async () => {
    const errors = await Promise.allSettled([
      db.query('select pg_sleep(0.3)'),
      db.query('select pg_sleep(0.3)'),
    ]);
    const refused = errors.find((e) => e.status === 'rejected')?.reason as Error;
    expect(refused).toBeInstanceOf(Overloaded);
    expect((refused.cause as { code?: string }).code).toBe(TOO_MANY_CONNECTIONS);
  });
});

describe('PostgreSQL out of memory (the mapper)', () => {
  it('becomes Overloaded without marking the database unwritable', async () => {
    const health = { fault: undefined };
    const driverError = Object.assign(new Error('out of memory'), { code: OUT_OF_MEMORY });
    const err = await guardFaults(health, () => Promise.reject(driverError)).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(Overloaded);
    expect((err as Error).message).toContain(`SQLSTATE ${OUT_OF_MEMORY}`);
    expect((err as Error).cause).toBe(driverError);
    expect(health.fault).toBeUndefined();
  });
});
