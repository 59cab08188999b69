import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parseDocument } from 'yaml';
import type { ImportResult } from '../../src/interop/index.ts';
import { writeImportedJobFile } from '../../src/interop/index.ts';
import { loadImported } from './load-imported.ts';

const result: ImportResult = {
  jobs: [
    {
      name: 'backup',
      entry: { description: 'Nightly', schedule: '0 2 * * *', run: 'backup', env: { A: '1', B: '2' } },
      comments: ['a comment', 'another'],
      source: { file: 'c.crontab', line: 7 },
    },
    {
      name: 'report',
      entry: { schedule: '@daily', run: 'report | mail', shell: true, env: { A: '1', B: '3' } },
      comments: [],
      source: { file: 'c.crontab', line: 9 },
    },
  ],
  channels: { mail: { email: { to: 'ops@example.com', smtp_url: '${SMTP_URL:-smtp://localhost:25}' } } },
  alerts: [],
  warnings: [
    {
      file: 'c.crontab',
      line: 3,
      message: 'MAILTO=ops@example.com mails output',
      action: 'became a channel',
    },
  ],
};

describe('the imported job file', () => {
  it('lists the warnings at the top, and each job with its comments and its source above it', () => {
    const text = writeImportedJobFile(result, { title: ['imported from c.crontab'] });
    assert.match(
      text,
      /^# imported from c\.crontab\n\n# 1 warning: .*\n# {3}c\.crontab:3: MAILTO=ops@example\.com mails output \(became a channel\)\n/,
    );
    assert.match(text, /\n {2}# a comment\n {2}# another\n {2}# from c\.crontab:7\n {2}backup:\n/);
    assert.match(text, /\n\n {2}# from c\.crontab:9\n {2}report:\n/);
    assert.match(text, /schedule: "0 2 \* \* \*"/);
  });

  it('writes comments as YAML comments, never as values', () => {
    const doc = parseDocument(writeImportedJobFile(result));
    assert.deepEqual(doc.errors, []);
    assert.doesNotMatch(JSON.stringify(doc.toJS()), /a comment|c\.crontab/);
  });

  it('moves the environment every job shares into defaults.env', () => {
    const { config, text } = loadImported(result);
    assert.match(text, /^defaults:\n {2}env:\n {4}A: "1"\n/m);
    assert.deepEqual(config.jobs[0]?.env, { A: '1', B: '2' });
    assert.deepEqual(config.jobs[1]?.env, { A: '1', B: '3' });
    assert.equal(config.jobs[0]?.description, 'Nightly');
  });

  it('writes a file without jobs that still loads', () => {
    const { config } = loadImported({ jobs: [], channels: {}, alerts: [], warnings: [] });
    assert.equal(config.jobs.length, 0);
  });
});
