/**
 * The statistics behind the interleaved benchmarks (bench/support/): the order of passes, the
 * median with its min–max, the ratios of medians and the tables printed from them.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { interleave } from '../../bench/support/interleave.ts';
import { median } from '../../bench/support/median.ts';
import { formatMedianSummary, medianSummary } from '../../bench/support/median-summary.ts';
import { medianSummaryTable } from '../../bench/support/median-summary-table.ts';
import { formatRatioOfMedians, ratioOfMedians } from '../../bench/support/ratio-of-medians.ts';
import { ratioTable } from '../../bench/support/ratio-table.ts';
import { selectSystems } from '../../bench/support/select-systems.ts';

describe('interleave', () => {
  it('measures every system once per round, in the given order, round after round', () => {
    const order = interleave(['A', 'B', 'C'], 3).map((pass) => `${pass.round}${pass.system}`);
    assert.deepEqual(order, ['1A', '1B', '1C', '2A', '2B', '2C', '3A', '3B', '3C']);
  });

  it('refuses a repeat count that is not a whole number of at least one', () => {
    for (const repeat of [0, -1, 2.5, Number.NaN]) {
      assert.throws(() => interleave(['A'], repeat), /--repeat needs a whole number/);
    }
  });
});

describe('median', () => {
  it('is the middle value of an odd count, whatever the order', () => {
    assert.equal(median([9, 1, 5, 7, 3]), 5);
  });

  it('is the mean of the two middle values of an even count', () => {
    assert.equal(median([4, 1, 3, 2]), 2.5);
  });

  it('is not moved by one extreme pass', () => {
    assert.equal(median([20_000, 21_000, 19_500, 22_000, 500]), 20_000);
  });

  it('is NaN for no values and leaves its input unsorted', () => {
    assert.ok(Number.isNaN(median([])));
    const values = [3, 1, 2];
    median(values);
    assert.deepEqual(values, [3, 1, 2]);
  });
});

describe('medianSummary', () => {
  it('gives the median, the lowest and the highest pass and the number of passes', () => {
    assert.deepEqual(medianSummary([12, 10, 30, 11, 14]), { median: 12, min: 10, max: 30, passes: 5 });
  });

  it('is written as the median with its min–max', () => {
    const summary = medianSummary([12_000, 10_500, 13_999]);
    assert.equal(
      formatMedianSummary(summary, (value) => value.toLocaleString('en')),
      '12,000 (10,500–13,999)',
    );
  });
});

describe('ratioOfMedians', () => {
  it('divides the medians, and gives the spread of the ratios within each round', () => {
    // Medians 20 and 10; the rounds' own ratios are 2, 1 and 4.
    const ratio = ratioOfMedians([20, 10, 40], [10, 10, 10]);
    assert.deepEqual(ratio, { ratio: 2, lowestInRound: 1, highestInRound: 4 });
    assert.equal(formatRatioOfMedians(ratio), '2.00 (1.00–4.00 per round)');
  });

  it('is the ratio of medians, not the median of the ratios', () => {
    // Round ratios 0.5, 3 and 1.25 (median 1.25); medians 20 and 16.
    assert.equal(ratioOfMedians([10, 30, 20], [20, 10, 16]).ratio, 1.25);
    assert.equal(ratioOfMedians([10, 60, 20], [20, 10, 16]).ratio, 1.25);
    assert.equal(ratioOfMedians([10, 60, 25], [20, 10, 16]).ratio, 25 / 16);
  });

  it('refuses figures that do not pair up round by round', () => {
    assert.throws(() => ratioOfMedians([1, 2], [1]), /one figure per round/);
  });
});

describe('the printed tables', () => {
  const figures = [
    { name: 'cronplane, SQLite', values: [30, 20, 40] },
    { name: 'cronplane, PostgreSQL', values: [10, 12, 14] },
    { name: 'graphile-worker 0.18 (local queue)', values: [10, 10, 20] },
    { name: 'pg-boss 12', values: [5, 6, 7] },
  ];

  it('has one line per system with its median (min–max) and its passes', () => {
    assert.deepEqual(medianSummaryTable([{ label: 'runs/s', figures }], String), [
      ['system', 'runs/s, median (min–max)', 'passes'],
      ['cronplane, SQLite', '30 (20–40)', '3'],
      ['cronplane, PostgreSQL', '12 (10–14)', '3'],
      ['graphile-worker 0.18 (local queue)', '10 (10–20)', '3'],
      ['pg-boss 12', '6 (5–7)', '3'],
    ]);
  });

  it('divides each cronplane store by each peer, named by its first word', () => {
    assert.deepEqual(ratioTable(figures), [
      ['ratio of medians', '÷ graphile-worker', '÷ pg-boss'],
      ['cronplane, SQLite', '3.00 (2.00–3.00 per round)', '5.00 (3.33–6.00 per round)'],
      ['cronplane, PostgreSQL', '1.20 (0.70–1.20 per round)', '2.00 (2.00–2.00 per round)'],
    ]);
  });

  it('has no ratios when only cronplane or only peers were measured', () => {
    assert.deepEqual(ratioTable(figures.slice(0, 2)), []);
    assert.deepEqual(ratioTable(figures.slice(2)), []);
  });
});

describe('selectSystems', () => {
  const systems = [{ name: 'cronplane, SQLite' }, { name: 'cronplane, PostgreSQL' }, { name: 'pg-boss 12' }];

  it('keeps every system for an empty --only', () => {
    assert.deepEqual(selectSystems(systems, ''), systems);
  });

  it('keeps the systems whose name contains any part, ignoring case', () => {
    assert.deepEqual(
      selectSystems(systems, 'SQLITE, boss').map((system) => system.name),
      ['cronplane, SQLite', 'pg-boss 12'],
    );
  });

  it('names every system when the list matches none', () => {
    assert.throws(
      () => selectSystems(systems, 'bullmq'),
      /matches none of: cronplane, SQLite; cronplane, PostgreSQL; pg-boss 12/,
    );
  });
});
