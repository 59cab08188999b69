import { randomUUID } from 'node:crypto';
import { readlinkSync } from 'node:fs';
import { hostname } from 'node:os';

/** Who this process is, in the nodes table: a fresh instance id, with its name as a label. */
export interface NodeIdentity {
  /** A random UUID, new at every start: it owns this process's leases. */
  readonly instanceId: string;
  /** `--node`, by default the host name (the same across restarts, so a restart is recognised). */
  readonly name: string;
  readonly host: string;
  /** The host name and the pid namespace: two processes in one scope can see each other's pids. */
  readonly processScope: string;
  readonly pid: number;
}

/** This process's identity; `name` defaults to the host name. Reads the host, not the store. */
export function nodeIdentity(name?: string): NodeIdentity {
  const host = hostname();
  return {
    instanceId: randomUUID(),
    name: name ?? host,
    host,
    processScope: processScopeOf(host),
    pid: process.pid,
  };
}

/**
 * The host name and (on Linux) the pid namespace's inode, `host/pid:[4026531836]`: containers
 * that share a host name but not their pids are different scopes, so none of them judges another's
 * pid.
 */
export function processScopeOf(host: string): string {
  try {
    return `${host}/${readlinkSync('/proc/self/ns/pid')}`;
  } catch {
    return host;
  }
}

/** Whether a process with this pid lives (one we may not signal lives too). */
export function isProcessAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (thrown) {
    return (thrown as NodeJS.ErrnoException).code === 'EPERM';
  }
}
