import type { Secret } from '../config/index.ts';
import { postBody } from './http-post.ts';
import type { Notification } from './notification.ts';
import { stateLabel, truncate } from './notification.ts';
import type { Sender } from './sender.ts';

/** What this sender reads of a teams channel's settings. */
export interface TeamsSettings {
  readonly webhook_url: Secret;
  readonly url?: string | undefined;
}

/** Adaptive Card text colours by what a message says. */
const colours = {
  info: 'Accent',
  warning: 'Warning',
  failure: 'Attention',
  critical: 'Attention',
  resolve: 'Good',
  test: 'Default',
} as const;

/**
 * A Microsoft Teams message: one Adaptive Card (a coloured state and title, the summary, a fact
 * set, a button to the run), as both Teams' Workflows webhooks and its older incoming webhooks
 * accept it.
 */
export function teamsMessage(notification: Notification): object {
  const state = stateLabel(notification);
  const facts: { title: string; value: string }[] = [];
  if (notification.job !== undefined) facts.push({ title: 'Job', value: notification.job });
  if (notification.runId !== undefined) facts.push({ title: 'Run', value: String(notification.runId) });
  for (const [key, value] of Object.entries(notification.details)) {
    facts.push({ title: truncate(key, 100), value: truncate(String(value), 500) });
  }
  facts.push({ title: 'Dedup key', value: notification.dedupKey });
  const summary = notification.summary.trim();
  const colour =
    notification.kind === 'trigger' ? colours[notification.severity] : colours[notification.kind];
  return {
    type: 'message',
    attachments: [
      {
        contentType: 'application/vnd.microsoft.card.adaptive',
        content: {
          $schema: 'http://adaptivecards.io/schemas/adaptive-card.json',
          type: 'AdaptiveCard',
          version: '1.4',
          body: [
            { type: 'TextBlock', text: state, weight: 'Bolder', color: colour },
            { type: 'TextBlock', text: truncate(notification.title, 300), size: 'Medium', wrap: true },
            ...(summary === ''
              ? []
              : [{ type: 'TextBlock', text: truncate(summary, 2000), wrap: true, fontType: 'Monospace' }]),
            { type: 'FactSet', facts },
          ],
          ...(notification.link === undefined
            ? {}
            : {
                actions: [
                  {
                    type: 'Action.OpenUrl',
                    title: notification.runId === undefined ? 'Open in cronplane' : 'Open the run',
                    url: notification.link,
                  },
                ],
              }),
        },
      },
    ],
  };
}

/** Posts to the Teams webhook, or to `url` when the channel names one. */
export const sendTeams: Sender<TeamsSettings> = async (settings, notification, context) => {
  const url = settings.url ?? settings.webhook_url.reveal();
  const body = JSON.stringify(teamsMessage(notification));
  const answer = await postBody(url, body, { 'content-type': 'application/json' }, context);
  return { status: answer.status };
};
