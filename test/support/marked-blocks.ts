/**
 * The fenced code blocks of a docs page, each with the marker comment above it
 * (`<!-- test: valid -->`, `<!-- sample: slack -->`): doc tests check the marked ones, so the
 * examples in docs/ stay true.
 */

export interface MarkedBlock {
  /** The line of the opening fence, from 1. */
  readonly line: number;
  /** `test: valid` or `sample: NAME`; undefined for a block without a marker. */
  readonly marker: string | undefined;
  /** The block's text, ending with a newline. */
  readonly text: string;
  /** The word after the opening fence (`sh`, `yaml`, `json 200`'s `json`); '' for an unlabelled block. */
  readonly language: string;
}

export function markedBlocks(markdown: string): MarkedBlock[] {
  const lines = markdown.split('\n');
  const blocks: MarkedBlock[] = [];
  for (let index = 0; index < lines.length; index++) {
    const fence = /^```(\S*)/.exec(lines[index] ?? '');
    if (fence === null) continue;
    const start = index;
    const body: string[] = [];
    for (index++; index < lines.length && !(lines[index] ?? '').startsWith('```'); index++)
      body.push(lines[index] ?? '');
    let previous = start - 1;
    while (previous >= 0 && (lines[previous] ?? '').trim() === '') previous--;
    const marker = /^<!-- (test: valid|sample: [\w-]+) -->$/.exec((lines[previous] ?? '').trim())?.[1];
    blocks.push({ line: start + 1, marker, text: `${body.join('\n')}\n`, language: fence[1] ?? '' });
  }
  return blocks;
}
