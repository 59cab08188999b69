export { curlImage, k8sExporter, placeholderImage } from './k8s-exporter.ts';
export { dnsLabel, maxCronJobName } from './dns-label.ts';
