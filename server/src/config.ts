// Server configuration, parsed once from the environment; a bad value fails start-up with every problem listed.
import { availableParallelism } from 'node:os';
import { resolve } from 'node:path';
import { DEFAULT_CANDIDATES, DEFAULT_QUANTISE_FROM } from './search/vector-index.js';

export interface Config {
  /** HTTP port (PORT, default 8000). */
  port: number;
  /** PostgreSQL URL (DATABASE_URL); unset = embedded PGlite under `dataDir`. */
  databaseUrl: string | undefined;
  /** Where PGlite and image files live (VISOR_DATA_DIR, default ./data). */
  dataDir: string;
  /** Store example images in the database (SAVE_IMAGES_TO_DB, default true, as CompreFace) or under `dataDir/images`. */
  saveImagesToDb: boolean;
  /** Your own ONNX models: a folder with one sub-folder per pack (VISOR_MODELS_DIR; unset = the built-in models only; README "Your own models"). */
  modelsDir: string | undefined;
  /** Seconds between sweeps of orphan image files in file mode (IMAGE_SWEEP_INTERVAL, default 900, 0 = only at start). */
  imageSweepInterval: number;
  /** Seconds an image file without a row must be old before a sweep removes it (IMAGE_ORPHAN_AGE, default 900). */
  imageOrphanAge: number;
  /** Largest accepted image file in bytes (MAX_FILE_SIZE, default 5 MB). */
  maxFileSize: number;
  /** Largest accepted request body in bytes (MAX_REQUEST_SIZE, default 10 MB). */
  maxBodySize: number;
  /** Decompression-bomb guard: largest image in pixels (MAX_IMAGE_PIXELS, default 40 M). */
  maxImagePixels: number;
  /** Decode-cost guard: longest side an image header may claim (MAX_IMAGE_SIDE, default 16384). */
  maxImageSide: number;
  /** Longest side images are analysed at; bigger photos decode reduced, results in their pixels (ANALYSIS_MAX_SIDE, default 1600, 0 = full size). */
  analysisMaxSide: number;
  /** Allowed CORS origins for the face-service API (CORS_ORIGINS, comma list; default any: the API key is the credential). */
  corsOrigins: string[] | '*';
  /** Default minimum similarity for a recognition match (MIN_SIMILARITY, default 0 = CompreFace's always-nearest). */
  minSimilarity: number;
  /** Log level (LOG_LEVEL: debug, info, warn, error; default info). */
  logLevel: 'debug' | 'info' | 'warn' | 'error';
  /** Address users reach the server at, for links in e-mails (PUBLIC_URL, default http://localhost:PORT). */
  publicUrl: string;
  /** Outgoing e-mail for confirmation and password-reset messages; undefined (SMTP_HOST unset) = no e-mail. */
  smtp: SmtpConfig | undefined;
  /** Anyone may sign up once the first user exists (SIGNUP_ENABLED, default true); false = owner/admin/CLI create users. */
  signupEnabled: boolean;
  /** Admin session lifetime in seconds (SESSION_TTL, default 604800 = 7 days). */
  sessionTtl: number;
  /** Secure flag of the session cookie (COOKIE_SECURE: auto = when the request came over HTTPS, true, false; default auto). */
  cookieSecure: 'auto' | boolean;
  /** Believe X-Forwarded-For/-Proto from a reverse proxy for the client address and HTTPS (TRUST_PROXY, default false). */
  trustProxy: boolean;
  /** Failed log-ins per account within `loginWindow` before it is refused (LOGIN_MAX_FAILURES, default 5). */
  loginMaxFailures: number;
  /** Failed log-ins per client address within `loginWindow` before it is refused (LOGIN_MAX_FAILURES_PER_ADDRESS, default 20). */
  loginMaxFailuresPerAddress: number;
  /** Sliding window of the log-in limits, in seconds (LOGIN_WINDOW, default 900). */
  loginWindow: number;
  /** Inference worker threads, each with its own copy of the models (INFERENCE_WORKERS, default: the core count). */
  inferenceWorkers: number;
  /** Images allowed to wait for a worker; beyond, requests get 503 Overloaded (INFERENCE_QUEUE, default 32). */
  inferenceQueue: number;
  /** Seconds one image's decode and analysis may take before it fails with 503 code 46 and its worker is replaced (INFERENCE_TIMEOUT, default 30, 0 = none). */
  inferenceTimeout: number;
  /** Images one API key may have waiting or running; beyond, 429 code 45 + Retry-After (INFERENCE_PER_KEY, default half of workers + queue). */
  inferencePerKey: number;
  /** Seconds a refusal to an API key that is mostly refused and keeps several requests in progress is held back, bounding a closed-loop flood's rate (REFUSAL_DELAY, default 5, 0–60, 0 = off). */
  refusalDelay: number;
  /** onnxruntime threads per worker (INTRA_OP_THREADS; default 0 = the cores shared out, max(1, cores / workers)). */
  intraOpThreads: number;
  /** Bearer token /metrics requires (METRICS_TOKEN); unset = /metrics is off unless `metricsPublic`. */
  metricsToken: string | undefined;
  /** Serve /metrics to anyone when no token is set (METRICS_PUBLIC, default false: it shows load and queue depth). */
  metricsPublic: boolean;
  /** Where recognition searches (SEARCH_BACKEND): memory (exact, in-process, default) or pgvector (HNSW in the database). */
  searchBackend: 'memory' | 'pgvector';
  /** Collection size from which the in-memory search keeps int8 vectors (a quarter of the memory) and re-ranks the best candidates with the exact ones kept in a temporary file; back to exact below half of it (SEARCH_QUANTISE_FROM, default 50000, 0 = always exact). */
  searchQuantiseFrom: number;
  /** Rows the quantised index's first stage (sign codes, Hamming distance) passes to its int8 scan, used from 4× as many rows (SEARCH_CANDIDATES, default 4096, 0 = the int8 scan reads every row). */
  searchCandidates: number;
  /** HNSW's candidate list per query under SEARCH_BACKEND=pgvector (PGVECTOR_EF_SEARCH, default 100, 1–1000): larger finds the exact nearest more often, slower. */
  pgvectorEfSearch: number;
}

