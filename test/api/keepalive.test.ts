// Connection reuse after an early error (issue 13.3): a request that fails before its body is read (bad query
// parameter, unknown key) must leave the keep-alive socket usable for the next upload. Driven over a real
// loopback socket with Node's keep-alive agent and with the official CompreFace JS SDK (axios underneath).
import { once } from 'node:events';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { createRequire } from 'node:module';
import { serve, type ServerType } from '@hono/node-server';
import { CompreFace } from '@exadel/compreface-js-sdk';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeApi, sample } from './harness.js';

const BIG = '001_A.jpg'; // 2.4 MB
const require = createRequire(import.meta.url);
// The axios instance the SDK itself imports (a dependency of the SDK, not of Visor).
const sdkAxios = require(
  require.resolve('axios', { paths: [require.resolve('@exadel/compreface-js-sdk')] }),
) as {
  defaults: { httpAgent?: http.Agent };
};

interface Answer {
  status: number;
  headers: http.IncomingHttpHeaders;
  body: { code?: number; result?: unknown[] };
}

/** One request on `agent`; resolves with the parsed JSON answer. */
function send(agent: http.Agent, port: number, path: string, key: string, file: Uint8Array): Promise<Answer> {
  return (async () => {
    const form = new FormData();
    form.append('file', new File([file as Uint8Array<ArrayBuffer>], BIG));
    const r = new Response(form);
    const bytes = Buffer.from(await r.arrayBuffer());
    const req = http.request({
      agent,
      port,
      host: '127.0.0.1',
      path,
      method: 'POST',
      headers: {
        'x-api-key': key,
        'content-type': r.headers.get('content-type') ?? '',
        'content-length': bytes.byteLength,
      },
    });
    req.end(bytes);
    const [res] = (await once(req, 'response')) as [http.IncomingMessage];
    let text = '';
    for await (const chunk of res) text += String(chunk);
    return {
      status: res.statusCode ?? 0,
      headers: res.headers,
      body: JSON.parse(text) as Answer['body'],
    };
  })();
}

describeApi('keep-alive after an early error', (ctx) => {
  let server: ServerType;
  let port: number;
  let connections = 0;

  beforeAll(async () => {
    port = await new Promise<number>((resolve) => {
      server = serve({ fetch: ctx().app.fetch, port: 0, hostname: '127.0.0.1' }, (info: AddressInfo) =>
        resolve(info.port),
      );
    });
    server.on('connection', () => (connections += 1));
  });
  afterAll(async () => {
    if ('closeAllConnections' in server) server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  });

  it('answers an upload with a bad parameter, then the next upload on the same socket', async () => {
    const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
    const { recognition, detection } = ctx().keys;
    const before = connections;
    try {
      for (let round = 0; round < 3; round += 1) {
        const bad = await send(
          agent,
          port,
          '/api/v1/recognition/recognize?limit=abc',
          recognition,
          sample(BIG),
        );
        expect(bad.status).toBe(400);
        expect(bad.body.code).toBe(26);
        expect(bad.headers.connection).not.toBe('close');
        // Unknown key: refused by the key middleware before the route reads anything.
        const wrongKey = await send(agent, port, '/api/v1/detection/detect', recognition, sample(BIG));
        expect(wrongKey.status).toBe(404);
        expect(wrongKey.body.code).toBe(10);
        const good = await send(agent, port, '/api/v1/detection/detect', detection, sample(BIG));
        expect(good.status).toBe(200);
        expect(good.body.result).toHaveLength(1);
      }
      // Every request went over one connection: the early errors drained their uploads.
      expect(connections - before).toBe(1);
    } finally {
      agent.destroy();
    }
  });

  it('closes the connection when the upload is over the request limit, and the next request still works', async () => {
    const small = ctx().appWith({ maxBodySize: 1024 * 1024 });
    let smallServer: ServerType | undefined;
    const smallPort = await new Promise<number>((resolve) => {
      smallServer = serve({ fetch: small.fetch, port: 0, hostname: '127.0.0.1' }, (info: AddressInfo) =>
        resolve(info.port),
      );
    });
    const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
    try {
      const tooBig = await send(
        agent,
        smallPort,
        '/api/v1/detection/detect',
        ctx().keys.detection,
        sample(BIG),
      );
      expect(tooBig.status).toBe(413);
      expect(tooBig.body.code).toBe(38);
      expect(tooBig.headers.connection).toBe('close');
      const fine = await send(
        agent,
        smallPort,
        '/api/v1/detection/detect',
        ctx().keys.detection,
        sample('009_C.jpg'),
      );
      expect(fine.status).toBe(200);
    } finally {
      agent.destroy();
      if (smallServer && 'closeAllConnections' in smallServer) smallServer.closeAllConnections();
      await new Promise((resolve) => smallServer?.close(resolve));
    }
  });

  it('keeps the official JS SDK working on one keep-alive socket after an error', async () => {
    const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
    const previous = sdkAxios.defaults.httpAgent;
    sdkAxios.defaults.httpAgent = agent;
    const before = connections;
    try {
      const sdk = new CompreFace('http://127.0.0.1', port) as unknown as {
        initFaceDetectionService(key: string): {
          detect(image: string, options: Record<string, string | number>): Promise<{ result: unknown[] }>;
        };
      };
      const detection = sdk.initFaceDetectionService(ctx().keys.detection);
      const image = `./test/fixtures/compreface-samples/${BIG}`;
      for (let round = 0; round < 3; round += 1) {
        const error = await detection.detect(image, { det_prob_threshold: 7 }).then(
          () => undefined,
          (e: { response?: { status: number; data: { code: number } } }) => e.response,
        );
        expect(error?.status).toBe(400);
        expect(error?.data.code).toBe(26);
        const ok = await detection.detect(image, { limit: 0 });
        expect(ok.result).toHaveLength(1);
      }
      expect(connections - before).toBe(1);
    } finally {
      sdkAxios.defaults.httpAgent = previous;
      agent.destroy();
    }
  });
});
