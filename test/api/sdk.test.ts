// The official CompreFace JavaScript SDK against a real Visor server on a random loopback port:
// add, list, recognize, verify, detect and delete, exactly as a CompreFace user's code would call them.
import type { AddressInfo } from 'node:net';
import { serve, type ServerType } from '@hono/node-server';
import { CompreFace } from '@exadel/compreface-js-sdk';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { base64, describeApi, sample } from './harness.js';

// The SDK reads files from paths relative to the working directory (vitest runs from the repository root).
const path = (name: string) => `./test/fixtures/compreface-samples/${name}`;

// The SDK's bundled typings are incomplete (no getSubjects, every option required): this is the part we call.
interface Example {
  image_id: string;
  subject: string;
}
type Options = Record<string, string | number | boolean>;
interface Face {
  box: object;
  landmarks?: number[][];
  age?: object;
  gender?: object;
  subjects: { subject: string; similarity: number }[];
  similarity: number;
}
interface Sdk {
  initFaceRecognitionService(key: string): {
    getSubjects(): {
      add(subject: string): Promise<{ subject: string }>;
      list(): Promise<{ subjects: string[] }>;
      rename(from: string, to: string): Promise<{ updated: boolean }>;
      delete(subject: string): Promise<{ subject: string }>;
      deleteAll(): Promise<{ deleted: number }>;
    };
    getFaceCollection(): {
      add(image: string, subject: string, options?: Options): Promise<Example>;
      list(): Promise<{ faces: Example[] }>;
      verify(image: string, imageId: string, options: Options): Promise<{ result: Face[] }>;
      delete(imageId: string): Promise<Example>;
      delete_all_subject(subject: string): Promise<{ deleted: number }>;
    };
    recognize(image: string, options: Options): Promise<{ result: Face[] }>;
  };
  initFaceDetectionService(key: string): {
    detect(image: string, options: Options): Promise<{ result: Face[] }>;
  };
  initFaceVerificationService(key: string): {
    verify(source: string, target: string, options: Options): Promise<{ result: { face_matches: Face[] }[] }>;
  };
}

interface SdkError {
  response?: { status: number; data: { message: string; code: number } };
}

describeApi('official CompreFace JS SDK', (ctx) => {
  let server: ServerType;
  let sdk: Sdk;
  let base: string;

  beforeAll(async () => {
    const port = await new Promise<number>((resolve) => {
      server = serve({ fetch: ctx().app.fetch, port: 0, hostname: '127.0.0.1' }, (info: AddressInfo) =>
        resolve(info.port),
      );
    });
    sdk = new CompreFace('http://127.0.0.1', port, { limit: 0 }) as unknown as Sdk;
    base = `http://127.0.0.1:${port}`;
  });
  afterAll(async () => {
    if ('closeAllConnections' in server) server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  });

  it('manages subjects and examples, recognizes and verifies through the recognition service', async () => {
    const recognition = sdk.initFaceRecognitionService(ctx().keys.recognition);
    expect(await recognition.getSubjects().add('Sdk B')).toEqual({ subject: 'Sdk B' });

    const a = await recognition.getFaceCollection().add(path('004_A.jpg'), 'SdkA');
    expect(a).toMatchObject({ subject: 'SdkA', image_id: expect.any(String) });
    const b = await recognition.getFaceCollection().add(base64(sample('007_B.jpg')), 'Sdk B');
    expect(b).toMatchObject({ subject: 'Sdk B' });

    const listed = await recognition.getFaceCollection().list();
    expect(listed.faces.map((f) => f.image_id).sort()).toEqual([a.image_id, b.image_id].sort());
    expect((await recognition.getSubjects().list()).subjects.sort()).toEqual(['Sdk B', 'SdkA']);

    const recognized = await recognition.recognize(path('006_A.jpg'), {
      prediction_count: 2,
      face_plugins: 'age,gender',
    });
    expect(recognized.result[0].subjects[0].subject).toBe('SdkA');
    expect(recognized.result[0].subjects).toHaveLength(2);
    expect(recognized.result[0].age).toBeDefined();
    expect(recognized.result[0].gender).toBeDefined();
    const fromBase64 = await recognition.recognize(base64(sample('008_B.jpg')), {});
    expect(fromBase64.result[0].subjects[0].subject).toBe('Sdk B');

    const verified = await recognition.getFaceCollection().verify(path('005_A.jpg'), a.image_id, {});
    expect(verified.result[0].similarity).toBeGreaterThan(0.5);

    // Errors arrive as CompreFace's {message, code} with its status.
    const noFace = await recognition
      .getFaceCollection()
      .add(path('017_0.jpg'), 'SdkA')
      .catch((e: SdkError) => e.response);
    expect(noFace).toMatchObject({ status: 400, data: { code: 28 } });

    expect(await recognition.getFaceCollection().delete(b.image_id)).toEqual(b);
    expect(await recognition.getFaceCollection().delete_all_subject('SdkA')).toEqual({ deleted: 1 });
    // The subject goes with its examples (CompreFace's SubjectService.removeAllSubjectEmbeddings).
    expect((await recognition.getSubjects().list()).subjects).toEqual(['Sdk B']);
    expect(await recognition.getSubjects().rename('Sdk B', 'Sdk B2')).toEqual({ updated: true });
    expect(await recognition.getSubjects().add('Sdk C')).toEqual({ subject: 'Sdk C' });
    expect(await recognition.getSubjects().delete('Sdk B2')).toEqual({ subject: 'Sdk B2' });
    expect(await recognition.getSubjects().deleteAll()).toEqual({ deleted: 1 });
    expect((await recognition.getFaceCollection().list()).faces).toEqual([]);
  });

  it('detects faces through the detection service', async () => {
    const detection = sdk.initFaceDetectionService(ctx().keys.detection);
    const r = await detection.detect(path('000_5.jpg'), { face_plugins: 'landmarks' });
    expect(r.result).toHaveLength(5);
    expect(r.result[0].landmarks).toHaveLength(5);
  });

  it('verifies two images through the verification service', async () => {
    const verification = sdk.initFaceVerificationService(ctx().keys.verification);
    const same = await verification.verify(path('004_A.jpg'), path('006_A.jpg'), {});
    const other = await verification.verify(path('004_A.jpg'), path('008_B.jpg'), {});
    expect(same.result[0].face_matches[0].similarity).toBeGreaterThan(
      other.result[0].face_matches[0].similarity,
    );
  });

  it('answers 413 over real HTTP for a request over the 10 MB limit and keeps the collection', async () => {
    const recognition = sdk.initFaceRecognitionService(ctx().keys.recognition);
    const added = await recognition.getFaceCollection().add(path('009_C.jpg'), 'Kept');
    const form = new FormData();
    form.append('file', new File([new Uint8Array(11 * 1024 * 1024)], 'big.jpg'));
    const res = await fetch(`${base}/api/v1/recognition/faces?subject=Kept`, {
      method: 'POST',
      headers: { 'x-api-key': ctx().keys.recognition },
      body: form,
    });
    expect(res.status).toBe(413);
    expect(await res.json()).toEqual({ message: 'Request body is larger than the 10 MB limit', code: 38 });
    expect((await recognition.getFaceCollection().list()).faces).toEqual([added]);
  });
});
