import type { ChannelEntry, QuietHoursEntry, Severity } from '../config/index.ts';
import { CronplaneError } from '../errors/index.ts';

export type SlackSettings = Extract<ChannelEntry, { slack: unknown }>['slack'];
export type PagerdutySettings = Extract<ChannelEntry, { pagerduty: unknown }>['pagerduty'];
export type EmailSettings = Extract<ChannelEntry, { email: unknown }>['email'];
export type WebhookSettings = Extract<ChannelEntry, { webhook: unknown }>['webhook'];
export type DiscordSettings = Extract<ChannelEntry, { discord: unknown }>['discord'];
export type TeamsSettings = Extract<ChannelEntry, { teams: unknown }>['teams'];
export type NtfySettings = Extract<ChannelEntry, { ntfy: unknown }>['ntfy'];

/** The kinds of channel cronplane can send to, one sender each. */
export const ChannelKind = {
  slack: 'slack',
  pagerduty: 'pagerduty',
  email: 'email',
  webhook: 'webhook',
  discord: 'discord',
  teams: 'teams',
  ntfy: 'ntfy',
} as const;
export type ChannelKind = keyof typeof ChannelKind;

/** A daily quiet window, resolved: minutes after local midnight, in `timezone`. */
export interface QuietHours {
  readonly fromMinute: number;
  readonly toMinute: number;
  readonly timezone: string;
  readonly minSeverity: Severity;
}

interface ChannelBase {
  /** The name the job file declares it under. */
  readonly name: string;
  readonly quietHours: QuietHours | undefined;
}

/** A declared channel, discriminated on `kind`, with the settings its sender reads. */
export type Channel =
  | (ChannelBase & { readonly kind: 'slack'; readonly settings: SlackSettings })
  | (ChannelBase & { readonly kind: 'pagerduty'; readonly settings: PagerdutySettings })
  | (ChannelBase & { readonly kind: 'email'; readonly settings: EmailSettings })
  | (ChannelBase & { readonly kind: 'webhook'; readonly settings: WebhookSettings })
  | (ChannelBase & { readonly kind: 'discord'; readonly settings: DiscordSettings })
  | (ChannelBase & { readonly kind: 'teams'; readonly settings: TeamsSettings })
  | (ChannelBase & { readonly kind: 'ntfy'; readonly settings: NtfySettings });

export interface ChannelOptions {
  /** The zone of quiet hours that name none: the job file's `timezone`; UTC when absent. */
  readonly timezone?: string;
}

/** Turns a job file's channel entry (`{ slack: {...} }`) into a `Channel`. */
export function channelOf(name: string, entry: ChannelEntry, options: ChannelOptions = {}): Channel {
  const zone = options.timezone ?? 'UTC';
  if ('slack' in entry)
    return { name, kind: 'slack', settings: entry.slack, quietHours: quiet(entry.slack.quiet_hours, zone) };
  if ('pagerduty' in entry) {
    return {
      name,
      kind: 'pagerduty',
      settings: entry.pagerduty,
      quietHours: quiet(entry.pagerduty.quiet_hours, zone),
    };
  }
  if ('email' in entry)
    return { name, kind: 'email', settings: entry.email, quietHours: quiet(entry.email.quiet_hours, zone) };
  if ('webhook' in entry) {
    return {
      name,
      kind: 'webhook',
      settings: entry.webhook,
      quietHours: quiet(entry.webhook.quiet_hours, zone),
    };
  }
  if ('discord' in entry) {
    return {
      name,
      kind: 'discord',
      settings: entry.discord,
      quietHours: quiet(entry.discord.quiet_hours, zone),
    };
  }
  if ('teams' in entry)
    return { name, kind: 'teams', settings: entry.teams, quietHours: quiet(entry.teams.quiet_hours, zone) };
  if ('ntfy' in entry)
    return { name, kind: 'ntfy', settings: entry.ntfy, quietHours: quiet(entry.ntfy.quiet_hours, zone) };
  throw new CronplaneError(
    'notify.channel-kind',
    `channel "${name}" has none of the kinds ${Object.keys(ChannelKind).join(', ')}`,
  );
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
