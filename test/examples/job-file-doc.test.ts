import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, it } from 'node:test';
import { parse, stringify } from 'yaml';
import { ConfigError, readConfig } from '../../src/config/index.ts';
import { builtinKinds } from '../../src/kinds/index.ts';

/**
 * Keeps docs/job-file.md honest. Its YAML is marked with HTML comments the reader does not see:
 * `<!-- test: valid -->` before a complete file that must validate, `<!-- test: invalid -->`
 * before a broken file whose `cronplane validate` output is the next ```text block, and
 * `<!-- examples: CONTEXT -->` before a table whose Example column holds fragments (one or more
 * code spans) that must validate when placed in CONTEXT of a small job file (`schedule`: each
 * code span is one schedule string).
 */

const root = path.resolve(import.meta.dirname, '../..');
const docFile = 'docs/job-file.md';
const doc = readFileSync(path.join(root, docFile), 'utf8');
const lines = doc.split('\n');

/** The variables the doc's examples reference; a reader would have them in cronplane's environment. */
const docEnv: Record<string, string> = {
  SLACK_WEBHOOK_URL: 'https://hooks.slack.test/services/T0/B0/x',
  PAGERDUTY_ROUTING_KEY: 'pd-routing-key',
  SMTP_URL: 'smtp://mailer@localhost:25',
  CRON_SECRET: 'cron-secret',
  API_TOKEN: 'api-token',
  API_KEY: 'api-key',
  WEBHOOK_SIGNING_KEY: 'signing-key',
  DATABASE_URL: 'postgresql://localhost/app',
  TENANTS: 'tenant_a,tenant_b',
  DISCORD_WEBHOOK_URL: 'https://discord.test/api/webhooks/1/x',
  TEAMS_WEBHOOK_URL: 'https://teams.test/workflows/1/x',
  NTFY_TOPIC: 'cron-alerts-topic',
};

const folder = mkdtempSync(path.join(tmpdir(), 'cronplane-doc-'));
writeFileSync(
  path.join(folder, 'cron.env'),
  'TENANTS=tenant_a,tenant_b\nDATABASE_URL=postgresql://localhost/app\n',
);
let counter = 0;

interface Block {
  readonly line: number;
  readonly lang: string;
  readonly marker: string | undefined;
  readonly text: string;
}

function fencedBlocks(): Block[] {
  const blocks: Block[] = [];
  for (let index = 0; index < lines.length; index++) {
    const open = /^```(\S*)/.exec(lines[index] as string);
    if (open === null) continue;
    const start = index;
    const body: string[] = [];
    for (index++; index < lines.length && !(lines[index] as string).startsWith('```'); index++) {
      body.push(lines[index] as string);
    }
    let before = start - 1;
    while (before >= 0 && (lines[before] as string).trim() === '') before--;
    const marker = /^<!-- test: (\w+) -->$/.exec((lines[before] ?? '').trim())?.[1];
    blocks.push({ line: start + 1, lang: open[1] ?? '', marker, text: `${body.join('\n')}\n` });
  }
  return blocks;
}

interface Fragment {
  readonly line: number;
  readonly context: string;
  readonly snippets: readonly string[];
}

