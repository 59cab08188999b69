import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { deliver } from '../../src/notify/index.ts';
import { channel, criticalRecovered, criticalRun, testOptions } from './fixtures.ts';
import type { SmtpReceiver } from './receivers.ts';
import { startSmtpReceiver } from './receivers.ts';

describe('e-mail over SMTP', () => {
  let open: SmtpReceiver;
  let guarded: SmtpReceiver;
  before(async () => {
    open = await startSmtpReceiver({ reject: ['nobody@example.com'] });
    guarded = await startSmtpReceiver({ auth: { user: 'mailer', pass: 's3cret pass/word' } });
  });
  after(async () => {
    await open.close();
    await guarded.close();
  });

  it('delivers to every recipient with the prefixed subject and a plain-text body', async () => {
    const mail = channel('mail', {
      email: {
        to: ['ops@example.com', 'oncall@example.com'],
        from: 'cron@example.com',
        smtp_url: `smtp://127.0.0.1:${open.port}`,
        subject_prefix: '[sigmak]',
      },
    });
    const report = await deliver(criticalRun, mail, testOptions());
    assert.equal(report.outcome, 'delivered', JSON.stringify(report));
    assert.equal(report.attempts[0]?.status, 250);
    assert.match(report.attempts[0]?.detail ?? '', /^message-id <.+>$/);
    const message = open.messages.at(-1);
    assert.equal(message?.from, 'cron@example.com');
    assert.deepEqual(message?.to, ['ops@example.com', 'oncall@example.com']);
    assert.equal(
      message?.headers.get('subject'),
      '[sigmak] [CRITICAL] drift-review failed: exit code 1 (critical)',
    );
    assert.equal(message?.headers.get('x-cronplane-dedup-key'), 'cronplane:drift-review:critical');
    assert.equal(
      message?.text,
      [
        'drift-review failed: exit code 1 (critical)',
        '',
        'State:     CRITICAL',
        'Job:       drift-review',
        'Run:       4211',
        'Event:     critical',
        'Link:      https://cron.example.com/runs/4211',
        '',
        'Traceback (most recent call last):',
        '  File "drift_scheduler.py", line 88, in run_once',
        'RuntimeError: drift sample store unreachable',
        '',
        'Details:',
        '  exit_code: 1',
        '  attempt: 1',
        '  duration: 4m 12s',
        '',
        'Dedup key: cronplane:drift-review:critical',
        '-- ',
        'Sent by cronplane.',
        '',
      ].join('\n'),
    );
    assert.match(message?.html ?? '', /<a href="https:\/\/cron.example.com\/runs\/4211">/);
  });

  it('threads the resolve with its trigger and says RESOLVED', async () => {
    const mail = channel('mail', {
      email: { to: 'ops@example.com', smtp_url: `smtp://127.0.0.1:${open.port}` },
    });
    await deliver(criticalRun, mail, testOptions());
    const trigger = open.messages.at(-1);
    await deliver(criticalRecovered, mail, testOptions());
    const resolve = open.messages.at(-1);
    assert.equal(resolve?.headers.get('subject'), '[cronplane] [RESOLVED] drift-review recovered');
    assert.match(trigger?.headers.get('references') ?? '', /^<[0-9a-f]{32}@cronplane>$/);
    assert.equal(resolve?.headers.get('references'), trigger?.headers.get('references'));
    assert.notEqual(resolve?.headers.get('message-id'), trigger?.headers.get('message-id'));
  });

  it('logs in with the user and password of smtp_url', async () => {
    const mail = channel('mail', {
      email: {
        to: 'ops@example.com',
        smtp_url: `smtp://mailer:${encodeURIComponent('s3cret pass/word')}@127.0.0.1:${guarded.port}`,
      },
    });
    const report = await deliver(criticalRun, mail, testOptions());
    assert.equal(report.outcome, 'delivered', JSON.stringify(report));
    assert.equal(guarded.messages.at(-1)?.user, 'mailer');
  });

  it("sends to url's server with smtp_url's login when url is given", async () => {
    const mail = channel('mail', {
      email: {
        to: 'ops@example.com',
        smtp_url: 'smtp://mailer:s3cret%20pass%2Fword@mail.invalid:587',
        url: `smtp://127.0.0.1:${guarded.port}`,
      },
    });
    const before = guarded.messages.length;
    const report = await deliver(criticalRun, mail, testOptions());
    assert.equal(report.outcome, 'delivered', JSON.stringify(report));
    assert.equal(guarded.messages.length, before + 1);
  });

  it('fails without retrying when the login is refused, and never shows the password', async () => {
    const mail = channel('mail', {
      email: {
        to: 'ops@example.com',
        smtp_url: `smtp://mailer:wrong-password-123@127.0.0.1:${guarded.port}`,
      },
    });
    const options = testOptions();
    const report = await deliver(criticalRun, mail, options);
    assert.equal(report.outcome, 'failed');
    assert.equal(report.attempts.length, 1);
    assert.equal(report.attempts[0]?.retryable, false);
    assert.match(
      report.outcome === 'failed' ? report.error : '',
      /SMTP smtp:\/\/127\.0\.0\.1:\d+: Invalid login/,
    );
    assert.doesNotMatch(JSON.stringify(report), /wrong-password-123/);
  });

  it('fails without retrying when the server refuses the only recipient (550)', async () => {
    const mail = channel('mail', {
      email: { to: 'nobody@example.com', smtp_url: `smtp://127.0.0.1:${open.port}` },
    });
    const report = await deliver(criticalRun, mail, testOptions());
    assert.equal(report.outcome, 'failed');
    assert.equal(report.attempts.length, 1);
    assert.equal(report.attempts[0]?.status, 550);
  });
});
