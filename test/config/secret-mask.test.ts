/** The one masker and the one collector of a job file's secrets. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Secret, SecretMask, collectSecrets, configMask, configSecrets } from '../../src/config/index.ts';
import { configOf } from '../support/engine-harness.ts';

describe('collecting the secrets of a job file', () => {
  it('finds every kind of secret, channel URLs by their parts and the generic webhook URL too', () => {
    const config = configOf(
      `version: 1
channels:
  ops: { slack: { webhook_url: 'https://hooks.example/services/slack-path-0001' } }
  pager: { pagerduty: { routing_key: 'pd-routing-key-0002' } }
  mail: { email: { to: ops@example.com, smtp_url: 'smtp://mailer:smtp%2Fpass-0003@mail.example:25' } }
  hook: { webhook: { url: 'https://hook.example/in?token=hook-query-0004', secret: 'hmac-key-0005' } }
jobs:
  a:
    http: { url: 'http://x/', bearer: 'bearer-value-0006', headers: { X-Key: { secret: 'header"value\\0007' } } }
    env: { PLAIN: visible-plain-value, TOKEN: { secret: 'env-secret-0008' } }
`,
    );
    const secrets = configSecrets(config);
    for (const expected of [
      'https://hooks.example/services/slack-path-0001',
      '/services/slack-path-0001',
      'slack-path-0001',
      'hook-query-0004',
      'pd-routing-key-0002',
      'smtp%2Fpass-0003',
      'smtp/pass-0003',
      'mailer:smtp%2Fpass-0003',
      'token=hook-query-0004',
      'hmac-key-0005',
      'bearer-value-0006',
      'header"value\\0007',
      'env-secret-0008',
    ]) {
      assert.ok(secrets.includes(expected), `${expected} is collected`);
    }
    assert.ok(!secrets.includes('visible-plain-value'), 'a plain env value is not a secret');
  });

  it('masks a URL path only when it carries something token-like, so a plain word path does not mask that word everywhere', () => {
    // Seed 003's example webhook: before, "cronplane" itself was masked in every dedup key.
    assert.deepEqual(collectSecrets(new Secret('https://alerts.example.invalid/cronplane')), [
      'https://alerts.example.invalid/cronplane',
    ]);
    assert.deepEqual(collectSecrets(new Secret('https://hooks.example/a0/cronplane')), [
      'https://hooks.example/a0/cronplane',
      '/a0/cronplane',
      'a0/cronplane',
    ]);
    const mask = configMask(
      configOf(
        "version: 1\nchannels: { ops: { webhook: { url: 'https://alerts.example.invalid/cronplane' } } }\njobs: { a: { run: 'true' } }\n",
      ),
      {},
    );
    assert.equal(
      mask.redact('cronplane:run:failed:a https://alerts.example.invalid/cronplane'),
      'cronplane:run:failed:a ***',
    );
  });

  it('walks maps and arrays, and reveals each Secret once', () => {
    const found = collectSecrets({
      a: [new Secret('first-secret')],
      b: new Map([['k', new Secret('first-secret')]]),
    });
    assert.deepEqual(found, ['first-secret']);
  });

  it('adds CRONPLANE_TOKEN to what the daemon and the CLI mask', () => {
    const config = configOf('version: 1\njobs: { a: { run: "true" } }\n');
    assert.equal(
      configMask(config, { CRONPLANE_TOKEN: 'bootstrap-token-value' }).redact('x bootstrap-token-value'),
      'x ***',
    );
  });
});

describe('the secret mask', () => {
  it('masks every secret, the longest first, and leaves values under 8 characters alone', () => {
    const mask = SecretMask.of(['abcdefgh', 'abcdefgh-ijkl', 'short']);
    assert.equal(mask.redact('x abcdefgh-ijkl y abcdefgh short'), 'x *** y *** short');
    assert.equal(SecretMask.of(['', 'short']).empty, true);
  });

  it('masks a secret as it appears inside a JSON string', () => {
    const mask = SecretMask.of(['header"value\\123']);
    assert.equal(mask.redact(JSON.stringify({ a: 'header"value\\123' })), '{"a":"***"}');
  });

  it('masks every string of a JSON value, not its keys', () => {
    const mask = SecretMask.of(['env-secret-value']);
    assert.deepEqual(
      mask.redactJson({ 'env-secret-value': ['x env-secret-value', 3, null, { b: 'env-secret-value' }] }),
      {
        'env-secret-value': ['x ***', 3, null, { b: '***' }],
      },
    );
  });

  it('masks a secret split across streamed chunks, and holds nothing back at the end', () => {
    const stream = SecretMask.of(['s3cr3t-token']).stream();
    const shown = [
      stream.push('token=s3cr'),
      stream.push('3t-token done\n'),
      stream.push('ends with s3c'),
      stream.end(),
    ];
    assert.equal(shown.join(''), 'token=*** done\nends with s3c');
    assert.equal(shown[0], 'token=', 'the possible start of a secret is held back');
  });
});
