// Server configuration, parsed once from the environment; a bad value fails start-up with every problem listed.
import { resolve } from 'node:path';

export interface Config {
  /** HTTP port (PORT, default 8000). */
  port: number;
  /** PostgreSQL URL (DATABASE_URL); unset = embedded PGlite under `dataDir`. */
  databaseUrl: string | undefined;
  /** Where PGlite and image files live (VISOR_DATA_DIR, default ./data). */
  dataDir: string;
  /** Store example images in the database (SAVE_IMAGES_TO_DB, default true, as CompreFace) or under `dataDir/images`. */
  saveImagesToDb: boolean;
  /** Largest accepted image file in bytes (MAX_FILE_SIZE, default 5 MB). */
  maxFileSize: number;
  /** Largest accepted request body in bytes (MAX_REQUEST_SIZE, default 10 MB). */
  maxBodySize: number;
  /** Decompression-bomb guard: largest image in pixels (MAX_IMAGE_PIXELS, default 40 M). */
  maxImagePixels: number;
  /** Allowed CORS origins for the face-service API (CORS_ORIGINS, comma list; default any: the API key is the credential). */
  corsOrigins: string[] | '*';
  /** Default minimum similarity for a recognition match (MIN_SIMILARITY, default 0 = CompreFace's always-nearest). */
  minSimilarity: number;
  /** Log level (LOG_LEVEL: debug, info, warn, error; default info). */
  logLevel: 'debug' | 'info' | 'warn' | 'error';
}

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`invalid configuration:\n  ${problems.join('\n  ')}`);
    this.name = 'ConfigError';
  }
}

const MB = 1024 * 1024;

/** Parses the environment into a Config; throws ConfigError naming every bad variable. */
export function loadConfig(env: Record<string, string | undefined> = process.env): Config {
  const problems: string[] = [];
  const int = (name: string, def: number, min: number, max = Number.MAX_SAFE_INTEGER): number => {
    const raw = env[name];
    if (raw === undefined || raw === '') return def;
    const n = Number(raw);
    if (!Number.isInteger(n) || n < min || n > max) {
      problems.push(`${name}=${raw}: expected an integer between ${min} and ${max}`);
      return def;
    }
    return n;
  };
  const num = (name: string, def: number, min: number, max: number): number => {
    const raw = env[name];
    if (raw === undefined || raw === '') return def;
    const n = Number(raw);
    if (!Number.isFinite(n) || n < min || n > max) {
      problems.push(`${name}=${raw}: expected a number between ${min} and ${max}`);
      return def;
    }
    return n;
  };
  const bool = (name: string, def: boolean): boolean => {
    const raw = env[name]?.toLowerCase();
    if (raw === undefined || raw === '') return def;
    if (['true', '1', 'yes'].includes(raw)) return true;
    if (['false', '0', 'no'].includes(raw)) return false;
    problems.push(`${name}=${env[name]}: expected true or false`);
    return def;
  };
  const databaseUrl = env.DATABASE_URL || undefined;
  if (databaseUrl && !/^postgres(ql)?:\/\//.test(databaseUrl)) problems.push(`DATABASE_URL: expected postgres://…`);
  const logLevel = (env.LOG_LEVEL ?? 'info') as Config['logLevel'];
  if (!['debug', 'info', 'warn', 'error'].includes(logLevel)) problems.push(`LOG_LEVEL=${logLevel}: expected debug, info, warn or error`);
  const origins = env.CORS_ORIGINS?.trim();
  const config: Config = {
    port: int('PORT', 8000, 0, 65535),
    databaseUrl,
    dataDir: resolve(env.VISOR_DATA_DIR || 'data'),
    saveImagesToDb: bool('SAVE_IMAGES_TO_DB', true),
    maxFileSize: int('MAX_FILE_SIZE', 5 * MB, 1),
    maxBodySize: int('MAX_REQUEST_SIZE', 10 * MB, 1),
    maxImagePixels: int('MAX_IMAGE_PIXELS', 40_000_000, 1),
    corsOrigins: !origins || origins === '*' ? '*' : origins.split(',').map((s) => s.trim()),
    minSimilarity: num('MIN_SIMILARITY', 0, 0, 1),
    logLevel,
  };
  if (problems.length) throw new ConfigError(problems);
  return config;
}
