import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';
import { parse } from 'yaml';
import { ConfigError, loadJobFileText, Secret, reveal } from '../../src/config/index.ts';
import { jobFileSchemaFor } from '../../src/config/job-file-schema.ts';
import { parseJobFile } from '../../src/config/parse-job-file.ts';
import { builtinKinds } from '../../src/kinds/index.ts';

const root = path.join(import.meta.dirname, '..', '..');

/** A value with its secrets shown and its Maps as entries, so two outputs compare by what they hold. */
function plain(value: unknown): unknown {
  if (value instanceof Secret) return { secret: reveal(value) };
  if (value instanceof Map) return { map: [...value].map(([key, item]) => [key, plain(item)]) };
  if (Array.isArray(value)) return value.map(plain);
  if (value !== null && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, plain(item)]));
  }
  return value;
}

/** The whole schema's answer and the quick one, side by side: the same output, or the same issues. */
function assertSameAsSchema(data: unknown, label: string): boolean {
  const whole = jobFileSchemaFor(builtinKinds).safeParse(data);
  const quick = parseJobFile(data, builtinKinds);
  assert.equal(quick.success, whole.success, label);
  if (whole.success && quick.success) {
    assert.deepStrictEqual(plain(quick.data), plain(whole.data), label);
    assert.deepStrictEqual(Object.keys(quick.data), Object.keys(whole.data), label);
    assert.deepStrictEqual(Object.keys(quick.data.jobs ?? {}), Object.keys(whole.data.jobs ?? {}), label);
    for (const name of Object.keys(whole.data.jobs ?? {})) {
      assert.deepStrictEqual(
        Object.keys(quick.data.jobs?.[name] ?? {}),
        Object.keys(whole.data.jobs?.[name] ?? {}),
      );
    }
  } else {
    assert.deepStrictEqual(quick.error?.issues, whole.error?.issues, label);
  }
  return whole.success;
}

/** The job files of the examples and of the docs' YAML blocks that have jobs. */
function writtenJobFiles(): { label: string; data: unknown }[] {
  const files: { label: string; data: unknown }[] = [];
  for (const example of readdirSync(path.join(root, 'examples'))) {
    const file = path.join(root, 'examples', example, 'cronplane.yaml');
    try {
      files.push({ label: file, data: parse(readFileSync(file, 'utf8')) });
    } catch {
      // An example without a job file.
    }
  }
  for (const doc of readdirSync(path.join(root, 'docs')).filter((name) => name.endsWith('.md'))) {
    const text = readFileSync(path.join(root, 'docs', doc), 'utf8');
    for (const [index, match] of [...text.matchAll(/```yaml\n([\s\S]*?)```/g)].entries()) {
      const block = match[1] ?? '';
      if (!/^jobs:/m.test(block)) continue;
      try {
        const data: unknown = parse(block.includes('version:') ? block : `version: 1\n${block}`);
        files.push({ label: `${doc} block ${index}`, data });
      } catch {
        // A fragment that is not YAML on its own.
      }
    }
  }
  return files;
}

const job = (entry: Record<string, unknown>) => ({ version: 1, jobs: { one: entry } });

