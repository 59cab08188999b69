/**
 * Test helper: the fenced code blocks of a seed document, with the file each names. The seed
 * documents with unit files or manifests (001, 002, 003 of the workplace's seeds) are copied under
 * fixtures/seeds/documents/, so these tests run wherever the repository is cloned.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';

export interface SeedBlock {
  readonly language: string;
  readonly text: string;
  /** The `**File**: \`/etc/...\`` line just above the block, when there is one. */
  readonly file: string | undefined;
  /** The 1-based line of the block's first line of text in the seed. */
  readonly line: number;
}

/** The copied seed documents. */
export const seedsFolder = path.resolve(import.meta.dirname, 'fixtures/seeds/documents');

export function seedBlocks(seed: string): SeedBlock[] {
  const lines = readFileSync(path.join(seedsFolder, seed), 'utf8').split('\n');
  const blocks: SeedBlock[] = [];
  let file: string | undefined;
  for (let index = 0; index < lines.length; index++) {
    const line = lines[index] as string;
    const named = /^\*\*File\*\*: `([^`]+)`/.exec(line);
    if (named !== null) file = named[1];
    const fence = /^```(\w*)\s*$/.exec(line);
    if (fence === null) continue;
    const start = index + 1;
    let end = start;
    while (end < lines.length && !/^```\s*$/.test(lines[end] as string)) end++;
    blocks.push({
      language: fence[1] as string,
      text: lines.slice(start, end).join('\n') + '\n',
      file,
      line: start + 1,
    });
    file = undefined;
    index = end;
  }
  return blocks;
}
