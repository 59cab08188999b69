/**
 * The Kubernetes CronJob exporter: one case per field of the mapping, and every manifest checked
 * against Kubernetes' batch/v1 CronJob schema (kubernetes-schema.ts) and the shape below.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parseAllDocuments } from 'yaml';
import { dnsLabel, k8sExporter, placeholderImage } from '../../src/interop/index.ts';
import type { ExportResult } from '../../src/interop/index.ts';
import { loadJob } from './export-fixtures.ts';
import { validateManifest } from './kubernetes-schema.ts';
import { assertPreStepsGuardTheCommand } from './pre-steps-check.ts';

type Manifest = {
  apiVersion: string;
  kind: string;
  metadata: { name: string };
  spec: {
    schedule: string;
    timeZone?: string;
    concurrencyPolicy?: string;
    startingDeadlineSeconds?: number;
    suspend?: boolean;
    jobTemplate: {
      spec: {
        backoffLimit?: number;
        activeDeadlineSeconds?: number;
        template: {
          spec: {
            restartPolicy: string;
            containers: {
              name: string;
              image: string;
              command: string[];
              env?: {
                name: string;
                value?: string;
                valueFrom?: { secretKeyRef: { name: string; key: string } };
              }[];
            }[];
          };
        };
      };
    };
  };
};

/** Each file's one document, checked against the CronJob shape Kubernetes accepts. */
function manifests(result: ExportResult): Manifest[] {
  return result.files.map((file) => {
    const documents = parseAllDocuments(file.text);
    assert.ok(!(documents instanceof Array) || documents.length === 1, `${file.path}: one document`);
    const manifest = (Array.isArray(documents) ? documents[0] : documents)?.toJS() as Manifest;
    validateManifest(manifest, file.path);
    checkCronJob(manifest, file.path);
    return manifest;
  });
}

function checkCronJob(m: Manifest, where: string): void {
  assert.equal(m.apiVersion, 'batch/v1', where);
  assert.equal(m.kind, 'CronJob', where);
  assert.match(m.metadata.name, /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/, `${where}: DNS-1123 name`);
  assert.ok(m.metadata.name.length <= 52, `${where}: name of at most 52`);
  assert.match(m.spec.schedule, /^\S+ \S+ \S+ \S+ \S+$/, `${where}: five-field schedule`);
  if (m.spec.concurrencyPolicy !== undefined)
    assert.ok(['Allow', 'Forbid', 'Replace'].includes(m.spec.concurrencyPolicy), where);
  for (const key of ['startingDeadlineSeconds'] as const)
    if (m.spec[key] !== undefined) assert.ok(Number.isInteger(m.spec[key]) && (m.spec[key] ?? 0) > 0, where);
  const job = m.spec.jobTemplate.spec;
  if (job.backoffLimit !== undefined) assert.ok(Number.isInteger(job.backoffLimit) && job.backoffLimit >= 0);
  if (job.activeDeadlineSeconds !== undefined) assert.ok(job.activeDeadlineSeconds > 0);
  const pod = job.template.spec;
  assert.ok(['Never', 'OnFailure'].includes(pod.restartPolicy), `${where}: a Job's restartPolicy`);
  assert.equal(pod.containers.length, 1);
  const container = pod.containers[0];
  assert.ok(container !== undefined && container.name !== '' && container.image !== '');
  assert.ok(container.command.every((word) => typeof word === 'string'));
  for (const variable of container.env ?? [])
    assert.ok(
      (variable.value === undefined) !== (variable.valueFrom === undefined),
      `${where}: value or valueFrom`,
    );
  const known = new Set(['apiVersion', 'kind', 'metadata', 'spec']);
  for (const key of Object.keys(m)) assert.ok(known.has(key), `${where}: unknown key ${key}`);
}

/** The parts of a CronJob these tests read. */
interface CronJobShape {
  spec: {
    jobTemplate: {
      spec: {
        template: {
          spec: { containers: { command?: string[]; env?: { name: string; value?: string }[] }[] };
        };
      };
    };
  };
}

function exportOne(lines: string, name?: string) {
  const { job, file } = loadJob(lines, name);
  const result = k8sExporter.exportJobs([job], { configPath: file });
  const warnings = result.warnings.map((w) => `${w.message} (${w.action})`).join('\n');
  return { result, list: manifests(result), warnings };
}

