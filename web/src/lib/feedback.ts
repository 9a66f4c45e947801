// The answer to what the user just did (an error with advice, or a confirmation), tagged with where it
// belongs: the Feedback component renders it next to the control that caused it (components/Feedback.svelte).
import type { UiError } from './api/errors.js';

export interface Feedback {
  /** The place it is shown: 'invite', `service-<id>`, 'page'… (one place per control or panel). */
  at: string;
  error?: UiError;
  /** A confirmation ("Service created."). */
  text?: string;
}
