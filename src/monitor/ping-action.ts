import type { NewPing } from '../store/index.ts';

/** What the last segment of a ping URL says: `/ping/<id>`, `/start`, `/fail` or `/<exit-code>`. */
export interface PingAction {
  readonly kind: NewPing['kind'];
  readonly exitCode: number | null;
}

/** Ping ids as the store makes them: URL-safe letters and digits, long enough not to be guessed. */
const pingIdPattern = /^[A-Za-z0-9_-]{16,64}$/;

/** True when the text could be a ping id; anything else is answered 404 without a look-up. */
export function isPingIdShape(text: string): boolean {
  return pingIdPattern.test(text);
}

export type PingActionResult =
  { readonly ok: true; readonly action: PingAction } | { readonly ok: false; readonly message: string };

/**
 * Reads a ping URL's action segment: none (a success), `start`, `fail`, or an exit code 0-255
 * written as plain digits (`0` is a success, anything else a failure; `007`, `-1`, `256` and
 * `3.0` are refused).
 */
export function parsePingAction(segment: string | undefined): PingActionResult {
  if (segment === undefined || segment === '')
    return { ok: true, action: { kind: 'success', exitCode: null } };
  if (segment === 'start') return { ok: true, action: { kind: 'start', exitCode: null } };
  if (segment === 'fail') return { ok: true, action: { kind: 'fail', exitCode: null } };
  if (/^(0|[1-9][0-9]{0,2})$/.test(segment)) {
    const code = Number(segment);
    if (code <= 255) return { ok: true, action: { kind: 'exit', exitCode: code } };
  }
  const shown = segment.length > 20 ? `${segment.slice(0, 20)}…` : segment;
  return {
    ok: false,
    message: `expected start, fail or an exit code from 0 to 255 after the ping id; found "${shown}"`,
  };
}
