import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { describe, it } from 'node:test';
import { cronplaneBin } from '../support/run-cronplane.ts';

/**
 * A Node older than 22.13 on this machine (Debian's `nodejs`, Node 20, at /usr/bin/node): the
 * CI image has one, so its absence is a failure here, never a skip.
 */
function oldNode(): { readonly path: string; readonly version: string } {
  const candidates = spawnSync('which', ['-a', 'node'], { encoding: 'utf8' }).stdout.split('\n');
  for (const path of ['/usr/bin/node', ...candidates].filter((line) => line !== '')) {
    let version: string;
    try {
      version = execFileSync(path, ['-p', 'process.versions.node'], { encoding: 'utf8' }).trim();
    } catch {
      continue;
    }
    const [major = 0, minor = 0] = version.split('.').map(Number);
    if (major < 22 || (major === 22 && minor < 13)) return { path, version };
  }
  assert.fail("no Node older than 22.13 on this machine (expected /usr/bin/node, Debian's Node 20)");
}

describe('bin/cronplane.js on an old Node', () => {
  it('says in one line which Node it needs and what to run instead, and exits 2', () => {
    const node = oldNode();
    const result = spawnSync(node.path, [cronplaneBin, 'runs'], { encoding: 'utf8' });
    assert.equal(result.status, 2, result.stderr);
    assert.equal(result.stdout, '');
    const lines = result.stderr.trimEnd().split('\n');
    assert.equal(lines.length, 1, result.stderr);
    assert.match(
      lines[0] ?? '',
      new RegExp(
        `needs Node\\.js 22\\.\\d+ or newer, and this is Node\\.js ${node.version.replaceAll('.', '\\.')}`,
      ),
    );
    assert.match(lines[0] ?? '', /run "npx cronplane \.\.\." after "npm install"/);
    assert.doesNotMatch(result.stderr, /ERR_UNKNOWN_FILE_EXTENSION/);
  });
});
