// Named domain errors with their CompreFace error code and HTTP status; the server maps them to {message, code} once.

export abstract class VisorError extends Error {
  abstract readonly code: number;
  abstract readonly status: 400 | 401 | 403 | 404 | 405 | 409 | 413 | 415 | 429 | 500 | 503 | 507;
  constructor(message: string) {
    super(message);
    this.name = new.target.name;
  }
}

function define(name: string, code: number, status: VisorError['status']) {
  const cls = class extends VisorError {
    readonly code = code;
    readonly status = status;
  };
  Object.defineProperty(cls, 'name', { value: name });
  return cls;
}

/** 5: a required field is empty. */
export class EmptyField extends define('EmptyField', 5, 400) {
  constructor(field: string) {
    super(`Field ${field} cannot be empty`);
  }
}
/** 10: no service of the path's type has this API key. */
export class ServiceNotFound extends define('ServiceNotFound', 10, 404) {
  constructor(type: string, key: string) {
    super(`${type[0].toUpperCase()}${type.slice(1)} service with API Key ${key} not found`);
  }
}
/** 10: the service was deleted while the request was in progress (its key resolved before the deletion). */
export class ServiceDeleted extends define('ServiceDeleted', 10, 404) {
  constructor() {
    super('The service was deleted while this request was in progress');
  }
}
/** 20: the x-api-key header is missing. */
export class MissingApiKey extends define('MissingApiKey', 20, 400) {
  constructor() {
    super('Missing header: x-api-key');
  }
}
/** 21: the image cannot be used: wrong extension, not Base64, cannot be decoded, too many pixels. */
export class UnsupportedImage extends define('UnsupportedImage', 21, 400) {}
/** 26: a parameter has an invalid value. */
export class ValidationError extends define('ValidationError', 26, 400) {}
/** 28: no face in the image. */
export class NoFaceFound extends define('NoFaceFound', 28, 400) {
  constructor() {
    super('No face is found in the given image');
  }
}
/** 31: more than one face where exactly one is needed. */
export class TooManyFaces extends define('TooManyFaces', 31, 400) {
  constructor() {
    super('More than one face in the source image');
  }
}
/** 33: a required query parameter is missing. */
export class MissingParameter extends define('MissingParameter', 33, 400) {
  constructor(param: string) {
    super(`Required parameter ${param} is missing`);
  }
}
/** 34: a required multipart part / JSON field holding an image is missing. */
export class MissingPart extends define('MissingPart', 34, 400) {
  constructor(part: string) {
    super(`Required part ${part} is missing`);
  }
}
/** 36: an argument is malformed (e.g. malformed JSON). */
export class IncorrectArgument extends define('IncorrectArgument', 36, 400) {}
/** 37: embeddings of the wrong count or dimension. */
export class WrongEmbedding extends define('WrongEmbedding', 37, 400) {}
/** 42: the subject does not exist. */
export class SubjectNotFound extends define('SubjectNotFound', 42, 404) {
  constructor(subject: string) {
    super(`Subject ${subject} not found`);
  }
}
/** 43: the subject already exists. */
export class SubjectExists extends define('SubjectExists', 43, 400) {
  constructor() {
    super('Subject already exists');
  }
}
/** 44: the image (face example) does not exist. */
export class ImageNotFound extends define('ImageNotFound', 44, 404) {
  constructor(id: string) {
    super(`Image ${id} not found`);
  }
}
/** 38: a request body or file is over the configured size limit. */
export class PayloadTooLarge extends define('PayloadTooLarge', 38, 413) {}
/** 39: a plugin that Visor cannot provide (e.g. mask: no shippable model). */
export class PluginUnavailable extends define('PluginUnavailable', 39, 400) {}
/** 40: the server is overloaded; the client should retry later. */
export class Overloaded extends define('Overloaded', 40, 503) {}
/** 41: models are still loading or failed to load. */
export class NotReady extends define('NotReady', 41, 503) {}
/** 45: this API key already holds its share of the inference queue; retry after `retryAfter` seconds. */
export class TooManyJobs extends define('TooManyJobs', 45, 429) {
  constructor(
    message: string,
    readonly retryAfter = 1,
  ) {
    super(message);
  }
}
/** 46: decoding and analysing one image took longer than the per-job limit (INFERENCE_TIMEOUT). */
export class JobTimedOut extends define('JobTimedOut', 46, 503) {}
/** 47: the client went away before its image was analysed; the job was dropped and nobody reads this answer. */
export class RequestCancelled extends define('RequestCancelled', 47, 503) {}
/** 48: an image file or the database could not store (disk full, folder read-only or not writable); nothing was saved. */
export class StorageUnavailable extends define('StorageUnavailable', 48, 507) {}

// Administration (users, applications, members, face services): codes 100 and up, clear of CompreFace's.
/** 101: no valid session (not logged in, expired, or wrong credentials). */
export class Unauthorized extends define('Unauthorized', 101, 401) {}
/** 102: logged in, but the role does not allow this (or a state-changing request lacks its CSRF header). */
export class Forbidden extends define('Forbidden', 102, 403) {}
/** 103: the user, application, member or face service does not exist or is not visible to the caller. */
export class AdminNotFound extends define('AdminNotFound', 103, 404) {}
/** 103: the application was deleted while this request was in progress (it was found before the deletion). */
export class ApplicationDeleted extends define('ApplicationDeleted', 103, 404) {
  constructor() {
    super('The application was deleted while this request was in progress');
  }
}
/** 104: the change conflicts with existing data (e-mail taken, already a member, last owner). */
export class Conflict extends define('Conflict', 104, 409) {}
/** 105: too many failed log-ins for this account or address; retry after `retryAfter` seconds. */
export class TooManyAttempts extends define('TooManyAttempts', 105, 429) {
  constructor(readonly retryAfter: number) {
    super(`Too many failed attempts, try again in ${Math.max(1, Math.ceil(retryAfter / 60))} min`);
  }
}
/** 106: an e-mail confirmation or password-reset token is unknown, used or expired. */
export class InvalidToken extends define('InvalidToken', 106, 400) {
  constructor() {
    super('The link is invalid or has expired');
  }
}
/** 107: the operation needs e-mail and no SMTP server is configured. */
export class EmailDisabled extends define('EmailDisabled', 107, 400) {
  constructor() {
    super('E-mail is not configured on this server; ask an administrator to reset your password');
  }
}
