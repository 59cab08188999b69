export { crontabExporter, crontabFor } from './crontab-exporter.ts';
export type { Crontab, CrontabDialect } from './crontab-exporter.ts';
