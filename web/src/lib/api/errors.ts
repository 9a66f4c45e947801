// API failures turned into what the user wants to know: what failed, why (the server's message) and what to do.
import type { ApiErrorBody, ServiceType } from './types.js';

/** A proxy's answers when the server behind it is down: the same as not reaching it. */
const GATEWAY = [502, 503, 504];

/** A failed call: `status` 0 means the server could not be reached. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: number | undefined,
    message: string,
  ) {
    super(message);
    this.name = 'ApiError';
  }

  static fromBody(status: number, body: unknown): ApiError {
    const b = body as Partial<ApiErrorBody> | null;
    if (b && typeof b.message === 'string')
      return new ApiError(status, typeof b.code === 'number' ? b.code : undefined, b.message);
    if (GATEWAY.includes(status))
      return new ApiError(0, undefined, `no answer from the server (HTTP ${status})`);
    return new ApiError(
      status,
      undefined,
      status >= 500 ? 'The server had an internal error.' : `HTTP ${status}`,
    );
  }
}

/** What the UI shows: `action` names the operation ("Uploading photo.jpg"). */
export interface UiError {
  action: string;
  message: string;
  hint: string;
}

const CHECK_INPUT = 'Check the values you entered and try again.';

/** Advice per CompreFace error code. */
const HINTS: Record<number, string> = {
  5: CHECK_INPUT,
  21: 'Use a JPEG, PNG, WebP, BMP, GIF, TIFF or ICO image that opens in an image viewer.',
  26: CHECK_INPUT,
  28: 'Use a photo where the face is clearly visible and not too small, or lower the detection threshold.',
  31: 'Crop the photo so that it shows only one face.',
  32: 'The server is migrating its data; try again in a few minutes.',
  33: CHECK_INPUT,
  34: CHECK_INPUT,
  36: CHECK_INPUT,
  39: 'Untick that face plugin under Options and send again.',
  42: 'The subject may have been renamed or deleted elsewhere; the list has been refreshed.',
  43: 'Choose another name, or rename the existing subject to merge them.',
  44: 'The example may already have been deleted; the list has been refreshed.',
};

/** What to do about `err`; `type` is the service type the page is using. */
function hintFor(err: ApiError, type: ServiceType | undefined): string {
  if (err.status === 0)
    return 'Check that the Visor server is running and that this device is online, then try again.';
  if (err.status === 503)
    return 'Visor is starting (loading its face models) or busy. Try again in a moment.';
  if (err.status === 413)
    return 'The file is too large. Use a smaller image (the default limit is 5 MB a file).';
  if (err.code === 10)
    return `It must be the key of a ${type ?? 'matching'} service: check the type chosen for it. A key also stops working when a new key replaces it or its service is deleted: open the service from Applications to use its current key, or paste another key on Connect.`;
  if (err.code === 20)
    return `Check the key and the service type chosen for it: it must be the key of a ${type ?? 'matching'} service.`;
  const hint = err.code === undefined ? undefined : HINTS[err.code];
  if (hint) return hint;
  if (err.status >= 500)
    return 'This is a problem on the server. Try again; if it keeps failing, check the server log.';
  return 'Try again. If it keeps failing, check the request on the Test page.';
}

/** Turns anything thrown by an API call into a UiError. */
export function toUiError(action: string, err: unknown, type?: ServiceType): UiError {
  if (err instanceof ApiError) {
    const message = err.status === 0 ? 'The server could not be reached.' : err.message;
    return { action, message, hint: hintFor(err, type) };
  }
  return { action, message: err instanceof Error ? err.message : String(err), hint: 'Try again.' };
}
