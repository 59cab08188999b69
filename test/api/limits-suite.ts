/**
 * The API's limits against a real daemon on one store: failed authentication per client address
 * (clients on 127.0.0.2 and 127.0.0.3 are other addresses as the server sees them), live streams
 * per token and in all, and one source shared by every stream of a run.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';
import { manualClock } from '../../src/clock/index.ts';
import { waitFor } from '../support/engine-harness.ts';
import { markedBlocks } from '../support/marked-blocks.ts';
import type { FreshStore } from './api-fixtures.ts';
import { baseYaml, useDaemons } from './api-fixtures.ts';
import type { ApiDaemon, HeldStream } from './api-harness.ts';
import { openStream, parseEvents } from './api-harness.ts';

const madeUp = (index: number): string => `cpt_${String(index).padStart(12, '0')}_${'A'.repeat(43)}`;
const T0 = Date.UTC(2026, 10, 23, 12, 0, 0);

/** Lines the `talk` job prints, a few milliseconds apart so streams see them arrive live. */
const talkLines = Array.from({ length: 40 }, (_, index) => `line ${index + 1}\n`).join('');
const streamYaml = `${baseYaml}  talk:
    concurrency: allow
    run: [sh, -c, 'i=1; while [ $i -le 40 ]; do echo "line $i"; i=$((i+1)); sleep 0.02; done']
`;

/** The answer docs/api.md shows under `<!-- sample: NAME -->`. */
function documented(name: string): unknown {
  const markdown = readFileSync(path.resolve(import.meta.dirname, '../../docs/api.md'), 'utf8');
  const block = markedBlocks(markdown).find((candidate) => candidate.marker === `sample: ${name}`);
  assert.ok(block !== undefined, `docs/api.md has a sample ${name}`);
  return JSON.parse(block.text) as unknown;
}

/** The live sources and the open streams of the daemon's API. */
function liveState(api: ApiDaemon): { readonly sources: number; readonly streams: number } {
  const context = api.daemon.server?.context;
  assert.ok(context !== undefined);
  return { sources: context.liveLogs.sources, streams: context.streams.size };
}

/** How many times the daemon's store read run output, from its own /metrics. */
async function logReads(api: ApiDaemon): Promise<number> {
  const metrics = await api.request('GET', '/metrics', { token: null });
  const line = metrics.text
    .split('\n')
    .find((candidate) =>
      candidate.startsWith('cronplane_store_operation_seconds_count{operation="readLogs"}'),
    );
  return line === undefined ? 0 : Number(line.split(' ').at(-1));
}

function logText(stream: string): string {
  return parseEvents(stream)
    .filter((event) => event.event === 'log')
    .map((event) => event.data.text as string)
    .join('');
}

