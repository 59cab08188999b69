export { crontabExporter } from './crontab-exporter.ts';
