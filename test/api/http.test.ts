// The HTTP layer itself: API keys, malformed bodies, size limits, CORS, config, health, docs and demos.
import { expect, it } from 'vitest';
import { base64, client, describeApi, read, sample } from './harness.js';

const UNKNOWN_KEY = '0b6f1a52-4d1c-4a57-9a0e-5e1f3c7d2b90';

describeApi('http layer', (ctx) => {
  it('answers 20 for a missing key, 26 for a non-UUID key, 10 for an unknown one, on every service type', async () => {
    const { app } = ctx();
    for (const path of ['/api/v1/recognition/subjects', '/api/v1/recognition/faces']) {
      expect(await read(client(app, undefined).get(path))).toEqual({
        status: 400,
        body: { message: 'Missing header: x-api-key', code: 20 },
      });
      expect(await read(client(app, 'not-a-uuid').get(path))).toEqual({
        status: 400,
        body: { message: 'Service API key should be UUID', code: 26 },
      });
      expect(await read(client(app, UNKNOWN_KEY).get(path))).toEqual({
        status: 404,
        body: { message: `Recognition service with API Key ${UNKNOWN_KEY} not found`, code: 10 },
      });
    }
    const image = { file: [sample('009_C.jpg'), '009_C.jpg'] as [Uint8Array, string] };
    for (const path of ['/api/v1/recognition/recognize', '/api/v1/detection/detect']) {
      expect((await read(client(app, undefined).multipart(path, image))).body).toMatchObject({ code: 20 });
      expect((await read(client(app, 'x').multipart(path, image))).body).toMatchObject({ code: 26 });
    }
    const two = { source_image: image.file, target_image: image.file };
    expect(
      (await read(client(app, undefined).multipart('/api/v1/verification/verify', two))).body,
    ).toMatchObject({
      code: 20,
    });
  });

  it('answers 10 when the key belongs to a service of another type', async () => {
    const { app, keys } = ctx();
    const image = { file: [sample('009_C.jpg'), '009_C.jpg'] as [Uint8Array, string] };
    const detectWithRecognitionKey = await read(
      client(app, keys.recognition).multipart('/api/v1/detection/detect', image),
    );
    expect(detectWithRecognitionKey).toEqual({
      status: 404,
      body: { message: `Detection service with API Key ${keys.recognition} not found`, code: 10 },
    });
    const subjectsWithDetectionKey = await read(
      client(app, keys.detection).get('/api/v1/recognition/subjects'),
    );
    expect(subjectsWithDetectionKey.status).toBe(404);
    expect(subjectsWithDetectionKey.body).toMatchObject({ code: 10 });
    const verifyWithRecognitionKey = await read(
      client(app, keys.recognition).multipart('/api/v1/verification/verify', {
        source_image: image.file,
        target_image: image.file,
      }),
    );
    expect(verifyWithRecognitionKey.body).toMatchObject({ code: 10 });
  });

  it('answers 400 code 36 for malformed JSON, never 500', async () => {
    const { app, keys } = ctx();
    const rec = client(app, keys.recognition);
    for (const [method, path] of [
      ['POST', '/api/v1/recognition/subjects'],
      ['PUT', '/api/v1/recognition/subjects/someone'],
      ['POST', '/api/v1/recognition/faces?subject=someone'],
      ['POST', '/api/v1/recognition/recognize'],
      ['POST', '/api/v1/recognition/faces/delete'],
      ['POST', '/api/v1/recognition/embeddings/recognize'],
    ] as const) {
      const r = await read(rec.json(method, path, '{"subject": "unterminated'));
      expect(r, `${method} ${path}`).toEqual({
        status: 400,
        body: { message: 'Request body is not valid JSON', code: 36 },
      });
    }
    const detect = await read(client(app, keys.detection).json('POST', '/api/v1/detection/detect', '{'));
    expect(detect).toMatchObject({ status: 400, body: { code: 36 } });
    const verify = await read(
      client(app, keys.verification).json('POST', '/api/v1/verification/verify', '[1,'),
    );
    expect(verify).toMatchObject({ status: 400, body: { code: 36 } });
  });

  it('rejects a request over the body limit with 413 and loses no data', async () => {
    const { app, appWith, keys } = ctx();
    const rec = client(app, keys.recognition);
    const added = await read(
      rec.multipart('/api/v1/recognition/faces?subject=Keeper', { file: [sample('009_C.jpg'), 'c.jpg'] }),
    );
    expect(added.status).toBe(201);
    const small = client(appWith({ maxBodySize: 200_000 }), keys.recognition);
    const big = await read(
      small.multipart('/api/v1/recognition/faces?subject=Keeper', { file: [sample('002_A.jpg'), 'a.jpg'] }),
    );
    expect(big.status).toBe(413);
    expect(big.body).toEqual({ message: 'Request body is larger than the 195.3 KB limit', code: 38 });
    const bigJson = await read(
      small.json('POST', '/api/v1/recognition/faces?subject=Keeper', { file: base64(sample('002_A.jpg')) }),
    );
    expect(bigJson.status).toBe(413);
    const list = await read<{ faces: unknown[] }>(rec.get('/api/v1/recognition/faces?subject=Keeper'));
    expect(list.body.faces).toEqual([added.body]);
    expect((await read(rec.delete('/api/v1/recognition/subjects/Keeper'))).status).toBe(200);
  });

  it('rejects a file over the file limit with 413, multipart and Base64', async () => {
    const { appWith, keys } = ctx();
    const small = client(appWith({ maxFileSize: 120_000 }), keys.detection);
    const multipart = await read(
      small.multipart('/api/v1/detection/detect', { file: [sample('008_B.jpg'), '008_B.jpg'] }),
    );
    expect(multipart).toEqual({
      status: 413,
      body: { message: 'File [008_B.jpg] is larger than the 117.2 KB limit for a file', code: 38 },
    });
    const json = await read(
      small.json('POST', '/api/v1/detection/detect', { file: base64(sample('008_B.jpg')) }),
    );
    expect(json).toEqual({
      status: 413,
      body: { message: 'Field file is larger than the 117.2 KB limit for a file', code: 38 },
    });
    // Just under the limit is fine.
    expect(
      (await read(small.multipart('/api/v1/detection/detect', { file: [sample('007_B.jpg'), '007_B.jpg'] })))
        .status,
    ).toBe(200);
  });

  it('answers CORS pre-flights and adds CORS headers to answers, errors included', async () => {
    const { app, appWith } = ctx();
    const pre = await app.request('/api/v1/recognition/recognize', {
      method: 'OPTIONS',
      headers: {
        origin: 'http://elsewhere.example',
        'access-control-request-method': 'POST',
        'access-control-request-headers': 'x-api-key',
      },
    });
    expect(pre.status).toBe(204);
    expect(pre.headers.get('access-control-allow-origin')).toBe('*');
    expect(pre.headers.get('access-control-allow-headers')?.toLowerCase()).toContain('x-api-key');
    expect(pre.headers.get('access-control-allow-methods')).toContain('POST');
    const err = await app.request('/api/v1/recognition/subjects', {
      headers: { origin: 'http://elsewhere.example' },
    });
    expect(err.status).toBe(400);
    expect(err.headers.get('access-control-allow-origin')).toBe('*');

    const only = appWith({ corsOrigins: ['http://allowed.example'] });
    const allowed = await only.request('/api/v1/config', { headers: { origin: 'http://allowed.example' } });
    expect(allowed.headers.get('access-control-allow-origin')).toBe('http://allowed.example');
    const denied = await only.request('/api/v1/config', { headers: { origin: 'http://other.example' } });
    expect(denied.headers.get('access-control-allow-origin')).toBeNull();
  });

  it('answers unknown paths with a JSON 404 and serves /config', async () => {
    const { app, config } = ctx();
    expect(await read(app.request('/api/v1/nowhere'))).toEqual({
      status: 404,
      body: { message: 'No endpoint GET /api/v1/nowhere', code: 0 },
    });
    expect(await read(app.request('/api/v1/config'))).toEqual({
      status: 200,
      body: { clientMaxFileSize: config.maxFileSize, clientMaxBodySize: config.maxBodySize },
    });
  });

  it('reports health and readiness', async () => {
    const { app, appWith } = ctx();
    expect(await read(app.request('/api/health'))).toEqual({ status: 200, body: { status: 'ok' } });
    expect(await read(app.request('/api/ready'))).toEqual({ status: 200, body: { status: 'ready' } });
    expect(appWith({})).not.toBe(app);
  });

  it('describes every endpoint in /api/openapi.json and serves an offline docs page', async () => {
    const { app } = ctx();
    const { status, body } = await read<{ openapi: string; paths: Record<string, Record<string, unknown>> }>(
      app.request('/api/openapi.json'),
    );
    expect(status).toBe(200);
    expect(body.openapi).toBe('3.1.0');
    const ops = Object.entries(body.paths)
      .filter(([p]) => p.startsWith('/api/'))
      .flatMap(([p, methods]) => Object.keys(methods).map((m) => `${m.toUpperCase()} ${p}`));
    expect(ops.sort()).toEqual(
      [
        'POST /api/v1/recognition/subjects',
        'GET /api/v1/recognition/subjects',
        'DELETE /api/v1/recognition/subjects',
        'PUT /api/v1/recognition/subjects/{subject}',
        'DELETE /api/v1/recognition/subjects/{subject}',
        'POST /api/v1/recognition/faces',
        'POST /api/v1/recognition/faces/batch',
        'POST /api/v1/verification/verify/batch',
        'GET /api/v1/recognition/faces',
        'DELETE /api/v1/recognition/faces',
        'POST /api/v1/recognition/faces/delete',
        'DELETE /api/v1/recognition/faces/{image_id}',
        'GET /api/v1/recognition/faces/{image_id}/img',
        'GET /api/v1/static/{api_key}/images/{image_id}',
        'POST /api/v1/recognition/faces/{image_id}/verify',
        'POST /api/v1/recognition/recognize',
        'POST /api/v1/detection/detect',
        'POST /api/v1/verification/verify',
        'POST /api/v1/recognition/embeddings/recognize',
        'POST /api/v1/recognition/embeddings/faces/{image_id}/verify',
        'POST /api/v1/verification/embeddings/verify',
        'GET /api/v1/config',
        'GET /api/v1/consistence/status',
        'POST /api/v1/migrate',
      ].sort(),
    );
    // Every $ref resolves.
    const text = JSON.stringify(body);
    for (const [, ref] of text.matchAll(/"\$ref":"#\/([^"]+)"/g)) {
      const target = ref
        .split('/')
        .reduce<unknown>((o, k) => (o as Record<string, unknown> | undefined)?.[k], body);
      expect(target, ref).toBeDefined();
    }
    const docs = await app.request('/api/docs');
    expect(docs.status).toBe(200);
    const html = await docs.text();
    expect(html).toContain('/api/openapi.json');
    expect(html).not.toMatch(/<(script|link)[^>]+(src|href)="(https?:)?\/\//);
  });

  it('serves the two demos under /demo, calling the API with fetch and a typed key', async () => {
    const { app } = ctx();
    const index = await app.request('/demo');
    expect(index.status).toBe(301);
    expect(index.headers.get('location')).toBe('/demo/');
    const page = await app.request('/demo/');
    expect(await page.text()).toContain('recognize.html');
    const add = await (await app.request('/demo/add-example.html')).text();
    expect(add).toContain('/api/v1/recognition/faces/?subject=');
    expect(add).toContain('apiKey');
    const recognize = await (await app.request('/demo/recognize.html')).text();
    expect(recognize).toContain('/api/v1/recognition/recognize');
    expect(recognize).toContain('getUserMedia');
    expect((await app.request('/demo/..%2Fpackage.json')).status).toBe(404);
  });
});
