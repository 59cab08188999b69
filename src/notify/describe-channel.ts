import type { Channel } from './channel.ts';
import { smtpUrlOf } from './email-sender.ts';
import { ntfyServer } from './ntfy-sender.ts';
import { pagerdutyEndpoint } from './pagerduty-sender.ts';

/**
 * Where a channel sends, safe to print: the kind and the endpoint's scheme, host and port
 * (never a path, a query, a key or a password), and an e-mail's recipients.
 */
export function describeChannel(channel: Channel): string {
  switch (channel.kind) {
    case 'slack':
      return `slack, ${originOf(channel.settings.url ?? channel.settings.webhook_url.reveal())}`;
    case 'discord':
      return `discord, ${originOf(channel.settings.url ?? channel.settings.webhook_url.reveal())}`;
    case 'teams':
      return `teams, ${originOf(channel.settings.url ?? channel.settings.webhook_url.reveal())}`;
    case 'pagerduty':
      return `pagerduty, ${originOf(channel.settings.url ?? pagerdutyEndpoint)}`;
    case 'webhook':
      return `webhook, ${originOf(channel.settings.url)}${channel.settings.secret === undefined ? '' : ', signed'}`;
    case 'ntfy':
      return `ntfy, ${originOf(channel.settings.url ?? ntfyServer)}`;
    case 'email': {
      const to =
        typeof channel.settings.to === 'string' ? channel.settings.to : channel.settings.to.join(', ');
      let server = 'an invalid smtp_url';
      try {
        server = originOf(smtpUrlOf(channel.settings));
      } catch {
        // Said as such; the send reports it too.
      }
      return `email to ${to}, ${server}`;
    }
  }
}

function originOf(text: string): string {
  try {
    const url = new URL(text);
    return url.host === '' ? 'an invalid URL' : `${url.protocol}//${url.host}`;
  } catch {
    return 'an invalid URL';
  }
}
