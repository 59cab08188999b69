export { crontabExporter } from './crontab-exporter.ts';
export { wrappedFeatures } from './wrapped-features.ts';
