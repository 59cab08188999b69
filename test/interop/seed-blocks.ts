/** Test helper: the fenced code blocks of a seed document (/work/shared/seeds), with the file each names. */
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';

export interface SeedBlock {
  readonly language: string;
  readonly text: string;
  /** The `**File**: \`/etc/...\`` line just above the block, when there is one. */
  readonly file: string | undefined;
  /** The 1-based line of the block's first line of text in the seed. */
  readonly line: number;
}

/** The seeds' folder: beside the repository's parent, as the workplace lays it out. */
export const seedsFolder = path.resolve(import.meta.dirname, '../../../shared/seeds');

export function seedExists(seed: string): boolean {
  return existsSync(path.join(seedsFolder, seed));
}

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
