import { ApiFailure } from '../api.ts';

/** What went wrong, for the page to say: the API's own message, or what was thrown as text. */
export function errorText(thrown: unknown): string {
  return thrown instanceof ApiFailure ? thrown.message : String(thrown);
}
