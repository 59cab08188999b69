/**
 * docs/control.md stays true: its example, run as a program of its own against a real API, lists
 * the jobs, queues a run, is refused a retry of it as a conflict, and cancels it.
 */
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, it } from 'node:test';
import { promisify } from 'node:util';
import { markedBlocks } from '../support/marked-blocks.ts';
import { repositoryRoot } from '../support/run-cronplane.ts';
import { useHttpRigOnSqlite } from './control-rig.ts';

const run = promisify(execFile);
const markdown = readFileSync(path.join(repositoryRoot, 'docs/control.md'), 'utf8');
const example = markedBlocks(markdown).find((block) => block.marker === 'sample: http-control');

const rigOf = useHttpRigOnSqlite();

describe('docs/control.md', () => {
  it('runs its example against a real API: jobs listed, a run queued, a retry refused, the run cancelled', async () => {
    assert.ok(example !== undefined, 'a block marked sample: http-control');
    const rig = rigOf();
    assert.ok(rig.server !== undefined);
    // The package's name stands for its entry point; here, the sources.
    const entry = pathToFileURL(path.join(repositoryRoot, 'src/index.ts')).href;
    const file = path.join(mkdtempSync(path.join(tmpdir(), 'cronplane-control-doc-')), 'example.ts');
    writeFileSync(file, example.text.replace(`from 'cronplane'`, `from '${entry}'`));
    const { stdout } = await run(process.execPath, [file], {
      env: { ...process.env, CRONPLANE_SERVER: rig.server.url, CRONPLANE_TOKEN: rig.server.token },
    });
    const id = /^queued run (\d+) of report$/m.exec(stdout)?.[1];
    assert.ok(id !== undefined, stdout);
    assert.equal(
      stdout,
      `5 jobs\nqueued run ${id} of report\nrefused: api.conflict\nrun ${id} is cancelled\n`,
    );
    const stored = await rig.store.getRun(Number(id));
    assert.equal(stored?.status, 'cancelled');
    assert.equal(stored?.requestedBy, 'bootstrap');
    assert.equal(stored?.params['who'], 'ada');
  });
});
