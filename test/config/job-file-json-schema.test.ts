import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, it } from 'node:test';
import { Ajv2020 } from 'ajv/dist/2020.js';
import { parse } from 'yaml';
import { channelKinds } from '../../src/notify/index.ts';
import { executorKinds } from '../../src/executors/index.ts';
import { markedBlocks } from '../support/marked-blocks.ts';
import { repositoryRoot, runCronplane } from '../support/run-cronplane.ts';
import { runCronplaneInProcess } from '../support/run-cronplane-in-process.ts';

/** The schema as the command prints it: what an editor is given. */
const printed = await runCronplaneInProcess(['schema']);
assert.equal(printed.code, 0, printed.stderr);
const schema = JSON.parse(printed.stdout) as Record<string, unknown>;
const validate = new Ajv2020({ allErrors: true, strict: false }).compile(schema);

function problemsOf(text: string): string[] {
  if (validate(parse(text))) return [];
  return (validate.errors ?? []).map((error) => `${error.instancePath} ${error.message ?? ''}`);
}

const examples = readdirSync(path.join(repositoryRoot, 'examples'))
  .map((name) => path.join('examples', name, 'cronplane.yaml'))
  .filter((file) => existsSync(path.join(repositoryRoot, file)));

describe('the job file’s JSON Schema (cronplane schema)', () => {
  it('is draft 2020-12 and names every registered channel and executor kind', () => {
    assert.equal(schema['$schema'], 'https://json-schema.org/draft/2020-12/schema');
    for (const kind of [...channelKinds.map((one) => one.kind), ...executorKinds.map((one) => one.key)]) {
      assert.match(printed.stdout, new RegExp(`"${kind}": \\{`), `the schema names ${kind}`);
    }
  });

  for (const file of examples) {
    it(`accepts ${file}`, () => {
      assert.deepEqual(problemsOf(readFileSync(path.join(repositoryRoot, file), 'utf8')), []);
    });
  }

  it('accepts every valid example of docs/job-file.md', () => {
    const blocks = markedBlocks(readFileSync(path.join(repositoryRoot, 'docs/job-file.md'), 'utf8')).filter(
      (block) => block.marker === 'test: valid',
    );
    assert.ok(blocks.length >= 5, `${blocks.length} blocks`);
    for (const block of blocks) {
      assert.deepEqual(problemsOf(block.text), [], `docs/job-file.md:${block.line}`);
    }
  });

  it('refuses an unknown key, a wrong type and a word outside its set', () => {
    const bad = [
      'version: 1',
      'jobs:',
      '  a:',
      '    schedule: every 1m',
      '    run: echo a',
      '    colour: red',
      '    retry: { attempts: many }',
      '    concurrency: sometimes',
      '',
    ].join('\n');
    const problems = problemsOf(bad);
    assert.ok(
      problems.some((problem) => problem.startsWith('/jobs/a must NOT have additional properties')),
      problems.join('\n'),
    );
    assert.ok(
      problems.some((problem) => problem.startsWith('/jobs/a/retry/attempts ')),
      problems.join('\n'),
    );
    assert.ok(
      problems.some((problem) => problem.startsWith('/jobs/a/concurrency ')),
      problems.join('\n'),
    );
  });

  it('takes a ${VAR} where a number or a word is wanted, as substitution does', () => {
    const text =
      'version: 1\njobs:\n  a:\n    schedule: every 1m\n    run: echo a\n    retry: { attempts: "${RETRIES:-3}" }\n    concurrency: ${POLICY}\n';
    assert.deepEqual(problemsOf(text), []);
  });

  it('is written by init beside the starter file, whose first line names it for editors', async () => {
    const folder = mkdtempSync(path.join(tmpdir(), 'cronplane-schema-'));
    const result = await runCronplane(['init'], { cwd: folder });
    assert.equal(result.code, 0, result.stderr);
    const starter = readFileSync(path.join(folder, 'cronplane.yaml'), 'utf8');
    assert.equal(starter.split('\n')[0], '# yaml-language-server: $schema=./cronplane.schema.json');
    assert.equal(readFileSync(path.join(folder, 'cronplane.schema.json'), 'utf8'), printed.stdout);
    assert.deepEqual(problemsOf(starter), []);
  });
});
