/**
 * Commands whose names and help texts are settled but whose work arrives with later parts of
 * cronplane (interop). They answer with exit code 2 and say so, rather than pretending
 * to work.
 */
export const plannedCommands = [
  {
    name: 'export',
    description: 'write a job file out as crontab, systemd timers, Kubernetes CronJobs and more',
    arrives: 'with interop',
  },
] as const;

/** One of them: its name, its help line and when it arrives. */
export type PlannedCommand = (typeof plannedCommands)[number];
