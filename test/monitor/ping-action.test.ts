/** What a ping URL's last segment says, and which ids are worth a look-up. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { isPingIdShape, parsePingAction } from '../../src/monitor/index.ts';

describe('ping actions', () => {
  it('reads success, start, fail and exit codes 0-255', () => {
    assert.deepEqual(parsePingAction(undefined), { ok: true, action: { kind: 'success', exitCode: null } });
    assert.deepEqual(parsePingAction('start'), { ok: true, action: { kind: 'start', exitCode: null } });
    assert.deepEqual(parsePingAction('fail'), { ok: true, action: { kind: 'fail', exitCode: null } });
    assert.deepEqual(parsePingAction('0'), { ok: true, action: { kind: 'exit', exitCode: 0 } });
    assert.deepEqual(parsePingAction('255'), { ok: true, action: { kind: 'exit', exitCode: 255 } });
  });

  it('refuses codes outside 0-255 and other words, naming what is expected', () => {
    for (const segment of ['256', '-1', '007', '3.0', '1e2', 'START', 'failed', '99999999999999999999']) {
      const result = parsePingAction(segment);
      assert.equal(result.ok, false, segment);
      assert.match(result.ok ? '' : result.message, /expected start, fail or an exit code from 0 to 255/);
    }
  });

  it('looks up only ids shaped like the store’s', () => {
    assert.equal(isPingIdShape('0123456789abcdef0123456789abcdef'), true);
    for (const id of [
      'short',
      '../../etc/passwd',
      'a'.repeat(65),
      'abc def ghi jkl mno',
      '%00aaaaaaaaaaaaaaaaaa',
    ]) {
      assert.equal(isPingIdShape(id), false, id);
    }
  });
});