function tableFragments(): Fragment[] {
  const fragments: Fragment[] = [];
  lines.forEach((line, index) => {
    const marker = /^<!-- examples: (\w+) -->$/.exec(line.trim());
    if (marker === null) return;
    const header = cells(lines[index + 1] ?? '');
    const column = header.findIndex((title) => title.startsWith('Example'));
    assert.ok(
      column >= 0,
      `${docFile}:${index + 2}: the table after an examples marker needs an Example... column`,
    );
    for (let row = index + 3; row < lines.length && (lines[row] as string).startsWith('|'); row++) {
      const cell = cells(lines[row] as string)[column] ?? '';
      const snippets = [...cell.matchAll(/`([^`]+)`/g)].map((match) => match[1] as string);
      fragments.push({ line: row + 1, context: marker[1] as string, snippets });
    }
  });
  return fragments;
}

function cells(row: string): string[] {
  return row
    .replace(/^\|/, '')
    .replace(/\|$/, '')
    .split('|')
    .map((cell) => cell.trim());
}

const baseChannels = {
  ops: { slack: { webhook_url: '${SLACK_WEBHOOK_URL}' } },
  pager: { pagerduty: { routing_key: '${PAGERDUTY_ROUTING_KEY}' } },
  mail: { email: { to: 'ops@example.com', smtp_url: '${SMTP_URL}' } },
};

/** A small job file with the fragment placed where its table says it belongs. */
function fileFor(context: string, fragment: Record<string, unknown>): Record<string, unknown> {
  switch (context) {
    case 'top':
      return { version: 1, ...fragment };
    case 'defaults':
      return { version: 1, channels: baseChannels, defaults: fragment, jobs: { example: { run: 'true' } } };
    case 'job': {
      const target = ['run', 'http', 'module'].some((key) => key in fragment) ? {} : { run: 'true' };
      return {
        version: 1,
        channels: baseChannels,
        jobs: { extract: { run: 'true' }, example: { ...target, ...fragment } },
      };
    }
    case 'channel':
      return { version: 1, channels: fragment };
    case 'monitor':
      return { version: 1, channels: baseChannels, monitors: fragment };
    default:
      assert.fail(`unknown examples context "${context}"`);
  }
}

function validate(text: string): void {
  const file = path.join(folder, `example-${++counter}.yaml`);
  writeFileSync(file, text);
  try {
    readConfig(file, { kinds: builtinKinds, env: docEnv });
  } catch (thrown) {
    const detail = thrown instanceof ConfigError ? thrown.message : String(thrown);
    assert.fail(`${detail}\n--- the file:\n${text}`);
  }
}

const blocks = fencedBlocks();

describe(`the YAML in ${docFile}`, () => {
  it('marks every YAML block as a valid or an invalid example', () => {
    const yamlBlocks = blocks.filter((block) => block.lang === 'yaml');
    assert.ok(yamlBlocks.length >= 5);
    for (const block of yamlBlocks) {
      assert.ok(
        block.marker === 'valid' || block.marker === 'invalid',
        `${docFile}:${block.line}: a yaml block without <!-- test: valid --> or <!-- test: invalid -->`,
      );
    }
  });

  for (const block of blocks.filter((candidate) => candidate.marker === 'valid')) {
    it(`line ${block.line}: the example file validates`, () => {
      validate(block.text);
    });
  }

  for (const block of blocks.filter((candidate) => candidate.marker === 'invalid')) {
    it(`line ${block.line}: the broken example gives exactly the errors the doc shows, and exit code 2`, () => {
      const expected = blocks.find((candidate) => candidate.line > block.line && candidate.lang === 'text');
      assert.ok(
        expected,
        `${docFile}:${block.line}: an invalid example needs a \`\`\`text block with its output after it`,
      );
      const dir = path.join(folder, `invalid-${block.line}`);
      mkdirSync(dir);
      writeFileSync(path.join(dir, 'cronplane.yaml'), block.text);
      const result = spawnSync(
        path.join(root, 'node_modules/.bin/node'),
        [path.join(root, 'bin/cronplane.js'), 'validate', 'cronplane.yaml'],
        { cwd: dir, encoding: 'utf8', env: { PATH: process.env['PATH'] ?? '' } },
      );
      assert.equal(result.status, 2, result.stderr);
      assert.equal(result.stdout, '');
      assert.equal(
        result.stderr,
        expected.text,
        `${docFile}:${expected.line}: the output shown is not the real one`,
      );
    });
  }

  const fragments = tableFragments();
  it('has tested examples in the reference tables', () => {
    assert.ok(fragments.length >= 60, `only ${fragments.length} table rows with examples`);
    for (const fragment of fragments) {
      assert.ok(fragment.snippets.length > 0, `${docFile}:${fragment.line}: a table row without an example`);
    }
  });

  for (const fragment of fragments.filter((candidate) => candidate.context === 'schedule')) {
    for (const snippet of fragment.snippets) {
      it(`line ${fragment.line}: the schedule ${snippet} validates`, () => {
        const schedule: unknown = parse(snippet);
        assert.equal(typeof schedule, 'string', `not a string: ${snippet}`);
        validate(stringify({ version: 1, jobs: { example: { schedule, run: 'true' } } }));
      });
    }
  }

  for (const fragment of fragments.filter((candidate) => candidate.context !== 'schedule')) {
    it(`line ${fragment.line}: the ${fragment.context} example ${fragment.snippets.join(' + ')} validates`, () => {
      const merged: Record<string, unknown> = {};
      for (const snippet of fragment.snippets) {
        const value: unknown = parse(snippet);
        assert.ok(
          value !== null && typeof value === 'object' && !Array.isArray(value),
          `not a mapping: ${snippet}`,
        );
        Object.assign(merged, value);
      }
      validate(stringify(fileFor(fragment.context, merged)));
    });
  }
});
