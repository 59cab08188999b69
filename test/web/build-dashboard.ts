/**
 * Builds the dashboard from web/ into a fresh folder, as `npm run build:web` does, for a test to
 * serve or measure. Test files build at once (each into its own folder), so Vite's one-build-per-
 * project lock is passed by: it guards a shared output folder, which these builds do not have.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export function buildDashboard(): string {
  const outDir = mkdtempSync(join(tmpdir(), 'cronplane-web-'));
  execFileSync(
    join('node_modules', '.bin', 'vite'),
    [
      'build',
      '--config',
      'web/vite.config.ts',
      '--outDir',
      outDir,
      '--emptyOutDir',
      '--bypass-lock',
      '--logLevel',
      'error',
    ],
    { stdio: 'inherit' },
  );
  return outDir;
}
