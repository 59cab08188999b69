import { execFile } from 'node:child_process';
import { userInfo } from 'node:os';
import { CronplaneError } from '../errors/index.ts';

/** Who a command runs as. */
export interface Identity {
  readonly name: string;
  readonly uid: number;
  readonly gid: number;
  readonly home: string;
  /** True when this is not the daemon's own identity (a switch is needed). */
  readonly switched: boolean;
}

/**
 * The user (and group) a command runs as, looked up in the system databases with `getent`
 * (so NSS sources such as LDAP count). Without `user` it is the daemon's own user. Only root can
 * switch; asking for another user otherwise, or for a user or group that does not exist, is an
 * error that says so.
 */
export async function resolveIdentity(
  user: string | undefined,
  group: string | undefined,
): Promise<Identity> {
  const self = userInfo();
  let identity: Identity = {
    name: self.username,
    uid: self.uid,
    gid: self.gid,
    home: self.homedir,
    switched: false,
  };
  if (user !== undefined) {
    const entry = await getent('passwd', user);
    if (entry === undefined) {
      throw new CronplaneError(
        'executor.user',
        `user "${user}" does not exist on this machine (getent passwd has no entry)`,
      );
    }
    const [name, , uid, gid, , home] = entry;
    identity = { name: name ?? user, uid: Number(uid), gid: Number(gid), home: home ?? '/', switched: false };
  }
  if (group !== undefined) {
    const entry = await getent('group', group);
    if (entry === undefined) {
      throw new CronplaneError(
        'executor.group',
        `group "${group}" does not exist on this machine (getent group has no entry)`,
      );
    }
    identity = { ...identity, gid: Number(entry[2]) };
  }
  const switched = identity.uid !== self.uid || identity.gid !== self.gid;
  if (switched && self.uid !== 0) {
    throw new CronplaneError(
      'executor.user',
      `cannot run as ${user ?? self.username}${group === undefined ? '' : `:${group}`}: the daemon runs as "${self.username}" (uid ${self.uid}) and only root can switch users`,
    );
  }
  return { ...identity, switched };
}

function getent(database: 'passwd' | 'group', key: string): Promise<string[] | undefined> {
  return new Promise((resolve, reject) => {
    execFile('getent', [database, key], { timeout: 10_000 }, (error, stdout) => {
      if (error === null) {
        const line = stdout.split('\n')[0] ?? '';
        resolve(line === '' ? undefined : line.split(':'));
        return;
      }
      // getent exits 2 when the key is not found.
      if (error.code === 2) {
        resolve(undefined);
        return;
      }
      reject(
        new CronplaneError('executor.user', `looking up ${database} entry "${key}" failed: ${error.message}`),
      );
    });
  });
}
