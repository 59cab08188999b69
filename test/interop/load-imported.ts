/** Test helpers: an import written as a job file and read back with the project's own loader. */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { ConfigError, readConfig } from '../../src/config/index.ts';
import type { ResolvedConfig } from '../../src/config/index.ts';
import type { ImportResult } from '../../src/interop/index.ts';
import { writeImportedJobFile } from '../../src/interop/index.ts';
import { builtinKinds } from '../../src/kinds/index.ts';

const folder = mkdtempSync(path.join(tmpdir(), 'cronplane-import-'));
let counter = 0;

/** The written job file's text and what `cronplane validate` reads from it; fails with every problem. */
export function loadImported(
  result: ImportResult,
  env: Readonly<Record<string, string>> = {},
): { text: string; config: ResolvedConfig } {
  const text = writeImportedJobFile(result, { title: ['imported in a test'] });
  const file = path.join(folder, `imported-${++counter}.yaml`);
  writeFileSync(file, text);
  try {
    return { text, config: readConfig(file, { kinds: builtinKinds, env }) };
  } catch (thrown) {
    if (thrown instanceof ConfigError) {
      throw new Error(
        `the written file does not load:\n${thrown.problems.map((p) => `${p.line}: ${p.message}`).join('\n')}\n${text}`,
        { cause: thrown },
      );
    }
    throw thrown;
  }
}
