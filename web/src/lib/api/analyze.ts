// Image calls of every service type (recognize, detect, verify), described once so the Test page can both
// send them and show the equivalent curl command.
import { apiUrl, call, type Query } from './client.js';
import type { Connection, DetectResponse, RecognizeResponse, ServiceType, VerifyResponse } from './types.js';

export interface AnalyzeParams {
  limit?: number;
  detProbThreshold?: number;
  predictionCount?: number;
  plugins: string[];
}

/** One image part of the request: its form field name and the file. */
export interface ImagePart {
  field: string;
  file: File;
}

export interface AnalyzeRequest {
  path: string;
  query: Query;
  parts: ImagePart[];
}

export type AnalyzeResponse = RecognizeResponse | DetectResponse | VerifyResponse;

/** The request a service type makes for the given images (verification: source then target). */
export function analyzeRequest(type: ServiceType, params: AnalyzeParams, files: File[]): AnalyzeRequest {
  const query: Query = {
    limit: params.limit,
    det_prob_threshold: params.detProbThreshold,
    face_plugins: params.plugins.join(',') || undefined,
  };
  switch (type) {
    case 'recognition':
      return {
        path: 'recognition/recognize',
        query: { ...query, prediction_count: params.predictionCount },
        parts: [{ field: 'file', file: files[0] }],
      };
    case 'detection':
      return { path: 'detection/detect', query, parts: [{ field: 'file', file: files[0] }] };
    case 'verification':
      return {
        path: 'verification/verify',
        query,
        parts: [
          { field: 'source_image', file: files[0] },
          { field: 'target_image', file: files[1] },
        ],
      };
  }
}

export function send(conn: Connection, req: AnalyzeRequest, signal?: AbortSignal): Promise<AnalyzeResponse> {
  const form = new FormData();
  for (const p of req.parts) form.append(p.field, p.file, p.file.name);
  return call<AnalyzeResponse>(conn, 'POST', req.path, { query: req.query, form, signal });
}

/** Quotes for a POSIX shell. */
function sh(s: string): string {
  return /^[\w@%+=:,./-]+$/.test(s) ? s : `'${s.replace(/'/g, `'\\''`)}'`;
}

/** The curl command that makes the same request from a terminal in the folder holding the images. */
export function curlCommand(origin: string, conn: Connection, req: AnalyzeRequest): string {
  const lines = [
    `curl -X POST ${sh(origin + apiUrl(req.path, req.query))}`,
    `  -H ${sh(`x-api-key: ${conn.apiKey}`)}`,
    ...req.parts.map((p) => `  -F ${sh(`${p.field}=@${p.file.name}`)}`),
  ];
  return lines.join(' \\\n');
}
