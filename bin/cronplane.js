#!/usr/bin/env node
// The `cronplane` command. Runs the built output when it exists (a published package) and the
// TypeScript sources otherwise (a clone, where Node 24 strips the types itself).
import { existsSync } from 'node:fs';

// `cronplane runs | head` closes the pipe early: that is not an error.
process.stdout.on('error', (error) => {
  if (error.code === 'EPIPE') process.exit(0);
  throw error;
});

const built = new URL('../dist/cli/main.js', import.meta.url);
const entry = existsSync(built) ? built : new URL('../src/cli/main.ts', import.meta.url);
const { main } = await import(entry.href);
process.exitCode = await main(process.argv.slice(2));
