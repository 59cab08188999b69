import type { Secret } from '../config/index.ts';
import { postBody } from './http-post.ts';
import type { Notification } from './notification.ts';
import { stateLabel, truncate } from './notification.ts';
import type { Sender } from './sender.ts';

/** What this sender reads of a slack channel's settings. */
export interface SlackSettings {
  readonly webhook_url: Secret;
  readonly url?: string | undefined;
  readonly channel?: string | undefined;
}

/** The Slack emoji that leads a message, by what it says. */
export function slackEmoji(notification: Notification): string {
  switch (notification.kind) {
    case 'resolve':
      return ':white_check_mark:';
    case 'test':
      return ':wave:';
    case 'trigger':
      switch (notification.severity) {
        case 'info':
          return ':information_source:';
        case 'warning':
          return ':warning:';
        case 'failure':
          return ':x:';
        case 'critical':
          return ':rotating_light:';
      }
  }
}

/** Fields Slack shows at most in one section. */
const maxFields = 10;

/**
 * The body of a Slack incoming-webhook message: a header, the job, state and run as fields
 * (details fill the remaining fields), the summary, a button to the run and a context line;
 * `text` is the fallback notifications and old clients show.
 */
export function slackMessage(notification: Notification, settings: Pick<SlackSettings, 'channel'>): object {
  const emoji = slackEmoji(notification);
  const state = stateLabel(notification);
  const fields: string[] = [];
  if (notification.job !== undefined) fields.push(`*Job*\n${escapeText(notification.job)}`);
  fields.push(`*Status*\n${state}${notification.kind === 'trigger' ? '' : ` (${notification.severity})`}`);
  if (notification.runId !== undefined) {
    const id = escapeText(String(notification.runId));
    fields.push(`*Run*\n${notification.link === undefined ? `#${id}` : `<${notification.link}|#${id}>`}`);
  }
  for (const [key, value] of Object.entries(notification.details)) {
    if (fields.length >= maxFields) break;
    fields.push(`*${escapeText(key)}*\n${truncate(escapeText(String(value)), 1900)}`);
  }
  const blocks: object[] = [
    {
      type: 'header',
      text: { type: 'plain_text', text: truncate(`${emoji} ${notification.title}`, 150), emoji: true },
    },
    { type: 'section', fields: fields.map((text) => ({ type: 'mrkdwn', text })) },
  ];
  if (notification.summary.trim() !== '') {
    blocks.push({ type: 'section', text: { type: 'mrkdwn', text: formatSummary(notification.summary) } });
  }
  if (notification.link !== undefined) {
    blocks.push({
      type: 'actions',
      elements: [
        {
          type: 'button',
          text: {
            type: 'plain_text',
            text: notification.runId === undefined ? 'Open in cronplane' : 'Open run',
          },
          url: notification.link,
        },
      ],
    });
  }
  blocks.push({
    type: 'context',
    elements: [
      {
        type: 'mrkdwn',
        text: `cronplane · ${escapeText(notification.event ?? notification.kind)} · dedup key \`${escapeText(notification.dedupKey)}\``,
      },
    ],
  });
  const firstLine = notification.summary.trim().split('\n')[0] ?? '';
  const text = truncate(
    escapeText(`${emoji} [${state}] ${notification.title}${firstLine === '' ? '' : `: ${firstLine}`}`),
    1000,
  );
  return {
    ...(settings.channel === undefined ? {} : { channel: settings.channel }),
    text,
    blocks,
  };
}

/** Posts to the incoming webhook, or to `url` when the channel names one (it replaces the endpoint). */
export const sendSlack: Sender<SlackSettings> = async (settings, notification, context) => {
  const url = settings.url ?? settings.webhook_url.reveal();
  const answer = await postBody(
    url,
    JSON.stringify(slackMessage(notification, settings)),
    { 'content-type': 'application/json; charset=utf-8' },
    context,
  );
  return { status: answer.status };
};

/** Slack's mrkdwn treats &, < and > as markup; everything user-given is escaped. */
function escapeText(text: string): string {
  return text.replaceAll('&', '&amp;').replaceAll('<', '&lt;').replaceAll('>', '&gt;');
}

/** One line stays prose; several lines (output, a stack) go in a code block. */
function formatSummary(summary: string): string {
  const trimmed = summary.trim();
  if (!trimmed.includes('\n')) return truncate(escapeText(trimmed), 2900);
  return `\`\`\`${truncate(escapeText(trimmed).replaceAll('```', "'''"), 2890)}\`\`\``;
}
