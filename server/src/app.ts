// The HTTP application: CompreFace's face-service API under /api/v1, its OpenAPI document and docs page,
// health/readiness, and the browser demos. Built without a port so tests drive it through `app.request()`.
import { OpenAPIHono } from '@hono/zod-openapi';
import { Hono, type MiddlewareHandler } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import { cors } from 'hono/cors';
import { requestId } from 'hono/request-id';
import { NotReady, PayloadTooLarge } from '../../shared/errors.js';
import type { Config } from './config.js';
import type { AppEnv, RouteDeps } from './http/env.js';
import { settleBody } from './http/body.js';
import { rejectNul } from './http/text-guard.js';
import { errorHandler, notFoundHandler } from './http/errors.js';
import { formatSize } from './http/images.js';
import { keyShare } from './http/key-share.js';
import { accessLog, createLogger, type Logger } from './http/logger.js';
import { batchRoutes } from './routes/batch.js';
import { compatRoutes } from './routes/compat.js';
import { configRoutes } from './routes/config.js';
import { demoRoutes } from './routes/demo.js';
import { detectRoutes } from './routes/detect.js';
import { embeddingRoutes } from './routes/embeddings.js';
import { faceRoutes } from './routes/faces.js';
import { healthRoutes } from './routes/health.js';
import { openapiDocument, registerDocumentParts } from './openapi/document.js';
import { openapiRoutes } from './routes/openapi.js';
import { recognizeRoutes } from './routes/recognize.js';
import { staticRoutes } from './routes/static.js';
import { subjectRoutes } from './routes/subjects.js';
import { verifyRoutes } from './routes/verify.js';
import type { FaceServices } from './services/types.js';
import type { Metrics } from './http/metrics.js';
import { metricsAccess } from './http/metrics-access.js';
import { modelRoutes, ortRoutes } from './routes/models.js';
import type { ModelSet } from './inference/packs.js';
import { syncRoutes } from './routes/sync.js';
import type { SyncService } from './services/sync.js';
import { adminRoutes, countRequests } from './routes/admin/index.js';
import type { AdminServices, RequestCounter } from './services/admin/index.js';

export interface AppDeps {
  config: Config;
  services: FaceServices;
  /** Defaults to JSON lines on stderr at `config.logLevel`. */
  logger?: Logger;
  /** Readiness probe for GET /api/ready (e.g. a database ping); absent = ready. */
  ready?: () => boolean | Promise<boolean>;
  /** Serves the web app for paths the API does not own (`webApp()` from server/src/web); absent = API only. */
  web?: MiddlewareHandler;
  /** Administration (users, applications, roles, service keys) under /admin; absent = face-service API only. */
  admin?: { services: AdminServices; counter?: RequestCounter };
  /** Serves models/ and onnxruntime-web's files to the browser engine. */
  models?: { dir: string; set?: ModelSet };
  /** Browser sync (pull/push) for recognition services. */
  sync?: SyncService;
  /** Prometheus metrics: recorded for every request and exposed at /metrics. */
  metrics?: Metrics;
  /** Extra sub-apps mounted before the web app (models for the browser engine, sync, metrics…). */
  extra?: (app: Hono<AppEnv>) => void;
}

