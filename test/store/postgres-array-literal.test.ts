/**
 * PostgreSQL only: the array literals the batch statements send (`arrayLiteral`) read back as the
 * values they were built from, whatever the text holds, as each element type the statements use.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { arrayLiteral } from '../../src/store/postgres/array-literal.ts';
import type { ArrayElement } from '../../src/store/postgres/array-literal.ts';
import { CronplaneError } from '../../src/errors/index.ts';
import { usePostgresClient } from '../support/postgres-client.ts';

const serverClient = usePostgresClient();

/** The literal read by the server as `type[]`, back as JSON values. */
async function readBack(values: readonly ArrayElement[], type: string): Promise<unknown> {
  const result = await serverClient().query<{ values: unknown }>(
    `SELECT array_to_json($1::${type}[]) AS values`,
    [arrayLiteral(values)],
  );
  return result.rows[0]?.values;
}

describe('PostgreSQL array literals', () => {
  it('reads text back as sent: quotes, backslashes, separators, braces, NULL as a word, empty text', async () => {
    const texts = [
      'noop',
      'say "hi"',
      'C:\\temp\\',
      '\\"',
      'a,b',
      '{x}',
      ' padded ',
      'NULL',
      'null',
      '',
      'line\nbreak\ttab',
      'ünïcødé ✓',
      '{"tenant":"acme"}',
    ];
    assert.deepEqual(await readBack(texts, 'text'), texts);
  });

  it('sends null and undefined as NULL elements', async () => {
    assert.deepEqual(await readBack(['a', null, undefined, 'b'], 'text'), ['a', null, null, 'b']);
    assert.deepEqual(await readBack([1, null, 3], 'bigint'), [1, null, 3]);
  });

  it('sends numbers as bigint and integer elements, and booleans as boolean ones', async () => {
    const times = [1_764_822_000_000, 0, -1, Number.MAX_SAFE_INTEGER];
    assert.deepEqual(await readBack(times, 'bigint'), times);
    assert.deepEqual(await readBack([1, 2, 2_147_483_647], 'integer'), [1, 2, 2_147_483_647]);
    assert.deepEqual(await readBack([true, false, null], 'boolean'), [true, false, null]);
  });

  it('sends an empty column as an empty array', async () => {
    assert.deepEqual(await readBack([], 'text'), []);
  });

  it('refuses a number PostgreSQL would not read as sent', () => {
    for (const value of [Number.NaN, Number.POSITIVE_INFINITY]) {
      assert.throws(
        () => arrayLiteral([value]),
        (error: unknown) => error instanceof CronplaneError && error.code === 'store.input',
      );
    }
  });
});
