/** The JSON Schema `cronplane init` writes beside the job file (`cronplane schema` prints it). */
export const schemaFileName = 'cronplane.schema.json';

/**
 * What `cronplane init` writes: a small, commented job file that validates as it is. Its first
 * line points YAML editors (yaml-language-server) at the schema written beside it.
 */
export const starterJobFile = `# yaml-language-server: $schema=./${schemaFileName}
# cronplane job file: what runs, when, where, and who hears about it.
# Check it with \`cronplane validate\`; start it with \`cronplane start\`. Reference: docs/job-file.md
version: 1
timezone: UTC                      # default zone for every schedule (IANA name)
store: sqlite:./data/cronplane.db  # or postgres://user@host/db

defaults:                          # inherited by every job
  timeout: 10m                     # kill the whole process group after this
  concurrency: forbid              # allow | forbid | replace | queue
  retry: { attempts: 3, backoff: exponential, delay: 30s, max_delay: 10m }

jobs:
  hello:
    description: Says hello every minute
    schedule: "* * * * *"          # cron; also "*-*-* 02:00:00", "every 30s", "rate(1 hour)", "cron(0 2 * * ? *)"
    run: echo "hello from cronplane"

  nightly-report:
    schedule: "*-*-* 02:00:00"     # systemd OnCalendar
    randomized_delay: 5m
    catch_up: once                 # run once after downtime, like systemd Persistent=true
    run: [sh, -c, 'echo "{\\"rows\\": 42}"']
    metrics: stdout_json           # the last JSON line of stdout holds the run's numbers
`;
