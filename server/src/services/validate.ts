// Input rules shared by the face services: UUIDs, subject names, paging, embeddings.
import { IncorrectArgument, ValidationError, WrongEmbedding } from '../../../shared/errors.js';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export const isUuid = (s: string): boolean => UUID.test(s);

export const MAX_SUBJECT_LENGTH = 50;

/** CompreFace's message for a blank subject (its Constants.SUBJECT_NAME_IS_EMPTY), code 26. */
export const SUBJECT_NAME_IS_EMPTY = 'Subject name is empty';

/** Characters CompreFace refuses in a subject name (they break its URLs and paths): 36. */
const FORBIDDEN = /[;/\\]/;

/**
 * A subject name is 1..50 characters, not blank (26, "Subject name is empty", as CompreFace's @NotBlank),
 * without `;` `/` `\` (36, as CompreFace) and without NUL (26: PostgreSQL cannot store it).
 */
export function checkSubjectName(name: string | undefined, field = 'subject'): string {
  if (name === undefined || name.trim() === '') throw new ValidationError(SUBJECT_NAME_IS_EMPTY);
  if (name.includes('\0')) throw new ValidationError(`${field} must not contain the NUL character (\\u0000)`);
  if (FORBIDDEN.test(name)) {
    throw new IncorrectArgument(`The ${field} name cannot contain the characters ';', '/' or '\\'`);
  }
  if ([...name].length > MAX_SUBJECT_LENGTH)
    throw new ValidationError(`${field} must be at most ${MAX_SUBJECT_LENGTH} characters long`);
  return name;
}

export function checkPaging(page: number, size: number): void {
  if (!Number.isInteger(page) || page < 0) throw new ValidationError('page must be an integer of 0 or more');
  if (!Number.isInteger(size) || size < 1) throw new ValidationError('size must be an integer of 1 or more');
}

export function checkPredictionCount(n: number): void {
  if (!Number.isInteger(n) || n < 1) throw new ValidationError('prediction_count must be greater than 0');
}

/** Every embedding must have `dim` finite numbers; at least one embedding. */
/** `embedder`: the key of the model the vectors must come from, named when the size is wrong. */
export function checkEmbeddings(list: readonly (readonly number[])[], dim: number, embedder?: string): void {
  if (!list.length) throw new WrongEmbedding('At least 1 embedding was expected, but 0 were provided');
  const model = embedder ? ` (this service compares ${embedder} embeddings)` : '';
  for (const e of list) {
    if (!Array.isArray(e) || e.length !== dim)
      throw new WrongEmbedding(
        `${dim} embedding values were expected, but ${Array.isArray(e) ? e.length : 0} were provided${model}`,
      );
    if (!e.every((x) => typeof x === 'number' && Number.isFinite(x)))
      throw new WrongEmbedding('Embedding values must be finite numbers');
  }
}
