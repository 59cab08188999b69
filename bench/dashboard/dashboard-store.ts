/**
 * A store shaped like a busy installation, for the dashboard benchmark and its short test: a job
 * file of N jobs (one in ten fanned out over five tenants and reporting two metrics, one in
 * seven of the others reporting a latency) and M finished runs spread evenly over the last D
 * days, each with its transition rows, written in bulk by `INSERT ... SELECT` over a series of
 * numbers (a recursive CTE on SQLite, `generate_series` on PostgreSQL), 100,000 runs per
 * transaction, not through the engine one by one.
 *
 * Run `i` (0-based) belongs to job `i % N`, is that job's fire number `k = i / N`, and gets the
 * id `i + 1`. Everything else about it (fan-out key, status, duration, metrics) follows from `i`,
 * `k` and its job's number by the formulas below, which `expectedDashboardRun` repeats in
 * TypeScript so a test can check what the store reads back.
 */
import { DatabaseSync } from 'node:sqlite';
import pg from 'pg';
import { openStore } from '../../src/store/index.ts';

export interface DashboardScale {
  readonly jobs: number;
  readonly runs: number;
  readonly days: number;
  /** The end of the seeded period (epoch ms); the runs are scheduled before it. */
  readonly now: number;
}

export const dayMs = 86_400_000;
export const tenants = ['tenant-1', 'tenant-2', 'tenant-3', 'tenant-4', 'tenant-5'] as const;
/** Metrics of the fanned-out jobs (seed 000's rates, per tenant) and of the latency jobs. */
export const tenantMetrics = ['refusal_rate', 'citation_rate'] as const;
export const latencyMetric = 'latency_ms';
const batchRuns = 100_000;
const seedNode = 'seed-node';

/** `job-0001` … : the name of job number `j` (0-based). */
export function dashboardJobName(j: number): string {
  return `job-${String(j + 1).padStart(4, '0')}`;
}

export function isFannedJob(j: number): boolean {
  return j % 10 === 0;
}

export function hasLatencyMetric(j: number): boolean {
  return !isFannedJob(j) && j % 7 === 3;
}

/** The job file: daily schedules spread over the day (so few fire while a benchmark runs). */
export function dashboardJobFile(scale: Pick<DashboardScale, 'jobs'>): string {
  const lines = ['version: 1', 'timezone: UTC', 'jobs:'];
  for (let j = 0; j < scale.jobs; j++) {
    const minute = (j * 7) % 60;
    const hour = Math.floor((j * 7) / 60) % 24;
    lines.push(
      `  ${dashboardJobName(j)}:`,
      `    description: benchmark job ${j + 1}`,
      `    schedule: '${minute} ${hour} * * *'`,
      "    run: ['true']",
    );
    if (isFannedJob(j)) {
      lines.push(
        `    for_each: { tenant: [${tenants.join(', ')}] }`,
        '    metrics: stdout_json',
        '    guards:',
        '      refusal_high: { metric: refusal_rate, above: 0.09, per_key: true, severity: warning }',
        '      citation_drop: { metric: citation_rate, drop_by: 0.2, baseline: median, lookback: 10 }',
      );
    } else if (hasLatencyMetric(j)) {
      lines.push('    metrics: stdout_json');
    }
  }
  return `${lines.join('\n')}\n`;
}

/** The statuses runs end in, by `h = (k * 7919 + j * 337) % 1000` below each bound. */
const statusBounds = [
  [850, 'succeeded'],
  [920, 'failed'],
  [950, 'warning'],
  [965, 'timed_out'],
  [980, 'skipped'],
  [990, 'cancelled'],
  [996, 'critical'],
  [1000, 'lost'],
] as const;

type SeededStatus = (typeof statusBounds)[number][1];

const reasons: Partial<Record<SeededStatus, string>> = {
  skipped: 'previous run still running (concurrency: forbid)',
  cancelled: 'cancelled by bench',
  timed_out: 'timed out after 60s',
  lost: 'lease expired',
};

