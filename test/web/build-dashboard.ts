/**
 * The dashboard built from web/ as `npm run build:web` does, for a test to serve or measure: built
 * once per content of web/ and package-lock.json (the build's tools) into a folder named by their
 * hash under the temporary folder, and reused by every test file after that (the browser test
 * files each built it, a few seconds each). Tests only read the folder; none may change it.
 *
 * Test files may build at once: each builds into its own fresh folder (so Vite's one-build-per-
 * project lock, which guards a shared output folder, is passed by) and renames it into place; the
 * first rename wins and a later builder keeps the winner's identical build.
 */
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdtempSync, readdirSync, readFileSync, renameSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, sep } from 'node:path';

export function buildDashboard(): string {
  const built = join(tmpdir(), `cronplane-web-${sourcesHash()}`);
  if (existsSync(join(built, 'index.html'))) return built;
  const outDir = mkdtempSync(join(tmpdir(), 'cronplane-web-build-'));
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
  try {
    renameSync(outDir, built);
  } catch (thrown) {
    // Another file's build got there first (a folder cannot be renamed onto a full one).
    rmSync(outDir, { recursive: true, force: true });
    if (!existsSync(join(built, 'index.html'))) throw thrown;
  }
  return built;
}

/** A hash of every file under web/ (but a built web/dist) and of package-lock.json. */
function sourcesHash(): string {
  const hash = createHash('sha256');
  const files = [
    'package-lock.json',
    ...readdirSync('web', { recursive: true, withFileTypes: true })
      .filter((entry) => entry.isFile())
      .map((entry) => join(entry.parentPath, entry.name))
      .filter((file) => !file.startsWith(join('web', 'dist') + sep))
      .sort(),
  ];
  for (const file of files) hash.update(`${file}\0`).update(readFileSync(file)).update('\0');
  return hash.digest('hex').slice(0, 16);
}
