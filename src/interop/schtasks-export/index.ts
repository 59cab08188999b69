export { multipleInstancesPolicy, schtasksExporter } from './schtasks-exporter.ts';
export { isoDuration, maxTriggers, taskTriggers } from './task-triggers.ts';
export type { TaskTriggers } from './task-triggers.ts';
export { windowsCommandLine } from './windows-command-line.ts';
