/**
 * Every kind of secret a job file can hold, one entry each, for the test that greps every output
 * channel of a real daemon for them (secret-channels-suite.ts). A new kind of secret is one more
 * entry here: where the job file holds it (`use`) and where it must arrive in clear
 * (`credential`); the suite builds the job file, the leaking jobs and the greps from this list.
 */

/** The loopback receivers the channels and the HTTP job send to. */
export interface Endpoints {
  /** http://127.0.0.1:PORT, one HTTP receiver for every channel and the HTTP job (told apart by path). */
  readonly http: string;
  readonly smtpPort: number;
}

/** Where the job file holds a secret. `ref` is what the file says: `${SECRET_n}` (from the daemon's environment). */
export type SecretUse =
  /** An env value of the leaking command job: `{ secret: "<the value itself>" }` in the file. */
  | { readonly kind: 'env-literal'; readonly name: string }
  /** An env value of the leaking command job: `{ secret: "${VAR}" }`. */
  | { readonly kind: 'env-var'; readonly name: string }
  /** A variable of the top-level env_file (every one is secret when passed to a job). */
  | { readonly kind: 'env-file'; readonly name: string }
  /** The HTTP job's `bearer`. */
  | { readonly kind: 'http-bearer' }
  /** A `{ secret: }` header of the HTTP job. */
  | { readonly kind: 'http-header'; readonly name: string }
  /** A channel: its `{ kind: settings }` entry, with `ref` where the secret goes. */
  | { readonly kind: 'channel'; readonly entry: (ref: string, at: Endpoints) => unknown }
  /** `CRONPLANE_TOKEN`, the daemon's bootstrap admin token: the test's own API requests carry it. */
  | { readonly kind: 'bootstrap-token' }
  /**
   * A `secret: true` trigger parameter of the leaking command job, sent by the test's trigger:
   * known to that run only, so only that run (its output, params, audit entry) may show it.
   */
  | { readonly kind: 'trigger-param'; readonly name: string };

/** The one place a secret may be seen in clear: the request that needs it, and only there. */
export type Credential =
  /** Nowhere at all (an env value, an HMAC key: used, never sent). */
  | { readonly kind: 'nowhere' }
  /** In the path (or query) of the request to its own endpoint: a webhook URL, an ntfy topic. */
  | { readonly kind: 'path'; readonly path: string }
  /** In one header of the requests to its own endpoint. */
  | {
      readonly kind: 'header';
      readonly path: string;
      readonly header: string;
      readonly sent: (value: string) => string;
    }
  /** In one field of the JSON body sent to its own endpoint (PagerDuty's routing_key). */
  | { readonly kind: 'json-field'; readonly path: string; readonly field: string }
  /** The SMTP login (never in a message). */
  | { readonly kind: 'smtp-login'; readonly user: string }
  /** The Authorization header of the test's own requests to the daemon's API. */
  | { readonly kind: 'api-token' };

export interface SecretKind {
  readonly name: string;
  /** Distinctive text that must not show up anywhere but at its credential. */
  readonly value: string;
  /** The secret as the file holds it (a whole URL for a webhook); the value itself by default. */
  readonly secret?: (value: string, at: Endpoints) => string;
  readonly use: SecretUse;
  readonly credential: Credential;
}

