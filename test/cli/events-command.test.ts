/**
 * `cronplane events` and `cronplane events resolve` as a user runs them, on a store alone and
 * against a real `cronplane start` process listening on loopback, on SQLite and PostgreSQL. The
 * commands run in the test's process (the bin's program and output, without a Node start each).
 */
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { issueToken } from '../../src/api/index.ts';
import type { ApiScope, NewEvent } from '../../src/store/index.ts';
import { createPostgresHarness } from '../support/postgres.ts';
import { createSqliteHarness } from '../support/sqlite.ts';
import type { StoreHarness } from '../support/store-harness.ts';
import { startDaemonProcess } from '../support/run-cronplane.ts';
import { runCronplaneInProcess } from '../support/run-cronplane-in-process.ts';
import { closedPort, startHttpReceiver } from '../notify/receivers.ts';
import type { CliResult, DaemonProcess } from '../support/run-cronplane.ts';

const secret = 'events-secret-value-0123456789';
const T0 = Date.parse('2026-03-14T02:00:00Z');

function cronplane(args: string[], env: Record<string, string> = {}): Promise<CliResult> {
  return runCronplaneInProcess(args, { env });
}

function event(overrides: Partial<NewEvent> & Pick<NewEvent, 'dedupKey'>): NewEvent {
  return { kind: 'run:failed', severity: 'failure', job: 'backup', at: T0, ...overrides };
}

/** Three events: a failure with a secret in its details, a stuck warning, a resolved critical. */
async function recordSample(harness: StoreHarness): Promise<Record<string, number>> {
  const store = await harness.open();
  try {
    const failed = await store.recordEvent(
      event({ dedupKey: 'backup:failed', details: { error: `token ${secret}` } }),
    );
    const stuck = await store.recordEvent(
      event({
        dedupKey: 'report:stuck',
        kind: 'run:stuck',
        severity: 'warning',
        job: 'report',
        at: T0 + 60_000,
      }),
    );
    const lost = await store.recordEvent(
      event({ dedupKey: 'backup:lost', kind: 'run:lost', severity: 'critical', at: T0 + 120_000 }),
    );
    await store.resolveEvent('backup:lost', T0 + 180_000);
    return { failed: failed.id, stuck: stuck.id, lost: lost.id };
  } finally {
    await store.release();
  }
}

function jobFile(): string {
  const folder = mkdtempSync(path.join(tmpdir(), 'cronplane-events-cli-'));
  const file = path.join(folder, 'cronplane.yaml');
  writeFileSync(
    file,
    `version: 1\njobs:\n  backup:\n    run: [sh, -c, 'echo backup']\n    env: { KEY: { secret: "${secret}" } }\n  report: { run: [sh, -c, 'echo report'] }\n`,
  );
  return file;
}

const lines = (text: string) => text.trim().split('\n');

