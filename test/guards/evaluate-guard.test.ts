/** The pure judgement of one guard: fixed bounds, change against a mean or median baseline, lookback. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import type { GuardEntry } from '../../src/config/index.ts';
import { computeBaseline, describeBreach, evaluateGuard } from '../../src/guards/index.ts';
import type { GuardEvaluation } from '../../src/guards/index.ts';

const RUNS = { numRuns: 500, seed: 6 };

/** Seed 000: refusal_rate rose by more than 0.05 against the mean of the last 10. */
const refusalSpike: GuardEntry = { metric: 'refusal_rate', rise_by: 0.05 };
/** Seed 000: citation_rate dropped by more than 0.1. */
const citationDrop: GuardEntry = { metric: 'citation_rate', drop_by: 0.1 };
/** Seed 001: agreement below 75 % is critical. */
const lowAgreement: GuardEntry = { metric: 'agreement_rate', below: 0.75, severity: 'critical' };

function rules(evaluation: GuardEvaluation): string[] {
  return evaluation.kind === 'breached' ? evaluation.breaches.map((breach) => breach.rule) : [];
}

describe('evaluateGuard', () => {
  it('trips the refusal spike when the rate rose by more than 0.05 against the mean of the history', () => {
    const history = [0.02, 0.03, 0.04, 0.03, 0.03]; // mean 0.03
    const evaluation = evaluateGuard(refusalSpike, 0.09, history);
    assert.equal(evaluation.kind, 'breached');
    assert.ok(evaluation.kind === 'breached');
    const [breach] = evaluation.breaches;
    assert.equal(breach.rule, 'rise_by');
    assert.ok(breach.rule === 'rise_by');
    assert.equal(breach.value, 0.09);
    assert.equal(breach.threshold, 0.05);
    assert.equal(breach.baseline.kind, 'mean');
    assert.equal(breach.baseline.runs, 5);
    assert.ok(Math.abs(breach.baseline.value - 0.03) < 1e-12);
    assert.ok(Math.abs(breach.delta - 0.06) < 1e-12);
    assert.equal(
      describeBreach(breach),
      'refusal_rate rose by 0.06 to 0.09 against the mean of the last 5 successful runs (0.03), more than 0.05',
    );
  });

  it('lets a rise of exactly the threshold pass, decimal noise included (0.08 − 0.03)', () => {
    assert.equal(evaluateGuard(refusalSpike, 0.08, [0.03]).kind, 'passed');
    // 0.4 − 0.3 is 0.10000000000000003 in binary: still "not more than 0.1".
    assert.equal(evaluateGuard(citationDrop, 0.3, [0.4]).kind, 'passed');
    assert.equal(evaluateGuard(citationDrop, 0.2999, [0.4]).kind, 'breached');
  });

  it('trips the citation drop only for a drop, and the refusal spike only for a rise', () => {
    const history = [0.8, 0.82, 0.78];
    assert.deepEqual(rules(evaluateGuard(citationDrop, 0.65, history)), ['drop_by']);
    assert.deepEqual(rules(evaluateGuard(citationDrop, 0.95, history)), []);
    assert.deepEqual(rules(evaluateGuard(refusalSpike, 0.01, [0.2, 0.2])), []);
    const drop = evaluateGuard(citationDrop, 0.65, history);
    assert.ok(drop.kind === 'breached');
    assert.equal(
      describeBreach(drop.breaches[0]),
      'citation_rate dropped by 0.15 to 0.65 against the mean of the last 3 successful runs (0.8), more than 0.1',
    );
  });

  it('applies only the fixed bounds while there is no history', () => {
    assert.equal(evaluateGuard(refusalSpike, 0.99, []).kind, 'passed');
    const guard: GuardEntry = { metric: 'refusal_rate', rise_by: 0.05, above: 0.5 };
    const first = evaluateGuard(guard, 0.99, []);
    assert.deepEqual(rules(first), ['above']);
    assert.ok(first.kind === 'breached');
    assert.equal(first.baseline, undefined);
  });

  it('judges seed 001’s absolute rule: agreement below 0.75 breaches, 0.75 itself does not', () => {
    const low = evaluateGuard(lowAgreement, 0.71, [0.9, 0.91]);
    assert.deepEqual(rules(low), ['below']);
    assert.ok(low.kind === 'breached');
    assert.equal(describeBreach(low.breaches[0]), 'agreement_rate is 0.71, below 0.75');
    assert.equal(evaluateGuard(lowAgreement, 0.75, []).kind, 'passed');
    const high: GuardEntry = { metric: 'errors', above: 5 };
    assert.deepEqual(rules(evaluateGuard(high, 6, [])), ['above']);
    assert.deepEqual(rules(evaluateGuard(high, 5, [])), []);
  });

  it('reports every condition a value breaks at once', () => {
    const guard: GuardEntry = { metric: 'm', below: 0.5, drop_by: 0.1 };
    assert.deepEqual(rules(evaluateGuard(guard, 0.3, [0.9])), ['below', 'drop_by']);
  });

  it('compares with the median when asked, which one outlier does not move', () => {
    const history = [0.03, 0.03, 0.9, 0.03, 0.04]; // mean 0.206, median 0.03
    assert.equal(evaluateGuard(refusalSpike, 0.1, history).kind, 'passed');
    const median = evaluateGuard({ ...refusalSpike, baseline: 'median' }, 0.1, history);
    assert.deepEqual(rules(median), ['rise_by']);
    assert.ok(median.kind === 'breached');
    assert.deepEqual(median.baseline, { kind: 'median', value: 0.03, runs: 5 });
    assert.deepEqual(computeBaseline([4, 1, 3, 2], 'median'), { kind: 'median', value: 2.5, runs: 4 });
  });

  it('summarises only the newest `lookback` values (10 by default)', () => {
    // Newest first: ten calm runs, then older noisy ones that the default lookback leaves out.
    const history = [...Array.from({ length: 10 }, () => 0.02), 0.5, 0.5, 0.5];
    const evaluation = evaluateGuard(refusalSpike, 0.1, history);
    assert.ok(evaluation.kind === 'breached');
    assert.equal(evaluation.baseline?.runs, 10);
    assert.equal(evaluateGuard({ ...refusalSpike, lookback: 13 }, 0.1, history).kind, 'passed');
    const short = evaluateGuard({ ...refusalSpike, lookback: 2 }, 0.1, [0.02, 0.08, 0.5]);
    assert.ok(short.kind === 'passed');
    assert.deepEqual(short.baseline?.runs, 2);
  });

  it('judges nothing when the run did not report the metric or reported something not a number', () => {
    assert.deepEqual(evaluateGuard(lowAgreement, undefined, [0.9]), {
      kind: 'missing',
      metric: 'agreement_rate',
    });
    assert.equal(evaluateGuard(lowAgreement, Number.NaN, [0.9]).kind, 'missing');
    assert.equal(evaluateGuard(lowAgreement, Number.POSITIVE_INFINITY, []).kind, 'missing');
  });

  describe('properties', () => {
    const rate = fc.double({ min: -1e6, max: 1e6, noNaN: true, noDefaultInfinity: true });
    const threshold = fc.double({ min: 1e-6, max: 1e3, noNaN: true, noDefaultInfinity: true });
    const changeGuard = fc.record({
      rise_by: threshold,
      drop_by: threshold,
      baseline: fc.constantFrom('mean' as const, 'median' as const),
      lookback: fc.integer({ min: 1, max: 20 }),
    });

    it('a value equal to the baseline never breaches a change rule', () => {
      fc.assert(
        fc.property(changeGuard, fc.array(rate, { minLength: 1, maxLength: 30 }), (rules, history) => {
          const guard: GuardEntry = { metric: 'm', ...rules };
          const baseline = computeBaseline(history.slice(0, rules.lookback), rules.baseline);
          assert.ok(baseline !== undefined);
          assert.equal(evaluateGuard(guard, baseline.value, history).kind, 'passed');
        }),
        RUNS,
      );
    });

    it('a history of one repeated value trips exactly when the value moved by more than the threshold', () => {
      fc.assert(
        fc.property(
          fc.double({ min: -1000, max: 1000, noNaN: true }),
          fc.double({ min: 0.01, max: 100, noNaN: true }),
          fc.double({ min: -300, max: 300, noNaN: true }),
          fc.integer({ min: 1, max: 15 }),
          (level, limit, move, runs) => {
            const guard: GuardEntry = { metric: 'm', rise_by: limit, drop_by: limit };
            const history = Array.from({ length: runs }, () => level);
            const value = level + move;
            // Leave out moves within rounding of the threshold itself.
            fc.pre(Math.abs(Math.abs(move) - limit) > 1e-6 * Math.max(1, Math.abs(level), limit));
            const expected = move > limit ? ['rise_by'] : move < -limit ? ['drop_by'] : [];
            assert.deepEqual(rules(evaluateGuard(guard, value, history)), expected);
          },
        ),
        RUNS,
      );
    });

    it('the mean and the median stay within the history’s range and do not depend on its order', () => {
      fc.assert(
        fc.property(
          fc.array(rate, { minLength: 1, maxLength: 25 }),
          fc.constantFrom('mean' as const, 'median' as const),
          (values, kind) => {
            const baseline = computeBaseline(values, kind);
            assert.ok(baseline !== undefined);
            assert.ok(baseline.value >= Math.min(...values) && baseline.value <= Math.max(...values));
            assert.ok(
              Math.abs(
                (computeBaseline([...values].reverse(), kind)?.value ?? Number.NaN) - baseline.value,
              ) <=
                1e-9 * Math.max(1, ...values.map(Math.abs)),
            );
          },
        ),
        RUNS,
      );
    });

    it('fixed bounds do not depend on the history', () => {
      fc.assert(
        fc.property(rate, rate, rate, fc.array(rate, { maxLength: 12 }), (value, above, below, history) => {
          const guard: GuardEntry = { metric: 'm', above, below };
          const expected = [...(value > above ? ['above'] : []), ...(value < below ? ['below'] : [])];
          assert.deepEqual(rules(evaluateGuard(guard, value, history)), expected);
          assert.deepEqual(rules(evaluateGuard(guard, value, [])), expected);
        }),
        RUNS,
      );
    });
  });
});
