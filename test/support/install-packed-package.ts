/**
 * Packs this repository as npm would publish it (`npm pack`, whose `prepack` builds `dist/`) and
 * installs the tarball into a new, empty project, as a user would — with no network: the
 * package's runtime dependencies are copied into the project from this repository's own
 * `node_modules` first (the versions of package-lock.json), so that `npm install --offline`
 * finds each of them already satisfied and only adds the tarball.
 *
 * The repository itself is left as it is: the pack runs in a copy of the files that make the
 * package, so no `dist/` appears in the clone (bin/cronplane.js would prefer it to the sources).
 */
import { execFile } from 'node:child_process';
import {
  cpSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  realpathSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);

export const repositoryRoot = path.resolve(import.meta.dirname, '../..');

/** What the package is made of: package.json's `files`, and what its `prepack` build reads. */
const packageSources = [
  'package.json',
  'tsconfig.json',
  'tsconfig.build.json',
  'README.md',
  'bin',
  'src',
  'scripts',
  'web',
];

export interface InstalledPackage {
  /** The temporary folder holding the tarball, the copy it was packed from and the project. */
  readonly folder: string;
  readonly tarball: string;
  /** The new project with the package in its node_modules. */
  readonly project: string;
  /** The installed package's own folder: `<project>/node_modules/cronplane`. */
  readonly installed: string;
}

interface LockEntry {
  readonly dev?: boolean;
  readonly bin?: Readonly<Record<string, string>>;
}

export async function installPackedPackage(): Promise<InstalledPackage> {
  const folder = mkdtempSync(path.join(tmpdir(), 'cronplane-package-'));
  const tarball = await pack(folder);
  const project = path.join(folder, 'project');
  mkdirSync(project);
  writeFileSync(
    path.join(project, 'package.json'),
    `${JSON.stringify({ name: 'uses-cronplane', private: true, type: 'module' }, null, 2)}\n`,
  );
  copyRuntimeDependencies(project);
  await npm(
    ['install', '--offline', '--no-audit', '--no-fund', '--cache', path.join(folder, 'npm-cache'), tarball],
    project,
  );
  return { folder, tarball, project, installed: path.join(project, 'node_modules', 'cronplane') };
}

async function pack(folder: string): Promise<string> {
  const copy = path.join(folder, 'package');
  for (const source of packageSources) {
    cpSync(path.join(repositoryRoot, source), path.join(copy, source), { recursive: true });
  }
  // The build's compiler and the test's Node come from this repository's install.
  symlinkSync(realpathSync(path.join(repositoryRoot, 'node_modules')), path.join(copy, 'node_modules'));
  const { stdout } = await npm(['pack', '--json', '--pack-destination', folder], copy);
  const [packed] = JSON.parse(stdout.slice(stdout.indexOf('['))) as { filename: string }[];
  if (packed === undefined) throw new Error(`npm pack said nothing about a tarball:\n${stdout}`);
  return path.join(folder, packed.filename);
}

/**
 * Copies every package that package-lock.json marks as needed at run time (not `dev`) from
 * this repository's node_modules into the project's, with its command links, so that npm
 * counts it as installed.
 */
function copyRuntimeDependencies(project: string): void {
  const lock = JSON.parse(readFileSync(path.join(repositoryRoot, 'package-lock.json'), 'utf8')) as {
    packages: Record<string, LockEntry>;
  };
  const copied: string[] = [];
  for (const [location, entry] of Object.entries(lock.packages)) {
    if (location === '' || entry.dev === true) continue;
    // A nested package came along with the package it is nested in.
    if (copied.some((parent) => location.startsWith(`${parent}/`))) continue;
    const source = path.join(repositoryRoot, location);
    // An optional package for another platform is not installed here.
    if (!existsSync(source)) continue;
    cpSync(realpathSync(source), path.join(project, location), { recursive: true });
    copied.push(location);
    const binFolder = path.join(project, path.dirname(location), '.bin');
    for (const [name, target] of Object.entries(entry.bin ?? {})) {
      mkdirSync(binFolder, { recursive: true });
      symlinkSync(path.relative(binFolder, path.join(project, location, target)), path.join(binFolder, name));
    }
  }
}

async function npm(args: readonly string[], cwd: string): Promise<{ stdout: string; stderr: string }> {
  // The project's scripts (the build) run on this test's Node, found first on the PATH.
  const PATH = [path.dirname(process.execPath), process.env['PATH'] ?? ''].join(path.delimiter);
  try {
    return await run('npm', args, { cwd, env: { ...process.env, PATH }, maxBuffer: 64 * 1024 * 1024 });
  } catch (thrown) {
    const failed = thrown as { stdout?: string; stderr?: string; message: string };
    throw new Error(
      `npm ${args.join(' ')} failed in ${cwd}: ${failed.message}\n${failed.stdout ?? ''}${failed.stderr ?? ''}`,
      { cause: thrown },
    );
  }
}