/** Builds the Hono app; no side effects, no port. Its OpenAPI document is generated from its routes' contracts. */
export function createApp(deps: AppDeps): OpenAPIHono<AppEnv> {
  const logger = deps.logger ?? createLogger(deps.config.logLevel);
  const routeDeps: RouteDeps = { config: deps.config, services: deps.services, logger };
  const { corsOrigins, maxBodySize } = deps.config;

  const app = new OpenAPIHono<AppEnv>({ strict: false });
  registerDocumentParts(app);
  app.use(requestId());
  if (deps.metrics) {
    app.use(deps.metrics.middleware);
    app.get('/metrics', metricsAccess(deps.config), deps.metrics.handler);
  }
  app.use(accessLog(logger));
  // Outermost body handling: an early error still reads the upload, so the keep-alive connection stays usable.
  app.use(settleBody(maxBodySize));
  // A NUL in the URL (a subject, a name) is refused before any work: PostgreSQL cannot store it.
  app.use(rejectNul());
  // Browser callers on other origins: the API key is the credential, so any origin by default.
  const corsMiddleware = cors({
    origin: corsOrigins === '*' ? '*' : corsOrigins,
    allowMethods: ['GET', 'POST', 'PUT', 'DELETE', 'OPTIONS'],
    // The headers CompreFace's gateway allows (its nginx configuration), so the same browser code works.
    allowHeaders: [
      'DNT',
      'User-Agent',
      'X-Requested-With',
      'If-Modified-Since',
      'Cache-Control',
      'Content-Type',
      'Range',
      'x-api-key',
    ],
    exposeHeaders: ['x-request-id'],
    maxAge: 86400,
  });
  app.use('/api/v1/*', corsMiddleware);
  app.use('/api/openapi.json', corsMiddleware);
  app.use(
    '/api/v1/*',
    bodyLimit({
      maxSize: maxBodySize,
      onError: () => {
        throw new PayloadTooLarge(`Request body is larger than the ${formatSize(maxBodySize)} limit`);
      },
    }),
  );

  // One key's flood is refused (429) from its header before any lookup or body read (INFERENCE_PER_KEY in progress);
  // a key that is mostly refused has its refusals held back REFUSAL_DELAY seconds.
  app.use('/api/v1/*', keyShare(deps.config.inferencePerKey, deps.config.refusalDelay * 1000));
  if (deps.admin?.counter) app.use('/api/v1/*', countRequests(deps.admin.counter));

  app.route('/api/v1/recognition/subjects', subjectRoutes(routeDeps));
  // Before faceRoutes: its API-key middleware would otherwise also run for /faces/batch.
  app.route('/api/v1', batchRoutes(routeDeps));
  app.route('/api/v1/recognition/faces', faceRoutes(routeDeps));
  app.route('/api/v1/recognition/recognize', recognizeRoutes(routeDeps));
  app.route('/api/v1/detection/detect', detectRoutes(routeDeps));
  app.route('/api/v1/verification/verify', verifyRoutes(routeDeps));
  app.route('/api/v1', embeddingRoutes(routeDeps));
  app.route('/api/v1/static', staticRoutes(routeDeps));
  app.route('/api/v1/config', configRoutes(routeDeps));
  app.route('/api/v1', compatRoutes(routeDeps));
  app.route('/api', healthRoutes(deps.ready));
  app.route(
    '/api',
    openapiRoutes(() => openapiDocument(app)),
  );
  app.route('/demo', demoRoutes());
  if (deps.admin)
    app.route(
      '/admin',
      adminRoutes({ config: deps.config, admin: deps.admin.services, embedders: deps.services }),
    );
  if (deps.models) {
    app.route('/models', modelRoutes(deps.models.dir, deps.models.set));
    app.route('/ort', ortRoutes());
  }
  if (deps.sync) app.route('/api/v1/recognition/sync', syncRoutes(routeDeps, deps.sync));
  deps.extra?.(app);
  if (deps.web) app.use('*', deps.web);

  app.onError(errorHandler(logger));
  app.notFound(notFoundHandler);
  return app;
}

/** What answers while the models load: health is fine, readiness and the API say "not yet" (503, code 41). */
export function createStartingApp(logger: Logger): Hono<AppEnv> {
  const app = new Hono<AppEnv>({ strict: false });
  app.use(requestId());
  app.route(
    '/api',
    healthRoutes(() => false),
  );
  app.all('*', () => {
    throw new NotReady('Visor is starting: the face models are loading, try again in a moment');
  });
  app.onError(errorHandler(logger));
  return app;
}
