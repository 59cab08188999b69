/**
 * The schema helper bites: a valid CronJob, Secret, ConfigMap, Deployment and Service pass, and
 * each way of being wrong (a wrong type, a missing required field, a value outside an enum, a bad
 * name, an unknown kind) is refused with the place named.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { validateManifest } from './kubernetes-schema.ts';

const cronJob = () => ({
  apiVersion: 'batch/v1',
  kind: 'CronJob',
  metadata: { name: 'nightly' },
  spec: {
    schedule: '0 3 * * *',
    concurrencyPolicy: 'Forbid',
    jobTemplate: {
      spec: { template: { spec: { restartPolicy: 'Never', containers: [{ name: 'job', image: 'x:1' }] } } },
    },
  },
});

describe('kubernetes schema helper', () => {
  it('accepts valid objects of several kinds', () => {
    validateManifest(cronJob(), 'cronjob');
    validateManifest(
      { apiVersion: 'v1', kind: 'Secret', metadata: { name: 's' }, stringData: { A: 'b' } },
      'secret',
    );
    validateManifest(
      { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'c' }, data: { 'a.yaml': 'x: 1\n' } },
      'configmap',
    );
    validateManifest(
      {
        apiVersion: 'v1',
        kind: 'Service',
        metadata: { name: 'svc' },
        spec: { selector: { app: 'a' }, ports: [{ port: 80, targetPort: 'http' }] },
      },
      'service',
    );
  });

  const broken: [string, (m: ReturnType<typeof cronJob>) => unknown, RegExp][] = [
    [
      'a number where a string belongs',
      (m) => ({ ...m, spec: { ...m.spec, schedule: 5 } }),
      /spec\/schedule must be string/,
    ],
    [
      'a missing required field',
      (m) => ({ ...m, spec: { jobTemplate: m.spec.jobTemplate } }),
      /required property schedule/,
    ],
    [
      'a value outside an enum',
      (m) => ({ ...m, spec: { ...m.spec, concurrencyPolicy: 'Sometimes' } }),
      /concurrencyPolicy must be equal to one of the allowed values/,
    ],
    [
      'a container without an image name of the right type',
      (m) => {
        const copy = structuredClone(m);
        (copy.spec.jobTemplate.spec.template.spec.containers[0] as { image: unknown }).image = ['x'];
        return copy;
      },
      /containers\/0\/image must be string/,
    ],
    [
      'a name that is not DNS-1123',
      (m) => ({ ...m, metadata: { name: 'Nightly_Report' } }),
      /not a DNS-1123 name/,
    ],
    ['a name too long for a CronJob', (m) => ({ ...m, metadata: { name: 'x'.repeat(53) } }), /at most 52/],
    [
      'a kind Kubernetes does not have',
      (m) => ({ ...m, kind: 'CronTab' }),
      /"CronTab" in "batch\/v1" is none of the kinds checked/,
    ],
  ];
  for (const [what, breakIt, message] of broken) {
    it(`refuses ${what}, naming the place`, () => {
      assert.throws(
        () => validateManifest(breakIt(cronJob()), 'nightly.yaml'),
        (error: Error) => {
          assert.match(error.message, /^nightly\.yaml: /);
          assert.match(error.message, message);
          return true;
        },
      );
    });
  }
});
