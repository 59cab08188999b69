/**
 * The Kubernetes CronJob importer: one case per construct of issue 14, the CronJobs of the seeds,
 * and bad manifests refused with file:line. Every imported job is loaded by the job file's loader.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { k8sImporter } from '../../src/interop/index.ts';
import type { ImportResult } from '../../src/interop/index.ts';
import { importErrorOf, loadOnlyJob, loadResult, onlyEntry, warningsOf } from './job-file-from-result.ts';
import { output } from './run-imported-command.ts';

/** A CronJob manifest around the given spec lines, job spec lines and container lines. */
function cronJob(parts: {
  spec?: string;
  job?: string;
  container?: string;
  pod?: string;
  name?: string;
}): string {
  return [
    'apiVersion: batch/v1',
    'kind: CronJob',
    'metadata:',
    `  name: ${parts.name ?? 'nightly'}`,
    'spec:',
    ...(parts.spec ?? '  schedule: "0 3 * * *"').split('\n'),
    '  jobTemplate:',
    '    spec:',
    ...(parts.job === undefined ? [] : parts.job.split('\n').map((line) => `      ${line}`)),
    '      template:',
    '        spec:',
    '          restartPolicy: OnFailure',
    ...(parts.pod === undefined ? [] : parts.pod.split('\n').map((line) => `          ${line}`)),
    '          containers:',
    '          - name: main',
    ...(parts.container ?? 'command: [/usr/bin/report]').split('\n').map((line) => `            ${line}`),
    '',
  ].join('\n');
}

function importText(text: string, file = 'k8s/cronjob.yaml'): ImportResult {
  return k8sImporter.importFiles([{ path: file, text }]);
}

const secrets = { DB_PASSWORD: 'pw', FEATURE: 'on', CRON_SECRET: 's', REDIS_URL: 'redis://x' };

