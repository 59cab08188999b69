import assert from 'node:assert/strict';
import { ControlError } from '../../src/control/index.ts';
import type { ControlErrorKind } from '../../src/control/index.ts';

/** Passes when `work` is refused with this kind and code (and a message matching `message`). */
export async function refused(
  work: Promise<unknown>,
  kind: ControlErrorKind,
  code: string,
  message?: RegExp,
): Promise<void> {
  await assert.rejects(work, (thrown: unknown) => {
    assert.ok(thrown instanceof ControlError, `expected a ControlError, got ${String(thrown)}`);
    assert.equal(thrown.kind, kind, thrown.message);
    assert.equal(thrown.code, code, thrown.message);
    if (message !== undefined) assert.match(thrown.message, message);
    return true;
  });
}
