import type { ChannelEntry, QuietHoursEntry, Severity } from '../config/index.ts';
import { CronplaneError } from '../errors/index.ts';
import type { ChannelKindDefinition, ChannelSettingsBase } from './channel-kind.ts';
import { channelKinds } from './channel-kinds.ts';

export type { SlackChannelSettings as SlackSettings } from './channels/slack-channel.ts';
export type { PagerdutyChannelSettings as PagerdutySettings } from './channels/pagerduty-channel.ts';
export type { EmailChannelSettings as EmailSettings } from './channels/email-channel.ts';
export type { WebhookChannelSettings as WebhookSettings } from './channels/webhook-channel.ts';
export type { DiscordChannelSettings as DiscordSettings } from './channels/discord-channel.ts';
export type { TeamsChannelSettings as TeamsSettings } from './channels/teams-channel.ts';
export type { NtfyChannelSettings as NtfySettings } from './channels/ntfy-channel.ts';

/** A daily quiet window, resolved: minutes after local midnight, in `timezone`. */
export interface QuietHours {
  readonly fromMinute: number;
  readonly toMinute: number;
  readonly timezone: string;
  readonly minSeverity: Severity;
}

/** A declared channel: its name, its kind (which sends, masks and describes it) and settings. */
export interface Channel {
  /** The name the job file declares it under. */
  readonly name: string;
  /** The kind's key in the job file: `slack`, `pagerduty`, ... */
  readonly kind: string;
  /** What the kind does: send, mask, describe. */
  readonly definition: ChannelKindDefinition;
  /** The settings as the kind's schema gave them. */
  readonly settings: ChannelSettingsBase;
  readonly quietHours: QuietHours | undefined;
}

export interface ChannelOptions {
  /** The zone of quiet hours that name none: the job file's `timezone`; UTC when absent. */
  readonly timezone?: string;
  /** The kinds a channel may be; the built-in `channelKinds` when absent. */
  readonly kinds?: readonly ChannelKindDefinition[];
}

/** Turns a job file's channel entry (`{ slack: {...} }`) into a `Channel`, by its kind's key. */
export function channelOf(name: string, entry: ChannelEntry, options: ChannelOptions = {}): Channel {
  const kinds = options.kinds ?? channelKinds;
  const definition = kinds.find((kind) => Object.hasOwn(entry, kind.kind));
  if (definition === undefined) {
    throw new CronplaneError(
      'notify.channel-kind',
      `channel "${name}" has none of the kinds ${kinds.map((kind) => kind.kind).join(', ')}`,
    );
  }
  // The job file was validated with this kind's schema: the entry holds its settings.
  const settings = entry[definition.kind] as ChannelSettingsBase;
  return {
    name,
    kind: definition.kind,
    definition,
    settings,
    quietHours: quiet(settings.quiet_hours, options.timezone ?? 'UTC'),
  };
}

/** Every declared channel of a resolved config, by name. */
export function channelsOf(
  entries: ReadonlyMap<string, ChannelEntry>,
  options: ChannelOptions = {},
): ReadonlyMap<string, Channel> {
  return new Map([...entries].map(([name, entry]) => [name, channelOf(name, entry, options)]));
}

function quiet(entry: QuietHoursEntry | undefined, zone: string): QuietHours | undefined {
  if (entry === undefined) return undefined;
  return {
    fromMinute: minuteOfDay(entry.from),
    toMinute: minuteOfDay(entry.to),
    timezone: entry.timezone ?? zone,
    minSeverity: entry.min_severity ?? 'critical',
  };
}

function minuteOfDay(text: string): number {
  const [hours, minutes] = text.split(':').map(Number);
  return (hours ?? 0) * 60 + (minutes ?? 0);
}
