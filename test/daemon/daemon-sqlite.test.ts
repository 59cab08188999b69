import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { defineDaemonSuite } from './daemon-suite.ts';

const folder = mkdtempSync(path.join(tmpdir(), 'cronplane-daemon-db-'));
let count = 0;

defineDaemonSuite('SQLite', () => Promise.resolve(`sqlite:${path.join(folder, `daemon-${++count}.db`)}`));