describe('k8s exporter', () => {
  it('writes $( as $$( in command words and env values, so Kubernetes passes it on instead of expanding it', () => {
    const { list } = exportOne(
      'schedule: "0 0 * * *"\nrun: ["echo", "$(date)"]\nenv: { STAMP: "at $(date)" }',
    );
    const container = (list[0] as unknown as CronJobShape).spec.jobTemplate.spec.template.spec.containers[0];
    assert.deepEqual(container?.command, ['echo', '$$(date)']);
    assert.deepEqual(container?.env, [{ name: 'STAMP', value: 'at $$(date)' }]);
  });

  it('maps schedule, zone, concurrency, start deadline, retries and timeout to their CronJob fields', () => {
    const { list, warnings } = exportOne(
      'schedule: "Mon..Fri *-*-* 06:30:00"\ntimezone: Europe/Berlin\nrun: ["report", "--all"]\n' +
        'concurrency: replace\nstart_deadline: 5m\nretry: { attempts: 4 }\ntimeout: 90s',
    );
    assert.equal(list.length, 1);
    const m = list[0];
    assert.equal(m?.metadata.name, 'nightly');
    assert.equal(m?.spec.schedule, '30 6 * * 1-5');
    assert.equal(m?.spec.timeZone, 'Europe/Berlin');
    assert.equal(m?.spec.concurrencyPolicy, 'Replace');
    assert.equal(m?.spec.startingDeadlineSeconds, 300);
    assert.equal(m?.spec.jobTemplate.spec.backoffLimit, 3);
    assert.equal(m?.spec.jobTemplate.spec.activeDeadlineSeconds, 90);
    const pod = m?.spec.jobTemplate.spec.template.spec;
    assert.equal(pod?.restartPolicy, 'Never');
    assert.deepEqual(pod?.containers[0]?.command, ['report', '--all']);
    assert.equal(pod?.containers[0]?.image, placeholderImage);
    assert.match(warnings, /image: REPLACE-ME:latest/);
  });

  const policies: [string, string][] = [
    ['allow', 'Allow'],
    ['forbid', 'Forbid'],
    ['replace', 'Replace'],
    ['queue', 'Forbid'],
  ];
  for (const [policy, expected] of policies) {
    it(`concurrency ${policy} becomes ${expected}`, () => {
      const { list, warnings } = exportOne(`schedule: "0 3 * * *"\nrun: x\nconcurrency: ${policy}`);
      assert.equal(list[0]?.spec.concurrencyPolicy, expected);
      if (policy === 'queue') assert.match(warnings, /queue has no CronJob policy/);
    });
  }

  it('suspends a disabled job', () => {
    assert.equal(exportOne('schedule: "0 3 * * *"\nrun: x\nenabled: false').list[0]?.spec.suspend, true);
  });

  it('runs a shell script as /bin/sh -c', () => {
    const { list } = exportOne('schedule: "0 3 * * *"\nshell: true\nrun: "a | b"');
    assert.deepEqual(list[0]?.spec.jobTemplate.spec.template.spec.containers[0]?.command, [
      '/bin/sh',
      '-c',
      'a | b',
    ]);
  });

  it('reads a secret from the Secret <job>-secrets, never writing its value', () => {
    const { result, list, warnings } = exportOne(
      'schedule: "0 3 * * *"\nrun: x\nenv: { HOST: db, TOKEN: { secret: "s3cr3t-value" } }',
    );
    assert.deepEqual(list[0]?.spec.jobTemplate.spec.template.spec.containers[0]?.env, [
      { name: 'HOST', value: 'db' },
      { name: 'TOKEN', valueFrom: { secretKeyRef: { name: 'nightly-secrets', key: 'TOKEN' } } },
    ]);
    assert.doesNotMatch(JSON.stringify(result), /s3cr3t-value/);
    assert.match(warnings, /TOKEN is a secret.*nightly-secrets/);
  });

  it('names the CronJob after the job as DNS-1123, at most 52 characters, with a warning when changed', () => {
    const long = `nightly_report.${'x'.repeat(60)}`;
    const { list, warnings } = exportOne('schedule: "0 3 * * *"\nrun: x', long);
    assert.equal(list[0]?.metadata.name, dnsLabel(long));
    assert.equal(list[0]?.metadata.name.length, 52);
    assert.match(list[0]?.metadata.name ?? '', /^nightly-report-x+$/);
    assert.match(warnings, /not a DNS-1123 name/);
  });

  it('writes one CronJob per fan-out key, and per schedule', () => {
    const { list } = exportOne(
      'schedule: ["0 3 * * *", "every 30m"]\nrun: "report {tenant}"\nfor_each: { tenant: [acme, globex] }',
    );
    assert.deepEqual(
      list.map((m) => [
        m.metadata.name,
        m.spec.schedule,
        m.spec.jobTemplate.spec.template.spec.containers[0]?.command,
      ]),
      [
        ['nightly-acme', '0 3 * * *', ['report', 'acme']],
        ['nightly-globex', '0 3 * * *', ['report', 'globex']],
        ['nightly-2-acme', '*/30 * * * *', ['report', 'acme']],
        ['nightly-2-globex', '*/30 * * * *', ['report', 'globex']],
      ],
    );
  });

  it("runs an HTTP job as its curl line in curl's image, the bearer token from the job's Secret", () => {
    const { result, list, warnings } = exportOne(
      'schedule: "0 3 * * *"\nhttp: { url: "https://api.example/reset", method: POST, bearer: "s3cr3t-token" }',
    );
    const container = list[0]?.spec.jobTemplate.spec.template.spec.containers[0];
    assert.equal(container?.image, 'curlimages/curl:latest');
    assert.equal(container?.command[0], '/bin/sh');
    assert.match(
      container?.command[2] ?? '',
      /^curl .*'Authorization: Bearer '"\$CRON_SECRET" .*--url https:\/\/api\.example\/reset$/,
    );
    assert.deepEqual(container?.env, [
      { name: 'CRON_SECRET', valueFrom: { secretKeyRef: { name: 'nightly-secrets', key: 'CRON_SECRET' } } },
    ]);
    assert.doesNotMatch(JSON.stringify(result), /s3cr3t-token/);
    assert.match(warnings, /CRON_SECRET is a secret/);
  });

  it('leaves out a schedule a CronJob cannot say, with a warning', () => {
    const { list, warnings } = exportOne('schedule: ["@reboot", "*-*-* 03:00:30"]\nrun: x');
    assert.equal(list.length, 0);
    assert.match(warnings, /no start-up trigger/);
    assert.match(warnings, /seconds other than 0/);
  });
});