describe('Kubernetes importer: constructs', () => {
  const cases: {
    name: string;
    manifest: string;
    expect: Readonly<Record<string, unknown>>;
    warning?: RegExp;
    comment?: RegExp;
  }[] = [
    {
      name: 'schedule: a cron line',
      manifest: cronJob({ spec: '  schedule: "*/15 9-17 * * MON-FRI"' }),
      expect: { schedule: '*/15 9-17 * * MON-FRI' },
    },
    {
      name: 'schedule: @hourly',
      manifest: cronJob({ spec: '  schedule: "@hourly"' }),
      expect: { schedule: '@hourly' },
    },
    {
      name: 'schedule: @every becomes an interval',
      manifest: cronJob({ spec: '  schedule: "@every 1h30m"' }),
      expect: { schedule: 'every 1h30m' },
    },
    {
      name: 'schedule: a CRON_TZ= prefix becomes timezone',
      manifest: cronJob({ spec: '  schedule: "CRON_TZ=Europe/Berlin 0 2 * * *"' }),
      expect: { schedule: '0 2 * * *', timezone: 'Europe/Berlin' },
    },
    {
      name: 'schedule: a TZ= prefix too',
      manifest: cronJob({ spec: '  schedule: "TZ=America/New_York 30 6 * * *"' }),
      expect: { schedule: '30 6 * * *', timezone: 'America/New_York' },
    },
    {
      name: 'timeZone becomes timezone',
      manifest: cronJob({ spec: '  schedule: "0 2 * * *"\n  timeZone: Asia/Tokyo' }),
      expect: { timezone: 'Asia/Tokyo' },
    },
    {
      name: "concurrencyPolicy absent is Kubernetes' Allow",
      manifest: cronJob({}),
      expect: { concurrency: 'allow' },
    },
    {
      name: 'concurrencyPolicy: Forbid',
      manifest: cronJob({ spec: '  schedule: "0 3 * * *"\n  concurrencyPolicy: Forbid' }),
      expect: { concurrency: 'forbid' },
    },
    {
      name: 'concurrencyPolicy: Replace',
      manifest: cronJob({ spec: '  schedule: "0 3 * * *"\n  concurrencyPolicy: Replace' }),
      expect: { concurrency: 'replace' },
    },
    {
      name: 'startingDeadlineSeconds becomes start_deadline',
      manifest: cronJob({ spec: '  schedule: "0 3 * * *"\n  startingDeadlineSeconds: 300' }),
      expect: { start_deadline: '5m' },
    },
    {
      name: 'suspend: true becomes enabled: false',
      manifest: cronJob({ spec: '  schedule: "0 3 * * *"\n  suspend: true' }),
      expect: { enabled: false },
    },
    {
      name: 'history limits are warnings',
      manifest: cronJob({
        spec: '  schedule: "0 3 * * *"\n  successfulJobsHistoryLimit: 3\n  failedJobsHistoryLimit: 1',
      }),
      expect: { schedule: '0 3 * * *' },
      warning: /cronjob\.yaml:8 failedJobsHistoryLimit: 1 keeps that many finished Jobs -> dropped/,
    },
    {
      name: 'backoffLimit becomes retry attempts (one more than the retries)',
      manifest: cronJob({ job: 'backoffLimit: 2' }),
      expect: { retry: { attempts: 3, backoff: 'exponential', delay: '10s', max_delay: '6m' } },
    },
    {
      name: 'backoffLimit: 0 is no retry',
      manifest: cronJob({ job: 'backoffLimit: 0' }),
      expect: { retry: undefined },
    },
    {
      name: "backoffLimit absent is Kubernetes' default 6",
      manifest: cronJob({}),
      expect: { retry: { attempts: 7, backoff: 'exponential', delay: '10s', max_delay: '6m' } },
      comment: /backoffLimit not set/,
    },
    {
      name: 'activeDeadlineSeconds becomes timeout',
      manifest: cronJob({ job: 'activeDeadlineSeconds: 3600' }),
      expect: { timeout: '1h' },
    },
    {
      name: 'command and args become one argument list',
      manifest: cronJob({ container: 'command: ["python", "-m", "app.cron"]\nargs: ["--since", "24h"]' }),
      expect: { run: ['python', '-m', 'app.cron', '--since', '24h'], shell: undefined },
    },
    {
      name: 'a sh -c script is kept as a shell line',
      manifest: cronJob({
        container: 'command: ["/bin/sh", "-c"]\nargs: ["pg_dump $DB | gzip > /backup/db.gz"]',
      }),
      expect: { run: 'pg_dump $DB | gzip > /backup/db.gz', shell: true },
    },
    {
      name: 'a bash -c script keeps bash, ${VAR} escaped as $${VAR}',
      manifest: cronJob({ container: 'command: ["bash", "-ec", "echo ${HOME} ${X:-none}"]' }),
      expect: { run: ['bash', '-ec', 'echo $${HOME} $${X:-none}'] },
    },
    {
      name: "$(NAME) of the container env is expanded as the shell's ${NAME}",
      manifest: cronJob({
        container:
          'command: ["/app/run", "--db=$(DB_HOST)", "$$(literal)"]\nenv:\n- name: DB_HOST\n  value: db',
      }),
      expect: { run: `/app/run --db="$\${DB_HOST}" '$(literal)'`, shell: true },
      warning: /Kubernetes expands \$\(NAME\)/,
    },
    {
      name: 'env values become env',
      manifest: cronJob({
        container: 'command: [/app/run]\nenv:\n- name: MODE\n  value: "fast"\n- name: COUNT\n  value: "3"',
      }),
      expect: { env: { MODE: 'fast', COUNT: '3' } },
    },
    {
      name: 'a secretKeyRef becomes a secret ${VAR} with a note saying where it lives',
      manifest: cronJob({
        container:
          'command: [/app/run]\nenv:\n- name: DB_PASSWORD\n  valueFrom:\n    secretKeyRef:\n      name: db-secrets\n      key: password',
      }),
      expect: { env: { DB_PASSWORD: { secret: '${DB_PASSWORD}' } } },
      warning:
        /cronjob\.yaml:16 DB_PASSWORD comes from Secret db-secrets, key password -> became \$\{DB_PASSWORD\}/,
      comment: /DB_PASSWORD: in the cluster, from Secret db-secrets, key password/,
    },
    {
      name: 'a configMapKeyRef becomes ${VAR} with a note',
      manifest: cronJob({
        container:
          'command: [/app/run]\nenv:\n- name: FEATURE\n  valueFrom:\n    configMapKeyRef:\n      name: settings\n      key: feature\n      optional: true',
      }),
      expect: { env: { FEATURE: '${FEATURE:-}' } },
      comment: /FEATURE: in the cluster, from ConfigMap settings, key feature/,
    },
    {
      name: 'a fieldRef is a warning',
      manifest: cronJob({
        container:
          'command: [/app/run]\nenv:\n- name: POD\n  valueFrom:\n    fieldRef:\n      fieldPath: metadata.name',
      }),
      expect: { env: undefined },
      warning: /POD comes from fieldRef, which only the cluster knows -> dropped/,
    },
    {
      name: 'image is a comment and a warning',
      manifest: cronJob({ container: 'image: busybox:1.36\ncommand: [/bin/date]' }),
      expect: { run: ['/bin/date'] },
      warning: /cronjob\.yaml:14 the command ran in the image busybox:1\.36 -> kept as a comment/,
      comment: /^image: busybox:1\.36$/,
    },
    {
      name: 'resource limits become limits, requests a comment',
      manifest: cronJob({
        container:
          'command: [/app/run]\nresources:\n  limits: { memory: 512Mi, cpu: 500m }\n  requests: { memory: 256Mi }',
      }),
      expect: { limits: { memory: '512M', cpu: '50%' } },
      warning: /resource requests reserve room on a node -> kept as a comment/,
    },
    {
      name: 'workingDir becomes cwd',
      manifest: cronJob({ container: 'command: [/app/run]\nworkingDir: /srv/app' }),
      expect: { cwd: '/srv/app' },
    },
    {
      name: 'pod and container settings without a counterpart are warnings',
      manifest: cronJob({
        pod: 'serviceAccountName: runner',
        container: 'command: [/app/run]\nvolumeMounts: []',
      }),
      expect: { run: ['/app/run'] },
      warning: /the pod's serviceAccountName has no counterpart on the host -> dropped/,
    },
  ];
  for (const item of cases) {
    it(item.name, () => {
      const result = importText(item.manifest);
      const entry = onlyEntry(result);
      for (const [key, value] of Object.entries(item.expect)) assert.deepEqual(entry[key], value, key);
      if (item.warning !== undefined) {
        assert.ok(
          warningsOf(result).some((line) => item.warning?.test(line)),
          warningsOf(result).join('\n'),
        );
      }
      if (item.comment !== undefined) {
        assert.ok(
          result.jobs[0]?.comments.some((line) => item.comment?.test(line)),
          result.jobs[0]?.comments.join('\n'),
        );
      }
      assert.equal(loadOnlyJob(result, secrets).name, 'nightly');
    });
  }

  it('loads what the cluster meant: a zone, a deadline, a secret, a shell line', () => {
    const job = loadOnlyJob(
      importText(
        cronJob({
          spec: '  schedule: "CRON_TZ=Europe/Berlin 0 2 * * *"\n  startingDeadlineSeconds: 120\n  suspend: true',
          job: 'backoffLimit: 1\nactiveDeadlineSeconds: 600',
          container:
            'command: ["sh", "-c", "echo $(DB_PASSWORD) | wc -c"]\nenv:\n- name: DB_PASSWORD\n  valueFrom:\n    secretKeyRef: { name: db, key: pw }',
        }),
      ),
      secrets,
    );
    assert.equal(job.timezone, 'Europe/Berlin');
    assert.equal(job.startDeadlineMs, 120_000);
    assert.equal(job.enabled, false);
    assert.equal(job.retry.attempts, 2);
    assert.equal(job.timeoutMs, 600_000);
    assert.deepEqual(job.target, { kind: 'command', argv: ['echo ${DB_PASSWORD} | wc -c'], shell: true });
    assert.equal(String(job.env['DB_PASSWORD']), '***');
  });

  it('reads many documents and a List, skipping other kinds with a warning', () => {
    const text = [
      cronJob({ name: 'first' }),
      '---',
      'apiVersion: v1\nkind: Secret\nmetadata: { name: s }\n',
      '---',
      `apiVersion: v1\nkind: List\nitems:\n- ${cronJob({ name: 'second' }).split('\n').join('\n  ')}`,
    ].join('\n');
    const result = importText(text);
    assert.deepEqual(
      result.jobs.map((job) => job.name),
      ['first', 'second'],
    );
    assert.ok(
      warningsOf(result).some((line) => /cronjob\.yaml:17 a Secret, not a CronJob -> skipped/.test(line)),
      warningsOf(result).join('\n'),
    );
    assert.equal(loadResult(result, secrets).jobs.length, 2);
  });

  it('refuses a schedule the calendar engine cannot read, naming file:line', () => {
    assert.match(
      importErrorOf(() => importText(cronJob({ spec: '  schedule: "0 25 * * *"' }))),
      /^k8s\/cronjob\.yaml:6: schedule "0 25 \* \* \*": /,
    );
  });

  it('refuses a missing schedule, an unknown zone and broken YAML, naming file:line', () => {
    assert.match(
      importErrorOf(() => importText(cronJob({ spec: '  suspend: false' }))),
      /^k8s\/cronjob\.yaml:\d+: spec\.schedule: a CronJob needs a schedule/,
    );
    assert.match(
      importErrorOf(() => importText(cronJob({ spec: '  schedule: "0 1 * * *"\n  timeZone: Mars/Olympus' }))),
      /^k8s\/cronjob\.yaml:6: the time zone Mars\/Olympus/,
    );
    assert.match(
      importErrorOf(() => importText('kind: CronJob\nspec: [unclosed\n')),
      /^k8s\/cronjob\.yaml:\d+: YAML: /,
    );
  });

  it("gives the program a command's {name} as written, by the crontab importer's escape ({''name} in a shell line)", () => {
    const argv = importText(cronJob({ container: `command: [/bin/echo, "{job}", "a {y}"]` }));
    assert.deepEqual(onlyEntry(argv)['run'], "/bin/echo '{''job}' 'a {''y}'");
    assert.equal(output(loadOnlyJob(argv)), '{job} a {y}\n');
    assert.ok(
      warningsOf(argv).some((line) =>
        /cronjob\.yaml:\d+ \{job\}, \{y\} would be read as a cronplane placeholder -> written \{''job\}/.test(
          line,
        ),
      ),
      warningsOf(argv).join('\n'),
    );
    const script = importText(cronJob({ container: `command: [/bin/sh, -c, "echo {job} '{x}' \\"{y}\\""]` }));
    assert.deepEqual(onlyEntry(script)['run'], `echo {''job} '{''x}' "{""y}"`);
    assert.equal(output(loadOnlyJob(script)), '{job} {x} {y}\n');
  });

  it('recognises CronJob manifests by their kind', () => {
    assert.equal(k8sImporter.recognises({ path: 'a.yaml', text: cronJob({}) }), true);
    assert.equal(k8sImporter.recognises({ path: 'a.yaml', text: 'kind: Deployment\n' }), false);
  });
});
