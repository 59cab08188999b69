/**
 * `cronplane dashboard` prints a one-time sign-in link: the code in its fragment opens one session
 * with the token's scope, once, and nothing of it reaches the daemon's log.
 */
import assert from 'node:assert/strict';
import { chmodSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { runDashboard } from '../../src/cli/commands/dashboard.ts';
import { browserOpener } from '../../src/cli/open-in-browser.ts';
import { waitFor } from '../support/engine-harness.ts';
import type { CliIo } from '../../src/cli/cli-io.ts';
import { bootstrapToken } from '../api/api-harness.ts';
import { describeWithDaemonOnEachStore } from '../api/describe-with-daemon.ts';

const yaml = `version: 1
jobs:
  hello:
    run: [sh, -c, 'echo hello']
`;

function captureIo(
  env: Record<string, string>,
): CliIo & { readonly out_: string[]; readonly err_: string[] } {
  const out_: string[] = [];
  const err_: string[] = [];
  return {
    out: (line) => out_.push(line),
    err: (line) => err_.push(line),
    env,
    cwd: '.',
    isTty: false,
    out_,
    err_,
  };
}

/**
 * A folder for PATH holding stand-ins for `xdg-open` and `open`: real programs that append each
 * argument they were given, one a line, to `argv` in the folder.
 */
function fakeOpeners(): { readonly folder: string; readonly argv: () => string[] } {
  const folder = mkdtempSync(join(tmpdir(), 'cronplane-opener-'));
  const log = join(folder, 'argv');
  for (const name of ['xdg-open', 'open']) {
    const script = join(folder, name);
    writeFileSync(script, `#!/bin/sh\nfor arg in "$@"; do printf '${name} %s\\n' "$arg"; done >> '${log}'\n`);
    chmodSync(script, 0o755);
  }
  return {
    folder,
    argv: () =>
      existsSync(log)
        ? readFileSync(log, 'utf8')
            .split('\n')
            .filter((line) => line !== '')
        : [],
  };
}

describe('where cronplane dashboard opens a browser', () => {
  it('uses open on macOS, xdg-open under X11 or Wayland, and nothing without a desktop', () => {
    assert.equal(browserOpener({ env: {}, platform: 'darwin' }), 'open');
    assert.equal(browserOpener({ env: { DISPLAY: ':0' }, platform: 'linux' }), 'xdg-open');
    assert.equal(browserOpener({ env: { WAYLAND_DISPLAY: 'wayland-0' }, platform: 'freebsd' }), 'xdg-open');
    assert.equal(browserOpener({ env: {}, platform: 'linux' }), undefined);
    assert.equal(browserOpener({ env: { DISPLAY: '' }, platform: 'linux' }), undefined);
  });
});

describeWithDaemonOnEachStore(
  (storeName) => `cronplane dashboard on ${storeName}`,
  { yaml },
  (rig) => {
    it('prints a link whose code signs in once, with the scope of CRONPLANE_TOKEN, and never shows in the log', async () => {
      const { api } = rig;
      const created = await api.request('POST', '/api/tokens', { json: { name: 'viewer', scope: 'read' } });
      const io = captureIo({ CRONPLANE_TOKEN: created.body.token as string });
      assert.equal(await runDashboard({ server: api.url }, io), 0);
      const link = io.out_.join('\n');
      const match = new RegExp(`^${api.url}/signin#code=([0-9a-f-]{36})$`).exec(link);
      assert.ok(match !== null, link);
      const code = match[1] ?? '';
      const first = await api.request('POST', '/api/session', { token: null, json: { code } });
      assert.equal(first.status, 201, first.text);
      assert.equal(first.body.session.name, 'viewer');
      assert.equal(first.body.session.scope, 'read');
      const again = await api.request('POST', '/api/session', { token: null, json: { code } });
      assert.equal(again.status, 401);
      assert.ok(!api.logs.text.includes(code), 'the code is in no log line');
      assert.ok(!api.logs.text.includes(created.body.token as string), 'nor the token');
    });

    it('opens the link in the browser where a desktop is present, as one argument and without a shell', async () => {
      const { api } = rig;
      const fake = fakeOpeners();
      try {
        const env = { CRONPLANE_TOKEN: bootstrapToken, PATH: fake.folder };
        // --no-open first: only printed, although a desktop is present.
        const printedOnly = captureIo({ ...env, DISPLAY: ':0' });
        assert.equal(await runDashboard({ server: api.url, open: false }, printedOnly, 'linux'), 0);
        assert.match(printedOnly.err_.join('\n'), /open this link in a browser/);

        const x11 = captureIo({ ...env, DISPLAY: ':0' });
        assert.equal(await runDashboard({ server: api.url }, x11, 'linux'), 0);
        const mac = captureIo(env);
        assert.equal(await runDashboard({ server: api.url, open: true }, mac, 'darwin'), 0);
        const expected = [`xdg-open ${x11.out_[0] ?? ''}`, `open ${mac.out_[0] ?? ''}`];
        await waitFor('both openers to record their arguments', () => fake.argv().length >= 2 || undefined);
        assert.deepEqual(
          fake.argv().sort(),
          expected.sort(),
          'each got the link alone; --no-open started none',
        );
        assert.match(x11.err_.join('\n'), /opening it in your browser/);
        assert.ok(x11.out_[0]?.includes('#code='));
      } finally {
        rmSync(fake.folder, { recursive: true, force: true });
      }
    });

    it('only prints the link without a desktop, and notes a browser that cannot be started', async () => {
      const { api } = rig;
      const fake = fakeOpeners();
      const empty = mkdtempSync(join(tmpdir(), 'cronplane-no-opener-'));
      try {
        const headless = captureIo({ CRONPLANE_TOKEN: bootstrapToken, PATH: fake.folder });
        assert.equal(await runDashboard({ server: api.url }, headless, 'linux'), 0);
        assert.match(headless.out_[0] ?? '', /\/signin#code=/);
        assert.match(headless.err_.join('\n'), /open this link in a browser/);

        const missing = captureIo({
          CRONPLANE_TOKEN: bootstrapToken,
          PATH: empty,
          WAYLAND_DISPLAY: 'wayland-0',
        });
        assert.equal(await runDashboard({ server: api.url }, missing, 'linux'), 0);
        assert.match(missing.out_[0] ?? '', /\/signin#code=/);
        assert.match(
          missing.err_.join('\n'),
          /note: could not open a browser with xdg-open \(.*ENOENT.*\); open the link above by hand/,
        );
        // The headless run started nothing: a later desktop run is the only one recorded.
        const desktop = captureIo({ CRONPLANE_TOKEN: bootstrapToken, PATH: fake.folder, DISPLAY: ':1' });
        assert.equal(await runDashboard({ server: api.url }, desktop, 'linux'), 0);
        await waitFor('the opener to record its argument', () => fake.argv().length >= 1 || undefined);
        assert.deepEqual(fake.argv(), [`xdg-open ${desktop.out_[0] ?? ''}`]);
      } finally {
        rmSync(fake.folder, { recursive: true, force: true });
        rmSync(empty, { recursive: true, force: true });
      }
    });

    it('refuses a body with both a token and a code, or neither (400)', async () => {
      const { api } = rig;
      const both = await api.request('POST', '/api/session', {
        token: null,
        json: { token: bootstrapToken, code: 'x' },
      });
      assert.equal(both.status, 400);
      assert.equal((await api.request('POST', '/api/session', { token: null, json: {} })).status, 400);
    });

    it('exits 2 without CRONPLANE_TOKEN and 1 when the daemon refuses it', async () => {
      const { api } = rig;
      const none = captureIo({});
      assert.equal(await runDashboard({ server: api.url }, none), 2);
      assert.match(none.err_.join('\n'), /CRONPLANE_TOKEN/);
      const wrong = captureIo({
        CRONPLANE_TOKEN: 'cpt_0123456789ab_wrongwrongwrongwrongwrongwrongwrongwrongwro',
      });
      assert.equal(await runDashboard({ server: api.url }, wrong), 1);
      assert.match(wrong.err_.join('\n'), /refused: the bearer token is not valid/);
    });
  },
);
