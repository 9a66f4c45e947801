// A small client for the public recognition API that CompreFace and Visor both answer (x-api-key header):
// list subjects and examples, download an example's image, create a subject, enrol an example. Used by
// `visor import`; every failure is an `ApiError` carrying the HTTP status and CompreFace's `code`.
import { sniffFormat } from '../image/sniff.js';

export class ApiError extends Error {
  constructor(
    message: string,
    readonly status?: number,
    readonly code?: number,
  ) {
    super(message);
    this.name = 'ApiError';
  }
}

export interface Example {
  image_id: string;
  subject: string;
}

interface FacesPage {
  faces: Example[];
  total_pages: number;
}

/** Examples listed per page; CompreFace's default page is 20, Visor and Spring allow far more. */
const PAGE_SIZE = 500;

export function recognitionClient(baseUrl: string, apiKey: string) {
  const base = `${baseUrl.replace(/\/+$/, '')}/api/v1/recognition`;
  const headers = { 'x-api-key': apiKey };

  async function call(what: string, path: string, init: RequestInit = {}): Promise<Response> {
    let res: Response;
    try {
      res = await fetch(`${base}${path}`, { ...init, headers: { ...headers, ...init.headers } });
    } catch (e) {
      const cause = (e as { cause?: { code?: string; message?: string } }).cause;
      throw new ApiError(`${what}: ${cause?.code ?? cause?.message ?? (e as Error).message}`);
    }
    if (res.ok) return res;
    const text = await res.text();
    let body: { message?: string; code?: number } = {};
    try {
      body = JSON.parse(text) as typeof body;
    } catch {
      body = { message: text.slice(0, 200) };
    }
    const code = typeof body.code === 'number' ? ` code ${body.code}` : '';
    throw new ApiError(
      `${what}: HTTP ${res.status}${code}: ${body.message ?? res.statusText}`,
      res.status,
      body.code,
    );
  }

  const json = async <T>(what: string, path: string, init?: RequestInit) =>
    (await (await call(what, path, init)).json()) as T;

  return {
    async listSubjects(): Promise<string[]> {
      return (await json<{ subjects: string[] }>('list subjects', '/subjects')).subjects;
    },

    /** Every example of the collection, page by page. */
    async listExamples(): Promise<Example[]> {
      const all: Example[] = [];
      for (let page = 0, pages = 1; page < pages; page++) {
        const body = await json<FacesPage>('list faces', `/faces?page=${page}&size=${PAGE_SIZE}`);
        all.push(...body.faces.map(({ image_id, subject }) => ({ image_id, subject })));
        pages = body.total_pages;
      }
      return all;
    },

    /** The example's image bytes; CompreFace answers an empty body for an unknown id. */
    async downloadImage(imageId: string): Promise<Uint8Array> {
      const res = await call('download', `/faces/${encodeURIComponent(imageId)}/img`);
      const bytes = new Uint8Array(await res.arrayBuffer());
      if (!bytes.length) throw new ApiError('download: the source has no image for this id');
      return bytes;
    },

    async addSubject(subject: string): Promise<void> {
      await call('create subject', '/subjects', {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ subject }),
      });
    },

    /** Enrols the image as an example of `subject` (its biggest face); resolves to the new image id. */
    async addExample(subject: string, bytes: Uint8Array, detProbThreshold?: number): Promise<string> {
      const format = sniffFormat(bytes);
      const form = new FormData();
      // CompreFace checks the file name's extension; the bytes decide the format.
      form.append(
        'file',
        new Blob([bytes as Uint8Array<ArrayBuffer>]),
        `image.${format === 'jpeg' ? 'jpg' : (format ?? 'jpg')}`,
      );
      const query = new URLSearchParams({ subject });
      if (detProbThreshold !== undefined) query.set('det_prob_threshold', String(detProbThreshold));
      const body = await json<{ image_id: string }>('enrol', `/faces?${query}`, {
        method: 'POST',
        body: form,
      });
      return body.image_id;
    },
  };
}

export type RecognitionClient = ReturnType<typeof recognitionClient>;
