import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, describe, it } from 'node:test';
import { RunIncident, defaultFlapPolicy } from '../../src/alerts/index.ts';
import { readConfig } from '../../src/config/index.ts';
import * as watchers from '../../src/watchers/index.ts';
import { builtinKinds } from '../../src/kinds/index.ts';

/** Keeps docs/watchers.md honest: its example job file validates and its table names every run incident as the code does. */
const root = path.resolve(import.meta.dirname, '../..');
const doc = readFileSync(path.join(root, 'docs/watchers.md'), 'utf8');

describe('docs/watchers.md', () => {
  const folder = mkdtempSync(path.join(tmpdir(), 'cronplane-watchers-doc-'));
  after(() => rmSync(folder, { recursive: true, force: true }));

  it('has example job files that validate', () => {
    const blocks = [...doc.matchAll(/<!-- test: valid -->\n```yaml\n([\s\S]*?)```/g)].map(
      (match) => match[1] ?? '',
    );
    assert.ok(blocks.length >= 1);
    blocks.forEach((block, index) => {
      const file = path.join(folder, `watchers-${index}.yaml`);
      writeFileSync(file, block);
      const config = readConfig(file, {
        kinds: builtinKinds,
        env: { SLACK_WEBHOOK_URL: 'https://hooks.slack.com/services/T0/B0/x' },
      });
      assert.equal(config.jobs[0]?.watch.consecutiveFailures, 3);
    });
  });

  it('lists each run incident with the notify key and severity the code uses', () => {
    for (const [kind, { notifyKey, severity }] of Object.entries(RunIncident)) {
      const row = doc.split('\n').find((line) => line.startsWith(`| \`${kind}\``));
      assert.ok(row, `no row for ${kind}`);
      const cells = row.split('|').map((cell) => cell.trim());
      assert.equal(cells[4], `\`${notifyKey}\``, kind);
      assert.equal(cells[5], severity, kind);
    }
  });

  it('lists every watcher with the lifecycle, and says what feeds it', () => {
    const classes = Object.entries(watchers).filter(
      ([name, value]) =>
        name.endsWith('Watch') &&
        typeof value === 'function' &&
        ['start', 'reload', 'release'].every((method) => method in value.prototype),
    );
    assert.equal(classes.length, 5);
    for (const [name] of classes) {
      const row = doc.split('\n').find((line) => line.startsWith(`| \`${name}\``));
      assert.ok(row, `no row for ${name}`);
      assert.ok((row.split('|')[2] ?? '').trim().length > 0, `what feeds ${name}`);
    }
  });

  it('states the flapping threshold the code applies', () => {
    assert.equal(defaultFlapPolicy.openings, 5);
    assert.equal(defaultFlapPolicy.windowMs, 3_600_000);
    assert.match(doc, /fifth time within an hour/);
  });
});
