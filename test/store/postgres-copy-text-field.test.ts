/**
 * PostgreSQL's `COPY` text fields (`copyTextField`, the job file's sync): each value written
 * reads back from the server as it was, whatever it holds, one after the other.
 */
import assert from 'node:assert/strict';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { describe, it } from 'node:test';
import { from as copyFrom } from 'pg-copy-streams';
import { copyTextField } from '../../src/store/postgres/copy-text-field.ts';
import { usePostgresClient } from '../support/postgres-client.ts';

const serverClient = usePostgresClient();

describe('copyTextField', () => {
  it('reads back every value as written, escaped ones and plain ones mixed', async () => {
    const values = [
      'plain',
      'a\tb',
      'plain again',
      '\\.',
      'c\nd\r\ne',
      '\\N',
      '',
      'x\\\\y\\',
      '{"a":"\\"q\\""}',
      'é ✓',
    ];
    await serverClient().query('CREATE TEMP TABLE copied (position INTEGER, value TEXT NOT NULL)');
    const lines = values.map((value, index) => `${index}\t${copyTextField(value)}\n`).join('');
    await pipeline(
      Readable.from([lines]),
      serverClient().query(copyFrom('COPY copied (position, value) FROM STDIN')),
    );
    const rows = await serverClient().query<{ value: string }>('SELECT value FROM copied ORDER BY position');
    assert.deepEqual(
      rows.rows.map((row) => row.value),
      values,
    );
  });

  it('returns a value with nothing to escape as it is', () => {
    assert.equal(copyTextField('{"run":"true"}'), '{"run":"true"}');
    assert.equal(copyTextField('a\\b'), 'a\\\\b');
  });
});
