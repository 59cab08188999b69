/** Events as alerting reads them: by dedup key and severity, the open one, notified times, counts. */
import assert from 'node:assert/strict';
import { it } from 'node:test';
import type { NewEvent } from '../../../src/store/index.ts';
import type { ContractContext } from './context.ts';
import { T0, second } from './context.ts';

function event(dedupKey: string, severity: NewEvent['severity'], at: number): NewEvent {
  return { kind: 'run:failed', dedupKey, severity, job: 'backup', at };
}

export function defineEventTests(context: ContractContext): void {
  it('records failure events and lists events by dedup key and by severities, newest first', async () => {
    const { store } = context;
    const failed = await store.recordEvent(event('failed:backup', 'failure', T0));
    assert.equal(failed.severity, 'failure');
    assert.equal(failed.notifiedAt, null);
    await store.resolveEvent('failed:backup', T0 + second);
    const again = await store.recordEvent(event('failed:backup', 'failure', T0 + 2 * second));
    const warning = await store.recordEvent(event('slow:backup', 'warning', T0 + 3 * second));
    const critical = await store.recordEvent(event('lost:1', 'critical', T0 + 4 * second));
    const ids = async (query: Parameters<typeof store.listEvents>[0]) =>
      (await store.listEvents(query)).events.map((found) => found.id);
    assert.deepEqual(await ids({ dedupKey: 'failed:backup' }), [again.id, failed.id]);
    assert.deepEqual(await ids({ dedupKey: 'failed:backup', open: true }), [again.id]);
    assert.deepEqual(await ids({ open: false }), [failed.id], 'only the resolved ones');
    assert.deepEqual(await ids({ severities: ['failure', 'critical'] }), [critical.id, again.id, failed.id]);
    assert.deepEqual(await ids({ severities: ['warning'] }), [warning.id]);
    assert.deepEqual(await ids({ severities: ['info'] }), []);
    assert.deepEqual(await ids({ severities: [] }), []);
    assert.deepEqual(await ids({ dedupKey: 'nothing' }), []);
    await assert.rejects(store.listEvents({ severities: ['failure', 'fatal' as never] }), {
      code: 'store.input',
      message: /info, warning, failure, critical at severities\[1\]/,
    });
  });

  it('resolves one event by its id only while it is open, leaving a newer event of its key open', async () => {
    const { store } = context;
    const first = await store.recordEvent(event('failed:byid', 'failure', T0));
    assert.equal(await store.resolveEventById(first.id, T0 + second), true);
    assert.equal(await store.resolveEventById(first.id, T0 + 2 * second), false, 'already resolved');
    assert.equal((await store.getEvent(first.id))?.resolvedAt, T0 + second);
    const second_ = await store.recordEvent(event('failed:byid', 'failure', T0 + 3 * second));
    assert.equal(await store.resolveEventById(first.id, T0 + 4 * second), false);
    assert.equal((await store.getOpenEvent('failed:byid'))?.id, second_.id, 'the newer event stays open');
    assert.equal(await store.resolveEventById(424242, T0), false, 'no such event');
  });

  it('lists events seen within a time window: still seen at or after since, first seen before until', async () => {
    const { store } = context;
    const early = await store.recordEvent(event('failed:early', 'failure', T0));
    const long = await store.recordEvent(event('failed:long', 'failure', T0 + second));
    await store.recordEvent(event('failed:long', 'failure', T0 + 10 * second));
    const late = await store.recordEvent(event('failed:late', 'failure', T0 + 20 * second));
    const ids = async (query: Parameters<typeof store.listEvents>[0]) =>
      (await store.listEvents(query)).events.map((found) => found.id);
    assert.deepEqual(await ids({ since: T0 + 5 * second }), [late.id, long.id]);
    assert.deepEqual(await ids({ until: T0 + second }), [early.id]);
    assert.deepEqual(await ids({ since: T0 + 5 * second, until: T0 + 20 * second }), [long.id]);
    assert.deepEqual(await ids({ since: T0 + 21 * second }), []);
    assert.deepEqual(await ids({ since: T0 + 5 * second, limit: 1, cursor: late.id }), [long.id]);
    await assert.rejects(store.listEvents({ since: 1.5 }), { code: 'store.input', message: /at since/ });
    await assert.rejects(store.listEvents({ until: Number.NaN }), {
      code: 'store.input',
      message: /at until/,
    });
  });

  it('finds the open event of a dedup key and any event by id', async () => {
    const { store } = context;
    const first = await store.recordEvent(event('failed:backup', 'failure', T0));
    assert.equal((await store.getOpenEvent('failed:backup'))?.id, first.id);
    assert.deepEqual(await store.getEvent(first.id), first);
    await store.resolveEvent('failed:backup', T0 + second);
    assert.equal(await store.getOpenEvent('failed:backup'), undefined);
    assert.equal((await store.getEvent(first.id))?.resolvedAt, T0 + second);
    const reopened = await store.recordEvent(event('failed:backup', 'failure', T0 + 2 * second));
    assert.equal((await store.getOpenEvent('failed:backup'))?.id, reopened.id);
    assert.equal(await store.getEvent(reopened.id + 1000), undefined);
    assert.equal(await store.getOpenEvent('nothing'), undefined);
  });

  it('marks when people were told about an event, and keeps it when the event repeats', async () => {
    const { store } = context;
    const opened = await store.recordEvent(event('failed:backup', 'failure', T0));
    assert.equal(await store.markEventNotified(opened.id, T0 + second), true);
    assert.equal((await store.getEvent(opened.id))?.notifiedAt, T0 + second);
    const repeat = await store.recordEvent(event('failed:backup', 'failure', T0 + 2 * second));
    assert.deepEqual([repeat.id, repeat.count, repeat.notifiedAt], [opened.id, 2, T0 + second]);
    assert.equal(await store.markEventNotified(opened.id, T0 + 3 * second), true, 'a reminder');
    assert.equal((await store.getOpenEvent('failed:backup'))?.notifiedAt, T0 + 3 * second);
    assert.equal(await store.markEventNotified(opened.id + 1000, T0), false);
    await assert.rejects(store.markEventNotified(opened.id, 1.5), { code: 'store.input' });
    assert.equal((await store.getEvent(opened.id))?.notifiedAt, T0 + 3 * second);
  });

  it('counts open events per severity, leaving out resolved ones and severities with none', async () => {
    const { store } = context;
    assert.deepEqual(await store.countOpenEvents(), {});
    await store.recordEvent(event('lost:1', 'critical', T0));
    await store.recordEvent(event('lost:2', 'critical', T0));
    await store.recordEvent(event('lost:2', 'critical', T0 + second));
    await store.recordEvent(event('failed:backup', 'failure', T0));
    await store.recordEvent(event('slow:backup', 'warning', T0));
    await store.resolveEvent('slow:backup', T0 + second);
    assert.deepEqual(await store.countOpenEvents(), { critical: 2, failure: 1 });
  });
}
