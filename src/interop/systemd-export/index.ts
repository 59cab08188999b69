/** cronplane jobs as systemd timer and service units. */
export { systemdExporter } from './systemd-exporter.ts';
export { unitNameFor } from './unit-name.ts';
export { execWords, environmentWord } from './unit-words.ts';
