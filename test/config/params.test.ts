/** Trigger parameters: declared with a type and a rule in the job file, each value checked against it. */
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, it } from 'node:test';
import {
  checkParamValue,
  ConfigError,
  defaultParamPattern,
  paramDefaults,
  readConfig,
  Secret,
} from '../../src/config/index.ts';
import type { ConfigProblem, ParamSpec, ResolvedJob } from '../../src/config/index.ts';
import { CronplaneError } from '../../src/errors/index.ts';
import { builtinKinds } from '../../src/kinds/index.ts';

const folder = mkdtempSync(path.join(tmpdir(), 'cronplane-params-'));
let counter = 0;

function jobOf(params: string, extra = ''): ResolvedJob {
  const file = path.join(folder, `job-${++counter}.yaml`);
  writeFileSync(file, `version: 1\njobs:\n  adhoc:\n    run: echo hi\n${extra}    params:\n${params}`);
  const [job] = readConfig(file, { kinds: builtinKinds, env: { TOKEN: 'from-the-environment-123' } }).jobs;
  assert.ok(job !== undefined);
  return job;
}

function problemsOf(params: string, extra = ''): ConfigProblem[] {
  try {
    jobOf(params, extra);
  } catch (thrown) {
    assert.ok(thrown instanceof ConfigError, String(thrown));
    return [...thrown.problems];
  }
  assert.fail('expected the job file to be refused');
}

function refusal(spec: ParamSpec, value: string): string {
  try {
    checkParamValue('p', spec, value);
  } catch (thrown) {
    assert.ok(thrown instanceof CronplaneError);
    assert.equal(thrown.code, 'param.invalid');
    assert.equal(thrown.location?.path, 'params.p');
    return thrown.message;
  }
  assert.fail(`expected ${JSON.stringify(value)} to be refused`);
}

const longForm = `      who: { type: string, pattern: '^[a-z][a-z0-9-]{0,30}$', default: world, description: "who to greet" }
      limit: { type: integer, min: 1, max: 1000, default: 100 }
      ratio: { type: number, min: 0, max: 1, default: 0.5 }
      verbose: { type: boolean, default: false }
      mode: { type: enum, values: [dry, apply], default: dry }
      token: { type: string, pattern: '^[A-Za-z0-9]{20,64}$', secret: true }
      short: hello
`;

