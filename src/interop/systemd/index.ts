/** systemd timers and their services as cronplane jobs. */
export { systemdImporter } from './systemd-importer.ts';
export { parseSystemdTimeSpan } from './systemd-time-span.ts';
