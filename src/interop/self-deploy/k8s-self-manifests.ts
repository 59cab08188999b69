/**
 * `cronplane export --to k8s --self [--replicas N]`: cronplane itself on Kubernetes, N nodes on
 * one PostgreSQL store (docs/cluster.md): a Secret (store URL, API token, the variables the job
 * file reads), a ConfigMap with the job file, a Deployment and a Service for the API and
 * dashboard. One file and one document per object. See docs/deploy.md "Kubernetes".
 */
import { createHash } from 'node:crypto';
import { stringify } from 'yaml';
import { defaultSettings } from '../../settings/index.ts';
import { substituteEnv } from '../../config/index.ts';
import { CronplaneError } from '../../errors/index.ts';
import type { ExportResult, ExportWarning } from '../export-result.ts';
import { deployedStoreUrl, passwordPlaceholder } from './deployed-store-url.ts';
import type { KubernetesSelfOptions } from './self-deploy-options.ts';
import { selfNames } from './self-names.ts';
import { stopTimeoutSeconds } from './systemd-self-unit.ts';

/** The port of the default listen address (`127.0.0.1:7070`): the container listens on it on every address. */
export const apiPort = Number(defaultSettings.listen.slice(defaultSettings.listen.lastIndexOf(':') + 1));

/** What the daemon reads from the Secret itself (src/settings): the store and the bootstrap token. */
const storeVariable = 'CRONPLANE_STORE';
const tokenVariable = 'CRONPLANE_TOKEN';