describe('trigger parameters in the job file', () => {
  it('reads the short and the long form into one spec per parameter', () => {
    const job = jobOf(longForm);
    const { who, limit, ratio, verbose, mode, token, short } = job.params;
    assert.equal(who?.type, 'string');
    assert.equal(who?.type === 'string' && who.pattern, '^[a-z][a-z0-9-]{0,30}$');
    assert.equal(who?.description, 'who to greet');
    assert.deepEqual(limit?.type === 'integer' && [limit.min, limit.max, limit.default], [1, 1000, '100']);
    assert.equal(ratio?.default, '0.5');
    assert.equal(verbose?.default, 'false');
    assert.deepEqual(mode?.type === 'enum' && mode.values, ['dry', 'apply']);
    assert.equal(token?.secret, true);
    assert.equal(token?.default, undefined, 'no default: every trigger must give it');
    assert.equal(short?.type === 'string' && short.pattern, defaultParamPattern);
    assert.deepEqual(paramDefaults(job.params), {
      who: 'world',
      limit: '100',
      ratio: '0.5',
      verbose: 'false',
      mode: 'dry',
      short: 'hello',
    });
  });

  it('reads a number or boolean short form as a string parameter with that default', () => {
    const job = jobOf('      count: 7\n      flag: true\n');
    assert.deepEqual(paramDefaults(job.params), { count: '7', flag: 'true' });
  });

  it('makes a parameter secret when its placeholder is used inside a job-file secret', () => {
    const job = jobOf(
      '      token: abcdefghij\n      plain: x\n',
      '    env: { API_TOKEN: { secret: "{token}" }, SHOWN: "{plain}" }\n',
    );
    assert.equal(job.params['token']?.secret, true);
    assert.equal(job.params['plain']?.secret, false);
    assert.ok(job.params['token']?.default instanceof Secret, 'a secret default prints as ***');
    assert.doesNotMatch(JSON.stringify(job), /abcdefghij/);
    assert.deepEqual(paramDefaults(job.params), { token: 'abcdefghij', plain: 'x' });
  });

  it('marks a parameter used in an HTTP header, the bearer or a secret header', () => {
    const file = path.join(folder, `job-${++counter}.yaml`);
    writeFileSync(
      file,
      `version: 1
jobs:
  hook:
    http:
      url: 'http://127.0.0.1:9/{path}'
      headers: { x-tenant: '{tenant}', x-key: { secret: 'k-{key}' } }
      bearer: 'b-{bearer}'
    params: { path: p, tenant: t, key: k, bearer: b }
`,
    );
    const [job] = readConfig(file, { kinds: builtinKinds, env: {} }).jobs;
    const { path: urlPath, tenant, key, bearer } = job?.params ?? {};
    assert.deepEqual(
      [urlPath, tenant, key, bearer].map((spec) => [spec?.inHeader, spec?.secret]),
      [
        [false, false],
        [true, false],
        [true, true],
        [true, true],
      ],
    );
  });

  it('reports each bad declaration at its field', () => {
    const cases: [string, RegExp, string][] = [
      ['      p: { type: text }\n', /string.*integer.*number.*boolean.*enum/, 'jobs.adhoc.params.p.type'],
      ['      p: { pattern: "([a-z" }\n', /the pattern does not compile/, 'jobs.adhoc.params.p.pattern'],
      [
        '      p: { pattern: "^[a-z]+$", default: "A1" }\n',
        /the default does not satisfy its own rule: parameter "p" must match/,
        'jobs.adhoc.params.p.default',
      ],
      ['      p: { type: enum }\n', /an enum parameter needs values/, 'jobs.adhoc.params.p'],
      ['      p: { type: enum, values: [] }\n', /an enum parameter needs values/, 'jobs.adhoc.params.p'],
      [
        '      p: { type: integer, min: 5, max: 1 }\n',
        /min \(5\) is greater than max \(1\)/,
        'jobs.adhoc.params.p.min',
      ],
      ['      p: { type: integer, default: 1.5 }\n', /must be an integer/, 'jobs.adhoc.params.p.default'],
      [
        '      p: { type: enum, values: [a], pattern: "a" }\n',
        /pattern applies only to a parameter of type string/,
        'jobs.adhoc.params.p.pattern',
      ],
      [
        '      p: { type: boolean, min: 1 }\n',
        /min applies only to a parameter of type integer or number/,
        'jobs.adhoc.params.p.min',
      ],
      [
        '      p: "-rf"\n',
        /the default does not satisfy its own rule: parameter "p" must match/,
        'jobs.adhoc.params.p',
      ],
      ['      p: "a b"\n', /must match/, 'jobs.adhoc.params.p'],
    ];
    for (const [params, message, at] of cases) {
      const problems = problemsOf(params);
      assert.equal(problems.length, 1, `${params}: ${JSON.stringify(problems)}`);
      assert.match(problems[0]?.message ?? '', message, params);
      assert.equal(problems[0]?.path, at, params);
      assert.ok((problems[0]?.line ?? 0) >= 5, `located in the file: ${params}`);
    }
  });

  it('refuses a parameter without a default on a job that also runs on its own', () => {
    for (const [extra, says] of [
      ['    schedule: "0 2 * * *"\n', 'on its schedule'],
      ['    queue: {}\n', 'for each queued item'],
    ] as const) {
      const [problem] = problemsOf('      who: { type: string }\n', extra);
      assert.equal(problem?.path, 'jobs.adhoc.params.who');
      assert.match(problem?.message ?? '', new RegExp(`no default, but the job also runs ${says}`));
    }
  });
});

