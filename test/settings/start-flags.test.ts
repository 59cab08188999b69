/** `cronplane start` judges the flags that need no job file before it looks for one. */
import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, it } from 'node:test';
import { runCronplane } from '../support/run-cronplane.ts';

describe('cronplane start with a bad flag', () => {
  it('refuses a bad --role or --node before looking for the job file, with exit code 2', async () => {
    const empty = mkdtempSync(path.join(tmpdir(), 'cronplane-start-flags-'));
    const role = await runCronplane(['start', '--role', 'boss'], { cwd: empty });
    assert.equal(role.code, 2);
    assert.match(
      role.stderr,
      /error: \(--role\): Unknown node role "boss"; expected one of: all, scheduler, worker/,
    );
    const node = await runCronplane(['start', '--node', '-bad'], { cwd: empty });
    assert.equal(node.code, 2);
    assert.match(node.stderr, /error: \(--node\): "-bad" is not a node name/);
  });
});
