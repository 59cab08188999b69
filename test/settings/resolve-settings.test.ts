/** A node's runtime settings: flags, then the environment, then the job file, then the defaults. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { CronplaneError } from '../../src/errors/index.ts';
import { defaultSettings, resolveSettings } from '../../src/settings/index.ts';
import type { FileSettings, SettingFlags } from '../../src/settings/index.ts';

const cwd = '/srv/cronplane';

function settingsOf(
  flags: SettingFlags = {},
  env: Record<string, string> = {},
  file: FileSettings = { store: undefined, listen: undefined },
) {
  return resolveSettings({ flags, env, file: { path: 'cronplane.yaml', settings: file }, cwd });
}

describe('runtime settings', () => {
  it('takes every value from the defaults when nothing else gives one, and says so', () => {
    const settings = settingsOf();
    assert.equal(settings.storeUrl, 'sqlite:/srv/cronplane/data/cronplane.db');
    assert.deepEqual(settings.listen, { kind: 'address', host: '127.0.0.1', port: 7070 });
    assert.equal(settings.logLevel, defaultSettings.logLevel);
    assert.equal(settings.role, 'all');
    assert.deepEqual(settings.tags, []);
    assert.equal(settings.slots, defaultSettings.slots);
    assert.equal(settings.heartbeatMs, defaultSettings.heartbeatMs);
    assert.equal(settings.nodeStaleMs, defaultSettings.nodeStaleMs);
    assert.equal(settings.runLeaseMs, defaultSettings.runLeaseMs);
    assert.equal(settings.leaderLeaseMs, defaultSettings.leaderLeaseMs);
    assert.equal(settings.leaderPollMs, defaultSettings.leaderPollMs);
    assert.equal(settings.shutdownTimeoutMs, 30_000);
    assert.equal(settings.watch, false);
    assert.deepEqual(settings.apiRateLimit, defaultSettings.apiRateLimit);
    assert.deepEqual(settings.authFailureLimit, defaultSettings.authFailureLimit);
    assert.deepEqual(settings.liveStreamLimit, defaultSettings.liveStreamLimit);
    assert.equal(settings.bootstrapToken, undefined);
    assert.equal(settings.node, undefined);
    for (const [name, source] of Object.entries(settings.sources)) {
      assert.equal(source, 'default', `${name} came from ${source}`);
    }
  });

  it('prefers a flag to the environment, the environment to the job file, the job file to the default', () => {
    const file = { store: 'postgres://file/db', listen: '127.0.0.1:7001' };
    const env = { CRONPLANE_STORE: 'postgres://env/db', CRONPLANE_LISTEN: '127.0.0.1:7002' };
    const flags = { store: 'postgres://flag/db', listen: '127.0.0.1:7003' };

    const fromFile = settingsOf({}, {}, file);
    assert.equal(fromFile.storeUrl, 'postgres://file/db');
    assert.equal(fromFile.sources.storeUrl, 'store');
    assert.deepEqual(fromFile.listen, { kind: 'address', host: '127.0.0.1', port: 7001 });
    assert.equal(fromFile.sources.listen, 'server.listen');

    const fromEnv = settingsOf({}, env, file);
    assert.equal(fromEnv.storeUrl, 'postgres://env/db');
    assert.equal(fromEnv.sources.storeUrl, 'CRONPLANE_STORE');
    assert.deepEqual(fromEnv.listen, { kind: 'address', host: '127.0.0.1', port: 7002 });
    assert.equal(fromEnv.sources.listen, 'CRONPLANE_LISTEN');

    const fromFlags = settingsOf(flags, env, file);
    assert.equal(fromFlags.storeUrl, 'postgres://flag/db');
    assert.equal(fromFlags.sources.storeUrl, '--store');
    assert.deepEqual(fromFlags.listen, { kind: 'address', host: '127.0.0.1', port: 7003 });
    assert.equal(fromFlags.sources.listen, '--listen');
  });

  it('counts an empty flag or variable as not given', () => {
    const settings = settingsOf(
      { listen: '' },
      { CRONPLANE_STORE: '', CRONPLANE_LISTEN: '', CRONPLANE_TOKEN: '' },
      { store: 'sqlite:jobs.db', listen: 'off' },
    );
    assert.equal(settings.storeUrl, 'sqlite:/srv/cronplane/jobs.db');
    assert.deepEqual(settings.listen, { kind: 'off' });
    assert.equal(settings.bootstrapToken, undefined);
  });

  it('takes a relative SQLite path from the working directory, and leaves :memory: alone', () => {
    assert.equal(settingsOf({ store: 'sqlite:./a/b.db' }).storeUrl, 'sqlite:/srv/cronplane/a/b.db');
    assert.equal(settingsOf({ store: 'sqlite::memory:' }).storeUrl, 'sqlite::memory:');
  });

  it('turns the node flags into settings, limits keeping their other parts from the defaults', () => {
    const settings = settingsOf(
      {
        node: 'web-1',
        role: 'worker',
        tag: ['gpu'],
        slots: 3,
        heartbeat: 400,
        nodeStale: 2000,
        lease: 9000,
        leaderLease: 600,
        leaderPoll: 100,
        shutdownTimeout: 5000,
        watch: true,
        apiRateLimit: 50,
        authFailureLimit: 4,
        streamLimit: 2,
      },
      { CRONPLANE_TOKEN: 'a-long-bootstrap-token', CRONPLANE_LOG_LEVEL: 'debug' },
    );
    assert.equal(settings.node, 'web-1');
    assert.equal(settings.role, 'worker');
    assert.deepEqual(settings.tags, ['gpu']);
    assert.equal(settings.slots, 3);
    assert.equal(settings.heartbeatMs, 400);
    assert.equal(settings.nodeStaleMs, 2000);
    assert.equal(settings.runLeaseMs, 9000);
    assert.equal(settings.leaderLeaseMs, 600);
    assert.equal(settings.leaderPollMs, 100);
    assert.equal(settings.shutdownTimeoutMs, 5000);
    assert.equal(settings.watch, true);
    assert.deepEqual(settings.apiRateLimit, { max: 50, windowMs: 60_000 });
    assert.deepEqual(settings.authFailureLimit, { ...defaultSettings.authFailureLimit, burst: 4 });
    assert.deepEqual(settings.liveStreamLimit, { perToken: 2, total: defaultSettings.liveStreamLimit.total });
    assert.equal(settings.sources.liveStreamLimit, '--stream-limit');
    assert.equal(settings.bootstrapToken, 'a-long-bootstrap-token');
    assert.equal(settings.sources.bootstrapToken, 'CRONPLANE_TOKEN');
    assert.equal(settings.logLevel, 'debug');
    assert.equal(settings.sources.logLevel, 'CRONPLANE_LOG_LEVEL');
  });

  it('refuses a bad value naming the flag, variable or job-file key that gave it', () => {
    const refused = (run: () => unknown, code: string, path: string, message: RegExp) =>
      assert.throws(run, (error: unknown) => {
        assert.ok(error instanceof CronplaneError);
        assert.equal(error.code, code);
        assert.equal(error.location?.path, path);
        assert.match(error.message, message);
        return true;
      });
    refused(() => settingsOf({ role: 'boss' }), 'node.role', '--role', /Unknown node role "boss"/);
    refused(() => settingsOf({ node: ' bad name' }), 'node.name', '--node', /is not a node name/);
    refused(
      () => settingsOf({ listen: 'nowhere' }),
      'api.listen',
      '--listen',
      /--listen "nowhere" is not a listen address/,
    );
    refused(
      () => settingsOf({}, { CRONPLANE_LISTEN: 'nowhere' }),
      'api.listen',
      'CRONPLANE_LISTEN',
      /CRONPLANE_LISTEN "nowhere" is not a listen address/,
    );
    refused(
      () => settingsOf({}, {}, { store: undefined, listen: '1.2.3.4:99999' }),
      'api.listen',
      'server.listen',
      /server.listen "1.2.3.4:99999" is not a listen address/,
    );
  });

  it('names where the job file came from', () => {
    assert.equal(settingsOf({ config: 'cronplane.yaml' }).sources.configFile, '--config');
    assert.equal(
      settingsOf({}, { CRONPLANE_CONFIG: 'cronplane.yaml' }).sources.configFile,
      'CRONPLANE_CONFIG',
    );
    assert.equal(settingsOf().sources.configFile, 'default');
  });

  it('is frozen: what was resolved at start-up stays as it was', () => {
    const settings = settingsOf();
    assert.ok(Object.isFrozen(settings));
    assert.ok(Object.isFrozen(settings.sources));
    assert.throws(() => {
      (settings as { slots: number }).slots = 99;
    }, TypeError);
  });
});
