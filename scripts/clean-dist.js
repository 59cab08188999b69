// Removes the build output: before a build (so no module deleted from src/ lingers in dist/), and
// after `npm pack` (so a clone goes back to running its sources: bin/cronplane.js prefers dist/).
import { rmSync } from 'node:fs';

rmSync('dist', { recursive: true, force: true });
