// The Hono environment shared by the app and every route: what middleware puts on the context.
import type { RequestIdVariables } from 'hono/request-id';
import type { Config } from '../config.js';
import type { FaceServices, ServiceRef } from '../services/types.js';
import type { Logger } from './logger.js';

export interface AppVariables extends RequestIdVariables {
  /** The face service the request's API key resolved to (set by `apiKey()`). */
  service: ServiceRef;
}

export interface AppEnv {
  Variables: AppVariables;
}

/** What routes need from the outside world; created once per app. */
export interface RouteDeps {
  config: Config;
  services: FaceServices;
  logger: Logger;
}