export function k8sSelfManifests(options: KubernetesSelfOptions): ExportResult {
  const warnings: ExportWarning[] = [];
  const warn = (message: string, action: string) => warnings.push({ job: null, message, action });
  const labels = { 'app.kubernetes.io/name': selfNames.app };

  const placeholderStore = `postgres://cronplane:${passwordPlaceholder}@postgres:5432/cronplane`;
  const store = deployedStoreUrl(options.storeUrl, placeholderStore);
  warn(
    `the Secret ${selfNames.app} holds ${storeVariable} = ${store.url} and an empty ${tokenVariable}`,
    `set the real values before applying, or make the Secret without a file: kubectl create secret generic ${selfNames.app} --from-literal=...`,
  );
  if (!store.postgres)
    warn(
      `the store here is ${options.storeUrl}; ${options.replicas} nodes share one store only on PostgreSQL`,
      `${storeVariable} is a PostgreSQL placeholder`,
    );
  const jobVariables = [...new Set(substituteEnv(options.jobFileText, () => '').used)]
    .filter((name) => name !== storeVariable && name !== tokenVariable)
    .sort();
  if (jobVariables.length > 0)
    warn(
      `the job file reads ${jobVariables.join(', ')}`,
      `each is an empty key of the Secret ${selfNames.app}: fill in the values`,
    );
  refuseSecretsInClear(options);
  if (options.switchesUsers)
    warn('some jobs say user:, and the container runs as a user that cannot switch', 'those jobs fail');
  warn(
    `the image ${options.image} is built from cronplane's Dockerfile, and runs the job file's commands`,
    'build it with the programs your jobs call and push it where the cluster pulls from, see docs/deploy.md',
  );

  const secret = {
    apiVersion: 'v1',
    kind: 'Secret',
    metadata: { name: selfNames.app, labels },
    type: 'Opaque',
    stringData: {
      [storeVariable]: store.url,
      [tokenVariable]: '',
      ...Object.fromEntries(jobVariables.map((name) => [name, ''])),
    },
  };
  const configMap = {
    apiVersion: 'v1',
    kind: 'ConfigMap',
    metadata: { name: selfNames.configMap, labels },
    data: { [selfNames.configKey]: options.jobFileText },
  };
  const fromSecret = (name: string, optional: boolean) => ({
    name,
    valueFrom: { secretKeyRef: { name: selfNames.app, key: name, ...(optional ? { optional: true } : {}) } },
  });
  const probe = (path: string, periodSeconds: number) => ({
    httpGet: { path, port: 'http' },
    periodSeconds,
    timeoutSeconds: 3,
    failureThreshold: 3,
  });
  const jobFileHash = createHash('sha256').update(options.jobFileText).digest('hex').slice(0, 16);
  const deployment = {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: selfNames.app, labels },
    spec: {
      replicas: options.replicas,
      selector: { matchLabels: labels },
      // Nodes whose job files differ neither lead nor claim (docs/cluster.md): replace them all at once.
      strategy: { type: 'Recreate' },
      template: {
        metadata: {
          labels,
          // A changed job file changes the pods, so applying it restarts them with it.
          annotations: { 'cronplane.dev/job-file-sha256': jobFileHash },
        },
        spec: {
          terminationGracePeriodSeconds: stopTimeoutSeconds,
          securityContext: { runAsNonRoot: true, runAsUser: 1000, runAsGroup: 1000 },
          containers: [
            {
              name: selfNames.app,
              image: options.image,
              args: [
                '--config',
                `${selfNames.configDir}/${selfNames.configKey}`,
                '--node',
                '$(CRONPLANE_NODE)',
              ],
              env: [
                { name: 'CRONPLANE_NODE', valueFrom: { fieldRef: { fieldPath: 'metadata.name' } } },
                { name: 'CRONPLANE_LISTEN', value: `0.0.0.0:${apiPort}` },
                fromSecret(storeVariable, false),
                fromSecret(tokenVariable, true),
                ...jobVariables.map((name) => fromSecret(name, true)),
              ],
              ports: [{ name: 'http', containerPort: apiPort }],
              readinessProbe: probe('/readyz', 5),
              livenessProbe: { ...probe('/healthz', 10), initialDelaySeconds: 10 },
              resources: {
                requests: { cpu: '100m', memory: '128Mi' },
                limits: { memory: '512Mi' },
              },
              securityContext: {
                allowPrivilegeEscalation: false,
                readOnlyRootFilesystem: true,
                capabilities: { drop: ['ALL'] },
              },
              volumeMounts: [
                { name: 'job-file', mountPath: selfNames.configDir, readOnly: true },
                { name: 'tmp', mountPath: '/tmp' },
              ],
            },
          ],
          volumes: [
            { name: 'job-file', configMap: { name: selfNames.configMap } },
            { name: 'tmp', emptyDir: {} },
          ],
        },
      },
    },
  };
  const service = {
    apiVersion: 'v1',
    kind: 'Service',
    metadata: { name: selfNames.app, labels },
    spec: {
      selector: labels,
      ports: [{ name: 'http', port: apiPort, targetPort: 'http' }],
    },
  };
  const file = (suffix: string, manifest: object) => ({
    path: `${selfNames.app}-${suffix}.yaml`,
    text: stringify(manifest, { lineWidth: 0, aliasDuplicateObjects: false }),
  });
  return {
    files: [
      file('secret', secret),
      file('configmap', configMap),
      file('deployment', deployment),
      file('service', service),
    ],
    warnings,
  };
}

/**
 * The job file goes into a ConfigMap, which anyone who may read the namespace reads: a secret
 * value written in it (not as `${VARIABLE}`) is refused, naming its line, and nothing is written.
 */
function refuseSecretsInClear(options: KubernetesSelfOptions): void {
  const lines = options.jobFileText.split('\n');
  const found = options.secretValues
    .filter((value) => value !== '' && options.jobFileText.includes(value))
    .map((value) => lines.findIndex((line) => line.includes(value)) + 1)
    .filter((line) => line > 0)
    .sort((a, b) => a - b);
  const first = found[0];
  if (first === undefined) return;
  throw new CronplaneError(
    'export.secret_in_clear',
    `the job file holds a secret value in clear (line${found.length === 1 ? '' : 's'} ${[...new Set(found)].join(', ')}), ` +
      'and a ConfigMap is no place for it: write it as ${VARIABLE} and export again (the variable then comes from the Secret)',
    { location: { file: options.configPath, line: first } },
  );
}
