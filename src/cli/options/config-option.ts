import { Option } from 'commander';

/** `-c, --config FILE`: the job file of a command that reads one. */
export function configOption(): Option {
  return new Option('-c, --config <file>', 'job file (default: $CRONPLANE_CONFIG, then ./cronplane.yaml)');
}
