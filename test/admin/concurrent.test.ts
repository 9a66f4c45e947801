// Concurrent administration, on PGlite (serialised) and PostgreSQL (a pool of connections really running at once):
// the owner, a global administrator, an application administrator and members (two of whom delete their own
// accounts midway) create, rename and delete applications and services, invite, re-role and remove members and hand
// an application over, regenerate an API key while face-service clients use the old and the new one, clone a service
// while its collection is written, switch a service's embedder while photos are enrolled into it, and delete
// applications whose services are in use; then bursts fire the requests that race for the same rows together (an
// application deleted while a service is created, cloned, re-keyed in it and a member invited; a service deleted while
// cloned and written; Base handed over while its members are re-roled and removed; an account deleted while invited).
// The schedule is fixed (each actor's steps are a function of its round; a burst's order is rotated by its round).
// No answer is a 5xx (a race between two requests is not a server fault), every refusal carries {message, code},
// and the end state is consistent (services in listed applications, no member of a deleted one, one owner per
// application, only the newest API key resolves, the enrolled collection embedded by the service's embedder).
import { afterAll, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { createApp } from '../../server/src/app.js';
import { createAdminServices } from '../../server/src/services/admin/index.js';
import { createFaceServices, type FaceServicesRuntime } from '../../server/src/services/face-services.js';
import { describeStorage } from '../storage/backends.js';
import { testDecode, testEngine } from '../storage/test-engine.js';
import { makeUser, quiet, type Agent, type Json } from './harness.js';

const ROUNDS = 4;
const BURSTS = 3;
const SAMPLES = new URL('../fixtures/compreface-samples/', import.meta.url);
// one photo: the test engine analyses it once per embedder and remembers the answer
const PHOTO = readFileSync(new URL('001_A.jpg', SAMPLES)).toString('base64');
const EMBEDDERS = ['faceapi-recognition', 'faceplugin-recognition'];

interface Answer {
  who: string;
  op: string;
  status: number;
  body: Json;
}

describeStorage('concurrent administration', (get) => {
  let services: FaceServicesRuntime | undefined;
  afterAll(() => services?.close());

  it('answers owners, administrators, members and API clients at once without a 5xx and stays consistent', async () => {
    const { config, db } = get();
    services = await createFaceServices({ config, db, engine: await testEngine(), decode: testDecode });
    const admin = createAdminServices({ config, db, logger: quiet, collections: services.collections });
    const app = createApp({ config, services, logger: quiet, admin: { services: admin } });
    const owner = await makeUser(app, admin, 'owner@example.org');
    const boss = await makeUser(app, admin, 'boss@example.org', 'ADMINISTRATOR');
    const user = await makeUser(app, admin, 'user@example.org');
    const m1 = await makeUser(app, admin, 'm1@example.org');
    const m2 = await makeUser(app, admin, 'm2@example.org');
    const leavers = [
      await makeUser(app, admin, 'l0@example.org'),
      await makeUser(app, admin, 'l1@example.org'),
    ];

    const answers: Answer[] = [];
    const send = async (who: string, a: Agent, op: string, method: string, path: string, body?: unknown) => {
      const r = await a.request(
        method,
        path,
        body ?? (method === 'GET' || method === 'DELETE' ? undefined : {}),
      );
      answers.push({ who, op, status: r.status, body: r.body });
      return r;
    };
    const face = async (
      who: string,
      op: string,
      key: string,
      method: string,
      path: string,
      body?: unknown,
    ) => {
      const res = await app.request(`/api/v1/recognition${path}`, {
        method,
        headers: { 'x-api-key': key, ...(body ? { 'content-type': 'application/json' } : {}) },
        body: body ? JSON.stringify(body) : undefined,
      });
      const text = await res.text();
      let parsed: Json = text;
      try {
        parsed = JSON.parse(text);
      } catch {
        // not JSON
      }
      answers.push({ who, op, status: res.status, body: parsed });
      return { status: res.status, body: parsed };
    };

    // the base application: `user` administers it, m1 and m2 are members; three recognition services
    const base = (await owner.agent.post('/admin/apps', { name: 'Base' })).body.id as string;
    await owner.agent.post(`/admin/apps/${base}/members`, {
      email: 'user@example.org',
      role: 'ADMINISTRATOR',
    });
    for (const m of ['m1', 'm2'])
      await owner.agent.post(`/admin/apps/${base}/members`, { email: `${m}@example.org`, role: 'USER' });
    const svc = async (name: string) =>
      (await owner.agent.post(`/admin/apps/${base}/services`, { name, type: 'RECOGNITION' })).body as Json;
    const keyed = await svc('Keyed');
    const cloned = await svc('Cloned');
    const enrol = await svc('Enrol');
    const S = `/admin/apps/${base}/services`;
    /** Every key `keyed` has had, the current one last. */
    const keys: string[] = [keyed.api_key];
    /** The API key of the service in the owner's newest temporary application. */
    let tmpKey: string | undefined;

    const owned = async () => {
      let previous: string | undefined;
      for (let i = 0; i < ROUNDS; i++) {
        const tmp = await send('owner', owner.agent, 'create app', 'POST', '/admin/apps', {
          name: `Tmp ${i}`,
        });
        const id = tmp.body.id as string;
        const s = await send('owner', owner.agent, 'create service', 'POST', `/admin/apps/${id}/services`, {
          name: `T ${i}`,
          type: 'RECOGNITION',
        });
        tmpKey = s.body.api_key;
        for (const email of ['m1@example.org', `l${i % 2}@example.org`])
          await send('owner', owner.agent, 'invite', 'POST', `/admin/apps/${id}/members`, {
            email,
            role: 'USER',
          });
        await send('owner', owner.agent, 'rename app', 'PUT', `/admin/apps/${id}`, { name: `Tmp ${i}'` });
        const k = await send('owner', owner.agent, 'new key', 'POST', `${S}/${keyed.id}/key`);
        if (k.status === 200) keys.push(k.body.api_key);
        // hand Base over to m2 and take it back (m2 may just have been removed or re-roled)
        const to = i % 2 ? owner.user.id : m2.user.id;
        await send('owner', owner.agent, 'transfer', 'PUT', `/admin/apps/${base}/members/${to}`, {
          role: 'OWNER',
        });
        await send('owner', owner.agent, 'user role', 'PUT', `/admin/users/${m1.user.id}/role`, {
          role: i % 2 ? 'USER' : 'ADMINISTRATOR',
        });
        await send('owner', owner.agent, 'embedder', 'PUT', `${S}/${enrol.id}/embedder`, {
          embedder: EMBEDDERS[i % 2],
        });
        if (previous) await send('owner', owner.agent, 'delete app', 'DELETE', `/admin/apps/${previous}`);
        previous = id;
      }
    };

    const administered = async () => {
      let made: string[] = [];
      for (let i = 0; i < ROUNDS; i++) {
        await send('boss', boss.agent, 'invite', 'POST', `/admin/apps/${base}/members`, {
          email: 'm2@example.org',
          role: 'USER',
        });
        await send('boss', boss.agent, 'member role', 'PUT', `/admin/apps/${base}/members/${m1.user.id}`, {
          role: i % 2 ? 'USER' : 'ADMINISTRATOR',
        });
        const s = await send('boss', boss.agent, 'create service', 'POST', S, {
          name: `B ${i}`,
          type: 'RECOGNITION',
        });
        const c = await send('boss', boss.agent, 'clone', 'POST', `${S}/${cloned.id}/clone`, {
          name: `C ${i}`,
        });
        for (const id of made) await send('boss', boss.agent, 'delete service', 'DELETE', `${S}/${id}`);
        made = [s.body.id, c.body.id].filter((x): x is string => typeof x === 'string');
        if (made[0])
          await send('boss', boss.agent, 'rename service', 'PUT', `${S}/${made[0]}`, { name: `B ${i}'` });
        await send('boss', boss.agent, 'rename app', 'PUT', `/admin/apps/${base}`, { name: `Base ${i}` });
        await send('boss', boss.agent, 'embedder', 'PUT', `${S}/${enrol.id}/embedder`, {
          embedder: EMBEDDERS[(i + 1) % 2],
        });
      }
    };

    const member = async () => {
      for (let i = 0; i < ROUNDS; i++) {
        const mine = await send('user', user.agent, 'create app', 'POST', '/admin/apps', { name: `U ${i}` });
        await send('user', user.agent, 'member role', 'PUT', `/admin/apps/${base}/members/${m2.user.id}`, {
          role: i % 2 ? 'ADMINISTRATOR' : 'USER',
        });
        if (i % 2)
          await send(
            'user',
            user.agent,
            'remove member',
            'DELETE',
            `/admin/apps/${base}/members/${m2.user.id}`,
          );
        const apps = await send('user', user.agent, 'list apps', 'GET', '/admin/apps');
        for (const a of (apps.body.applications ?? []) as { id: string }[]) {
          await send('user', user.agent, 'list services', 'GET', `/admin/apps/${a.id}/services`);
          await send('user', user.agent, 'list members', 'GET', `/admin/apps/${a.id}/members`);
        }
        if (mine.body.id)
          await send('user', user.agent, 'delete app', 'DELETE', `/admin/apps/${mine.body.id}`);
      }
    };

    const m1Run = async () => {
      for (let i = 0; i < ROUNDS; i++) {
        // m1's global and application roles change under it: whatever it may do, it is never a 5xx
        await send('m1', m1.agent, 'create service', 'POST', S, { name: `M ${i}`, type: 'RECOGNITION' });
        await send('m1', m1.agent, 'list users', 'GET', '/admin/users');
        await send('m1', m1.agent, 'leave', 'DELETE', `/admin/apps/${base}/members/${m1.user.id}`);
        await send('boss', boss.agent, 'invite', 'POST', `/admin/apps/${base}/members`, {
          email: 'm1@example.org',
          role: 'USER',
        });
      }
    };

    const leaving = async (k: number) => {
      const l = leavers[k];
      for (let i = 0; i < ROUNDS; i++) {
        const mine = await send(`l${k}`, l.agent, 'create app', 'POST', '/admin/apps', {
          name: `L${k} ${i}`,
        });
        if (mine.body.id)
          await send(`l${k}`, l.agent, 'invite', 'POST', `/admin/apps/${mine.body.id}/members`, {
            email: 'user@example.org',
            role: 'ADMINISTRATOR',
          });
        if (i === 2 + k)
          await send(`l${k}`, l.agent, 'delete self', 'DELETE', `/admin/users/${l.user.id}`, {
            password: 'password-123',
          });
      }
    };

    const keyClient = async (k: number) => {
      for (let i = 0; i < ROUNDS * 2; i++) {
        const now = keys[keys.length - 1];
        const old = keys[Math.max(0, keys.length - 2)];
        await face(`key${k}`, 'list (new key)', now, 'GET', '/subjects');
        await face(`key${k}`, 'add (old key)', old, 'POST', '/subjects', { subject: `k${k} ${i}` });
        await face(`key${k}`, 'add (clone source)', cloned.api_key, 'POST', '/subjects', {
          subject: `c${k} ${i}`,
        });
        if (i % 3 === k && tmpKey) {
          await face(`key${k}`, 'add (tmp)', tmpKey, 'POST', '/subjects', { subject: `t${i}` });
          await face(`key${k}`, 'list (tmp)', tmpKey, 'GET', '/subjects');
        }
      }
    };

    const enrolling = async () => {
      for (let i = 0; i < ROUNDS * 2; i++)
        await face('enrol', 'enrol', enrol.api_key, 'POST', `/faces?subject=p${i % 3}`, {
          file: PHOTO,
        });
    };

    await Promise.all([
      owned(),
      administered(),
      member(),
      m1Run(),
      leaving(0),
      leaving(1),
      keyClient(0),
      keyClient(1),
      enrolling(),
    ]);
    await services.embedderJobsIdle();

    // bursts: requests that race for the same rows issued together, in an order rotated by the round
    const rotate = <T>(xs: T[], n: number) => xs.map((_, j) => xs[(j + n) % xs.length]);
    const leaversB = [] as Awaited<ReturnType<typeof makeUser>>[];
    for (let i = 0; i < BURSTS; i++) leaversB.push(await makeUser(app, admin, `b${i}@example.org`));
    for (let i = 0; i < BURSTS; i++) {
      const x = (await owner.agent.post('/admin/apps', { name: `Doomed ${i}` })).body.id as string;
      const X = `/admin/apps/${x}/services`;
      const y = (await owner.agent.post(X, { name: 'Y', type: 'RECOGNITION' })).body as Json;
      const z = await svc(`Z ${i}`);
      for (const n of ['a', 'b']) await face('setup', 'add', y.api_key, 'POST', '/subjects', { subject: n });
      for (const n of ['a', 'b']) await face('setup', 'add', z.api_key, 'POST', '/subjects', { subject: n });
      await owner.agent.post(`/admin/apps/${x}/members`, {
        email: 'user@example.org',
        role: 'ADMINISTRATOR',
      });
      const lb = leaversB[i];
      const o = owner.agent;
      await Promise.all(
        rotate(
          [
            () => send('owner', o, 'delete app', 'DELETE', `/admin/apps/${x}`),
            () =>
              send('boss', boss.agent, 'create service', 'POST', X, { name: `N ${i}`, type: 'RECOGNITION' }),
            () =>
              send('user', user.agent, 'invite', 'POST', `/admin/apps/${x}/members`, {
                email: 'm1@example.org',
                role: 'USER',
              }),
            () => send('boss', boss.agent, 'clone', 'POST', `${X}/${y.id}/clone`, {}),
            () => send('user', user.agent, 'new key', 'POST', `${X}/${y.id}/key`),
            () => send('boss', boss.agent, 'rename service', 'PUT', `${X}/${y.id}`, { name: 'Y2' }),
            () =>
              send('user', user.agent, 'embedder', 'PUT', `${X}/${y.id}/embedder`, {
                embedder: EMBEDDERS[i % 2],
              }),
            () => face('burst', 'add', y.api_key, 'POST', '/subjects', { subject: `s${i}` }),
            () => send('boss', boss.agent, 'rename app', 'PUT', `/admin/apps/${x}`, { name: `Doomed ${i}'` }),
            () =>
              send('user', user.agent, 'member role', 'PUT', `/admin/apps/${x}/members/${owner.user.id}`, {
                role: 'USER',
              }),
            () => send('user', user.agent, 'leave', 'DELETE', `/admin/apps/${x}/members/${user.user.id}`),
            () => send('owner', o, 'stats', 'GET', `${X}/${y.id}/stats`),
            // a service of Base deleted while cloned, re-keyed, renamed and written
            () => send('owner', o, 'delete service', 'DELETE', `${S}/${z.id}`),
            () => send('boss', boss.agent, 'clone', 'POST', `${S}/${z.id}/clone`, { name: `Z ${i} copy` }),
            () => send('user', user.agent, 'new key', 'POST', `${S}/${z.id}/key`),
            () => send('user', user.agent, 'rename service', 'PUT', `${S}/${z.id}`, { name: `Z ${i}'` }),
            () =>
              send('boss', boss.agent, 'embedder', 'PUT', `${S}/${z.id}/embedder`, {
                embedder: EMBEDDERS[(i + 1) % 2],
              }),
            () => face('burst', 'add', z.api_key, 'POST', '/subjects', { subject: `s${i}` }),
            () => face('burst', 'delete', z.api_key, 'DELETE', '/subjects/a'),
            // Base handed over while its members are re-roled and removed
            () =>
              send('owner', o, 'transfer', 'PUT', `/admin/apps/${base}/members/${m2.user.id}`, {
                role: 'OWNER',
              }),
            () =>
              send('owner', o, 'transfer', 'PUT', `/admin/apps/${base}/members/${m1.user.id}`, {
                role: 'OWNER',
              }),
            () =>
              send('boss', boss.agent, 'member role', 'PUT', `/admin/apps/${base}/members/${m2.user.id}`, {
                role: 'USER',
              }),
            () =>
              send(
                'user',
                user.agent,
                'remove member',
                'DELETE',
                `/admin/apps/${base}/members/${m1.user.id}`,
              ),
            () => send('m2', m2.agent, 'leave', 'DELETE', `/admin/apps/${base}/members/${m2.user.id}`),
            // a user deleting their account while invited, re-roled and creating an application
            () =>
              send(`b${i}`, lb.agent, 'delete self', 'DELETE', `/admin/users/${lb.user.id}`, {
                password: 'password-123',
              }),
            () =>
              send('owner', o, 'invite', 'POST', `/admin/apps/${base}/members`, {
                email: `b${i}@example.org`,
                role: 'USER',
              }),
            () =>
              send('boss', boss.agent, 'user role', 'PUT', `/admin/users/${lb.user.id}/role`, {
                role: 'ADMINISTRATOR',
              }),
            () => send('owner', o, 'reset password', 'POST', `/admin/users/${lb.user.id}/password`, {}),
            () => send(`b${i}`, lb.agent, 'create app', 'POST', '/admin/apps', { name: `B${i}` }),
          ],
          i * 7,
        ).map((f) => f()),
      );
      // put Base back: the owner owns it, m1 and m2 are members
      await owner.agent.put(`/admin/apps/${base}/members/${owner.user.id}`, { role: 'OWNER' });
      for (const m of ['m1', 'm2'])
        await owner.agent.post(`/admin/apps/${base}/members`, { email: `${m}@example.org`, role: 'USER' });
      // Base handed over to m1 and then m2 while both are re-roled, and m2 leaves: one owner afterwards
      const M = `/admin/apps/${base}/members`;
      await Promise.all(
        rotate(
          [
            () => send('owner', o, 'transfer', 'PUT', `${M}/${m1.user.id}`, { role: 'OWNER' }),
            () => send('boss', boss.agent, 'member role', 'PUT', `${M}/${m1.user.id}`, { role: 'USER' }),
            () => send('owner', o, 'transfer', 'PUT', `${M}/${m2.user.id}`, { role: 'OWNER' }),
            () =>
              send('user', user.agent, 'member role', 'PUT', `${M}/${m2.user.id}`, { role: 'ADMINISTRATOR' }),
            () => send('m2', m2.agent, 'leave', 'DELETE', `${M}/${m2.user.id}`),
            () => send('boss', boss.agent, 'remove member', 'DELETE', `${M}/${m1.user.id}`),
          ],
          i,
        ).map((f) => f()),
      );
      const members = (await owner.agent.get(M)).body.members as { role: string }[];
      expect(
        members.filter((m) => m.role === 'OWNER'),
        `burst ${i}`,
      ).toHaveLength(1);
      await owner.agent.put(`${M}/${owner.user.id}`, { role: 'OWNER' });
      for (const m of ['m1', 'm2']) await owner.agent.post(M, { email: `${m}@example.org`, role: 'USER' });
    }

    const failed = answers.filter((a) => a.status >= 500);
    if (failed.length) console.error(JSON.stringify(failed, null, 2));
    expect(failed).toEqual([]);
    const refusals = answers.filter((a) => a.status >= 400);
    for (const a of refusals)
      expect(a.body, `${a.who} ${a.op} ${a.status}`).toEqual({
        message: expect.any(String),
        code: expect.any(Number),
      });
    // the schedule made races, not just queues: some steps were refused
    expect(refusals.length).toBeGreaterThan(0);
    expect(
      answers.filter((a) => /^l\d$/.test(a.who) && a.op === 'delete self' && a.status === 204),
    ).toHaveLength(2);

    // every listed service belongs to a listed application; deleted applications are gone with their members
    const apps = (await owner.agent.get('/admin/apps')).body.applications as { id: string; name: string }[];
    const appIds = new Set(apps.map((a) => a.id));
    for (const a of apps) {
      const listed = (await owner.agent.get(`/admin/apps/${a.id}/services`)).body.services as Json[];
      for (const s of listed) expect(s.application_id).toBe(a.id);
    }
    expect(
      apps.filter((a) => a.name.startsWith('Tmp') || a.name.startsWith('U ')).map((a) => a.name),
    ).toEqual([`Tmp ${ROUNDS - 1}'`]);
    const [orphans] = await db.query<{ n: number }>(
      `select count(*)::int as n from application_members m where not exists (select 1 from applications a where a.id = m.application_id)`,
    );
    expect(orphans.n).toBe(0);
    for (const a of (await m1.agent.get('/admin/apps')).body.applications as { id: string }[])
      expect(appIds.has(a.id)).toBe(true);
    // an application with members has exactly one owner among them
    const owners = await db.query<{ id: string; owners: number }>(
      `select application_id as id, count(*) filter (where role = 'OWNER')::int as owners
         from application_members group by application_id`,
    );
    expect(owners.filter((o) => o.owners !== 1)).toEqual([]);
    // the current key resolves, every earlier one does not
    const current = (await owner.agent.get(`${S}/${keyed.id}`)).body.api_key as string;
    expect(current).toBe(keys[keys.length - 1]);
    expect((await face('check', 'list', current, 'GET', '/subjects')).status).toBe(200);
    for (const old of keys.slice(0, -1)) {
      const r = await face('check', 'list', old, 'GET', '/subjects');
      expect(r.status).toBeGreaterThanOrEqual(400);
      expect(r.body.code).toBe(10);
    }
    // the enrolled service ends on one embedder, with every example embedded by it
    const e = (await owner.agent.get(`${S}/${enrol.id}/embedder`)).body;
    expect(e.job.state).toBe('done');
    const [missing] = await db.query<{ n: number }>(
      `select count(*)::int as n from examples x join services s on s.id = x.service_id
        where s.id = $1 and not exists (select 1 from embeddings v where v.example_id = x.id
                                          and v.embedder = s.embedder || '@' || s.embedder_version)`,
      [enrol.id],
    );
    expect(missing.n).toBe(0);
  });
});
