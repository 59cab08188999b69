/**
 * Keeps docs/guards.md honest: every YAML block after `<!-- test: valid -->` is a job file that
 * validates, and every block after `<!-- sample: NAME -->` is exactly what the guard raises for
 * the numbers the page gives beside it.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, it } from 'node:test';
import type { Incident } from '../../src/incidents/index.ts';
import { readConfig } from '../../src/config/index.ts';
import type { ResolvedJob } from '../../src/config/index.ts';
import { evaluateGuard, guardIncident } from '../../src/guards/index.ts';
import type { GuardRun } from '../../src/guards/index.ts';
import { markedBlocks } from '../support/marked-blocks.ts';
import { builtinKinds } from '../../src/kinds/index.ts';

const root = path.resolve(import.meta.dirname, '../..');
const markdown = readFileSync(path.join(root, 'docs/guards.md'), 'utf8');
const docEnv: Record<string, string> = {
  SLACK_WEBHOOK_URL: 'https://hooks.slack.com/services/T0/B0/x',
  PAGERDUTY_ROUTING_KEY: '0123456789abcdef0123456789abcdef',
  TENANTS: 'tenant_a,tenant_b',
};

const blocks = markedBlocks(markdown);
const folder = mkdtempSync(path.join(tmpdir(), 'cronplane-guards-doc-'));
const jobs = new Map<string, ResolvedJob>();
for (const block of blocks.filter((candidate) => candidate.marker === 'test: valid')) {
  const file = path.join(folder, `guards-${block.line}.yaml`);
  writeFileSync(file, block.text);
  for (const job of readConfig(file, { kinds: builtinKinds, env: docEnv }).jobs) jobs.set(job.name, job);
}

function sample(name: string): string {
  const block = blocks.find((candidate) => candidate.marker === `sample: ${name}`);
  assert.ok(block, `docs/guards.md has no <!-- sample: ${name} --> block`);
  return block.text;
}

/** An incident as the page prints it. */
function printed(incident: Incident): string {
  const details = Object.entries(incident.details ?? {})
    .map(([key, value]) => `${key}=${value}`)
    .join(' ');
  return [
    `kind:      ${incident.kind}`,
    `severity:  ${incident.severity}`,
    `dedup key: ${incident.dedupKey}`,
    `title:     ${incident.title}`,
    `summary:   ${incident.summary}`,
    `details:   ${details}`,
    '',
  ].join('\n');
}

function raised(
  jobName: string,
  guardName: string,
  run: GuardRun,
  value: number,
  history: number[],
): Incident {
  const guard = jobs.get(jobName)?.guards.get(guardName);
  assert.ok(guard, `docs/guards.md declares no guard ${guardName} on ${jobName}`);
  const evaluation = evaluateGuard(guard, value, history);
  assert.ok(evaluation.kind === 'breached', `${guardName} does not trip for ${value}`);
  return guardIncident({ name: guardName, guard, run, evaluation });
}

describe('docs/guards.md', () => {
  it('has example job files that validate, for seeds 000 and 001 and a median baseline', () => {
    assert.ok(blocks.filter((block) => block.marker === 'test: valid').length >= 3);
    assert.deepEqual([...jobs.keys()].sort(), ['ai-mkt-eval', 'sigmak-drift-review', 'warm-cache']);
    assert.equal(jobs.get('ai-mkt-eval')?.guards.get('refusal_spike')?.rise_by, 0.05);
    assert.equal(jobs.get('ai-mkt-eval')?.metrics.from, 'stdout_json');
  });

  it('shows what the refusal spike raises after ten nights at 0.02 and one at 0.12', () => {
    const history = Array.from({ length: 10 }, () => 0.02);
    const incident = raised(
      'ai-mkt-eval',
      'refusal_spike',
      { id: 11, job: 'ai-mkt-eval', fanKey: 'tenant_a' },
      0.12,
      history,
    );
    assert.equal(printed(incident), sample('refusal-spike'));
  });

  it('shows what the agreement guard raises for a rate of 0.71', () => {
    const incident = raised(
      'sigmak-drift-review',
      'agreement_rate_low',
      { id: 1, job: 'sigmak-drift-review', fanKey: '' },
      0.71,
      [],
    );
    assert.equal(printed(incident), sample('agreement-low'));
  });
});