export const secretKinds: readonly SecretKind[] = [
  {
    name: 'secret trigger parameter',
    value: 'S3cr3tTriggerParam6e0b2d94',
    use: { kind: 'trigger-param', name: 'api_key' },
    credential: { kind: 'nowhere' },
  },
  {
    name: 'env value { secret: ... }',
    value: 'S3cr3t-envlit-4b1e07d2',
    use: { kind: 'env-literal', name: 'LITERAL_SECRET' },
    credential: { kind: 'nowhere' },
  },
  {
    name: 'env value { secret: "${VAR}" }',
    value: 'S3cr3t-envvar-7c2d9a11',
    use: { kind: 'env-var', name: 'VAR_SECRET' },
    credential: { kind: 'nowhere' },
  },
  {
    name: 'env_file variable',
    value: 'S3cr3t-envfile-2f8e55c0',
    use: { kind: 'env-file', name: 'FILE_SECRET' },
    credential: { kind: 'nowhere' },
  },
  {
    name: 'http.bearer',
    value: 'S3cr3t-bearer-0a9f3c4e',
    use: { kind: 'http-bearer' },
    credential: {
      kind: 'header',
      path: '/echo',
      header: 'authorization',
      sent: (value) => `Bearer ${value}`,
    },
  },
  {
    name: 'secret http header',
    value: 'S3cr3t-header-5e3a6b90',
    use: { kind: 'http-header', name: 'X-Api-Key' },
    credential: { kind: 'header', path: '/echo', header: 'x-api-key', sent: (value) => value },
  },
  {
    name: 'slack webhook_url',
    value: 'S3cr3t-slack-9f1c2d3e',
    secret: (value, at) => `${at.http}/services/T0/B0/${value}`,
    use: { kind: 'channel', entry: (ref) => ({ slack: { webhook_url: ref } }) },
    credential: { kind: 'path', path: '/services/T0/B0/S3cr3t-slack-9f1c2d3e' },
  },
  {
    name: 'pagerduty routing_key',
    value: 'S3cr3t-pagerduty-61d0b7aa',
    use: { kind: 'channel', entry: (ref, at) => ({ pagerduty: { routing_key: ref, url: `${at.http}/pd` } }) },
    credential: { kind: 'json-field', path: '/pd', field: 'routing_key' },
  },
  {
    name: 'email smtp_url password',
    value: 'S3cr3t-smtp-3a7e91f4',
    secret: (value, at) => `smtp://mailer:${value}@127.0.0.1:${at.smtpPort}`,
    use: { kind: 'channel', entry: (ref) => ({ email: { to: 'ops@example.com', smtp_url: ref } }) },
    credential: { kind: 'smtp-login', user: 'mailer' },
  },
  {
    name: 'webhook signing secret',
    value: 'S3cr3t-hmac-c4e2b813',
    use: {
      kind: 'channel',
      entry: (ref, at) => ({ webhook: { url: `${at.http}/hook-signed`, secret: ref } }),
    },
    credential: { kind: 'nowhere' },
  },
  {
    name: 'webhook url token',
    value: 'S3cr3t-hookurl-8d21f0e6',
    secret: (value, at) => `${at.http}/hook-url?token=${value}`,
    use: { kind: 'channel', entry: (ref) => ({ webhook: { url: ref } }) },
    credential: { kind: 'path', path: '/hook-url?token=S3cr3t-hookurl-8d21f0e6' },
  },
  {
    name: 'webhook secret header',
    value: 'S3cr3t-hookhdr-0b6c3d72',
    use: {
      kind: 'channel',
      entry: (ref, at) => ({
        webhook: { url: `${at.http}/hook-header`, headers: { 'X-Hook-Auth': { secret: ref } } },
      }),
    },
    credential: { kind: 'header', path: '/hook-header', header: 'x-hook-auth', sent: (value) => value },
  },
  {
    name: 'teams webhook_url',
    value: 'S3cr3t-teams-71e4a0c5',
    secret: (value, at) => `${at.http}/teams/${value}`,
    use: { kind: 'channel', entry: (ref) => ({ teams: { webhook_url: ref } }) },
    credential: { kind: 'path', path: '/teams/S3cr3t-teams-71e4a0c5' },
  },
  {
    name: 'discord webhook_url',
    value: 'S3cr3t-discord-2c95e1b8',
    secret: (value, at) => `${at.http}/api/webhooks/1/${value}`,
    use: { kind: 'channel', entry: (ref) => ({ discord: { webhook_url: ref } }) },
    credential: { kind: 'path', path: '/api/webhooks/1/S3cr3t-discord-2c95e1b8' },
  },
  {
    name: 'ntfy topic',
    value: 'S3cr3t-ntfytopic-93ad4e06',
    // ntfy's JSON publishing: POST to the server (here one on its own path) with the topic in the body.
    use: { kind: 'channel', entry: (ref, at) => ({ ntfy: { topic: ref, url: `${at.http}/ntfy-topic` } }) },
    credential: { kind: 'json-field', path: '/ntfy-topic', field: 'topic' },
  },
  {
    name: 'ntfy token',
    value: 'S3cr3t-ntfytoken-5f17c2ab',
    use: {
      kind: 'channel',
      entry: (ref, at) => ({ ntfy: { topic: 'cronplane-alerts', token: ref, url: `${at.http}/ntfy-token` } }),
    },
    credential: {
      kind: 'header',
      path: '/ntfy-token',
      header: 'authorization',
      sent: (value) => `Bearer ${value}`,
    },
  },
  {
    name: 'CRONPLANE_TOKEN',
    value: 'S3cr3t-bootstrap-token-e0d4a6f2',
    use: { kind: 'bootstrap-token' },
    credential: { kind: 'api-token' },
  },
];

/** The secret as the job file (or the daemon's environment) holds it. */
export function secretOf(kind: SecretKind, at: Endpoints): string {
  return kind.secret?.(kind.value, at) ?? kind.value;
}

/** The kinds the job file or the daemon's environment holds (all but those a trigger sends). */
export function jobFileKinds(kinds: readonly SecretKind[]): SecretKind[] {
  return kinds.filter((kind) => kind.use.kind !== 'trigger-param');
}
