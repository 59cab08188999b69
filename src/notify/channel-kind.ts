import type { ChannelKindSchema, QuietHoursEntry } from '../config/index.ts';
import type { z } from 'zod';
import type { Notification } from './notification.ts';
import type { SendContext, SendResult } from './sender.ts';

/** What every kind's settings may hold besides its own: a daily quiet window. */
export interface ChannelSettingsBase {
  readonly quiet_hours?: QuietHoursEntry | undefined;
}

/**
 * Everything cronplane knows of one kind of channel, in one file under `channels/`: the key and
 * schema of its settings in the job file, how one notification is sent, which values are secret
 * (for masking) and how it is described safely (`cronplane notify-test`). The job-file schema,
 * secret collection, routing and sending all read a list of these (`channelKinds`).
 */
export interface ChannelKindDefinition<
  Settings extends ChannelSettingsBase = ChannelSettingsBase,
> extends ChannelKindSchema {
  /** The key the job file declares a channel of this kind under, e.g. `slack`. */
  readonly kind: string;
  /** The schema of the settings (a strict object, with `quiet_hours` optional). */
  readonly schema: z.ZodType<Settings>;
  /** Every value of the settings that must not be shown, in the forms it could appear in. */
  secrets(settings: Settings): string[];
  /**
   * One attempt to hand a notification over. Throws a `DeliveryError` that says whether another
   * attempt may help; retries, time limits and redaction are `deliver`'s work.
   */
  send(settings: Settings, notification: Notification, context: SendContext): Promise<SendResult>;
  /** Where it sends, safe to print: the kind and the endpoint's scheme, host and port. */
  describe(settings: Settings): string;
  /**
   * An incident tool (PagerDuty): a resolve goes to it whenever the trigger did, so no incident
   * is left open there, even when `notify.recovery` does not name it.
   */
  readonly tracksIncidents: boolean;
}
