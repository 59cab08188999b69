#!/usr/bin/env node
// The `cronplane` command. Runs the built output when it exists (a published package) and the
// TypeScript sources otherwise (a clone, where Node 24 strips the types itself).
// This file is plain JavaScript that old Node versions parse, so that they can be told what to
// run instead of failing on a `.ts` file.
import { existsSync } from 'node:fs';

const built = new URL('../dist/cli/main.js', import.meta.url);
const fromBuild = existsSync(built);
const [major, minor] = process.versions.node.split('.').map(Number);
// The built package needs node:sqlite unflagged (22.13); a clone runs the TypeScript sources,
// so Node must strip their types itself (22.18 on).
const needed = fromBuild ? [22, 13] : [22, 18];
if (
  major < needed[0] ||
  (major === needed[0] && minor < needed[1]) ||
  (!fromBuild && !process.features.typescript)
) {
  const version = `Node.js ${needed.join('.')} or newer`;
  const instead = fromBuild
    ? `install ${version}`
    : `run "npx cronplane ..." after "npm install" (it runs on the repository's pinned Node 24), or install ${version}`;
  process.stderr.write(
    `cronplane: needs ${version}, and this is Node.js ${process.versions.node} (${process.execPath}); ${instead}\n`,
  );
  process.exit(2);
}

// `cronplane runs | head` closes the pipe early: that is not an error.
process.stdout.on('error', (error) => {
  if (error.code === 'EPIPE') process.exit(0);
  throw error;
});

const entry = fromBuild ? built : new URL('../src/cli/main.ts', import.meta.url);
const { main } = await import(entry.href);
process.exitCode = await main(process.argv.slice(2));
