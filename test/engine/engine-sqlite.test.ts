import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { openStore } from '../../src/store/index.ts';
import { defineEngineSuite } from './engine-suite.ts';

const folder = mkdtempSync(path.join(tmpdir(), 'cronplane-engine-'));
let count = 0;

defineEngineSuite('SQLite', () => openStore(`sqlite:${path.join(folder, `engine-${++count}.db`)}`));
