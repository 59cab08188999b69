import { Option } from 'commander';

/** `--server URL` of a command that only works through a running daemon's API. */
export function daemonServerOption(): Option {
  return new Option(
    '--server <url>',
    `the daemon's API (default: $CRONPLANE_SERVER, http://127.0.0.1:7070); the token is $CRONPLANE_TOKEN`,
  );
}
