import { load } from 'js-yaml';

/**
 * The quick reading of a job file: its data as plain values, straight from the text, with no
 * document of positions. `js-yaml` reads a 100,000-job file (4.9 MB) in about a fifth of the
 * CPU time and under half the memory that the `yaml` package's positioned document takes; that
 * document is still what locates every problem (and what reads a file this function declines).
 *
 * It answers `undefined`, and the caller reads the text the positioned way, whenever the two
 * readers could disagree or the data alone is not enough:
 * - the text does not parse here (a syntax error, a duplicate key, more than one document, an
 *   empty file): the positioned reading reports it, with its line, as it always has;
 * - an alias (`*name`): its expansion is bounded by `checkAliases`, which needs the document;
 * - a directive line (`%YAML 1.1` changes how scalars read) or a tag (`!!float 1`, `!custom`):
 *   the two libraries resolve some of those differently;
 * - a key written as null (`~:`, `null:`): `yaml` names it `""`, `js-yaml` `"null"`;
 * - a value to substitute (`${VAR}`, `$$`): whether its result is typed depends on its quotes,
 *   and a problem in it is located by its offset, both known only to the document.
 *
 * Everything else (the YAML 1.2 core schema's plain scalars, quoted and block scalars, block
 * and flow collections, comments) reads the same with either library; the differential test
 * `test/config/read-plain-yaml.test.ts` holds them side by side.
 */
export function readPlainYaml(text: string): unknown {
  if (directiveOrTag.test(text)) return undefined;
  let data: unknown;
  try {
    data = load(text, { maxAliases: 0 });
  } catch {
    // Whatever this reader refuses, the positioned reading reports (or reads) as it always has.
    return undefined;
  }
  return plainEnough(data) ? data : undefined;
}

/** A directive at the start of a line, or a `!` where a node starts (a tag); `test ! -f` too, harmlessly. */
const directiveOrTag = /^%|(?:^|[\s[{,])!/m;

/** A `${...}` reference or a `$$` escape: what substitution would change. */
const substitution = /\$\{|\$\$/;

/** Whether no key reads as `null` and no string value needs substitution, anywhere below `value`. */
function plainEnough(value: unknown): boolean {
  const stack: unknown[] = [value];
  while (stack.length > 0) {
    const item = stack.pop();
    if (typeof item === 'string') {
      if (item.includes('$') && substitution.test(item)) return false;
    } else if (Array.isArray(item)) {
      for (const entry of item) stack.push(entry);
    } else if (item !== null && typeof item === 'object') {
      for (const key in item) {
        if (key === 'null') return false;
        stack.push((item as Record<string, unknown>)[key]);
      }
    }
  }
  return true;
}
