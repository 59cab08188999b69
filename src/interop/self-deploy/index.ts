/** Files that deploy cronplane itself: a systemd unit, Kubernetes manifests. */
export { systemdSelfUnit, stopTimeoutSeconds } from './systemd-self-unit.ts';
export { k8sSelfManifests, apiPort } from './k8s-self-manifests.ts';
export { deployedStoreUrl, passwordPlaceholder } from './deployed-store-url.ts';
export { selfNames } from './self-names.ts';
export type { KubernetesSelfOptions, SelfDeployOptions, SystemdSelfOptions } from './self-deploy-options.ts';
