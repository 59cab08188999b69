/**
 * The harness's own view of the store: a fresh database per run on the given server (created
 * and dropped here), and the few questions the harness asks it while the chaos goes on — who
 * leads, has anything fired since a time, are runs of dead nodes still marked running — plus
 * ending one node's connections. Measurements after the run read the same database
 * (`readChaosRecords`).
 */
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { leaderLeaseName } from '../../src/engine/index.ts';

/** Triggers that stand for a fire of a schedule. */
export const fireTriggers = ['schedule', 'catch-up'] as const;

export class ChaosDatabase {
  readonly url: string;
  readonly #serverUrl: string;
  readonly #name: string;
  readonly #client: pg.Client;

  private constructor(serverUrl: string, name: string, url: string, client: pg.Client) {
    this.#serverUrl = serverUrl;
    this.#name = name;
    this.url = url;
    this.#client = client;
  }

  /** Creates an empty database on the server (the first daemon migrates it). */
  static async create(serverUrl: string): Promise<ChaosDatabase> {
    const name = `cronplane_chaos_${randomBytes(5).toString('hex')}`;
    await withClient(serverUrl, (admin) => admin.query(`CREATE DATABASE ${name}`));
    const url = new URL(serverUrl);
    url.pathname = `/${name}`;
    const client = new pg.Client({ connectionString: url.toString(), application_name: 'chaos-harness' });
    await client.connect();
    return new ChaosDatabase(serverUrl, name, url.toString(), client);
  }

  query<Row extends pg.QueryResultRow>(text: string, values: readonly unknown[] = []): Promise<Row[]> {
    return this.#client.query<Row>(text, [...values]).then((result) => result.rows);
  }

  /** The node that holds a live scheduler lease at `now`, or undefined. */
  async leaderAt(now: number): Promise<string | undefined> {
    // The lease's owner is the holder's instance id; its node row gives the name.
    const rows = await this.query<{ owner: string; name: string | null; expires_at: string }>(
      'SELECT l.owner, n.name, l.expires_at FROM leases l LEFT JOIN nodes n ON n.instance_id = l.owner WHERE l.name = $1',
      [leaderLeaseName],
    );
    const row = rows[0];
    if (row === undefined || Number(row.expires_at) <= now) return undefined;
    return nodeOfLeaseOwner(row.owner, row.name);
  }

  /** The time the first fire after `after` was written (runs.queued_at), or undefined. */
  async firstFireAfter(after: number): Promise<number | undefined> {
    const rows = await this.query<{ at: string | null }>(
      'SELECT min(queued_at) AS at FROM runs WHERE "trigger" = ANY($1) AND queued_at > $2',
      [fireTriggers, after],
    );
    const at = rows[0]?.at;
    return at === null || at === undefined ? undefined : Number(at);
  }

  /**
   * Runs still marked running that started before `before`. After the last kill, those are the
   * dead processes' runs (the jobs run for seconds at most) until their lease runs out and the
   * lost-run sweep of a live node marks them lost.
   */
  async runningSince(before: number): Promise<number> {
    const rows = await this.query<{ count: string }>(
      "SELECT count(*) AS count FROM runs WHERE status = 'running' AND started_at < $1",
      [before],
    );
    return Number(rows[0]?.count ?? 0);
  }

  /** `pg_terminate_backend` of every connection with this application name; answers how many. */
  async terminateConnections(applicationName: string): Promise<number> {
    const rows = await this.query<{ ended: boolean }>(
      `SELECT pg_terminate_backend(pid) AS ended FROM pg_stat_activity
        WHERE datname = current_database() AND application_name = $1`,
      [applicationName],
    );
    return rows.filter((row) => row.ended).length;
  }

  /** Closes the harness's connection and drops the database (with whatever still uses it). */
  async drop(): Promise<void> {
    await this.#client.end().catch(() => undefined);
    await withClient(this.#serverUrl, (admin) =>
      admin.query(`DROP DATABASE IF EXISTS ${this.#name} WITH (FORCE)`),
    );
  }
}

/**
 * The node name behind a lease owner: owners are instance ids, named by their row in `nodes`
 * (an owner with no row, from an older version, is its own name).
 */
export function nodeOfLeaseOwner(owner: string, name: string | null): string {
  return name ?? owner;
}

async function withClient<T>(connectionString: string, work: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}
