import path from 'node:path';

/**
 * Whether a crontab file has cron's user field, by where it is: `/etc/crontab` (a file named
 * `crontab` in a folder named `etc`) and the files of a folder named `cron.d` are system crontabs;
 * anything else (`crontab -l` output, `/var/spool/cron/crontabs/NAME`) is a user's.
 */
export function isSystemCrontab(file: string): boolean {
  const parts = file.split(/[\\/]+/);
  const name = parts.at(-1);
  const folder = parts.at(-2);
  return (name === 'crontab' && folder === 'etc') || folder === 'cron.d';
}

/** Whether a path's name says crontab: `crontab`, `*.cron`, `*.crontab`, a file of `cron.d`. */
export function isCrontabName(file: string): boolean {
  const name = path.basename(file);
  return /crontab/i.test(name) || /\.cron$/i.test(name) || isSystemCrontab(file);
}
