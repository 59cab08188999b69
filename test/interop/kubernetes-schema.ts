/**
 * Kubernetes manifests checked against Kubernetes' own OpenAPI schema, as shipped (compiled to
 * validators) by the `kubernetes-models` package: the model is found by the manifest's
 * apiVersion and kind, and its `validate()` throws on a wrong type, a missing required field or
 * a value outside an enum. The kinds cronplane writes (and a few more) are loaded up front so the
 * check is synchronous; add a kind to `models` to check it.
 *
 * Names are checked here too (the schema has no pattern for them; the API server wants DNS-1123:
 * a label for Services, a subdomain elsewhere, at most 52 characters for a CronJob). Not
 * checked: a field the schema does not know (the compiled schema lets it pass; the API server
 * refuses it under strict field validation, kubectl's default).
 */
import assert from 'node:assert/strict';
import { Deployment } from 'kubernetes-models/apps/v1/Deployment';
import { StatefulSet } from 'kubernetes-models/apps/v1/StatefulSet';
import { CronJob } from 'kubernetes-models/batch/v1/CronJob';
import { Job } from 'kubernetes-models/batch/v1/Job';
import { PodDisruptionBudget } from 'kubernetes-models/policy/v1/PodDisruptionBudget';
import { ConfigMap } from 'kubernetes-models/v1/ConfigMap';
import { Namespace } from 'kubernetes-models/v1/Namespace';
import { PersistentVolumeClaim } from 'kubernetes-models/v1/PersistentVolumeClaim';
import { Pod } from 'kubernetes-models/v1/Pod';
import { Secret } from 'kubernetes-models/v1/Secret';
import { Service } from 'kubernetes-models/v1/Service';
import { ServiceAccount } from 'kubernetes-models/v1/ServiceAccount';

interface Model {
  validate(): void;
}
type ModelClass = { readonly apiVersion: string; readonly kind: string } & (new (data: never) => Model);

const models: readonly ModelClass[] = [
  CronJob,
  Job,
  Deployment,
  StatefulSet,
  PodDisruptionBudget,
  ConfigMap,
  Namespace,
  PersistentVolumeClaim,
  Pod,
  Secret,
  Service,
  ServiceAccount,
];

const dnsLabel = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
const dnsSubdomain = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;

/**
 * Throws (an AssertionError naming `where` and the failing JSON path) unless `manifest` is a
 * valid Kubernetes object of its apiVersion and kind.
 */
export function validateManifest(manifest: unknown, where: string): void {
  assert.ok(
    typeof manifest === 'object' && manifest !== null && !Array.isArray(manifest),
    `${where}: an object`,
  );
  const { apiVersion, kind, metadata } = manifest as {
    apiVersion?: unknown;
    kind?: unknown;
    metadata?: { name?: unknown };
  };
  const Model = models.find((model) => model.apiVersion === apiVersion && model.kind === kind);
  if (Model === undefined)
    assert.fail(
      `${where}: ${JSON.stringify(kind)} in ${JSON.stringify(apiVersion)} is none of the kinds checked: ` +
        models.map((model) => `${model.apiVersion} ${model.kind}`).join(', '),
    );
  try {
    new Model(manifest as never).validate();
  } catch (thrown) {
    assert.fail(`${where}: not a valid ${Model.kind}: ${(thrown as Error).message}`);
  }
  const name = metadata?.name;
  assert.ok(typeof name === 'string', `${where}: metadata.name is required`);
  const rule = kind === 'Service' ? dnsLabel : dnsSubdomain;
  const limit = kind === 'Service' ? 63 : kind === 'CronJob' ? 52 : 253;
  assert.ok(
    rule.test(name) && name.length <= limit,
    `${where}: metadata.name ${JSON.stringify(name)} is not a DNS-1123 ${kind === 'Service' ? 'label' : 'name'} of at most ${limit} characters`,
  );
}
