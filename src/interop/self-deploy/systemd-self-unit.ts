/**
 * `cronplane export --to systemd --self`: `cronplane.service`, the daemon of one node as a
 * systemd service, and `cronplane.env.example`, the environment file it reads (the store URL and
 * the API token live there, never in the unit). See docs/deploy.md "systemd".
 */
import { defaultSettings } from '../../settings/index.ts';
import type { ExportResult, ExportWarning } from '../export-result.ts';
import { execWords } from '../systemd-export/index.ts';
import { deployedStoreUrl } from './deployed-store-url.ts';
import type { SystemdSelfOptions } from './self-deploy-options.ts';
import { selfNames } from './self-names.ts';

/** SIGTERM drains for --shutdown-timeout, then the daemon's watchdog allows 15 s more: stop after both. */
export const stopTimeoutSeconds = Math.ceil(defaultSettings.shutdownTimeoutMs / 1000) + 20;

export function systemdSelfUnit(options: SystemdSelfOptions): ExportResult {
  const warnings: ExportWarning[] = [];
  const warn = (message: string, action: string) => warnings.push({ job: null, message, action });
  const sqlite = `sqlite:${options.dataDir}/cronplane.db`;
  const store = deployedStoreUrl(options.storeUrl, sqlite);
  if (!store.postgres && options.storeUrl !== sqlite)
    warn(
      `the store here is ${options.storeUrl}, outside the unit's one writable folder`,
      `${selfNames.envExample} names ${sqlite}; move the database there or set a PostgreSQL URL`,
    );
  if (store.passwordReplaced)
    warn(
      'the store URL holds a password, which is never written into a file',
      `${selfNames.envExample} says ${store.url}: put the password in ${selfNames.envFile}`,
    );
  if (options.switchesUsers)
    warn(
      `some jobs say user:, and only a daemon running as root can switch users`,
      `the unit runs as User=${options.user}: those jobs fail until it runs as root (User=root)`,
    );
  const start = execWords([
    options.nodePath,
    options.binPath,
    'start',
    '--config',
    options.configPath,
    '--node',
  ]);
  const node = options.node === undefined ? '%H' : execWords([options.node]);
  const unit = [
    '# cronplane, one node: written by cronplane export --to systemd --self (docs/deploy.md)',
    '[Unit]',
    `Description=cronplane daemon (node ${options.node === undefined ? '%H' : options.node.replaceAll('%', '%%')})`,
    'Wants=network-online.target',
    'After=network-online.target',
    '',
    '[Service]',
    'Type=simple',
    `User=${options.user}`,
    `WorkingDirectory=${options.dataDir}`,
    '# CRONPLANE_STORE (and CRONPLANE_TOKEN, an admin token) come from here, never from this file',
    `EnvironmentFile=${selfNames.envFile}`,
    `ExecStart=${start} ${node}`,
    '# SIGHUP re-reads the job file',
    'ExecReload=/bin/kill -HUP $MAINPID',
    '# SIGTERM to the daemon alone: it drains its running jobs, then stops them itself',
    'KillMode=mixed',
    `TimeoutStopSec=${stopTimeoutSeconds}s`,
    'Restart=on-failure',
    'RestartSec=5s',
    '# Hardening. The jobs run inside these limits too: add the folders they write to ReadWritePaths=.',
    'NoNewPrivileges=true',
    'ProtectSystem=strict',
    `ReadWritePaths=${options.dataDir}`,
    'PrivateTmp=true',
    'ProtectKernelTunables=true',
    'ProtectKernelModules=true',
    'ProtectControlGroups=true',
    'RestrictSUIDSGID=true',
    'LockPersonality=true',
    '',
    '[Install]',
    'WantedBy=multi-user.target',
    '',
  ];
  const env = [
    `# The environment of ${selfNames.unit}: copy to ${selfNames.envFile}, owner root, mode 0600.`,
    '# The store every node of a cluster shares (a PostgreSQL URL, its password included, or a SQLite file).',
    `CRONPLANE_STORE=${store.url}`,
    '# An admin token for the API (optional), for example: openssl rand -hex 32',
    '#CRONPLANE_TOKEN=',
    `# Where the API listens (default ${defaultSettings.listen}, this machine only).`,
    `#CRONPLANE_LISTEN=${defaultSettings.listen}`,
    '',
  ];
  return {
    files: [
      { path: selfNames.unit, text: unit.join('\n') },
      { path: selfNames.envExample, text: env.join('\n') },
    ],
    warnings,
  };
}
