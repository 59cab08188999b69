import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  RunStatus,
  assertRunStatus,
  assertTransition,
  canTransition,
  finishedRunStatuses,
  initialRunStatuses,
  isTerminalRunStatus,
  runStatusTransitions,
} from '../../src/store/index.ts';

describe('run statuses', () => {
  it('lets a held queue item be released to pending or be cancelled, and nothing else', () => {
    assert.deepEqual(runStatusTransitions.held, ['pending', 'cancelled']);
    assert.equal(canTransition('held', 'running'), false, 'a worker never claims a held item');
    assert.equal(canTransition('pending', 'held'), false, 'a released item is not held again');
  });

  it('lets a pending run start, be skipped or be cancelled, and nothing else', () => {
    assert.deepEqual(runStatusTransitions.pending, ['running', 'skipped', 'cancelled']);
    assert.equal(canTransition('pending', 'succeeded'), false);
  });

  it('lets a running run end in any outcome, lost included, but never go back to pending', () => {
    assert.deepEqual([...finishedRunStatuses].sort(), [
      'cancelled',
      'critical',
      'failed',
      'lost',
      'skipped',
      'succeeded',
      'timed_out',
      'warning',
    ]);
    assert.equal(canTransition('running', 'pending'), false);
  });

  it('makes every outcome terminal and only held, pending and running live', () => {
    const live = Object.keys(RunStatus).filter((status) => !isTerminalRunStatus(status as RunStatus));
    assert.deepEqual(live, ['held', 'pending', 'running']);
    assert.deepEqual(initialRunStatuses, ['held', 'pending', 'skipped']);
  });

  it('only ever names known statuses in the transition table', () => {
    for (const [from, targets] of Object.entries(runStatusTransitions)) {
      assertRunStatus(from);
      for (const to of targets) assertRunStatus(to);
    }
  });

  it('explains a refused transition with what may follow instead', () => {
    assert.throws(() => assertTransition('running', 'pending'), {
      code: 'store.transition',
      message:
        'A run cannot go from running to pending; from running it may go to: ' +
        finishedRunStatuses.join(', ') +
        '.',
    });
    assert.throws(() => assertTransition('lost', 'running'), { message: /lost is terminal/ });
    assert.throws(() => assertRunStatus('paused', 'runs[3].status'), {
      code: 'store.status',
      message: /"paused".*held, pending, running, succeeded/,
    });
  });
});
