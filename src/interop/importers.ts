import { crontabImporter } from './crontab/index.ts';
import { k8sImporter } from './k8s/index.ts';
import { systemdImporter } from './systemd/index.ts';
import type { Importer } from './import-result.ts';

/** Every importer of this build, in the order `--from auto` asks them whether they recognise a file. */
export const importers: readonly Importer[] = [systemdImporter, k8sImporter, crontabImporter];

/** The formats `--from` names, in this build or not yet. */
export const importFormats = ['crontab', 'systemd', 'k8s'] as const satisfies readonly Importer['format'][];
