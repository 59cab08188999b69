import type { Channel } from './channel.ts';

/**
 * Where a channel sends, safe to print: the kind and the endpoint's scheme, host and port
 * (never a path, a query, a key or a password), and an e-mail's recipients; each kind says it.
 */
export function describeChannel(channel: Channel): string {
  return channel.definition.describe(channel.settings);
}
