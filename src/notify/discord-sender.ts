import type { Secret } from '../config/index.ts';
import { postBody } from './http-post.ts';
import type { Notification } from './notification.ts';
import { stateLabel, truncate } from './notification.ts';
import type { Sender } from './sender.ts';

/** What this sender reads of a discord channel's settings. */
export interface DiscordSettings {
  readonly webhook_url: Secret;
  readonly url?: string | undefined;
}

/** Embed colours by what a message says. */
const colours = {
  info: 0x3498db,
  warning: 0xf1c40f,
  failure: 0xe74c3c,
  critical: 0x992d22,
  resolve: 0x2ecc71,
  test: 0x95a5a6,
} as const;

/** A Discord webhook message: one embed (title, summary, fields, link) and a plain `content` line. */
export function discordMessage(notification: Notification, now: number): object {
  const state = stateLabel(notification);
  const fields: { name: string; value: string; inline: boolean }[] = [];
  if (notification.job !== undefined) fields.push({ name: 'Job', value: notification.job, inline: true });
  fields.push({ name: 'Status', value: state, inline: true });
  if (notification.runId !== undefined)
    fields.push({ name: 'Run', value: String(notification.runId), inline: true });
  for (const [key, value] of Object.entries(notification.details)) {
    if (fields.length >= 25) break;
    fields.push({ name: truncate(key, 256), value: truncate(String(value), 1024), inline: true });
  }
  const summary = notification.summary.trim();
  const colour =
    notification.kind === 'trigger' ? colours[notification.severity] : colours[notification.kind];
  return {
    username: 'cronplane',
    content: truncate(`[${state}] ${notification.title}`, 2000),
    allowed_mentions: { parse: [] },
    embeds: [
      {
        title: truncate(notification.title, 256),
        ...(summary === ''
          ? {}
          : {
              description: summary.includes('\n')
                ? `\`\`\`\n${truncate(summary.replaceAll('```', "'''"), 4000)}\n\`\`\``
                : truncate(summary, 4096),
            }),
        ...(notification.link === undefined ? {} : { url: notification.link }),
        color: colour,
        fields,
        footer: { text: truncate(`cronplane · dedup key ${notification.dedupKey}`, 2048) },
        timestamp: new Date(now).toISOString(),
      },
    ],
  };
}

/** Posts to the Discord webhook, or to `url` when the channel names one. */
export const sendDiscord: Sender<DiscordSettings> = async (settings, notification, context) => {
  const url = settings.url ?? settings.webhook_url.reveal();
  const body = JSON.stringify(discordMessage(notification, context.now()));
  const answer = await postBody(url, body, { 'content-type': 'application/json' }, context);
  return { status: answer.status };
};
