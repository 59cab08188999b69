/**
 * Commands whose names and help texts are settled but whose work arrives with later parts of
 * cronplane (monitors, interop). They answer with exit code 2 and say so, rather than pretending
 * to work.
 */
export const plannedCommands = [
  {
    name: 'exec',
    description: 'wrap a crontab command: ping a monitor at start and end with its exit code and output',
    arrives: 'with monitors',
  },
  {
    name: 'import',
    description: 'read crontab, systemd timers, Kubernetes CronJobs and more into a job file',
    arrives: 'with interop',
  },
  {
    name: 'export',
    description: 'write a job file out as crontab, systemd timers, Kubernetes CronJobs and more',
    arrives: 'with interop',
  },
] as const;
