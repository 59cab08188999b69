import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { extractMetrics } from '../../src/executors/extract-metrics.ts';
import { LastJsonLine } from '../../src/executors/last-json-line.ts';

function feed(tracker: LastJsonLine, ...chunks: string[]): Record<string, unknown> | undefined {
  for (const chunk of chunks) tracker.push(Buffer.from(chunk));
  tracker.end();
  return tracker.value;
}

describe('the last JSON line of stdout', () => {
  it('is the last line that parses as an object, not merely the last line', () => {
    assert.deepEqual(feed(new LastJsonLine(), '{"a":1}\n{"a":2}\ndone\n[1,2]\n'), { a: 2 });
  });

  it('joins a line split across chunks', () => {
    assert.deepEqual(feed(new LastJsonLine(), 'log\n{"ro', 'ws": 1', '2}\r\nbye'), { rows: 12 });
  });

  it('counts a last line without a newline', () => {
    assert.deepEqual(feed(new LastJsonLine(), 'x\n  {"b": 3}  '), { b: 3 });
  });

  it('skips a line longer than its bound without holding it', () => {
    const tracker = new LastJsonLine(16);
    assert.deepEqual(feed(tracker, '{"a":1}\n{"long":', '"0123456789abcdef"}\n'), { a: 1 });
  });

  it('keeps the earlier value when later lines are not JSON objects', () => {
    assert.deepEqual(feed(new LastJsonLine(), '{"a":1}\n', '{broken\n', 'plain\n'), { a: 1 });
  });
});

describe('metrics from a reported object', () => {
  it('takes the numeric fields', () => {
    assert.deepEqual(extractMetrics({ rows: 3, rate: 0.5, name: 'x', ok: true, nan: null }), {
      rows: 3,
      rate: 0.5,
    });
  });

  it('takes a nested metrics object instead when there is one', () => {
    assert.deepEqual(extractMetrics({ metrics: { refusal_rate: 0.02 }, took: 12 }), { refusal_rate: 0.02 });
  });

  it('gives nothing for an object without numbers', () => {
    assert.equal(extractMetrics({ status: 'ok' }), undefined);
    assert.equal(extractMetrics([1, 2]), undefined);
  });
});