export function defineLimitsSuite(storeName: string, freshStore: FreshStore): void {
  describe(`API limits on ${storeName}`, () => {
    const { start, tokenFor } = useDaemons(freshStore);

    it('answers 429 with Retry-After to an address after its burst of failed tokens, still serving tokens that worked from it and other addresses', async () => {
      const clock = manualClock(T0);
      const api = await start({ clock, authFailureLimit: { burst: 5, refillMs: 10_000, maxAddresses: 100 } });
      const reader = await tokenFor(api, 'reader', 'read');
      const later = await tokenFor(api, 'later', 'read');
      const guesser = '127.0.0.2';
      assert.equal((await api.request('GET', '/api/jobs', { token: reader, from: guesser })).status, 200);
      for (let index = 0; index < 5; index++) {
        const refused = await api.request('GET', '/api/jobs', { token: madeUp(index), from: guesser });
        assert.equal(refused.status, 401, `guess ${index + 1} is within the burst`);
      }
      const blocked = await api.request('GET', '/api/jobs', { token: madeUp(5), from: guesser });
      assert.equal(blocked.status, 429);
      assert.equal(blocked.headers['retry-after'], '10');
      assert.deepEqual(blocked.body, {
        error: {
          code: 'api.rate-limited',
          message: 'too many failed authentications from 127.0.0.2; try again in 10 s',
        },
      });
      for (const options of [{ token: null }, { token: 'not-even-a-token' }]) {
        assert.equal((await api.request('GET', '/api/jobs', { ...options, from: guesser })).status, 429);
      }
      assert.equal(
        (await api.request('GET', '/api/jobs', { token: reader, from: guesser })).status,
        200,
        'a token that worked from the blocked address still does',
      );
      assert.equal(
        (await api.request('GET', '/api/jobs', { token: later, from: guesser })).status,
        429,
        'any other token from the blocked address is not even checked: a right guess would get 429 too',
      );
      assert.equal((await api.request('GET', '/api/jobs', { token: later, from: '127.0.0.3' })).status, 200);
      assert.equal(
        (await api.request('GET', '/api/jobs', { token: madeUp(6), from: '127.0.0.3' })).status,
        401,
        'another address has its own burst',
      );
      assert.equal((await api.request('GET', '/healthz', { token: null, from: guesser })).status, 200);

      clock.advance(4_000);
      const sooner = await api.request('GET', '/api/jobs', { token: madeUp(7), from: guesser });
      assert.equal(sooner.headers['retry-after'], '6');
      clock.advance(6_000);
      assert.equal(
        (await api.request('GET', '/api/jobs', { token: madeUp(8), from: guesser })).status,
        401,
        'after 10 s the address may try once more',
      );
      assert.equal((await api.request('GET', '/api/jobs', { token: madeUp(9), from: guesser })).status, 429);
      clock.advance(50_000);
      assert.equal((await api.request('GET', '/api/jobs', { token: later, from: guesser })).status, 200);
      const warnings = api.logs.lines.filter((line) => line.includes('failed authentication too often'));
      assert.equal(warnings.length, 2, 'one warning each time the address became blocked');
      assert.match(warnings[0] ?? '', /"address":"127\.0\.0\.2"/);
      for (const secret of [reader, later, madeUp(0)]) assert.ok(!api.logs.text.includes(secret));
    });

    it('answers as docs/api.md shows, with the documented defaults: 20 failures, 10 streams per token', async () => {
      const api = await start();
      const ci = await tokenFor(api, 'ci', 'read');
      for (let index = 0; index < 20; index++) {
        assert.equal(
          (await api.request('GET', '/api/jobs', { token: madeUp(index), from: '127.0.0.2' })).status,
          401,
        );
      }
      const blocked = await api.request('GET', '/api/jobs', { token: madeUp(20), from: '127.0.0.2' });
      assert.equal(blocked.status, 429);
      assert.equal(blocked.headers['retry-after'], '10');
      assert.deepEqual(
        blocked.body,
        JSON.parse(JSON.stringify(documented('auth-rate-limited')).replace('203.0.113.7', '127.0.0.2')),
      );
      const [run] = (await api.request('POST', '/api/jobs/forever/trigger')).body.runs;
      const target = `/api/runs/${run.id}/logs/stream`;
      const held = await Promise.all(
        Array.from({ length: 10 }, () => openStream(api.url, target, { token: ci })),
      );
      assert.ok(held.every((stream) => stream.status === 200));
      const refused = await api.request('GET', target, { token: ci });
      assert.equal(refused.status, 429);
      assert.equal(refused.headers['retry-after'], undefined);
      assert.deepEqual(refused.body, documented('too-many-streams'));
      for (const stream of held) stream.close();
      assert.equal((await api.request('POST', `/api/runs/${run.id}/cancel`)).status, 200);
    });

    it('does not count unknown ping ids as failed authentications: pings from a blocked address still work', async () => {
      const api = await start({
        yaml: `${baseYaml}monitors:\n  watched: { period: 1h }\n`,
        authFailureLimit: { burst: 2, refillMs: 60_000, maxAddresses: 100 },
      });
      const pingId = (await api.daemon.store.getMonitor('watched'))?.pingId ?? '';
      const host = '127.0.0.2';
      for (let index = 0; index < 5; index++) {
        const unknown = await api.request('GET', `/ping/${'0'.repeat(31)}${index}`, {
          token: null,
          from: host,
        });
        assert.equal(unknown.status, 404);
      }
      for (let index = 0; index < 2; index++) {
        assert.equal(
          (await api.request('GET', '/api/jobs', { token: madeUp(index), from: host })).status,
          401,
        );
      }
      assert.equal((await api.request('GET', '/api/jobs', { token: madeUp(2), from: host })).status, 429);
      assert.equal((await api.request('GET', `/ping/${pingId}`, { token: null, from: host })).status, 200);
    });

    it('caps live streams per token and in all with a JSON 429, and counts them down when clients leave and runs end', async () => {
      const api = await start({ liveStreamLimit: { perToken: 2, total: 3 } });
      const other = await tokenFor(api, 'other', 'read');
      const [run] = (await api.request('POST', '/api/jobs/forever/trigger')).body.runs;
      const target = `/api/runs/${run.id}/logs/stream`;
      const held: HeldStream[] = [await openStream(api.url, target), await openStream(api.url, target)];
      assert.deepEqual(
        held.map((stream) => stream.status),
        [200, 200],
      );
      const third = await api.request('GET', target);
      assert.equal(third.status, 429);
      assert.equal(third.body.error.code, 'api.too-many-streams');
      assert.match(
        third.body.error.message,
        /token "bootstrap" has 2 live streams open, the most one token may/,
      );
      held.push(await openStream(api.url, target, { token: other }));
      assert.equal(held[2]?.status, 200, 'another token has its own count');
      const overall = await api.request('GET', target, { token: other });
      assert.equal(overall.status, 429);
      assert.match(overall.body.error.message, /the server has 3 live streams open, the most it serves/);
      assert.deepEqual(liveState(api), { sources: 1, streams: 3 });

      held[0]?.close();
      await waitFor('the closed stream to be given back', () => liveState(api).streams === 2);
      const again = await openStream(api.url, target);
      assert.equal(again.status, 200, 'a stream closed by its client frees its place');
      held.push(again);

      assert.equal((await api.request('POST', `/api/runs/${run.id}/cancel`)).status, 200);
      const texts = await Promise.all(held.slice(1).map((stream) => stream.ended));
      for (const text of texts) assert.equal(parseEvents(text).at(-1)?.event, 'end');
      await waitFor('the streams of the ended run to be given back', () =>
        liveState(api).streams === 0 ? true : undefined,
      );
      assert.deepEqual(liveState(api), { sources: 0, streams: 0 });
    });

    it('counts streams of run changes against the same caps, feeds them from one reader, and gives them back', async () => {
      const api = await start({ liveStreamLimit: { perToken: 2, total: 3 } });
      const context = api.daemon.server?.context;
      assert.ok(context !== undefined);
      const feed = context.runChanges as unknown as { readonly listeners: number };
      const held: HeldStream[] = [
        await openStream(api.url, '/api/runs/stream'),
        await openStream(api.url, '/api/runs/stream'),
      ];
      assert.deepEqual(
        held.map((stream) => stream.status),
        [200, 200],
      );
      assert.match(held[0]?.text() ?? '', /^retry: 3000\n/);
      const third = await api.request('GET', '/api/runs/stream');
      assert.equal(third.status, 429);
      assert.equal(third.body.error.code, 'api.too-many-streams');
      assert.equal(feed.listeners, 2, 'one reader, a listener per stream');
      const [run] = (await api.request('POST', '/api/jobs/forever/trigger')).body.runs;
      await waitFor('the new run in both streams', () =>
        held.every((stream) =>
          parseEvents(stream.text()).some((event) => event.event === 'run' && event.data.id === run.id),
        ),
      );
      for (const stream of held) stream.close();
      await waitFor('the streams to be given back', () => (liveState(api).streams === 0 ? true : undefined));
      await waitFor('the reader to stop', () => (feed.listeners === 0 ? true : undefined));
      assert.equal((await api.request('POST', `/api/runs/${run.id}/cancel`)).status, 200);
    });

    it('feeds 20 streams of one run from one source: each gets the whole output, late joiners from the store first', async () => {
      const api = await start({ yaml: streamYaml, liveStreamLimit: { perToken: 20, total: 20 } });
      const [run] = (await api.request('POST', '/api/jobs/talk/trigger')).body.runs;
      const target = `/api/runs/${run.id}/logs/stream`;
      const readsBefore = await logReads(api);
      const began = performance.now();
      const early = await Promise.all(Array.from({ length: 10 }, () => openStream(api.url, target)));
      const firstSeq = await waitFor('the first output to reach the streams', () => {
        const [first] = parseEvents(early[0]?.text() ?? '').filter((event) => event.event === 'log');
        return first?.data.seq as number | undefined;
      });
      const late = await Promise.all(Array.from({ length: 9 }, () => openStream(api.url, target)));
      const resumed = await openStream(api.url, target, { headers: { 'last-event-id': String(firstSeq) } });
      let mostSources = 0;
      const all = [...early, ...late, resumed];
      const ended = Promise.all(all.map((stream) => stream.ended));
      let done = false;
      void ended.then(() => {
        done = true;
      });
      while (!done) {
        mostSources = Math.max(mostSources, liveState(api).sources);
        await new Promise((resolve) => setTimeout(resolve, 5));
      }
      const texts = await ended;
      const elapsedMs = performance.now() - began;
      const reads = (await logReads(api)) - readsBefore;

      assert.equal(mostSources, 1, 'one source for the run, however many streams');
      for (const text of texts.slice(0, -1)) {
        assert.equal(logText(text), talkLines, 'every stream gets the whole output, in order');
        assert.deepEqual(parseEvents(text).at(-1), {
          event: 'end',
          data: { status: 'succeeded', exitCode: 0, error: null },
        });
      }
      const [firstChunk] = parseEvents(texts[0] ?? '').filter((event) => event.event === 'log');
      assert.equal(
        `${firstChunk?.data.text as string}${logText(texts.at(-1) ?? '')}`,
        talkLines,
        'a stream resumed after Last-Event-ID gets exactly what followed',
      );
      // One source reads at most once per poll (25 ms here), plus a read when a stream joins;
      // twenty streams polling apart would read about twenty times as often.
      const ceiling = Math.ceil(elapsedMs / 25) + all.length + 5;
      assert.ok(
        reads <= ceiling,
        `${reads} reads of the output in ${Math.round(elapsedMs)} ms (at most ${ceiling})`,
      );
      await waitFor('the source to stop', () => (liveState(api).sources === 0 ? true : undefined));
      assert.equal(liveState(api).streams, 0);
    });
  });
}
