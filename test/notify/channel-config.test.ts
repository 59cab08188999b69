import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, it } from 'node:test';
import { ConfigError, readConfig } from '../../src/config/index.ts';
import { channelsOf } from '../../src/notify/index.ts';
import { builtinKinds } from '../../src/kinds/index.ts';

const folder = mkdtempSync(path.join(tmpdir(), 'cronplane-channels-'));
let counter = 0;

function read(text: string, env: Record<string, string> = {}) {
  const file = path.join(folder, `job-${++counter}.yaml`);
  writeFileSync(file, text);
  return readConfig(file, { kinds: builtinKinds, env });
}

function problemsOf(text: string): string[] {
  try {
    read(text);
  } catch (thrown) {
    if (thrown instanceof ConfigError)
      return thrown.problems.map((p) => `${p.line}:${p.column} ${p.path}: ${p.message}`);
    throw thrown;
  }
  assert.fail('expected the job file to be refused');
}

describe('channel settings in the job file', () => {
  it('reads every kind, with quiet hours in the file time zone unless they name their own', () => {
    const config = read(
      `version: 1
timezone: Europe/Berlin
channels:
  ops: { slack: { webhook_url: "\${SLACK}", url: "http://127.0.0.1:9/", quiet_hours: { from: "22:00", to: "07:00" } } }
  pager: { pagerduty: { routing_key: "\${PD}" } }
  mail: { email: { to: ops@example.com, smtp_url: "\${SMTP}", url: "smtp://127.0.0.1:2525" } }
  hook: { webhook: { url: "https://hooks.example.com/x", quiet_hours: { from: "9:30", to: "10:00", timezone: UTC, min_severity: failure } } }
  chat: { discord: { webhook_url: "\${DISCORD}" } }
  team: { teams: { webhook_url: "\${TEAMS}" } }
  phone: { ntfy: { topic: "\${TOPIC}", token: "\${NTFY_TOKEN}" } }
`,
      {
        SLACK: 'https://hooks.slack.com/services/x',
        PD: 'pd-key',
        SMTP: 'smtp://u:p@mail:25',
        DISCORD: 'https://discord.com/api/webhooks/1/x',
        TEAMS: 'https://prod-01.westeurope.logic.azure.com/workflows/abc',
        TOPIC: 'secret-topic-1',
        NTFY_TOKEN: 'tk_123',
      },
    );
    const channels = channelsOf(config.channels, { timezone: config.timezone });
    assert.deepEqual(
      [...channels.values()].map((channel) => `${channel.name}:${channel.kind}`),
      [
        'ops:slack',
        'pager:pagerduty',
        'mail:email',
        'hook:webhook',
        'chat:discord',
        'team:teams',
        'phone:ntfy',
      ],
    );
    assert.deepEqual(channels.get('ops')?.quietHours, {
      fromMinute: 22 * 60,
      toMinute: 7 * 60,
      timezone: 'Europe/Berlin',
      minSeverity: 'critical',
    });
    assert.deepEqual(channels.get('hook')?.quietHours, {
      fromMinute: 9 * 60 + 30,
      toMinute: 600,
      timezone: 'UTC',
      minSeverity: 'failure',
    });
    assert.equal(channels.get('pager')?.quietHours, undefined);
    assert.doesNotMatch(JSON.stringify(Object.fromEntries(config.channels)), /secret-topic-1|tk_123|pd-key/);
  });

  it('refuses a quiet-hours time that is not HH:MM and an unknown time zone, at their place', () => {
    assert.deepEqual(
      problemsOf(`version: 1
channels:
  ops:
    slack:
      webhook_url: https://hooks.slack.com/services/x
      quiet_hours: { from: "25:00", to: "07:00", timezone: Mars/Olympus }
`),
      [
        '6:28 channels.ops.slack.quiet_hours.from: expected a time of day "HH:MM", e.g. "22:00", got the string "25:00"',
        '6:60 channels.ops.slack.quiet_hours.timezone: expected an IANA time zone such as "UTC" or "Europe/Berlin", got the string "Mars/Olympus"',
      ],
    );
  });

  it('names every kind when a channel has none of them', () => {
    const [problem] = problemsOf(`version: 1
channels:
  ops: { mattermost: { url: "https://example.com" } }
`);
    assert.equal(
      problem,
      '3:8 channels.ops: expected a channel with exactly one of slack, pagerduty, email, webhook, discord, teams or ntfy',
    );
  });
});
