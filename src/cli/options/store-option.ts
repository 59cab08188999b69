import { Option } from 'commander';

/** `--store URL`: the store of a command that opens one itself. */
export function storeOption(): Option {
  return new Option(
    '--store <url>',
    'store URL (default: $CRONPLANE_STORE, the job file, sqlite:./data/cronplane.db)',
  );
}
