/** Kubernetes CronJob manifests as cronplane jobs. */
export { k8sImporter } from './k8s-importer.ts';
