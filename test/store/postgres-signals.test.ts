/**
 * PostgreSQL only: the store's listening connection is sent one query at a time, so listeners
 * added, counted and stopped together (a daemon's parts at start-up and shutdown) never make
 * `pg` queue a query behind another, which it warns is deprecated.
 */
import assert from 'node:assert/strict';
import { it } from 'node:test';
import { usePostgresBackend } from '../support/postgres-backend.ts';

const rig = usePostgresBackend();

it('sends its listening connection one query at a time', async () => {
  const warnings: string[] = [];
  const heard = (warning: Error): void => {
    warnings.push(warning.message);
  };
  process.on('warning', heard);
  try {
    const { signals } = rig.backend;
    // The connection opens with the first listener; the rest find it open and LISTEN together.
    const stopFirst = await signals.onSignal('first', () => undefined);
    const [stops] = await Promise.all([
      Promise.all(['second', 'third', 'fourth'].map((channel) => signals.onSignal(channel, () => undefined))),
      signals.countListeningPeers(),
      signals.countListeningPeers(),
    ]);
    for (const stop of [stopFirst, ...stops]) stop();
    assert.equal(await signals.countListeningPeers(), 0);
    // Warnings are emitted on the next turn.
    await new Promise((resolve) => setImmediate(resolve));
  } finally {
    process.off('warning', heard);
  }
  assert.deepEqual(
    warnings.filter((message) => message.includes('already executing a query')),
    [],
  );
});
