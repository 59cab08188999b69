/** The dashboard stays light: its shipped JavaScript and CSS together under 150 KB gzipped. */
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { gzipSync } from 'node:zlib';

const budgetBytes = 150 * 1024;

describe('the dashboard build', () => {
  const outDir = mkdtempSync(join(tmpdir(), 'cronplane-web-'));
  after(() => rmSync(outDir, { recursive: true, force: true }));

  it(`ships JavaScript and CSS under ${budgetBytes / 1024} KB gzipped`, () => {
    execFileSync(
      join('node_modules', '.bin', 'vite'),
      ['build', '--config', 'web/vite.config.ts', '--outDir', outDir, '--emptyOutDir', '--logLevel', 'error'],
      { stdio: 'inherit' },
    );
    const shipped = readdirSync(join(outDir, 'assets')).filter((name) => /\.(js|css)$/.test(name));
    assert.ok(
      shipped.some((name) => name.endsWith('.js')),
      'the build has a script',
    );
    const gzipped = shipped.reduce(
      (total, name) => total + gzipSync(readFileSync(join(outDir, 'assets', name)), { level: 9 }).length,
      0,
    );
    assert.ok(gzipped < budgetBytes, `${gzipped} bytes gzipped, over the budget of ${budgetBytes}`);
  });
});