describe('parseJobFile', () => {
  it('gives what the whole schema gives for every job file of the examples and the docs', () => {
    const files = writtenJobFiles();
    const valid = files.filter(({ data, label }) => assertSameAsSchema(data, label));
    // The comparison is worth something only if many of them are valid files with jobs.
    assert.ok(valid.length >= 20, `${valid.length} valid job files of ${files.length}`);
  });

  it('gives what the whole schema gives for jobs of many shapes, and for files with problems', () => {
    const cases: unknown[] = [
      { version: 1 },
      { version: 1, jobs: {} },
      { version: 2, jobs: { a: { run: 'x' } } },
      {
        version: 1,
        jobs: { a: { run: 'x' }, b: { run: 'y', schedule: '@daily' }, c: { schedule: '@daily', run: 'y' } },
      },
      job({ run: 'x', schedule: ['0 2 * * *', { expr: 'every 30s', syntax: 'interval' }] }),
      job({
        run: ['echo', 'a b'],
        shell: false,
        env: { A: 1, B: true, C: { secret: 's3cret' } },
        timeout: '30s',
      }),
      job({
        http: { url: 'https://example.com/{x}', method: 'POST' },
        params: { x: 'v' },
        retry: { attempts: 3 },
      }),
      job({ run: 'x', for_each: { host: ['a', 'b', 3] }, tags: ['t1'], node_tags: ['n'], priority: 2 }),
      job({
        run: 'x',
        guards: { g: { run: 'true' } },
        exit_codes: { 3: 'skipped' },
        limits: { memory: '512M' },
      }),
      job({ run: 'x', queue: { max_per_run: 10 }, concurrency: 'queue', catch_up: 'all' }),
      job({ run: 'x', bogus: 1 }),
      job({ run: 'x', http: { url: 'https://example.com' } }),
      job({ schedule: '@daily' }),
      job({ http: { url: 'https://example.com' }, shell: true }),
      job({ run: 'x', timeout: 30 }),
      job({ run: 'x', schedule: '' }),
      job({ run: 'x', env: { 'bad name': 'v' } }),
      { version: 1, jobs: { 'Bad Name': { run: 'x' } } },
      { version: 1, jobs: { a: 'run x' } },
      { version: 1, jobs: { a: null } },
      { version: 1, jobs: { a: ['run'] } },
      { version: 1, jobs: { a: Object.assign(Object.create(null) as object, { run: 'x' }) } },
      { version: 1, jobs: { a: { run: 'x' }, b: { run: 'x', timeout: 'soon' } } },
      { version: 1, jobs: { a: { run: 'x' } }, extra: true },
      { version: 1, jobs: ['a'] },
      { version: 1, jobs: null },
      { version: 1, jobs: { '2': { run: 'x' }, b: { run: 'y' }, '1': { run: 'z' } } },
      { version: 1, jobs: { ['x'.repeat(101)]: { run: 'x' } } },
      { version: 1, defaults: { timezone: 'UTC', retry: { attempts: 2 } }, jobs: { a: { run: 'x' } } },
      // Jobs kept as read, then one copied (a duration to convert), then the same values again.
      {
        version: 1,
        jobs: {
          a: { schedule: '@daily', run: 'x' },
          b: { schedule: '@daily', run: 'x' },
          c: { schedule: '@daily', run: 'x', timeout: '30s' },
          d: { run: 'x', schedule: '@daily' },
          e: { schedule: '@daily', run: 'x', timeout: '30s' },
          f: { schedule: '@daily', run: 'x', env: { A: { secret: 's' } } },
          g: { schedule: '@daily', run: 'x', env: { A: { secret: 's' } } },
        },
      },
      // A value already checked under one key, then met under another where it is refused.
      { version: 1, jobs: { a: { run: 'x', timeout: '30s' }, b: { run: 'x', priority: '30s' } } },
      { version: 1, jobs: { a: { run: 'x', timeout: '30s' }, b: { run: 'x', timeout: 'soon' } } },
      { version: 1, jobs: { a: { run: 'x', priority: 0 }, b: { run: 'x', priority: -0 } } },
      // The kind's check after a set of keys passed it, for another set and for the same set again.
      {
        version: 1,
        jobs: {
          a: { run: 'x', shell: true },
          b: { run: 'y', shell: false },
          c: { http: { url: 'https://example.com' }, shell: true },
        },
      },
      {
        version: 1,
        jobs: { a: { schedule: '@daily', run: 'x' }, b: { run: 'x', schedule: '@daily', timeout: '1m' } },
      },
    ];
    for (const [index, data] of cases.entries()) assertSameAsSchema(data, `case ${index}`);
  });

  it('gives what the whole schema gives when a file has more sets of keys than get their own schema', () => {
    const optional = [
      'description',
      'timezone',
      'cwd',
      'user',
      'group',
      'priority',
      'enabled',
      'tags',
      'timeout',
    ];
    const values: Record<string, unknown> = {
      description: 'd',
      timezone: 'UTC',
      cwd: '/tmp',
      user: 'u',
      group: 'g',
      priority: 1,
      enabled: true,
      tags: ['x'],
      timeout: '1m',
    };
    const jobs: Record<string, unknown> = {};
    // 512 subsets of nine keys: more sets of keys than the quick path builds schemas for.
    for (let mask = 0; mask < 512; mask++) {
      const entry: Record<string, unknown> = { run: 'x' };
      optional.forEach((key, bit) => {
        if ((mask & (1 << bit)) !== 0) entry[key] = values[key];
      });
      jobs[`j${mask}`] = entry;
    }
    assert.equal(assertSameAsSchema({ version: 1, jobs }, 'many key sets'), true);
  });

  it('reports a bad job among many quick ones at its place, as the whole schema does', () => {
    const lines = Array.from({ length: 300 }, (_, index) =>
      index === 250
        ? `  j${index}: { run: "x", timout: 30s }`
        : `  j${index}: { run: "x", schedule: "@daily" }`,
    );
    assert.throws(
      () => loadJobFileText(`version: 1\njobs:\n${lines.join('\n')}\n`, 'many.yaml', { kinds: builtinKinds }),
      (error: unknown) =>
        error instanceof ConfigError &&
        error.problems.length === 1 &&
        error.problems[0]?.path === 'jobs.j250.timout' &&
        error.problems[0].line === 253,
    );
  });
});
