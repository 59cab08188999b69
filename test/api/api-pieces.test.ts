/** The API's small parts on their own: listen addresses, tokens, job patterns, metrics text, secrets, errors. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  ApiError,
  MetricsRegistry,
  compileJobPatterns,
  errorAnswer,
  hashToken,
  issueToken,
  jobPatternProblem,
  parseListen,
  sameHash,
  scopeAllows,
  tokenIdOf,
} from '../../src/api/index.ts';
import { CronplaneError } from '../../src/errors/index.ts';

describe('listen addresses', () => {
  it('reads HOST:PORT, [IPv6]:PORT, :PORT, PORT and off, defaulting the host to loopback', () => {
    assert.deepEqual(parseListen('127.0.0.1:7070', '--listen'), {
      kind: 'address',
      host: '127.0.0.1',
      port: 7070,
    });
    assert.deepEqual(parseListen('[::1]:8080', '--listen'), { kind: 'address', host: '::1', port: 8080 });
    assert.deepEqual(parseListen(':9000', '--listen'), { kind: 'address', host: '127.0.0.1', port: 9000 });
    assert.deepEqual(parseListen('0', '--listen'), { kind: 'address', host: '127.0.0.1', port: 0 });
    assert.deepEqual(parseListen('0.0.0.0:80', 'server.listen'), {
      kind: 'address',
      host: '0.0.0.0',
      port: 80,
    });
    assert.deepEqual(parseListen('off', '--listen'), { kind: 'off' });
  });

  it('refuses anything else, naming where it came from', () => {
    for (const bad of ['', 'localhost', '127.0.0.1:70000', 'http://x:1', '[zz]:80', '1.2.3.4:']) {
      assert.throws(
        () => parseListen(bad, 'server.listen'),
        { code: 'api.listen', message: /^server\.listen / },
        bad,
      );
    }
  });
});

describe('API tokens', () => {
  it('issues cpt_<id>_<secret> tokens whose hash is sha256 and whose id finds them', () => {
    const issued = issueToken();
    assert.match(issued.token, /^cpt_[0-9a-f]{12}_[A-Za-z0-9_-]{43}$/);
    assert.equal(tokenIdOf(issued.token), issued.id);
    assert.equal(issued.hash, hashToken(issued.token));
    assert.match(issued.hash, /^[0-9a-f]{64}$/);
    assert.notEqual(issueToken().token, issued.token);
    assert.equal(tokenIdOf('cpt_short_x'), undefined);
    assert.equal(tokenIdOf(`${issued.token}x`), undefined);
  });

  it('compares hashes in constant time, refusing anything that is not a sha256 digest', () => {
    const hash = hashToken('a');
    assert.equal(sameHash(hash, hashToken('a')), true);
    assert.equal(sameHash(hash, hashToken('b')), false);
    assert.equal(sameHash(hash, 'abc'), false);
    assert.equal(sameHash('', ''), false);
  });

  it('orders scopes: admin includes trigger, trigger includes read', () => {
    assert.equal(scopeAllows('admin', 'trigger'), true);
    assert.equal(scopeAllows('trigger', 'read'), true);
    assert.equal(scopeAllows('read', 'trigger'), false);
    assert.equal(scopeAllows('trigger', 'admin'), false);
  });

  it('matches job-name patterns with * and ?, and nothing else', () => {
    const matches = compileJobPatterns(['cleanup-*', 'report-?']);
    assert.equal(matches('cleanup-tmp'), true);
    assert.equal(matches('cleanup-'), true);
    assert.equal(matches('xcleanup-tmp'), false);
    assert.equal(matches('report-1'), true);
    assert.equal(matches('report-12'), false);
    assert.equal(compileJobPatterns(['a.b'])('axb'), false, 'a dot is a dot');
    assert.equal(compileJobPatterns([])('anything'), true);
    assert.equal(jobPatternProblem('cleanup-*'), undefined);
    assert.match(jobPatternProblem('Clean Up') ?? '', /is not a job-name pattern/);
  });
});

describe('the metrics text', () => {
  it('writes HELP, TYPE and samples, with cumulative histogram buckets and escaped labels', async () => {
    const registry = new MetricsRegistry();
    const runs = registry.counter('demo_runs_total', 'Runs.', ['job', 'status']);
    runs.inc({ job: 'a"b\\c\nd', status: 'ok' });
    runs.inc({ status: 'ok', job: 'a"b\\c\nd' }, 2);
    const durations = registry.histogram('demo_seconds', 'Durations.', [1, 5], ['job']);
    durations.observe({ job: 'x' }, 0.5);
    durations.observe({ job: 'x' }, 3);
    durations.observe({ job: 'x' }, 9);
    registry.gauge('demo_up', 'Up.', [], () => [{ labels: {}, value: 1 }]);
    assert.equal(
      await registry.render(),
      [
        '# HELP demo_runs_total Runs.',
        '# TYPE demo_runs_total counter',
        'demo_runs_total{job="a\\"b\\\\c\\nd",status="ok"} 3',
        '',
        '# HELP demo_seconds Durations.',
        '# TYPE demo_seconds histogram',
        'demo_seconds_bucket{le="1",job="x"} 1',
        'demo_seconds_bucket{le="5",job="x"} 2',
        'demo_seconds_bucket{le="+Inf",job="x"} 3',
        'demo_seconds_sum{job="x"} 12.5',
        'demo_seconds_count{job="x"} 3',
        '',
        '# HELP demo_up Up.',
        '# TYPE demo_up gauge',
        'demo_up 1',
        '',
      ].join('\n'),
    );
  });
});

describe('error answers', () => {
  it('answers the client’s mistakes with their status and code, and hides the server’s own faults', () => {
    const api = errorAnswer(new ApiError(404, 'api.unknown-run', 'no run with id 3', { path: 'path.id' }));
    assert.deepEqual(api, {
      status: 404,
      headers: {},
      internal: false,
      body: { error: { code: 'api.unknown-run', message: 'no run with id 3', path: 'path.id' } },
    });
    assert.equal(errorAnswer(new CronplaneError('store.conflict', 'taken')).status, 409);
    const fault = errorAnswer(new Error('SQLITE_CORRUPT: database disk image is malformed at /var/lib/x.db'));
    assert.equal(fault.status, 500);
    assert.equal(fault.internal, true);
    assert.doesNotMatch(JSON.stringify(fault.body), /SQLITE|\/var\/lib/);
    const fastify = Object.assign(new Error('Body cannot be empty'), {
      statusCode: 400,
      code: 'FST_ERR_CTP_EMPTY_JSON_BODY',
    });
    assert.equal(errorAnswer(fastify).body.error.code, 'api.invalid-json');
  });
});
