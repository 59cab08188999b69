/**
 * Alert delivery: a channel-independent `Notification`, one sender per channel kind (Slack,
 * PagerDuty Events v2, e-mail over SMTP, signed webhook, Discord, ntfy), `deliver` with retries
 * and redaction, an `Outbox` that never blocks its caller, and `routeChannels` for `notify:`.
 */
export { NotificationKind, severityOrder, runLink, jobLink } from './notification.ts';
export type { Notification } from './notification.ts';
export { channelOf, channelsOf } from './channel.ts';
export { channelKinds } from './channel-kinds.ts';
export type { ChannelKindDefinition, ChannelSettingsBase } from './channel-kind.ts';
export { originOf } from './origin-of.ts';
export type {
  Channel,
  ChannelOptions,
  QuietHours,
  SlackSettings,
  PagerdutySettings,
  EmailSettings,
  WebhookSettings,
  DiscordSettings,
  TeamsSettings,
  NtfySettings,
} from './channel.ts';
export { deliver, realSleep } from './deliver.ts';
export type { DeliverOptions, Sleep } from './deliver.ts';
export { defaultDeliveryPolicy, retryDelay } from './delivery-policy.ts';
export type { DeliveryPolicy } from './delivery-policy.ts';
export type { DeliveryAttempt, DeliveryOutcome, DeliveryReport } from './delivery-report.ts';
export { DeliveryError } from './delivery-error.ts';
export { Outbox, createOutbox } from './outbox.ts';
export type { OutboxLogger, OutboxOptions, ReleaseOptions } from './outbox.ts';
export { routeChannels } from './route-channels.ts';
export type { NotifyMap, RouteQuery } from './route-channels.ts';
export { isQuiet } from './quiet-hours.ts';
export { channelSecrets, channelRedactor } from './channel-secrets.ts';
export { testNotification } from './test-notification.ts';
export type { TestNotificationOptions } from './test-notification.ts';
export { slackMessage } from './slack-sender.ts';
export { pagerdutyEvent, pagerdutyEndpoint, pagerdutySeverity } from './pagerduty-sender.ts';
export { emailMessage, defaultSubjectPrefix } from './email-sender.ts';
export type { EmailMessage } from './email-sender.ts';
export { webhookBody, signWebhook, verifyWebhookSignature, webhookHeaders } from './webhook-sender.ts';
export type { WebhookVerification } from './webhook-sender.ts';
export { discordMessage } from './discord-sender.ts';
export { teamsMessage } from './teams-sender.ts';
export { ntfyMessage, ntfyServer } from './ntfy-sender.ts';
export type { SendContext, SendResult, Sender } from './sender.ts';
export { describeChannel } from './describe-channel.ts';
