import type { Secret } from '../config/index.ts';
import { postBody } from './http-post.ts';
import type { Notification } from './notification.ts';
import { stateLabel, truncate } from './notification.ts';
import type { Sender } from './sender.ts';

/** What this sender reads of a ntfy channel's settings. */
export interface NtfySettings {
  readonly topic: Secret;
  readonly url?: string | undefined;
  readonly token?: Secret | undefined;
}

/** The public ntfy server; a channel's `url` names another. */
export const ntfyServer = 'https://ntfy.sh';

/** ntfy priorities 1 (min) to 5 (max) and tags (shown as emoji), by what a message says. */
function priorityAndTag(notification: Notification): { priority: number; tag: string } {
  switch (notification.kind) {
    case 'resolve':
      return { priority: 2, tag: 'white_check_mark' };
    case 'test':
      return { priority: 3, tag: 'wave' };
    case 'trigger':
      switch (notification.severity) {
        case 'info':
          return { priority: 2, tag: 'information_source' };
        case 'warning':
          return { priority: 3, tag: 'warning' };
        case 'failure':
          return { priority: 4, tag: 'x' };
        case 'critical':
          return { priority: 5, tag: 'rotating_light' };
      }
  }
}

/** The JSON ntfy publishes (to the server root): topic, title, message, priority, tags, click link. */
export function ntfyMessage(notification: Notification, topic: string): object {
  const { priority, tag } = priorityAndTag(notification);
  const lines = [
    notification.summary.trim(),
    ...Object.entries(notification.details).map(([key, value]) => `${key}: ${value}`),
  ].filter((line) => line !== '');
  return {
    topic,
    title: truncate(`[${stateLabel(notification)}] ${notification.title}`, 250),
    message: truncate(lines.length === 0 ? notification.title : lines.join('\n'), 4000),
    priority,
    tags: [tag, ...(notification.job === undefined ? [] : [notification.job])],
    ...(notification.link === undefined ? {} : { click: notification.link }),
  };
}

/** Publishes to the ntfy server (ntfy.sh unless `url`), with the access token when there is one. */
export const sendNtfy: Sender<NtfySettings> = async (settings, notification, context) => {
  const body = JSON.stringify(ntfyMessage(notification, settings.topic.reveal()));
  const headers: Record<string, string> = { 'content-type': 'application/json' };
  if (settings.token !== undefined) headers['authorization'] = `Bearer ${settings.token.reveal()}`;
  const answer = await postBody(settings.url ?? ntfyServer, body, headers, context);
  return { status: answer.status };
};
