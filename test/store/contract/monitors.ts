/** External monitors: synced from the job file, moved by pings, watched by a compare-and-set. */
import assert from 'node:assert/strict';
import { it } from 'node:test';
import type { MonitorRecord, NewPing, Store } from '../../../src/store/index.ts';
import type { ContractContext } from './context.ts';
import { T0, second } from './context.ts';

async function monitorOf(store: Store, name: string): Promise<MonitorRecord> {
  const monitor = await store.getMonitor(name);
  assert.ok(monitor !== undefined, `monitor ${name}`);
  return monitor;
}

/** Syncs `names` and returns a function that pings the named monitor. */
async function pinger(store: Store, names: readonly string[]) {
  await store.syncMonitors(names, T0);
  const ids = new Map((await store.listMonitors()).map((monitor) => [monitor.name, monitor.pingId]));
  return async (name: string, ping: Omit<NewPing, 'pingId'>) => {
    const result = await store.recordPing({ pingId: ids.get(name) ?? 'unknown', ...ping });
    assert.ok(result !== undefined, `ping to ${name}`);
    return result;
  };
}

export function defineMonitorTests(context: ContractContext): void {
  it('gives new monitors a secret ping id, keeps it when a removed monitor comes back', async () => {
    const { store } = context;
    const first = await store.syncMonitors(['backup', 'report'], T0);
    assert.deepEqual([first.added, first.removed], [['backup', 'report'], []]);
    assert.deepEqual(
      first.monitors.map((monitor) => [monitor.name, monitor.status, monitor.createdAt, monitor.removedAt]),
      [
        ['backup', 'new', T0, null],
        ['report', 'new', T0, null],
      ],
    );
    const [backup, report] = first.monitors;
    assert.match(backup!.pingId, /^[0-9a-f]{32}$/);
    assert.notEqual(backup!.pingId, report!.pingId);
    assert.equal(backup!.statusChangedAt, T0);

    const resynced = await store.syncMonitors(['backup', 'mail'], T0 + second);
    assert.deepEqual([resynced.added, resynced.removed], [['mail'], ['report']]);
    assert.deepEqual(
      resynced.monitors.map((monitor) => monitor.name),
      ['backup', 'mail'],
    );
    assert.equal((await monitorOf(store, 'backup')).pingId, backup!.pingId, 'kept across syncs');
    assert.equal((await monitorOf(store, 'report')).removedAt, T0 + second);
    assert.deepEqual(
      (await store.listMonitors({ includeRemoved: true })).map((monitor) => monitor.name),
      ['backup', 'mail', 'report'],
    );
    assert.equal((await store.getMonitorByPingId(report!.pingId))?.name, 'report', 'removed, still found');

    const third = await store.syncMonitors(['backup', 'mail', 'report'], T0 + 2 * second);
    assert.deepEqual([third.added, third.removed], [['report'], []]);
    const back = await monitorOf(store, 'report');
    assert.deepEqual([back.pingId, back.removedAt, back.createdAt], [report!.pingId, null, T0]);
    assert.equal((await store.getMonitorByPingId(backup!.pingId))?.name, 'backup');
    assert.equal(await store.getMonitorByPingId('0'.repeat(32)), undefined);
    assert.equal(await store.getMonitor('nothing'), undefined);

    const unchanged = await store.syncMonitors(['backup', 'mail', 'report'], T0 + 3 * second);
    assert.deepEqual([unchanged.added, unchanged.removed], [[], []]);
    await assert.rejects(store.syncMonitors(['a', ''], T0), { code: 'store.input', message: /names\[1\]/ });
    await assert.rejects(store.syncMonitors(['a', 'a'], T0), { code: 'store.input', message: /used once/ });
    assert.equal((await store.listMonitors()).length, 3, 'a refused sync changes nothing');
  });

  it('pairs an end ping with the latest start since the previous end when it has no run key', async () => {
    const { store } = context;
    const ping = await pinger(store, ['backup']);
    const started = await ping('backup', { kind: 'start', at: T0 + second });
    assert.deepEqual(
      [started.previousStatus, started.monitor.status, started.monitor.lastStartAt, started.ping.durationMs],
      ['new', 'new', T0 + second, null],
    );
    await ping('backup', { kind: 'start', at: T0 + 2 * second });
    const done = await ping('backup', {
      kind: 'success',
      at: T0 + 7 * second,
      body: 'ok',
      source: '10.0.0.1',
    });
    assert.equal(done.ping.durationMs, 5 * second, 'from the later start');
    assert.equal(done.previousStatus, 'new');
    const { monitor } = done;
    assert.deepEqual(
      [
        monitor.status,
        monitor.lastStartAt,
        monitor.lastSuccessAt,
        monitor.lastPingAt,
        monitor.statusChangedAt,
      ],
      ['up', null, T0 + 7 * second, T0 + 7 * second, T0 + 7 * second],
    );
    assert.deepEqual(
      [done.ping.kind, done.ping.monitor, done.ping.body, done.ping.source, done.ping.bodyTruncated],
      ['success', 'backup', 'ok', '10.0.0.1', false],
    );
    const unpaired = await ping('backup', { kind: 'success', at: T0 + 9 * second });
    assert.equal(unpaired.ping.durationMs, null, 'no start since the previous end');
    assert.equal(unpaired.monitor.statusChangedAt, T0 + 7 * second, 'still up: not a change');
    assert.equal(unpaired.previousStatus, 'up');
  });

  it('pairs end pings with their start by run key across overlapping runs', async () => {
    const { store } = context;
    const ping = await pinger(store, ['sync']);
    await ping('sync', { kind: 'start', at: T0, runKey: 'a' });
    await ping('sync', { kind: 'start', at: T0 + 2 * second, runKey: 'b' });
    const endA = await ping('sync', { kind: 'exit', exitCode: 0, at: T0 + 3 * second, runKey: 'a' });
    assert.deepEqual(
      [endA.ping.durationMs, endA.ping.exitCode, endA.ping.runKey, endA.monitor.status],
      [3 * second, 0, 'a', 'up'],
    );
    assert.equal(endA.monitor.lastStartAt, T0 + 2 * second, 'run b is still going');
    const endB = await ping('sync', { kind: 'fail', at: T0 + 7 * second, runKey: 'b' });
    assert.deepEqual(
      [endB.ping.durationMs, endB.previousStatus, endB.monitor.status, endB.monitor.lastFailureAt],
      [5 * second, 'up', 'down', T0 + 7 * second],
    );
    assert.equal(endB.monitor.lastStartAt, null);
    assert.equal(endB.monitor.lastSuccessAt, T0 + 3 * second);
    const stray = await ping('sync', { kind: 'success', at: T0 + 8 * second, runKey: 'c' });
    assert.equal(stray.ping.durationMs, null, 'no start with run key c');
  });

  it('takes a monitor down on a failure or a non-zero exit and up again on a success', async () => {
    const { store } = context;
    const ping = await pinger(store, ['backup']);
    const exited = await ping('backup', { kind: 'exit', exitCode: 3, at: T0 + second });
    assert.deepEqual(
      [
        exited.monitor.status,
        exited.ping.exitCode,
        exited.monitor.lastFailureAt,
        exited.monitor.statusChangedAt,
      ],
      ['down', 3, T0 + second, T0 + second],
    );
    const failed = await ping('backup', {
      kind: 'fail',
      at: T0 + 2 * second,
      body: 'x'.repeat(10),
      bodyTruncated: true,
    });
    assert.deepEqual([failed.previousStatus, failed.monitor.statusChangedAt], ['down', T0 + second]);
    assert.equal(failed.ping.bodyTruncated, true);
    const recovered = await ping('backup', { kind: 'exit', exitCode: 0, at: T0 + 3 * second });
    assert.deepEqual(
      [recovered.previousStatus, recovered.monitor.status, recovered.monitor.statusChangedAt],
      ['down', 'up', T0 + 3 * second],
    );
    assert.equal(recovered.monitor.lastFailureAt, T0 + 2 * second);
  });

  it('stores nothing for an unknown ping id or a removed monitor', async () => {
    const { store } = context;
    await store.syncMonitors(['backup', 'report'], T0);
    const report = await monitorOf(store, 'report');
    await store.syncMonitors(['backup'], T0 + second);
    assert.equal(
      await store.recordPing({ pingId: 'f'.repeat(32), kind: 'success', at: T0 + 2 * second }),
      undefined,
    );
    assert.equal(
      await store.recordPing({ pingId: report.pingId, kind: 'fail', at: T0 + 2 * second }),
      undefined,
    );
    const after = await monitorOf(store, 'report');
    assert.deepEqual([after.status, after.lastPingAt, after.lastFailureAt], ['new', null, null]);
    assert.deepEqual((await store.listPings({ monitor: 'report' })).pings, []);
    assert.deepEqual((await store.listPings({ monitor: 'backup' })).pings, []);
  });

  it('refuses a malformed ping with an error naming the field, storing nothing', async () => {
    const { store } = context;
    await store.syncMonitors(['backup'], T0);
    const { pingId } = await monitorOf(store, 'backup');
    const bad: [Partial<NewPing>, RegExp][] = [
      [{ kind: 'exit' }, /exitCode/],
      [{ kind: 'exit', exitCode: 1.5 }, /exitCode/],
      [{ kind: 'success', exitCode: 0 }, /exitCode/],
      [{ kind: 'ignored' as never }, /start, success, fail, exit at kind/],
      [{ kind: 'success', at: T0 + 0.5 }, /\bat\b/],
      [{ kind: 'start', runKey: '' }, /runKey/],
      [{ kind: 'success', pingId: '' }, /pingId/],
    ];
    for (const [ping, message] of bad) {
      await assert.rejects(
        store.recordPing({ pingId, at: T0 + second, ...ping } as NewPing),
        { code: 'store.input', message },
        JSON.stringify(ping),
      );
    }
    assert.deepEqual((await store.listPings({ monitor: 'backup' })).pings, []);
    assert.equal((await monitorOf(store, 'backup')).lastPingAt, null);
  });

  it('moves a monitor status only from the status the caller names (compare-and-set)', async () => {
    const { store } = context;
    const ping = await pinger(store, ['backup', 'old']);
    assert.equal(await store.setMonitorStatus('backup', 'up', 'down', T0 + second), false, 'it is new');
    assert.equal((await monitorOf(store, 'backup')).status, 'new');
    await ping('backup', { kind: 'success', at: T0 + second });
    const racing = await Promise.all([
      store.setMonitorStatus('backup', 'up', 'down', T0 + 2 * second),
      store.setMonitorStatus('backup', 'up', 'down', T0 + 2 * second),
    ]);
    assert.deepEqual(racing.toSorted(), [false, true], 'exactly one watcher takes it down');
    const down = await monitorOf(store, 'backup');
    assert.deepEqual([down.status, down.statusChangedAt], ['down', T0 + 2 * second]);
    assert.equal(await store.setMonitorStatus('nothing', 'new', 'down', T0), false);
    await store.syncMonitors(['backup'], T0 + 3 * second);
    assert.equal(await store.setMonitorStatus('old', 'new', 'down', T0 + 3 * second), false, 'removed');
    await assert.rejects(store.setMonitorStatus('backup', 'down', 'down', T0), { code: 'store.input' });
    await assert.rejects(store.setMonitorStatus('backup', 'down', 'late' as never, T0), {
      code: 'store.input',
      message: /new, up, down/,
    });
    assert.equal((await monitorOf(store, 'backup')).status, 'down');
  });

  it('pauses and resumes a monitor by a compare-and-set on its flag, keeping its status', async () => {
    const { harness, store } = context;
    const ping = await pinger(store, ['backup', 'old']);
    await ping('backup', { kind: 'success', at: T0 + second });
    const racing = await Promise.all([
      store.setMonitorPaused('backup', true, T0 + 2 * second),
      store.setMonitorPaused('backup', true, T0 + 2 * second),
    ]);
    assert.deepEqual(
      racing.map((result) => result?.changed).toSorted(),
      [false, true],
      'exactly one caller pauses it',
    );
    const paused = await monitorOf(store, 'backup');
    assert.deepEqual(
      [paused.paused, paused.pausedAt, paused.resumedAt, paused.status, paused.statusChangedAt],
      [true, T0 + 2 * second, null, 'up', T0 + second],
    );
    const again = await store.setMonitorPaused('backup', true, T0 + 3 * second);
    assert.deepEqual([again?.changed, again?.monitor.pausedAt], [false, T0 + 2 * second], 'nothing written');
    assert.deepEqual(
      (await store.listMonitors()).map((monitor) => [monitor.name, monitor.paused]),
      [
        ['backup', true],
        ['old', false],
      ],
    );
    await store.syncMonitors(['old'], T0 + 3 * second);
    assert.equal(await store.setMonitorPaused('backup', false, T0 + 3 * second), undefined, 'removed');
    await store.syncMonitors(['backup', 'old'], T0 + 4 * second);
    assert.equal((await monitorOf(store, 'backup')).paused, true, 'kept while it left the job file');
    const reopened = await harness.open();
    try {
      assert.equal((await reopened.getMonitor('backup'))?.paused, true, 'kept in the database');
    } finally {
      await reopened.release();
    }

    const resumed = await store.setMonitorPaused('backup', false, T0 + 5 * second);
    assert.equal(resumed?.changed, true);
    assert.deepEqual(
      [
        resumed?.monitor.paused,
        resumed?.monitor.pausedAt,
        resumed?.monitor.resumedAt,
        resumed?.monitor.status,
      ],
      [false, null, T0 + 5 * second, 'up'],
    );
    const resumedAgain = await store.setMonitorPaused('backup', false, T0 + 6 * second);
    assert.deepEqual([resumedAgain?.changed, resumedAgain?.monitor.resumedAt], [false, T0 + 5 * second]);

    assert.equal(await store.setMonitorPaused('nothing', true, T0), undefined, 'unknown');
    await store.syncMonitors(['backup'], T0 + 7 * second);
    assert.equal(await store.setMonitorPaused('old', true, T0 + 7 * second), undefined, 'removed');
    assert.equal(
      (await store.listMonitors({ includeRemoved: true })).find((m) => m.name === 'old')?.paused,
      false,
    );
    for (const [name, pause, at, field] of [
      ['', true, T0, /name/],
      ['backup', 'yes', T0, /paused/],
      ['backup', true, T0 + 0.5, /\bat\b/],
    ] as const) {
      await assert.rejects(store.setMonitorPaused(name, pause as boolean, at), {
        code: 'store.input',
        message: field,
      });
    }
    assert.equal((await monitorOf(store, 'backup')).paused, false, 'a refused call changes nothing');
  });

  it('never takes a paused monitor down, not by a watcher nor by a failure ping, which is still stored', async () => {
    const { store } = context;
    const ping = await pinger(store, ['backup']);
    await ping('backup', { kind: 'success', at: T0 + second });
    await store.setMonitorPaused('backup', true, T0 + 2 * second);
    assert.equal(await store.setMonitorStatus('backup', 'up', 'down', T0 + 3 * second), false, 'paused');

    const failed = await ping('backup', { kind: 'fail', at: T0 + 4 * second, body: 'disk swap' });
    const exited = await ping('backup', { kind: 'exit', exitCode: 3, at: T0 + 5 * second });
    for (const result of [failed, exited]) {
      assert.deepEqual([result.previousStatus, result.monitor.status], ['up', 'up']);
      assert.equal(result.monitor.statusChangedAt, T0 + second);
    }
    assert.deepEqual(
      [exited.monitor.lastFailureAt, exited.monitor.lastPingAt, exited.monitor.paused],
      [T0 + 5 * second, T0 + 5 * second, true],
    );
    assert.deepEqual(
      (await store.listPings({ monitor: 'backup' })).pings.map((found) => [found.kind, found.body]),
      [
        ['exit', null],
        ['fail', 'disk swap'],
        ['success', null],
      ],
    );

    await store.setMonitorPaused('backup', false, T0 + 6 * second);
    assert.equal((await ping('backup', { kind: 'fail', at: T0 + 7 * second })).monitor.status, 'down');
    await store.setMonitorPaused('backup', true, T0 + 8 * second);
    const recovered = await ping('backup', { kind: 'success', at: T0 + 9 * second });
    assert.deepEqual(
      [recovered.previousStatus, recovered.monitor.status, recovered.monitor.statusChangedAt],
      ['down', 'up', T0 + 9 * second],
      'a success still brings a paused monitor up',
    );
  });

  it('applies pings sent to one monitor at once one after another', async () => {
    const { store } = context;
    const ping = await pinger(store, ['backup']);
    const results = await Promise.all(
      Array.from({ length: 12 }, (_, index) =>
        ping('backup', { kind: index % 2 === 0 ? 'success' : 'fail', at: T0 + (index + 1) * second }),
      ),
    );
    const pings = (await store.listPings({ monitor: 'backup', limit: 100 })).pings;
    assert.equal(pings.length, 12);
    const latest = pings[0]!;
    const monitor = await monitorOf(store, 'backup');
    assert.equal(monitor.status, latest.kind === 'success' ? 'up' : 'down', 'the last ping stored decides');
    // Each ping saw the status the one stored before it left.
    const byId = results.toSorted((a, b) => a.ping.id - b.ping.id);
    byId.forEach((result, index) => {
      const previous = byId[index - 1];
      assert.equal(result.previousStatus, previous === undefined ? 'new' : previous.monitor.status);
    });
  });

  it("lists a monitor's pings newest first, page by page", async () => {
    const { store } = context;
    const ping = await pinger(store, ['backup', 'other']);
    for (let index = 0; index < 7; index++) {
      await ping('backup', { kind: index % 2 === 0 ? 'start' : 'success', at: T0 + index * second });
    }
    await ping('other', { kind: 'success', at: T0 });
    const seen: number[] = [];
    let cursor: number | null = null;
    do {
      const page = await store.listPings({ monitor: 'backup', limit: 3, cursor });
      seen.push(...page.pings.map((found) => (found.at - T0) / second));
      cursor = page.nextCursor;
    } while (cursor !== null);
    assert.deepEqual(seen, [6, 5, 4, 3, 2, 1, 0]);
    await assert.rejects(store.listPings({ monitor: 'backup', limit: 0 }), { code: 'store.input' });
  });
}
