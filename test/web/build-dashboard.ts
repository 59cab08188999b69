/** Builds the dashboard from web/ into a fresh folder, as `npm run build:web` does, for a test to serve or measure. */
import { execFileSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export function buildDashboard(): string {
  const outDir = mkdtempSync(join(tmpdir(), 'cronplane-web-'));
  execFileSync(
    join('node_modules', '.bin', 'vite'),
    ['build', '--config', 'web/vite.config.ts', '--outDir', outDir, '--emptyOutDir', '--logLevel', 'error'],
    { stdio: 'inherit' },
  );
  return outDir;
}
