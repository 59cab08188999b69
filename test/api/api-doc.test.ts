/**
 * docs/api.md is tested: its job file runs in a real daemon and every example request in it is
 * sent, in order; each answer must have the status and the shape the doc shows (see
 * `differenceFrom`: ids, times and durations may differ, everything else must match).
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { ApiDaemon, StreamEvent } from './api-harness.ts';
import { bootstrapToken, startApiDaemon } from './api-harness.ts';
import { differenceFrom, parseApiDoc } from './doc-examples.ts';
import { createSqliteHarness } from '../support/sqlite.ts';
import type { StoreHarness } from '../support/store-harness.ts';

const docFile = path.resolve(import.meta.dirname, '../../docs/api.md');
const doc = parseApiDoc(readFileSync(docFile, 'utf8'));

function eventsOf(text: string): StreamEvent[] {
  return text
    .split('\n\n')
    .filter((block) => block.split('\n').some((line) => line.startsWith('event:')))
    .map((block) => {
      const fields = new Map(
        block
          .split('\n')
          .filter((line) => !line.startsWith(':') && line.includes(':'))
          .map(
            (line) => [line.slice(0, line.indexOf(':')), line.slice(line.indexOf(':') + 1).trim()] as const,
          ),
      );
      return {
        event: fields.get('event') ?? '',
        ...(fields.has('id') ? { id: fields.get('id') } : {}),
        data: JSON.parse(fields.get('data') ?? 'null') as unknown,
      };
    });
}

/** A documented text line matches an actual one; a sample's value may differ. */
function lineMatches(documented: string, actual: string): boolean {
  if (documented.startsWith('#')) return documented === actual;
  const cut = documented.lastIndexOf(' ');
  return actual.startsWith(`${documented.slice(0, cut)} `);
}

describe('the examples of docs/api.md', () => {
  let harness: StoreHarness;
  let api: ApiDaemon;

  before(async () => {
    harness = await createSqliteHarness();
    api = await startApiDaemon({ yaml: doc.jobFile, storeUrl: harness.url, node: 'node-1' });
  });
  after(async () => {
    await api.stop();
    await harness.close();
  });

  /** Lets earlier examples' runs get going or end, as a reader's would between two requests. */
  async function settle(): Promise<void> {
    for (let attempt = 0; attempt < 400; attempt++) {
      const active = (await api.daemon.store.listRuns({ status: ['pending', 'running'], limit: 100 })).runs;
      const moving = active.filter(
        (run) =>
          !(run.status === 'running' && run.job === 'long-report') &&
          !(run.status === 'pending' && run.job === 'process-audit-queue'),
      );
      if (moving.length === 0) return;
      await new Promise((resolve) => setTimeout(resolve, 25));
    }
    throw new Error('runs of earlier examples did not settle');
  }

  it('has examples for every endpoint the server has', () => {
    const documented = new Set(
      doc.examples.map((example) => `${example.method} ${example.target.split('?')[0]}`),
    );
    const missing = (api.daemon.server?.routes ?? [])
      .filter((route) => route.url !== '/api/openapi.json')
      .filter(
        (route) =>
          ![...documented].some((entry) =>
            new RegExp(`^${route.method} ${route.url.replace(/:[A-Za-z]+/g, '[^/]+')}$`).test(entry),
          ),
      )
      .map((route) => `${route.method} ${route.url}`);
    assert.deepEqual(missing, []);
  });

  it('answers each example request as the doc shows', async () => {
    assert.ok(doc.examples.length >= 20, `${doc.examples.length} examples`);
    for (const example of doc.examples) {
      await settle();
      const where = `docs/api.md:${example.line}: ${example.method} ${example.target}`;
      const authorization = example.headers['authorization'];
      const headers = Object.fromEntries(
        Object.entries(example.headers).filter(
          ([name]) => name !== 'authorization' && name !== 'content-type',
        ),
      );
      const answer = await api.request(example.method, example.target, {
        token:
          authorization === undefined
            ? null
            : authorization.replace(/^Bearer \$CRONPLANE_TOKEN$/, bootstrapToken).replace(/^Bearer /, ''),
        ...(example.body === undefined ? {} : { json: JSON.parse(example.body) as unknown }),
        headers,
      });
      assert.equal(answer.status, example.status, `${where}: ${answer.text.slice(0, 400)}`);
      if (example.answerKind === 'json') {
        const difference = differenceFrom(JSON.parse(example.answer), answer.body);
        assert.equal(
          difference,
          undefined,
          `${where}: ${difference ?? ''}\n${JSON.stringify(answer.body, null, 2)}`,
        );
      } else if (example.target.includes('/logs/stream')) {
        const difference = differenceFrom(eventsOf(example.answer), eventsOf(answer.text));
        assert.equal(difference, undefined, `${where}: ${difference ?? ''}\n${answer.text}`);
      } else {
        const lines = answer.text.split('\n');
        for (const line of example.answer
          .split('\n')
          .filter((candidate) => candidate !== '' && candidate !== '...')) {
          assert.ok(
            lines.some((actual) => lineMatches(line, actual)),
            `${where}: no line like ${line}`,
          );
        }
      }
    }
  });
});