/** What run `i` of a seeded store is, computed the way the SQL computes it. */
export interface ExpectedRun {
  readonly id: number;
  readonly job: string;
  readonly fanKey: string;
  readonly status: SeededStatus;
  readonly trigger: 'schedule' | 'api';
  readonly scheduledAt: number;
  readonly startedAt: number | null;
  readonly finishedAt: number;
  /** Metric name → value, for runs that executed and report metrics. */
  readonly metrics: Readonly<Record<string, number>>;
}

function stepMs(scale: DashboardScale): number {
  return Math.floor((scale.days * dayMs) / scale.runs);
}

function fromMs(scale: DashboardScale): number {
  return scale.now - scale.runs * stepMs(scale);
}

export function expectedDashboardRun(scale: DashboardScale, i: number): ExpectedRun {
  const j = i % scale.jobs;
  const k = Math.floor(i / scale.jobs);
  const h = (k * 7919 + j * 337) % 1000;
  const status = statusBounds.find(([bound]) => h < bound)?.[1] ?? 'lost';
  const id = i + 1;
  const scheduledAt = fromMs(scale) + i * stepMs(scale);
  const executed = status !== 'skipped' && status !== 'cancelled';
  const startedAt = executed ? scheduledAt + 50 + (k % 20) : null;
  const durationMs = 200 + ((k * 131 + j * 17) % 600) * 100;
  const finishedAt =
    startedAt !== null ? startedAt + durationMs : status === 'cancelled' ? scheduledAt + 500 : scheduledAt;
  const reports =
    status === 'succeeded' || status === 'warning' || status === 'failed' || status === 'critical';
  const metrics: Record<string, number> = {};
  if (reports && isFannedJob(j)) {
    metrics['refusal_rate'] = ((id * 37) % 100) / 1000;
    metrics['citation_rate'] = (50 + ((id * 53) % 50)) / 100;
  } else if (reports && hasLatencyMetric(j)) {
    metrics[latencyMetric] = 80 + ((id * 13) % 120);
  }
  return {
    id,
    job: dashboardJobName(j),
    fanKey: isFannedJob(j) ? `tenant-${(k % 5) + 1}` : '',
    status,
    trigger: k % 20 === 7 ? 'api' : 'schedule',
    scheduledAt,
    startedAt,
    finishedAt,
    metrics,
  };
}

type Dialect = 'sqlite' | 'postgres';

