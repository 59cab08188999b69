/**
 * The package's entries in a clone: under the `cronplane-source` condition they are the
 * TypeScript sources, and each name docs/library.md gives for an entry is exported by it (types
 * too, read by the type checker). The installed package is packed-package.test.ts's subject.
 */
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';
import { promisify } from 'node:util';
import ts from 'typescript';

const run = promisify(execFile);
const root = path.resolve(import.meta.dirname, '../..');

/** The names in backticks that docs/library.md's table gives for one entry. */
function documentedNames(entry: string): string[] {
  const markdown = readFileSync(path.join(root, 'docs/library.md'), 'utf8');
  const row = markdown.split('\n').find((line) => line.startsWith(`| \`${entry}\` |`));
  assert.ok(row, `docs/library.md has a row for ${entry}`);
  const described = row.split('|')[2] ?? '';
  return [...described.matchAll(/`([A-Za-z]\w*)`/g)].map((match) => match[1] ?? '');
}

/** Every name a source file exports, values and types, as the type checker sees them. */
function exportedNames(file: string): Set<string> {
  const program = ts.createProgram([file], {
    module: ts.ModuleKind.NodeNext,
    moduleResolution: ts.ModuleResolutionKind.NodeNext,
    allowImportingTsExtensions: true,
    noEmit: true,
    // Names only: no standard library or ambient types are needed to list them.
    noLib: true,
    types: [],
  });
  const checker = program.getTypeChecker();
  const source = program.getSourceFile(file);
  assert.ok(source, `${file} is read`);
  const symbol = checker.getSymbolAtLocation(source);
  assert.ok(symbol, `${file} is a module`);
  return new Set(checker.getExportsOfModule(symbol).map((exported) => exported.name));
}

describe("the package's entries in a clone", () => {
  it('resolve to the TypeScript sources under the cronplane-source condition, and to dist/ without it', async () => {
    const script = [
      "const entry = await import('cronplane');",
      'console.log(JSON.stringify({',
      "  main: import.meta.resolve('cronplane'),",
      "  client: import.meta.resolve('cronplane/client'),",
      "  next: entry.compileSchedule(entry.parseSchedule('@hourly')).next(Date.parse('2026-01-01T00:30:00Z')),",
      '}));',
    ].join('\n');
    const { stdout } = await run(
      process.execPath,
      ['--conditions=cronplane-source', '--input-type=module', '--eval', script],
      { cwd: root },
    );
    assert.deepEqual(JSON.parse(stdout), {
      main: new URL('../../src/index.ts', import.meta.url).href,
      client: new URL('../../src/client.ts', import.meta.url).href,
      next: Date.parse('2026-01-01T01:00:00Z'),
    });
    const plain = await run(
      process.execPath,
      ['--input-type=module', '--eval', "console.log(import.meta.resolve('cronplane'))"],
      { cwd: root },
    );
    assert.equal(plain.stdout.trim(), new URL('../../dist/index.js', import.meta.url).href);
  });

  it('export every name docs/library.md gives for them, values and types', () => {
    const main = exportedNames(path.join(root, 'src/index.ts'));
    const documented = documentedNames('cronplane');
    assert.ok(documented.length > 20, 'the page names the main entry’s exports');
    assert.deepEqual(
      documented.filter((name) => !main.has(name)),
      [],
      'documented but not exported by src/index.ts',
    );
    const client = exportedNames(path.join(root, 'src/client.ts'));
    assert.deepEqual(
      documentedNames('cronplane/client').filter((name) => !client.has(name)),
      [],
      'documented but not exported by src/client.ts',
    );
    assert.deepEqual(
      [...client].filter((name) => !main.has(name)),
      [],
      'the main entry re-exports the client entry',
    );
  });
});