describe('checking a trigger value against its parameter', () => {
  const job = jobOf(longForm);
  const spec = (name: string) => job.params[name] as ParamSpec;

  it('accepts and canonicalises integers, numbers and booleans', () => {
    assert.equal(checkParamValue('limit', spec('limit'), '007'), '7');
    assert.equal(checkParamValue('limit', spec('limit'), '+1000'), '1000');
    assert.equal(checkParamValue('ratio', spec('ratio'), '0.50'), '0.5');
    assert.equal(checkParamValue('ratio', spec('ratio'), '1e-1'), '0.1');
    assert.equal(checkParamValue('ratio', spec('ratio'), '-0'), '0');
    assert.equal(checkParamValue('verbose', spec('verbose'), 'YES'), 'true');
    assert.equal(checkParamValue('verbose', spec('verbose'), '0'), 'false');
    assert.equal(checkParamValue('mode', spec('mode'), 'apply'), 'apply');
    assert.equal(checkParamValue('who', spec('who'), 'alice-2'), 'alice-2');
  });

  it('refuses what breaks the rule, naming the parameter and the rule but never the value', () => {
    const expected: [string, string, string][] = [
      ['who', 'Alice', 'parameter "p" must match ^[a-z][a-z0-9-]{0,30}$'],
      ['who', 'a\nb', 'parameter "p" must match ^[a-z][a-z0-9-]{0,30}$'],
      ['limit', '0', 'parameter "p" must be an integer between 1 and 1000'],
      ['limit', '1001', 'parameter "p" must be an integer between 1 and 1000'],
      ['limit', '1.0', 'parameter "p" must be an integer between 1 and 1000'],
      ['limit', '0x10', 'parameter "p" must be an integer between 1 and 1000'],
      ['limit', ' 5', 'parameter "p" must be an integer between 1 and 1000'],
      ['ratio', '1.5', 'parameter "p" must be a number between 0 and 1'],
      ['ratio', 'NaN', 'parameter "p" must be a number between 0 and 1'],
      ['ratio', 'Infinity', 'parameter "p" must be a number between 0 and 1'],
      ['verbose', 'maybe', 'parameter "p" must be true or false'],
      ['mode', 'Apply', 'parameter "p" must be one of dry, apply'],
      ['token', 'short', 'parameter "p" must match ^[A-Za-z0-9]{20,64}$'],
    ];
    for (const [name, value, message] of expected) assert.equal(refusal(spec(name), value), message, value);
  });

  it('holds the default pattern: no option, path, space, quote or shell syntax', () => {
    const short = spec('short');
    for (const value of ['world', 'a.b,c:d@e+f=g-h_i', '0', '_x', 'x'.repeat(256)])
      assert.equal(checkParamValue('short', short, value), value);
    for (const value of [
      '-rf',
      '--option=1',
      '$(id)',
      '`id`',
      'a;b',
      'a&&b',
      'a b',
      '"q"',
      "'q'",
      '../etc',
      'a/b',
      '',
      'x'.repeat(257),
      'wörld',
      'ᴀdmin',
    ])
      assert.equal(refusal(short, value), `parameter "p" must match ${defaultParamPattern}`, value);
  });

  it('always refuses control characters and overlong values, and CR/LF where a header carries the value', () => {
    const anything: ParamSpec = {
      type: 'string',
      pattern: '[\\s\\S]*',
      regex: /^(?:[\s\S]*)$/u,
      default: undefined,
      description: undefined,
      secret: false,
      inHeader: false,
    };
    assert.equal(checkParamValue('p', anything, 'tab\tand\r\nbreaks'), 'tab\tand\r\nbreaks');
    for (const value of ['nul\u0000', 'bell\u0007', 'esc\u001b[31m'])
      assert.match(refusal(anything, value), /must not contain control characters/);
    assert.equal(checkParamValue('p', anything, 'x'.repeat(4096)).length, 4096);
    assert.match(refusal(anything, 'x'.repeat(4097)), /must be at most 4096 characters long/);
    const header = { ...anything, inHeader: true };
    for (const value of ['a\r\nX-Injected: 1', 'a\nb', 'a\rb'])
      assert.match(refusal(header, value), /must not contain CR or LF: it is sent in an HTTP header/);
  });

  it('anchors a declared pattern and reads it as unicode', () => {
    const file = path.join(folder, `job-${++counter}.yaml`);
    writeFileSync(
      file,
      `version: 1\njobs:\n  adhoc:\n    run: echo hi\n    params:\n      a: { pattern: 'ab|cd', default: ab }\n      u: { pattern: '\\p{L}+', default: wörld }\n`,
    );
    const [adhoc] = readConfig(file, { kinds: builtinKinds, env: {} }).jobs;
    const a = adhoc?.params['a'] as ParamSpec;
    assert.equal(checkParamValue('a', a, 'cd'), 'cd');
    assert.match(refusal(a, 'abcd'), /must match ab\|cd/, 'the alternation does not escape the anchors');
    assert.match(refusal(a, 'xab'), /must match/);
    assert.equal(checkParamValue('u', adhoc?.params['u'] as ParamSpec, 'ĉu'), 'ĉu');
  });
});
