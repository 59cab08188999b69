/**
 * `npm run chaos`: several `cronplane start` daemons on one PostgreSQL database, disrupted at
 * random (kill -9, the leader half the time; SIGTERM; connection kills; SIGHUP; job-file edits),
 * then measured from the store: expected against recorded fires, duplicates, real gaps and
 * whether they were reported, false missed-fire reports, failover, fire lag, spread per node.
 * Exits 1 when a hard property fails (2 when the harness itself could not run).
 *
 *   npm run chaos -- --nodes 3 --seconds 120 --kills 20 --seed 7 [--store postgres://...] [--json] [--strict]
 *
 * Also: --stops N, --connection-kills N, --sighups N, --edits N, --enqueue-rate N (items a second),
 * --daemon-args "--lease 5000" (more `cronplane start` arguments), --settle-timeout S,
 * --keep-logs DIR (each node's output, for looking up what the report names).
 */
import { postgresTestUrl } from '../../test/support/postgres.ts';
import { numberFlag, stringFlag } from '../support/machine.ts';
import { chaosFailures, chaosJson, chaosText } from './chaos-report.ts';
import { runChaos } from './run-chaos.ts';

async function main(): Promise<number> {
  const kills = numberFlag('kills', 20);
  const json = process.argv.includes('--json');
  const strict = process.argv.includes('--strict');
  const daemonArgs = daemonArgsFlag();
  const run = await runChaos({
    nodes: numberFlag('nodes', 3),
    seconds: numberFlag('seconds', 120),
    kills,
    stops: numberFlag('stops', Math.max(1, Math.round(kills / 5))),
    connectionKills: numberFlag('connection-kills', Math.max(1, Math.round(kills / 4))),
    sighups: numberFlag('sighups', Math.max(1, Math.round(kills / 4))),
    edits: numberFlag('edits', Math.max(1, Math.round(kills / 10))),
    seed: numberFlag('seed', Date.now() % 100_000),
    serverUrl: stringFlag('store', postgresTestUrl),
    daemonArgs,
    enqueuePerSecond: numberFlag('enqueue-rate', 2),
    minDownMs: 1000,
    restartAfterMs: 30_000,
    settleTimeoutMs: numberFlag('settle-timeout', 90) * 1000,
    ...(process.argv.includes('--keep-logs') ? { keepLogs: stringFlag('keep-logs', '') } : {}),
    progress: (line) => process.stderr.write(`chaos: ${line}\n`),
  });
  console.log(json ? chaosJson(run, strict) : chaosText(run, strict));
  return chaosFailures(run, strict).length === 0 ? 0 : 1;
}

/** `--daemon-args "--lease 5000 ..."`: its value starts with `--`, which stringFlag refuses. */
function daemonArgsFlag(): string[] {
  const index = process.argv.indexOf('--daemon-args');
  if (index === -1) return [];
  const value = process.argv[index + 1];
  if (value === undefined) throw new Error('--daemon-args needs a value');
  return value.split(' ').filter((arg) => arg !== '');
}

main().then(
  (code) => process.exit(code),
  (thrown: unknown) => {
    console.error('chaos: the harness failed:', thrown);
    process.exit(2);
  },
);
