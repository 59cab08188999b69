/**
 * The doc commands the docs tests do not run here, each with the reason. A `cronplane` command in
 * this list is still parsed against the real program; any other program is not ours to parse.
 * An entry that no page writes any more fails the test, so the list cannot outlive the docs.
 * `curl` to the daemon's default address (http://127.0.0.1:7070) is not here: it is run, on a
 * daemon of the test's own (doc-commands-run.test.ts).
 */
export interface AllowedCommand {
  /** The page that writes it. */
  readonly file: string;
  /** The command's words joined by single spaces (`DocCommand.text`), quotes removed. */
  readonly command: string;
  readonly reason: string;
}

const system = 'changes the machine (users, /etc, systemd units): not for a test run';
const docker =
  'needs a Docker daemon and builds an image; test/package/dockerfile.test.ts checks the Dockerfile';
const kubernetes = 'needs a Kubernetes cluster; test/cli/export-self.test.ts checks the manifests';

export const notRunHere: readonly AllowedCommand[] = [
  { file: 'README.md', command: 'npm install', reason: 'installs packages from the registry' },
  {
    file: 'docs/client.md',
    command: 'npm install cronplane',
    reason: 'installs from the registry; test/package/packed-package.test.ts installs the packed package',
  },
  {
    file: 'README.md',
    command: 'npm test',
    reason: 'the whole suite (15 minutes); it is what runs this test',
  },
  {
    file: 'docs/cluster.md',
    command:
      'cronplane start --config /etc/cronplane/cronplane.yaml --store postgres://cronplane@db.internal/cronplane --node $(hostname)',
    reason: 'three machines on the PostgreSQL host db.internal; test/cluster/ starts such nodes',
  },
  { file: 'docs/cluster.md', command: 'hostname', reason: 'names the machine; no cronplane in it' },
  {
    file: 'docs/cluster.md',
    command: 'cronplane nodes --store postgres://cronplane@db.internal/cronplane',
    reason: 'the PostgreSQL host db.internal; test/cli/nodes-command.test.ts runs `nodes`',
  },
  {
    file: 'docs/cluster.md',
    command: 'cronplane drain node-b',
    reason: 'node-b is a node of the page cluster; test/cli/nodes-command.test.ts drains one',
  },
  {
    file: 'docs/cluster.md',
    command: 'npm run chaos -- --nodes 3 --seconds 120 --kills 20 --seed 7',
    reason: 'two minutes of three nodes being killed: a harness, not a test',
  },
  {
    file: 'docs/cluster.md',
    command:
      'npm run chaos -- --nodes 3 --seconds 60 --kills 6 --json --strict --store postgres://user@db:5432/postgres',
    reason: 'a minute of chaos on the PostgreSQL host db',
  },
  {
    file: 'docs/deploy.md',
    command: 'sudo useradd --system --home-dir /var/lib/cronplane cronplane',
    reason: system,
  },
  {
    file: 'docs/deploy.md',
    command: 'sudo install -d -o cronplane -g cronplane /var/lib/cronplane',
    reason: system,
  },
  {
    file: 'docs/deploy.md',
    command: 'sudo install -m 0600 units/cronplane.env.example /etc/cronplane/cronplane.env',
    reason: system,
  },
  { file: 'docs/deploy.md', command: 'sudo cp units/cronplane.service /etc/systemd/system/', reason: system },
  {
    file: 'docs/deploy.md',
    command: 'systemd-analyze verify /etc/systemd/system/cronplane.service',
    reason: 'the installed unit; test/cli/export-self.test.ts verifies the written one',
  },
  { file: 'docs/deploy.md', command: 'sudo systemctl enable --now cronplane', reason: system },
  { file: 'docs/deploy.md', command: 'docker build -t cronplane:0.1.0 .', reason: docker },
  {
    file: 'docs/deploy.md',
    command: 'openssl rand -hex 32',
    reason: 'makes a random token; no cronplane in it',
  },
  {
    file: 'docs/deploy.md',
    command:
      'docker run -d --name cronplane -p 7070:7070 -v $PWD/cronplane.yaml:/etc/cronplane/cronplane.yaml:ro -v cronplane-data:/var/lib/cronplane -e CRONPLANE_TOKEN=$(openssl rand -hex 32) cronplane:0.1.0',
    reason: docker,
  },
  {
    file: 'docs/deploy.md',
    command: 'docker inspect --format {{.State.Health.Status}} cronplane',
    reason: docker,
  },
  { file: 'docs/deploy.md', command: 'docker stop -t 50 cronplane', reason: docker },
  { file: 'docs/deploy.md', command: 'kubectl apply -f deploy/', reason: kubernetes },
  { file: 'docs/deploy.md', command: 'kubectl rollout status deployment/cronplane', reason: kubernetes },
  { file: 'docs/deploy.md', command: 'kubectl port-forward service/cronplane 7070:7070', reason: kubernetes },
  {
    file: 'docs/interop.md',
    command: 'aws scheduler create-schedule --cli-input-json file://NAME.json',
    reason: 'needs an AWS account; test/interop/ checks the written JSON',
  },
  {
    file: 'docs/monitors.md',
    command: 'curl -fsS -m 10 --retry 3 $PING',
    reason: 'a job elsewhere pinging cron.example.com; test/monitor/ sends these pings',
  },
  {
    file: 'docs/monitors.md',
    command: 'curl -fsS -m 10 $PING/start?rid=$RID',
    reason: 'a ping to cron.example.com',
  },
  {
    file: 'docs/monitors.md',
    command: 'curl -fsS -m 10 --data-binary @/var/log/backup.log $PING/$?',
    reason: 'a ping to cron.example.com',
  },
  { file: 'docs/monitors.md', command: 'curl -fsS -m 10 $PING/fail', reason: 'a ping to cron.example.com' },
  { file: 'docs/store.md', command: 'ls /etc/postgresql', reason: 'part of starting the local PostgreSQL' },
  {
    file: 'docs/store.md',
    command: 'pg_ctlcluster --skip-systemctl-redirect $(ls /etc/postgresql) main start',
    reason: 'starts the machine PostgreSQL server',
  },
  {
    file: 'docs/store.md',
    command: 'node_modules/.bin/node --test test/store/postgres.test.ts',
    reason: 'the store suite on PostgreSQL: a test of its own',
  },
];

/** Text in the pages that reads `cronplane WORD` and is not a command. */
export const notCommands: readonly AllowedCommand[] = [
  {
    file: 'docs/interop.md',
    command: 'cronplane job NAME',
    reason: 'the Description an EventBridge schedule gets when its job has none',
  },
];

/**
 * Doc commands that another test runs already (the blocks with a `sample:` marker): the named
 * test file must still read that marker.
 */
export const runElsewhere: readonly { readonly marker: string; readonly test: string }[] = [
  { marker: 'sample: operator-session', test: 'test/cli/operator-suite.ts' },
  { marker: 'sample: systemd-self', test: 'test/cli/deploy-doc.test.ts' },
  { marker: 'sample: k8s-self', test: 'test/cli/deploy-doc.test.ts' },
];
