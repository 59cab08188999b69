/**
 * docs/deploy.md stays true: each `cronplane export --self` command it shows (the blocks marked
 * `sample: systemd-self` and `sample: k8s-self`) is run by the real command on a job file, and
 * writes exactly the files the page lists after it.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, it } from 'node:test';
import { markedBlocks } from '../support/marked-blocks.ts';
import { repositoryRoot, runCronplane } from '../support/run-cronplane.ts';

const markdown = readFileSync(path.join(repositoryRoot, 'docs/deploy.md'), 'utf8');
const lines = markdown.split('\n');

/** The files the page lists (`- \`NAME\`: ...`) between a block and the next code block. */
function listedAfter(fence: number): string[] {
  const rest = lines.slice(fence); // the block's body, its closing fence, then the page
  const after = rest.slice(rest.findIndex((text) => text.startsWith('```')) + 1);
  const section = after.slice(
    0,
    after.findIndex((text) => text.startsWith('```')),
  );
  const listed = section.flatMap((text) => /^- `([^`]+)`:/.exec(text)?.[1] ?? []).sort();
  assert.ok(listed.length > 0, `files listed after line ${fence}`);
  return listed;
}

describe('docs/deploy.md', () => {
  for (const name of ['systemd-self', 'k8s-self']) {
    it(`runs its ${name} command, which writes the files the page lists`, async () => {
      const block = markedBlocks(markdown).find((candidate) => candidate.marker === `sample: ${name}`);
      assert.ok(block !== undefined, `a block marked sample: ${name}`);
      const words = block.text.trim().split(/\s+/);
      assert.equal(words[0], 'cronplane');
      const folder = mkdtempSync(path.join(tmpdir(), 'cronplane-deploy-doc-'));
      const config = path.join(folder, 'cronplane.yaml');
      writeFileSync(config, 'version: 1\njobs:\n  hello:\n    schedule: "0 3 * * *"\n    run: echo hi\n');
      // The page's job file path stands for one here.
      const args = words.slice(1).map((word, index, all) => (all[index - 1] === '--config' ? config : word));
      const output = args[args.indexOf('-o') + 1] ?? '';
      const result = await runCronplane(args, { cwd: folder });
      assert.equal(result.code, 0, result.stderr);
      assert.deepEqual(readdirSync(path.join(folder, output)).sort(), listedAfter(block.line));
    });
  }
});
