import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { z } from 'zod';
import type { JobFileKinds } from '../../src/config/index.ts';
import {
  ConfigError,
  collectSecrets,
  configMask,
  quietHoursSchema,
  readConfig,
  secretSchema,
} from '../../src/config/index.ts';
import { builtinKinds } from '../../src/kinds/index.ts';
import type { ChannelKindDefinition } from '../../src/notify/index.ts';
import {
  DeliveryError,
  channelKinds,
  channelsOf,
  deliver,
  describeChannel,
  originOf,
  routeChannels,
} from '../../src/notify/index.ts';
import { criticalRun, testOptions } from './fixtures.ts';
import type { HttpReceiver } from './receivers.ts';
import { startHttpReceiver } from './receivers.ts';

/** A kind cronplane does not have: a pager that takes a JSON message and an app token. */
const pagerSchema = z.strictObject({
  url: z.string().min(1),
  app_token: secretSchema,
  quiet_hours: quietHoursSchema.optional(),
});
type PagerSettings = z.output<typeof pagerSchema>;

const pagerChannel: ChannelKindDefinition<PagerSettings> = {
  kind: 'pager',
  schema: pagerSchema,
  secrets: (settings) => collectSecrets(settings),
  async send(settings, notification, context) {
    const answer = await context.fetch(settings.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-app-token': settings.app_token.reveal() },
      body: JSON.stringify({ title: notification.title, priority: notification.severity }),
      signal: context.signal,
    });
    if (!answer.ok) throw new DeliveryError(`pager answered ${answer.status}`, { retryable: false });
    return { status: answer.status };
  },
  describe: (settings) => `pager, ${originOf(settings.url)}`,
  tracksIncidents: true,
};

/** The built-in kinds and the test's own: the one line a new kind adds to the registry. */
const channelKindsWithPager = [...channelKinds, pagerChannel];
const kinds: JobFileKinds = { ...builtinKinds, channels: channelKindsWithPager };
const appToken = 'pager-app-token-8c1f';

describe('a channel kind added in one file and one line of the registry', () => {
  let receiver: HttpReceiver;
  let folder: string;
  let file: string;
  before(async () => {
    receiver = await startHttpReceiver(() => ({ status: 200 }));
    folder = mkdtempSync(path.join(tmpdir(), 'cronplane-kinds-'));
    file = path.join(folder, 'cronplane.yaml');
    writeFileSync(
      file,
      [
        'version: 1',
        'channels:',
        '  phone:',
        '    pager:',
        `      url: ${receiver.url}/message`,
        '      app_token: ${PAGER_TOKEN}',
        'jobs:',
        '  nightly:',
        '    schedule: "0 2 * * *"',
        '    run: ./nightly.sh',
        '    notify:',
        '      failure: [phone]',
        '',
      ].join('\n'),
    );
  });
  after(async () => {
    await receiver.close();
    rmSync(folder, { recursive: true, force: true });
  });
  const env = { PAGER_TOKEN: appToken };

  it('is refused by the built-in kinds, which name every kind they know', () => {
    assert.throws(
      () => readConfig(file, { env, kinds: builtinKinds }),
      (error: unknown) =>
        error instanceof ConfigError &&
        error.problems.some(
          (problem) =>
            problem.path === 'channels.phone' &&
            problem.message ===
              'expected a channel with exactly one of slack, pagerduty, email, webhook, discord, teams or ntfy',
        ),
    );
  });

  it('validates a job file that declares a channel of it, its secret taken as a Secret', () => {
    const config = readConfig(file, { env, kinds });
    assert.deepEqual([...config.channels.keys()], ['phone']);
    assert.deepEqual(config.jobs[0]?.notify, { failure: ['phone'] });
    assert.doesNotMatch(JSON.stringify(Object.fromEntries(config.channels)), new RegExp(appToken));
  });

  it('names it in the refusal of a channel of no kind', () => {
    const bad = path.join(folder, 'bad.yaml');
    writeFileSync(bad, 'version: 1\nchannels:\n  phone:\n    carrier_pigeon: {}\n');
    assert.throws(
      () => readConfig(bad, { env, kinds }),
      /expected a channel with exactly one of slack, pagerduty, email, webhook, discord, teams, ntfy or pager/,
    );
  });

  it('masks its secret wherever the daemon masks', () => {
    const mask = configMask(readConfig(file, { env, kinds }), env);
    assert.equal(mask.redact(`token=${appToken}`), 'token=***');
  });

  it('describes it by its own rule, without the secret', () => {
    const channels = channelsOf(readConfig(file, { env, kinds }).channels, { kinds: channelKindsWithPager });
    const phone = channels.get('phone');
    assert.ok(phone !== undefined);
    assert.equal(phone.kind, 'pager');
    assert.equal(describeChannel(phone), `pager, ${receiver.url}`);
  });

  it('routes a resolve to it when the trigger went there, as an incident tool', () => {
    const channels = channelsOf(readConfig(file, { env, kinds }).channels, { kinds: channelKindsWithPager });
    assert.deepEqual(
      routeChannels(
        { failure: ['phone'] },
        { kind: 'resolve', event: 'failure', severity: 'failure' },
        channels,
      ),
      ['phone'],
    );
  });

  it('delivers a notification to a real HTTP receiver through its own send', async () => {
    const channels = channelsOf(readConfig(file, { env, kinds }).channels, { kinds: channelKindsWithPager });
    const phone = channels.get('phone');
    assert.ok(phone !== undefined);
    const report = await deliver(criticalRun, phone, testOptions());
    assert.equal(report.outcome, 'delivered');
    assert.equal(report.channelKind, 'pager');
    assert.equal(receiver.requests.length, 1);
    assert.equal(receiver.requests[0]?.headers['x-app-token'], appToken);
    assert.deepEqual(receiver.json(0), { title: criticalRun.title, priority: 'critical' });
  });
});
