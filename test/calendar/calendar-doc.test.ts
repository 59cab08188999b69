/**
 * Keeps docs/calendar.md honest about schedules in words: each line of the block after
 * `<!-- sample: schedule-words -->` is `EXPRESSION => WORDS`, and WORDS is what scheduleInWords says.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';
import { parseSchedule, scheduleInWords } from '../../src/calendar/index.ts';
import { markedBlocks } from '../support/marked-blocks.ts';

const markdown = readFileSync(path.resolve(import.meta.dirname, '../../docs/calendar.md'), 'utf8');

describe('docs/calendar.md, schedules in words', () => {
  const block = markedBlocks(markdown).find((candidate) => candidate.marker === 'sample: schedule-words');
  const lines = (block?.text ?? '').split('\n').filter((line) => line.trim() !== '');

  it('has the sample block', () => {
    assert.ok(block, 'docs/calendar.md has no <!-- sample: schedule-words --> block');
    assert.ok(lines.length >= 10, `${lines.length} examples`);
  });

  for (const line of lines) {
    const [expression, words] = line.split(' => ').map((part) => part.trim());
    it(`says ${expression} as the page does`, () => {
      assert.ok(expression !== undefined && words !== undefined, `not "EXPRESSION => WORDS": ${line}`);
      assert.equal(scheduleInWords(parseSchedule(expression)), words);
    });
  }
});
