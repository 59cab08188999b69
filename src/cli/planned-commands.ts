/**
 * Commands whose names and help texts are settled but whose work arrives with later parts of
 * cronplane (the durable engine, the HTTP API, monitors, interop). They answer with exit code 2
 * and say so, rather than pretending to work.
 */
export const plannedCommands = [
  { name: 'trigger', description: 'ask a running daemon to start a job now', arrives: 'with the HTTP API' },
  { name: 'pause', description: 'stop a job from firing until it is resumed', arrives: 'with the HTTP API' },
  { name: 'resume', description: 'let a paused job fire again', arrives: 'with the HTTP API' },
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
