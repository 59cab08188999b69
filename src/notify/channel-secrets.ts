import { SecretMask } from '../config/index.ts';
import type { Channel } from './channel.ts';

/**
 * Every value of a channel that must not be shown, in the forms it could appear in (webhook and
 * SMTP URLs whole and by their path, query and password, routing keys, HMAC secrets, secret
 * headers, ntfy topics and tokens): its kind's rule, the same the job file's masker uses.
 */
export function channelSecrets(channel: Channel): string[] {
  return channel.definition.secrets(channel.settings);
}

/** A function that replaces a channel's secrets in text with `***`. */
export function channelRedactor(channel: Channel): (text: string) => string {
  const mask = SecretMask.of(channelSecrets(channel));
  return (text) => mask.redact(text);
}