/** The SMTP server Visor sends mail through (nodemailer). */
export interface SmtpConfig {
  /** SMTP_HOST. */
  host: string;
  /** SMTP_PORT, default 587 (465 when SMTP_SECURE). */
  port: number;
  /** Implicit TLS from the first byte (SMTP_SECURE, default true on port 465); otherwise STARTTLS when offered. */
  secure: boolean;
  /** SMTP_USER and SMTP_PASSWORD; no authentication when SMTP_USER is unset. */
  user: string | undefined;
  password: string | undefined;
  /** Sender address (SMTP_FROM, default "Visor <visor@SMTP_HOST>"). */
  from: string;
}

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`invalid configuration:\n  ${problems.join('\n  ')}`);
    this.name = 'ConfigError';
  }
}

const MB = 1024 * 1024;
/** SESSION_TTL's upper bound: 400 days, the longest cookie Max-Age browsers and hono accept. */
export const MAX_SESSION_TTL = 400 * 24 * 3600;
/** LOGIN_WINDOW's upper bound: one year. */
export const MAX_LOGIN_WINDOW = 365 * 24 * 3600;

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
  if (databaseUrl && !/^postgres(ql)?:\/\//.test(databaseUrl))
    problems.push(`DATABASE_URL: expected postgres://…`);
  const logLevel = (env.LOG_LEVEL ?? 'info') as Config['logLevel'];
  if (!['debug', 'info', 'warn', 'error'].includes(logLevel))
    problems.push(`LOG_LEVEL=${logLevel}: expected debug, info, warn or error`);
  const origins = env.CORS_ORIGINS?.trim();
  const port = int('PORT', 8000, 0, 65535);
  const publicUrl = (env.PUBLIC_URL || `http://localhost:${port}`).replace(/\/+$/, '');
  if (!/^https?:\/\/[^/]/.test(publicUrl)) problems.push(`PUBLIC_URL=${publicUrl}: expected http(s)://host…`);
  const smtpHost = env.SMTP_HOST?.trim();
  const smtpSecure = bool('SMTP_SECURE', env.SMTP_PORT === '465');
  const smtp: SmtpConfig | undefined = smtpHost
    ? {
        host: smtpHost,
        port: int('SMTP_PORT', smtpSecure ? 465 : 587, 1, 65535),
        secure: smtpSecure,
        user: env.SMTP_USER || undefined,
        password: env.SMTP_PASSWORD || undefined,
        from: env.SMTP_FROM || `Visor <visor@${smtpHost}>`,
      }
    : undefined;
  const cookieSecureRaw = (env.COOKIE_SECURE || 'auto').toLowerCase();
  const cookieSecure = cookieSecureRaw === 'auto' ? 'auto' : bool('COOKIE_SECURE', false);
  const searchBackend = (env.SEARCH_BACKEND || 'memory').toLowerCase() as Config['searchBackend'];
  if (!['memory', 'pgvector'].includes(searchBackend))
    problems.push(`SEARCH_BACKEND=${env.SEARCH_BACKEND}: expected memory or pgvector`);
  const config: Config = {
    port,
    databaseUrl,
    dataDir: resolve(env.VISOR_DATA_DIR || 'data'),
    saveImagesToDb: bool('SAVE_IMAGES_TO_DB', true),
    modelsDir: env.VISOR_MODELS_DIR ? resolve(env.VISOR_MODELS_DIR) : undefined,
    imageSweepInterval: int('IMAGE_SWEEP_INTERVAL', 900, 0, 7 * 86_400),
    imageOrphanAge: int('IMAGE_ORPHAN_AGE', 900, 0, 7 * 86_400),
    maxFileSize: int('MAX_FILE_SIZE', 5 * MB, 1),
    maxBodySize: int('MAX_REQUEST_SIZE', 10 * MB, 1),
    maxImagePixels: int('MAX_IMAGE_PIXELS', 40_000_000, 1),
    maxImageSide: int('MAX_IMAGE_SIDE', 16_384, 1, 1_000_000),
    analysisMaxSide: int('ANALYSIS_MAX_SIDE', 1600, 0),
    corsOrigins: !origins || origins === '*' ? '*' : origins.split(',').map((s) => s.trim()),
    minSimilarity: num('MIN_SIMILARITY', 0, 0, 1),
    logLevel,
    publicUrl,
    smtp,
    signupEnabled: bool('SIGNUP_ENABLED', true),
    // Bounded by the cookie: browsers (RFC 6265bis) and hono refuse a Max-Age over 400 days.
    sessionTtl: int('SESSION_TTL', 7 * 24 * 3600, 60, MAX_SESSION_TTL),
    cookieSecure,
    trustProxy: bool('TRUST_PROXY', false),
    loginMaxFailures: int('LOGIN_MAX_FAILURES', 5, 1),
    loginMaxFailuresPerAddress: int('LOGIN_MAX_FAILURES_PER_ADDRESS', 20, 1),
    // Bounded to a year: far inside what PostgreSQL's interval arithmetic on now() accepts.
    loginWindow: int('LOGIN_WINDOW', 900, 1, MAX_LOGIN_WINDOW),
    inferenceWorkers: int('INFERENCE_WORKERS', availableParallelism(), 1, 256),
    inferenceQueue: int('INFERENCE_QUEUE', 32, 0, 100_000),
    inferenceTimeout: int('INFERENCE_TIMEOUT', 30, 0, 3600),
    inferencePerKey: 0,
    refusalDelay: num('REFUSAL_DELAY', 5, 0, 60),
    intraOpThreads: int('INTRA_OP_THREADS', 0, 0, 256),
    searchBackend,
    metricsToken: env.METRICS_TOKEN || undefined,
    metricsPublic: bool('METRICS_PUBLIC', false),
    searchQuantiseFrom: int('SEARCH_QUANTISE_FROM', DEFAULT_QUANTISE_FROM, 0),
    searchCandidates: int('SEARCH_CANDIDATES', DEFAULT_CANDIDATES, 0, 10_000_000),
    pgvectorEfSearch: int('PGVECTOR_EF_SEARCH', 100, 1, 1000),
  };
  config.inferencePerKey = int(
    'INFERENCE_PER_KEY',
    Math.max(1, Math.ceil((config.inferenceWorkers + config.inferenceQueue) / 2)),
    1,
  );
  if (problems.length) throw new ConfigError(problems);
  return config;
}
