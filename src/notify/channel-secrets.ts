import { Secret } from '../config/index.ts';
import type { Channel } from './channel.ts';

/** What a secret is replaced with, as `Secret` prints. */
export const secretMask = Secret.mask;

/** Shorter values are not masked: replacing every "ab" would mangle a message and hide nothing. */
const minSecretLength = 4;

/**
 * Every value of a channel that must not be shown, in the forms it could appear in: webhook and
 * SMTP URLs whole and by their path, query and password (raw and decoded), routing keys, HMAC
 * secrets, secret headers, ntfy topics and tokens. The generic webhook's URL counts too: its
 * path or query often carries a token.
 */
export function channelSecrets(channel: Channel): string[] {
  const values: string[] = [];
  switch (channel.kind) {
    case 'slack':
      values.push(...urlParts(channel.settings.webhook_url.reveal()));
      break;
    case 'discord':
    case 'teams':
      values.push(...urlParts(channel.settings.webhook_url.reveal()));
      break;
    case 'pagerduty':
      values.push(channel.settings.routing_key.reveal());
      break;
    case 'email':
      values.push(...urlParts(channel.settings.smtp_url.reveal()));
      break;
    case 'webhook':
      values.push(...urlParts(channel.settings.url));
      if (channel.settings.secret !== undefined) values.push(channel.settings.secret.reveal());
      for (const value of Object.values(channel.settings.headers ?? {})) {
        if (value instanceof Secret) values.push(value.reveal());
      }
      break;
    case 'ntfy':
      values.push(channel.settings.topic.reveal());
      if (channel.settings.token !== undefined) values.push(channel.settings.token.reveal());
      break;
  }
  return [...new Set(values)]
    .filter((value) => value.length >= minSecretLength)
    .sort((a, b) => b.length - a.length);
}

/** A function that replaces a channel's secrets in text with `***`. */
export function channelRedactor(channel: Channel): (text: string) => string {
  const secrets = channelSecrets(channel);
  return (text) => {
    let result = text;
    for (const secret of secrets) {
      if (result.includes(secret)) result = result.replaceAll(secret, secretMask);
    }
    return result;
  };
}

function urlParts(text: string): string[] {
  const parts = [text];
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    return parts;
  }
  if (url.pathname !== '/' && url.pathname.length >= 8) parts.push(url.pathname, url.pathname.slice(1));
  if (url.search !== '') parts.push(url.search, url.search.slice(1));
  if (url.password !== '') parts.push(url.password, safeDecode(url.password));
  if (url.username !== '' && url.password !== '') parts.push(`${url.username}:${url.password}`);
  return parts;
}

function safeDecode(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}
