/** The dashboard stays light: its shipped JavaScript and CSS together under 150 KB gzipped. */
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { gzipSync } from 'node:zlib';
import { buildDashboard } from './build-dashboard.ts';

const budgetBytes = 150 * 1024;

describe('the dashboard build', () => {
  it(`ships JavaScript and CSS under ${budgetBytes / 1024} KB gzipped`, () => {
    const outDir = buildDashboard();
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
