import { Option } from 'commander';

/** `--server URL` of a command that reads the store unless told to ask a daemon's API instead. */
export function apiInsteadOption(): Option {
  return new Option('--server <url>', "ask this daemon's API instead of the store (also $CRONPLANE_SERVER)");
}
