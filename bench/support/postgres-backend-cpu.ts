import { readFileSync } from 'node:fs';
import pg from 'pg';

/** CPU time (user + system, ms) of each backend process of one database, by process id. */
export type BackendCpu = ReadonlyMap<number, number>;

/** Clock ticks per second of /proc/<pid>/stat's times (USER_HZ: 100 on Linux). */
const ticksPerSecond = 100;

/**
 * Reads the CPU time of every backend connected to `database` from /proc/<pid>/stat (the server
 * must run on this machine). A backend that ended before the reading is not in it.
 */
export async function readBackendCpu(adminUrl: string, database: string): Promise<BackendCpu> {
  const client = new pg.Client({ connectionString: adminUrl });
  await client.connect();
  try {
    const { rows } = await client.query<{ pid: number }>(
      'SELECT pid FROM pg_stat_activity WHERE datname = $1 AND pid <> pg_backend_pid()',
      [database],
    );
    const cpu = new Map<number, number>();
    for (const { pid } of rows) {
      const time = processCpuMs(pid);
      if (time !== undefined) cpu.set(pid, time);
    }
    return cpu;
  } finally {
    await client.end();
  }
}

/** The CPU used by the backends between two readings, ms (a backend new since `before` counts whole). */
export function backendCpuBetween(before: BackendCpu, after: BackendCpu): number {
  let total = 0;
  for (const [pid, time] of after) total += time - (before.get(pid) ?? 0);
  return total;
}

function processCpuMs(pid: number): number | undefined {
  let text: string;
  try {
    text = readFileSync(`/proc/${pid}/stat`, 'utf8');
  } catch {
    return undefined; // ended meanwhile
  }
  // Fields after the command name (which may hold spaces, in parentheses): utime is the 14th
  // field of the line, stime the 15th.
  const fields = text.slice(text.lastIndexOf(')') + 2).split(' ');
  return ((Number(fields[11]) + Number(fields[12])) * 1000) / ticksPerSecond;
}
