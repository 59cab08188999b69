/**
 * The shared live-log source of a run, on a real store (SQLite and PostgreSQL): followers that
 * join while a read is under way, behind where it started, still get every chunk in order; the
 * source stops with its last follower or with the run's end.
 */
import assert from 'node:assert/strict';
import { after, afterEach, describe, it } from 'node:test';
import { Writable } from 'node:stream';
import { LiveLogs } from '../../src/api/live/live-logs.ts';
import type { LiveLogFollower } from '../../src/api/live/live-log-follower.ts';
import { createLogger } from '../../src/logging/index.ts';
import type { Store } from '../../src/store/index.ts';
import { waitFor } from '../support/engine-harness.ts';
import { createPostgresHarness } from '../support/postgres.ts';
import { createSqliteHarness } from '../support/sqlite.ts';
import type { StoreHarness } from '../support/store-harness.ts';
import { parseEvents } from './api-harness.ts';

const sqlite = await createSqliteHarness();
const postgres = await createPostgresHarness();
after(async () => {
  await sqlite.close();
  await postgres.close();
});

const quiet = createLogger({
  level: 'silent',
  destination: new Writable({ write: (_c, _e, done) => done() }),
});

interface Collected extends LiveLogFollower {
  text: string;
  finished: boolean;
}

function collector(after = 0): Collected {
  const follower: Collected = {
    after,
    text: '',
    finished: false,
    write(text) {
      follower.text += text;
    },
    finish() {
      follower.finished = true;
    },
  };
  return follower;
}

function logsOf(follower: Collected): string {
  return parseEvents(follower.text)
    .filter((event) => event.event === 'log')
    .map((event) => `${event.id ?? ''}:${event.data.text as string}`)
    .join('|');
}

function defineSourceSuite(name: string, harness: StoreHarness): void {
  describe(`a run's shared live-log source on ${name}`, () => {
    let store: Store;
    afterEach(async () => {
      await store.release();
    });

    async function runWithOutput(lines: number): Promise<number> {
      await harness.reset();
      store = await harness.open();
      const { inserted } = await store.insertRuns([
        { job: 'talk', trigger: 'manual', scheduledAt: 1, queuedAt: 1 },
      ]);
      const id = inserted[0]?.id ?? 0;
      for (let index = 1; index <= lines; index++) {
        await store.appendLog(id, { stream: 'stdout', chunk: `line ${index} sekret\n`, at: 1 + index });
      }
      return id;
    }

    it('catches up a follower that joins during a read, behind it, before giving it what that read found', async () => {
      const runId = await runWithOutput(3);
      let reads = 0;
      let onRead: (() => void) | undefined;
      const instrumented: Pick<Store, 'readLogs' | 'getRun'> = {
        readLogs: async (id, options) => {
          reads++;
          const chunks = await store.readLogs(id, options);
          const hook = onRead;
          onRead = undefined;
          hook?.();
          return chunks;
        },
        getRun: async (id) => store.getRun(id),
      };
      const live = new LiveLogs({
        store: instrumented,
        pollMs: 10,
        redact: (text) => text.replaceAll('sekret', '***'),
        logger: quiet,
      });
      const first = collector();
      const leaveFirst = live.follow(runId, first);
      await waitFor('the backlog to reach the first follower', () => first.after === 3 || undefined);
      await store.appendLog(runId, { stream: 'stdout', chunk: 'line 4 sekret\n', at: 10 });
      const late = collector();
      onRead = () => live.follow(runId, late);
      await waitFor('the late follower to catch up', () => late.after === 4 || undefined);
      assert.equal(live.sources, 1);
      await store.cancelRun(runId, { at: 20, reason: 'test' });
      await waitFor('the run end to reach both', () => (first.finished && late.finished) || undefined);
      const expected = [1, 2, 3, 4].map((index) => `${index}:line ${index} ***\n`).join('|');
      assert.equal(logsOf(first), expected);
      assert.equal(logsOf(late), expected, 'the late follower got every chunk, in order, none twice');
      assert.equal(parseEvents(late.text).at(-1)?.data.status, 'cancelled');
      assert.equal(live.sources, 0, 'the source stopped with the run');
      leaveFirst();
      assert.ok(reads > 0);
    });

    it('starts with the first follower and stops reading when the last one leaves', async () => {
      const runId = await runWithOutput(1);
      let reads = 0;
      const counted: Pick<Store, 'readLogs' | 'getRun'> = {
        readLogs: async (id, options) => {
          reads++;
          return store.readLogs(id, options);
        },
        getRun: async (id) => store.getRun(id),
      };
      const live = new LiveLogs({ store: counted, pollMs: 5, redact: (text) => text, logger: quiet });
      const followers = [collector(), collector(), collector(1)];
      const leaves = followers.map((follower) => live.follow(runId, follower));
      await waitFor('every follower to have the output', () =>
        followers.every((follower) => follower.after === 1) ? true : undefined,
      );
      assert.equal(live.sources, 1);
      for (const leave of leaves.slice(0, 2)) leave();
      assert.equal(live.sources, 1, 'one follower is left');
      leaves[2]?.();
      assert.equal(live.sources, 0);
      const stoppedAt = reads;
      await new Promise((resolve) => setTimeout(resolve, 50));
      assert.ok(reads <= stoppedAt + 1, `${reads - stoppedAt} reads after the last follower left`);
      assert.equal(followers[2]?.text, '', 'a follower that had everything got nothing again');
    });
  });
}

defineSourceSuite('SQLite', sqlite);
defineSourceSuite('PostgreSQL', postgres);