/** The runs of ids `first + 1 … last + 1`, as one INSERT ... SELECT over a series of `i`. */
function insertRunsSql(dialect: Dialect, scale: DashboardScale, first: number, last: number): string {
  const series =
    dialect === 'sqlite'
      ? `WITH RECURSIVE series(i) AS (SELECT ${first} UNION ALL SELECT i + 1 FROM series WHERE i < ${last})`
      : '';
  const from =
    dialect === 'sqlite' ? 'series' : `generate_series(${first}::bigint, ${last}::bigint) AS series(i)`;
  const jobName =
    dialect === 'sqlite' ? `'job-' || printf('%04d', j + 1)` : `'job-' || lpad((j + 1)::text, 4, '0')`;
  const h = '(k * 7919 + j * 337) % 1000';
  const status = `CASE ${statusBounds.map(([bound, name]) => `WHEN ${h} < ${bound} THEN '${name}'`).join(' ')} END`;
  // One derived row per i: its job j, fire number k and times; the outer SELECT names columns.
  const derived = `SELECT i, i % ${scale.jobs} AS j, i / ${scale.jobs} AS k,
      ${fromMs(scale)} + i * ${stepMs(scale)} AS at FROM ${from}`;
  const withStatus = `SELECT i, j, k, at, ${status} AS status FROM (${derived}) AS d`;
  const executed = `status NOT IN ('skipped', 'cancelled')`;
  const startedAt = `CASE WHEN ${executed} THEN at + 50 + k % 20 END`;
  const finishedAt = `CASE WHEN ${executed} THEN at + 50 + k % 20 + 200 + ((k * 131 + j * 17) % 600) * 100
      WHEN status = 'cancelled' THEN at + 500 ELSE at END`;
  const reason = `CASE status ${Object.entries(reasons)
    .map(([name, text]) => `WHEN '${name}' THEN '${text.replaceAll("'", "''")}'`)
    .join(' ')} END`;
  return `${series}
    INSERT INTO runs (id, job, fan_key, "trigger", requested_by, scheduled_at, run_after, queued_at,
      started_at, finished_at, status, status_reason, status_seq, exit_code, error, node,
      lease_owner, lease_expires_at, fire_key)
    SELECT id, job, fan_key, "trigger", CASE WHEN "trigger" = 'api' THEN 'bench' END, at, at, at,
      started_at, finished_at, status, reason,
      CASE status WHEN 'skipped' THEN 1 WHEN 'cancelled' THEN 2 ELSE 3 END,
      CASE status WHEN 'succeeded' THEN 0 WHEN 'warning' THEN 0 WHEN 'failed' THEN 1 WHEN 'critical' THEN 2 END,
      CASE status WHEN 'failed' THEN 'exit code 1' WHEN 'critical' THEN 'exit code 2' END,
      CASE WHEN started_at IS NOT NULL THEN '${seedNode}' END,
      CASE WHEN started_at IS NOT NULL THEN '${seedNode}' END,
      CASE WHEN started_at IS NOT NULL THEN started_at + 60000 END,
      CASE WHEN "trigger" = 'schedule' THEN job || '|' || fan_key || '|' || at || '|1' END
    FROM (
      SELECT i + 1 AS id, ${jobName} AS job,
        CASE WHEN j % 10 = 0 THEN 'tenant-' || (k % 5 + 1) ELSE '' END AS fan_key,
        CASE WHEN k % 20 = 7 THEN 'api' ELSE 'schedule' END AS "trigger",
        at, status, ${startedAt} AS started_at, ${finishedAt} AS finished_at, ${reason} AS reason
      FROM (${withStatus}) AS s
    ) AS r
    ORDER BY id`;
}

/** Each run's changes of status, as the engine writes them: created, claimed, finished. */
function insertTransitionsSql(first: number, last: number): string {
  const range = `id BETWEEN ${first + 1} AND ${last + 1}`;
  return [
    `INSERT INTO run_transitions (run_id, seq, at, from_status, to_status, reason, node)
       SELECT id, 1, queued_at, NULL, CASE WHEN status = 'skipped' THEN 'skipped' ELSE 'pending' END,
         CASE WHEN status = 'skipped' THEN status_reason END, NULL
       FROM runs WHERE ${range}`,
    `INSERT INTO run_transitions (run_id, seq, at, from_status, to_status, reason, node)
       SELECT id, 2, coalesce(started_at, finished_at), 'pending',
         CASE WHEN status = 'cancelled' THEN 'cancelled' ELSE 'running' END,
         CASE WHEN status = 'cancelled' THEN status_reason END, node
       FROM runs WHERE ${range} AND status <> 'skipped'`,
    `INSERT INTO run_transitions (run_id, seq, at, from_status, to_status, reason, node)
       SELECT id, 3, finished_at, 'running', status, status_reason, node
       FROM runs WHERE ${range} AND status NOT IN ('skipped', 'cancelled')`,
  ].join(';\n');
}

function insertMetricsSql(scale: DashboardScale, first: number, last: number): string {
  const fanned: string[] = [];
  const latency: string[] = [];
  for (let j = 0; j < scale.jobs; j++) {
    if (isFannedJob(j)) fanned.push(`'${dashboardJobName(j)}'`);
    if (hasLatencyMetric(j)) latency.push(`'${dashboardJobName(j)}'`);
  }
  const reporting = `id BETWEEN ${first + 1} AND ${last + 1} AND status IN ('succeeded', 'warning', 'failed', 'critical')`;
  const statements: string[] = [];
  const insert = (jobs: string[], name: string, value: string) => {
    if (jobs.length === 0) return;
    statements.push(`INSERT INTO run_metrics (run_id, job, fan_key, name, value, at)
      SELECT id, job, fan_key, '${name}', ${value}, finished_at FROM runs
      WHERE ${reporting} AND job IN (${jobs.join(', ')})`);
  };
  insert(fanned, 'refusal_rate', '((id * 37) % 100) / 1000.0');
  insert(fanned, 'citation_rate', '(50 + (id * 53) % 50) / 100.0');
  insert(latency, latencyMetric, '80 + (id * 13) % 120');
  return statements.join(';\n');
}

export interface SeedTimes {
  readonly runsSeconds: number;
  readonly analyseSeconds: number;
  readonly transitions: number;
  readonly metrics: number;
}

interface SqlRunner {
  exec(sql: string): Promise<void>;
  count(table: string): Promise<number>;
  close(): Promise<void>;
}

async function connect(url: string): Promise<SqlRunner & { readonly dialect: Dialect }> {
  if (url.startsWith('sqlite:')) {
    const database = new DatabaseSync(url.slice('sqlite:'.length), { timeout: 5000 });
    return {
      dialect: 'sqlite',
      exec: (sql) => Promise.resolve(database.exec(sql)),
      count: (table) =>
        Promise.resolve(
          Number((database.prepare(`SELECT count(*) AS n FROM ${table}`).get() as { n: number }).n),
        ),
      close: () => Promise.resolve(database.close()),
    };
  }
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  return {
    dialect: 'postgres',
    exec: async (sql) => {
      await client.query(sql);
    },
    count: async (table) =>
      Number((await client.query<{ n: string }>(`SELECT count(*) AS n FROM ${table}`)).rows[0]?.n ?? 0),
    close: () => client.end(),
  };
}

/**
 * Migrates the store at `url` (which must hold no runs) and writes the scale's runs, their
 * transitions and metrics into it. The jobs themselves reach the store as the daemon or the CLI
 * reads the job file (`dashboardJobFile`).
 */
export async function seedDashboardStore(
  url: string,
  scale: DashboardScale,
  progress: (done: number) => void = () => undefined,
): Promise<SeedTimes> {
  await (await openStore(url)).release();
  const runner = await connect(url);
  try {
    if ((await runner.count('runs')) !== 0) throw new Error(`the store at ${url} already holds runs`);
    const begin = performance.now();
    for (let first = 0; first < scale.runs; first += batchRuns) {
      const last = Math.min(scale.runs, first + batchRuns) - 1;
      await runner.exec('BEGIN');
      await runner.exec(insertRunsSql(runner.dialect, scale, first, last));
      await runner.exec(insertTransitionsSql(first, last));
      await runner.exec(insertMetricsSql(scale, first, last));
      await runner.exec('COMMIT');
      progress(last + 1);
    }
    // The next run the engine inserts continues after the seeded ids.
    if (runner.dialect === 'postgres')
      await runner.exec(`SELECT setval(pg_get_serial_sequence('runs', 'id'), ${scale.runs})`);
    const runsSeconds = (performance.now() - begin) / 1000;
    const analyse = performance.now();
    await runner.exec(
      runner.dialect === 'postgres' ? 'VACUUM ANALYZE runs, run_transitions, run_metrics' : 'ANALYZE',
    );
    return {
      runsSeconds,
      analyseSeconds: (performance.now() - analyse) / 1000,
      transitions: await runner.count('run_transitions'),
      metrics: await runner.count('run_metrics'),
    };
  } finally {
    await runner.close();
  }
}
