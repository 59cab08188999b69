// Before `npm start`: builds the dashboard when web/dist/ has no index.html (a clone installed
// with --ignore-scripts, or web/dist/ removed), so the daemon always has a dashboard to serve.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';

if (!existsSync('web/dist/index.html')) {
  console.log('the dashboard is not built yet: building it (npm run build:web)');
  const build = spawnSync('npm', ['run', 'build:web'], { stdio: 'inherit' });
  process.exitCode = build.status ?? 1;
}