describe('k8s exporter: pre steps, dry-run variable, body checks, alert and skipped fires', () => {
  it('joins the pre: steps before the command in its /bin/sh -c line: the command does not run when a step fails', () => {
    assertPreStepsGuardTheCommand((lines) => {
      const { list } = exportOne(lines);
      return list[0]?.spec.jobTemplate.spec.template.spec.containers[0]?.command ?? [];
    });
  });

  it('passes the dry_run.env variable at the value a scheduled run gets', () => {
    const { list } = exportOne(
      'schedule: "0 3 * * *"\nrun: clean\ndry_run: { default: true, env: CLEANER_DRY_RUN }',
    );
    assert.deepEqual(list[0]?.spec.jobTemplate.spec.template.spec.containers[0]?.env, [
      { name: 'CLEANER_DRY_RUN', value: 'true' },
    ]);
  });

  it('warns that a dry-by-default command runs without CRONPLANE_DRY_RUN=1', () => {
    const { warnings } = exportOne('schedule: "0 3 * * *"\nrun: clean\ndry_run: true');
    assert.match(
      warnings,
      /dry_run: the runs of the job are dry .*\(the command runs without CRONPLANE_DRY_RUN=1/,
    );
  });

  it('gives the container CRONPLANE_MAX_PER_RUN and warns that cooldown is left out', () => {
    const { list, warnings } = exportOne(
      'schedule: "0 3 * * *"\nrun: sync --limit {max_per_run}\nmax_per_run: 25\ncooldown: 6h',
    );
    assert.match(warnings, /a CronJob cannot say [^\n]*cooldown/);
    const container = (list[0] as unknown as CronJobShape).spec.jobTemplate.spec.template.spec.containers[0];
    assert.deepEqual(container?.command, ['sync', '--limit', '25']);
    assert.deepEqual(container?.env, [{ name: 'CRONPLANE_MAX_PER_RUN', value: '25' }]);
  });

  it('warns about expect_body, alert: and watch.skipped_fires', () => {
    const http = exportOne(
      'schedule: "0 3 * * *"\nhttp: { url: "http://127.0.0.1:9/", expect_body: { contains: ok } }',
    );
    assert.match(http.warnings, /expect_body \(body contains "ok"\): curl cannot check the response body/);
    const other = exportOne(
      'schedule: "0 3 * * *"\nrun: clean\nalert: { message: "{rows} rows" }\nwatch: { skipped_fires: 2 }',
    );
    assert.match(
      other.warnings,
      /a CronJob cannot say watch rules \(skipped_fires\), alert evidence \(alert:\)/,
    );
  });
});