for (const [storeName, createHarness] of [
  ['SQLite', createSqliteHarness],
  ['PostgreSQL', createPostgresHarness],
] as const) {
  describe(`cronplane events on ${storeName}`, () => {
    let harness: StoreHarness;
    before(async () => {
      harness = await createHarness();
    });
    after(async () => {
      await harness.close();
    });

    describe('on the store alone', () => {
      const file = jobFile();
      let ids: Record<string, number>;
      let common: string[];
      before(async () => {
        await harness.reset();
        ids = await recordSample(harness);
        common = ['--config', file, '--store', harness.url];
      });

      it('lists events newest first as a table, filtered by job, open, severity and kind', async () => {
        const all = await cronplane(['events', ...common]);
        assert.equal(all.code, 0, all.stderr);
        assert.deepEqual(lines(all.stdout), [
          'ID\tSEVERITY\tKIND\tJOB\tRUN\tCOUNT\tFIRST SEEN (UTC)\tLAST SEEN (UTC)\tRESOLVED (UTC)',
          `${ids['lost']}\tcritical\trun:lost\tbackup\t-\t1\t2026-03-14T02:02:00.000Z\t2026-03-14T02:02:00.000Z\t2026-03-14T02:03:00.000Z`,
          `${ids['stuck']}\twarning\trun:stuck\treport\t-\t1\t2026-03-14T02:01:00.000Z\t2026-03-14T02:01:00.000Z\topen`,
          `${ids['failed']}\tfailure\trun:failed\tbackup\t-\t1\t2026-03-14T02:00:00.000Z\t2026-03-14T02:00:00.000Z\topen`,
        ]);
        const firstColumn = async (args: string[]) =>
          lines((await cronplane(['events', ...common, ...args])).stdout)
            .slice(1)
            .map((line) => Number(line.split('\t')[0]));
        // One process per filter is slow on a busy machine: combinations cover each flag.
        assert.deepEqual(await firstColumn(['--open', '--severity', 'failure,warning', '--limit', '1']), [
          ids['stuck'],
        ]);
        assert.deepEqual(await firstColumn(['--job', 'backup', '--kind', 'run:lost']), [ids['lost']]);
        const none = await cronplane(['events', ...common, '--job', 'report', '--severity', 'critical']);
        assert.equal(none.stdout, 'no events recorded\n');
      });

      it('prints JSON lines as the API shows events, with secrets of the job file masked', async () => {
        const json = await cronplane(['events', ...common, '--json', '--job', 'backup', '--open']);
        assert.equal(json.code, 0, json.stderr);
        assert.ok(!json.stdout.includes(secret));
        assert.deepEqual(JSON.parse(json.stdout), {
          id: ids['failed'],
          kind: 'run:failed',
          severity: 'failure',
          job: 'backup',
          runId: null,
          dedupKey: 'backup:failed',
          firstSeen: '2026-03-14T02:00:00.000Z',
          lastSeen: '2026-03-14T02:00:00.000Z',
          count: 1,
          resolvedAt: null,
          notifiedAt: null,
          details: { error: 'token ***' },
        });
      });

      it('refuses a bad severity, a bad id and an unknown id with exit 2, changing nothing', async () => {
        const bad = await cronplane(['events', ...common, '--severity', 'critical,fatal']);
        assert.equal(bad.code, 2);
        assert.match(
          bad.stderr,
          /--severity "fatal" is not a severity; expected info, warning, failure, critical/,
        );
        const wrong = await cronplane(['events', 'resolve', '1e3', ...common]);
        assert.equal(wrong.code, 2, wrong.stderr);
        assert.match(wrong.stderr, /"1e3" is not an event id/);
        const unknown = await cronplane(['events', 'resolve', '424242', ...common]);
        assert.equal(unknown.code, 2);
        assert.match(unknown.stderr, /no event with id 424242/);
        const store = await harness.open();
        try {
          const open = await store.listEvents({ open: true });
          assert.equal(open.events.length, 2, 'both open events are still open');
          assert.equal((await store.listAudit({})).entries.length, 0);
        } finally {
          await store.release();
        }
      });

      it('resolves an open event by hand, audited as cli; a second resolve says it already was', async () => {
        const resolved = await cronplane(['events', 'resolve', String(ids['stuck']), ...common]);
        assert.equal(resolved.code, 0, resolved.stderr);
        assert.match(
          resolved.stdout,
          new RegExp(`^resolved event ${ids['stuck']} \\(run:stuck of report\\) at 20\\d\\d-`),
        );
        const store = await harness.open();
        try {
          assert.notEqual((await store.getEvent(ids['stuck'] ?? 0))?.resolvedAt, null);
          const [entry] = (await store.listAudit({ action: 'event.resolve', limit: 5 })).entries;
          assert.equal(entry?.actor, 'cli');
          assert.equal(entry?.target, `event:${ids['stuck']}`);
        } finally {
          await store.release();
        }
        const again = await cronplane(['events', 'resolve', String(ids['stuck']), ...common]);
        assert.equal(again.code, 2);
        assert.match(again.stderr, new RegExp(`event ${ids['stuck']} was already resolved at `));
      });

      it('tells the channels that were told of the event that it is resolved, from the job file, and says which could not be told', async () => {
        const pagerduty = await startHttpReceiver(() => ({ status: 202, body: '{"status":"success"}' }));
        const down = await closedPort();
        try {
          const folder = mkdtempSync(path.join(tmpdir(), 'cronplane-events-tell-'));
          const told = path.join(folder, 'cronplane.yaml');
          writeFileSync(
            told,
            [
              'version: 1',
              'channels:',
              `  pager: { pagerduty: { routing_key: "R0UTING-KEY-0123456789", url: "${pagerduty.url}/v2/enqueue" } }`,
              `  gone: { webhook: { url: "http://127.0.0.1:${down}/hook" } }`,
              'jobs:',
              '  backup:',
              "    run: [sh, -c, 'echo backup']",
              '    notify: { failure: [pager], recovery: [gone] }',
              '',
            ].join('\n'),
          );
          const store = await harness.open();
          let id: number;
          try {
            const recorded = await store.recordEvent(
              event({ dedupKey: 'run:failure:backup', at: Date.now() }),
            );
            assert.ok(await store.markEventNotified(recorded.id, Date.now()));
            id = recorded.id;
          } finally {
            await store.release();
          }
          const resolved = await cronplane([
            'events',
            'resolve',
            String(id),
            '--config',
            told,
            '--store',
            harness.url,
          ]);
          assert.equal(resolved.code, 0, resolved.stderr);
          assert.match(resolved.stdout, /^told "pager" \(pagerduty\) it is resolved$/m);
          assert.match(resolved.stdout, new RegExp(`^resolved event ${id} \\(run:failed of backup\\)`, 'm'));
          assert.match(resolved.stderr, /^warning: could not tell "gone" \(webhook\) it is resolved: /m);
          assert.equal(pagerduty.requests.length, 1);
          assert.deepEqual(
            (({ event_action, dedup_key, routing_key }) => ({ event_action, dedup_key, routing_key }))(
              pagerduty.json(0) as Record<string, unknown>,
            ),
            {
              event_action: 'resolve',
              dedup_key: 'cronplane:run:failure:backup',
              routing_key: 'R0UTING-KEY-0123456789',
            },
          );
          const check = await harness.open();
          try {
            assert.notEqual((await check.getEvent(id))?.resolvedAt, null);
          } finally {
            await check.release();
          }
        } finally {
          await pagerduty.close();
        }
      });

      it('tells the channels of an API job’s own notify: that its event is resolved', async () => {
        const pagerduty = await startHttpReceiver(() => ({ status: 202, body: '{"status":"success"}' }));
        try {
          const folder = mkdtempSync(path.join(tmpdir(), 'cronplane-events-api-'));
          const told = path.join(folder, 'cronplane.yaml');
          writeFileSync(
            told,
            [
              'version: 1',
              'channels:',
              `  pager: { pagerduty: { routing_key: "R0UTING-KEY-0123456789", url: "${pagerduty.url}/v2/enqueue" } }`,
              'jobs: {}',
              '',
            ].join('\n'),
          );
          const store = await harness.open();
          let id: number;
          try {
            const now = Date.now();
            await store.putApiJobs([
              {
                name: 'api-backup',
                entry: { run: 'true', notify: { failure: ['pager'] } },
                at: now,
                actor: 'test',
                token: null,
              },
            ]);
            const recorded = await store.recordEvent(
              event({ dedupKey: 'run:failure:api-backup', job: 'api-backup', at: now }),
            );
            assert.ok(await store.markEventNotified(recorded.id, now));
            id = recorded.id;
          } finally {
            await store.release();
          }
          const resolved = await cronplane([
            'events',
            'resolve',
            String(id),
            '--config',
            told,
            '--store',
            harness.url,
          ]);
          assert.equal(resolved.code, 0, resolved.stderr);
          assert.match(resolved.stdout, /^told "pager" \(pagerduty\) it is resolved$/m);
          assert.equal(pagerduty.requests.length, 1);
        } finally {
          await pagerduty.close();
        }
      });

      it('closes an event it cannot tell anyone of without a job file, and warns that the channels were not told', async () => {
        const store = await harness.open();
        let id: number;
        try {
          const recorded = await store.recordEvent(event({ dedupKey: 'run:failure:nofile', at: Date.now() }));
          assert.ok(await store.markEventNotified(recorded.id, Date.now()));
          id = recorded.id;
        } finally {
          await store.release();
        }
        const empty = mkdtempSync(path.join(tmpdir(), 'cronplane-events-nofile-'));
        const resolved = await runCronplaneInProcess(
          ['events', 'resolve', String(id), '--store', harness.url],
          {
            cwd: empty,
          },
        );
        assert.equal(resolved.code, 0, resolved.stderr);
        assert.match(
          resolved.stderr,
          /no job file was found, so the channels told of this event were not told/,
        );
        const check = await harness.open();
        try {
          assert.notEqual((await check.getEvent(id))?.resolvedAt, null);
        } finally {
          await check.release();
        }
      });
    });

    describe('against a running daemon', () => {
      const file = jobFile();
      let daemon: DaemonProcess | undefined;
      let server = '';
      let reader = '';
      let operator = '';
      let ids: Record<string, number>;

      before(async () => {
        await harness.reset();
        ids = await recordSample(harness);
        const common = ['--config', file, '--store', harness.url];
        const store = await harness.open();
        try {
          const issue = async (name: string, scope: ApiScope): Promise<string> => {
            const issued = issueToken();
            await store.createApiToken({
              id: issued.id,
              name,
              hash: issued.hash,
              scope,
              jobs: [],
              createdAt: Date.now(),
              createdBy: 'test',
            });
            return issued.token;
          };
          reader = await issue('reader', 'read');
          operator = await issue('on-call', 'trigger');
        } finally {
          await store.release();
        }
        daemon = await startDaemonProcess([...common, '--node', 'events-node']);
        server = daemon.server;
      });
      after(async () => {
        await daemon?.stop();
      });

      it('lists events through the API with a read token, the same table and JSON as on the store', async () => {
        const listed = await cronplane(
          ['events', '--server', server, '--open', '--severity', 'failure,warning'],
          {
            CRONPLANE_TOKEN: reader,
          },
        );
        assert.equal(listed.code, 0, listed.stderr);
        assert.deepEqual(
          lines(listed.stdout)
            .slice(1)
            .map((line) => Number(line.split('\t')[0])),
          [ids['stuck'], ids['failed']],
        );
        const json = await cronplane(['events', '--json', '--job', 'backup', '--kind', 'run:failed'], {
          CRONPLANE_TOKEN: reader,
          CRONPLANE_SERVER: server,
        });
        assert.equal(json.code, 0, json.stderr);
        const view = JSON.parse(json.stdout) as Record<string, unknown>;
        assert.deepEqual([view['id'], view['details']], [ids['failed'], { error: 'token ***' }]);
        const bad = await cronplane(['events', '--server', server, '--kind', 'Not A Kind'], {
          CRONPLANE_TOKEN: reader,
        });
        assert.equal(bad.code, 2);
        assert.match(bad.stderr, /400 api\.invalid.*query\.kind/);
      });

      it('resolves an event through the API with a trigger token; refuses a read token, an unknown id and a second resolve', async () => {
        const id = String(ids['failed']);
        const refused = await cronplane(['events', 'resolve', id, '--server', server], {
          CRONPLANE_TOKEN: reader,
        });
        assert.equal(refused.code, 2);
        assert.match(refused.stderr, /403 api\.forbidden/);
        const resolved = await cronplane(['events', 'resolve', id, '--server', server], {
          CRONPLANE_TOKEN: operator,
        });
        assert.equal(resolved.code, 0, resolved.stderr);
        assert.match(
          resolved.stdout,
          new RegExp(`^resolved event ${id} \\(run:failed of backup\\) at 20\\d\\d-`),
        );
        const again = await cronplane(['events', 'resolve', id], {
          CRONPLANE_TOKEN: operator,
          CRONPLANE_SERVER: server,
        });
        assert.equal(again.code, 2);
        assert.match(again.stderr, /409 api\.conflict.*already resolved/);
        const unknown = await cronplane(['events', 'resolve', '424242', '--server', server], {
          CRONPLANE_TOKEN: operator,
        });
        assert.equal(unknown.code, 2);
        assert.match(unknown.stderr, /404 api\.unknown-event/);
        const store = await harness.open();
        try {
          const audit = (await store.listAudit({ action: 'event.resolve', limit: 5 })).entries;
          assert.deepEqual(
            audit.map((entry) => [entry.actor, entry.target]),
            [['on-call', `event:${id}`]],
          );
        } finally {
          await store.release();
        }
      });
    });
  });
}
