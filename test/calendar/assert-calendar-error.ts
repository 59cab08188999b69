/** Test helper: asserts that `run` throws a located CronplaneError. */
import assert from 'node:assert/strict';
import { CronplaneError } from '../../src/errors/index.ts';

export function assertCalendarError(
  run: () => unknown,
  expected: { readonly position: number; readonly message: RegExp; readonly code?: string },
): void {
  assert.throws(run, (error: unknown) => {
    assert.ok(error instanceof CronplaneError, `expected a CronplaneError, got ${String(error)}`);
    assert.equal(error.code, expected.code ?? 'calendar.invalid');
    assert.match(error.message, expected.message);
    assert.equal(error.location?.position, expected.position, `position of "${error.message}"`);
    return true;
  });
}
