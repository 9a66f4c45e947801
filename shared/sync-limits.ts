// The device sync protocol's push limits, without zod: the wire schemas (api/sync.ts) check them and the web app
// (through sync.ts) sends no more.

/** Examples one push may carry. */
export const MAX_PUSH_EXAMPLES = 100;
/** Events one push may carry. */
export const MAX_PUSH_EVENTS = 1000;
