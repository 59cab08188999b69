/**
 * Parts many jobs of a file have alike are held once (`SharedParts`): a part a job sets nothing
 * of is built once from `defaults:`, and is still each file's own `defaults:` and folder.
 */
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, it } from 'node:test';
import { ConfigError, loadJobFileText, resolveConfig } from '../../src/config/index.ts';
import type { ResolvedJob } from '../../src/config/index.ts';
import { SharedParts } from '../../src/config/shared-parts.ts';
import { builtinKinds } from '../../src/kinds/index.ts';

const folder = mkdtempSync(path.join(tmpdir(), 'cronplane-shared-parts-'));

function resolveIn(subfolder: string, text: string, shared?: SharedParts): Map<string, ResolvedJob> {
  mkdirSync(path.join(folder, subfolder), { recursive: true });
  const file = path.join(folder, subfolder, 'cronplane.yaml');
  writeFileSync(file, text);
  const loaded = loadJobFileText(text, file, { kinds: builtinKinds, env: {} });
  const config = resolveConfig(loaded, shared === undefined ? {} : { shared });
  return new Map(config.jobs.map((job) => [job.name, job]));
}

const file = (defaults: string) =>
  `version: 1\ndefaults:\n${defaults}\njobs:\n` +
  '  plain-1: { run: "true" }\n' +
  '  plain-2: { run: "true" }\n' +
  '  own: { run: "true", retry: { attempts: 5 }, log: { file: own.log }, tags: [mine], notify: {} }\n';

describe('parts shared between jobs', () => {
  it('gives jobs that set nothing one copy of what defaults: says, and a job with its own values its own', () => {
    const jobs = resolveIn('a', file('  retry: { attempts: 3 }\n  log: { file: all.log }\n  tags: [team]'));
    const [first, second, own] = ['plain-1', 'plain-2', 'own'].map((name) => jobs.get(name));
    assert.ok(first !== undefined && second !== undefined && own !== undefined);
    assert.equal(first.retry.attempts, 3);
    assert.equal(first.retry, second.retry);
    assert.equal(first.log, second.log);
    assert.equal(first.log.file, path.join(folder, 'a', 'all.log'));
    assert.deepEqual(first.tags, ['team']);
    assert.equal(own.retry.attempts, 5);
    assert.equal(own.log.file, path.join(folder, 'a', 'own.log'));
    assert.deepEqual(own.tags, ['mine']);
  });

  it('builds the parts of another defaults: or folder anew, even through the same shared parts', () => {
    const shared = new SharedParts(new Map());
    const before = resolveIn('a', file('  retry: { attempts: 3 }\n  log: { file: all.log }'), shared);
    const after = resolveIn('b', file('  retry: { attempts: 4 }\n  log: { file: all.log }'), shared);
    assert.equal(before.get('plain-1')?.retry.attempts, 3);
    assert.equal(after.get('plain-1')?.retry.attempts, 4);
    assert.equal(before.get('plain-1')?.log.file, path.join(folder, 'a', 'all.log'));
    assert.equal(after.get('plain-1')?.log.file, path.join(folder, 'b', 'all.log'));
  });
  it('gives jobs with the same command line and shell one target, found by the line, and reports a bad line for each job', () => {
    const jobs = resolveIn(
      'c',
      'version: 1\njobs:\n' +
        '  a: { run: "echo hi" }\n' +
        '  b: { run: "echo hi" }\n' +
        '  c: { run: "echo hi", shell: true }\n' +
        '  d: { run: [echo, hi] }\n',
    );
    const [a, b, c, d] = ['a', 'b', 'c', 'd'].map((name) => jobs.get(name)?.target);
    assert.equal(a, b);
    assert.ok(Object.isFrozen(a));
    assert.deepEqual(c, { kind: 'command', argv: ['echo hi'], shell: true });
    assert.deepEqual(d, a);
    assert.throws(
      () => resolveIn('d', 'version: 1\njobs:\n  x: { run: "a | b" }\n  y: { run: "a | b" }\n'),
      (error: unknown) =>
        error instanceof ConfigError &&
        error.problems.map((problem) => problem.path).join(' ') === 'jobs.x.run jobs.y.run',
    );
  });
});
