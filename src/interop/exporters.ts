import { composeExporter } from './compose-export/index.ts';
import { crontabExporter } from './crontab-export/index.ts';
import { eventBridgeExporter } from './eventbridge-export/index.ts';
import type { Exporter } from './export-result.ts';
import { k8sExporter } from './k8s-export/index.ts';
import { schtasksExporter } from './schtasks-export/index.ts';
import { systemdExporter } from './systemd-export/index.ts';

/** Every exporter of this build; `cronplane export --to` names one by its format. */
export const exporters: readonly Exporter[] = [
  crontabExporter,
  systemdExporter,
  k8sExporter,
  eventBridgeExporter,
  composeExporter,
  schtasksExporter,
];

/** The formats `--to` names, in this build or not yet. */
export const exportFormats = [
  'crontab',
  'systemd',
  'k8s',
  'compose',
  'eventbridge',
  'schtasks',
] as const satisfies readonly Exporter['format'][];
