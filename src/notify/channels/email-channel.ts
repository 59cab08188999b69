import { z } from 'zod';
import { collectSecrets, quietHoursSchema, secretSchema } from '../../config/index.ts';
import type { ChannelKindDefinition } from '../channel-kind.ts';
import { originOf } from '../origin-of.ts';
import { sendEmail, smtpUrlOf } from '../email-sender.ts';

const emailChannelSchema = z.strictObject({
  to: z.union([z.string().min(3), z.array(z.string().min(3)).min(1)]),
  from: z.string().optional(),
  smtp_url: secretSchema,
  subject_prefix: z.string().optional(),
  /** Replaces the server of smtp_url (smtp://host:port), keeping its user and password. */
  url: z.string().optional(),
  quiet_hours: quietHoursSchema.optional(),
});

export type EmailChannelSettings = z.output<typeof emailChannelSchema>;

/** E-mail over SMTP (nodemailer): text and HTML, one connection per message. */
export const emailChannel: ChannelKindDefinition<EmailChannelSettings> = {
  kind: 'email',
  schema: emailChannelSchema,
  secrets: (settings) => collectSecrets(settings),
  send: sendEmail,
  describe(settings) {
    const to = typeof settings.to === 'string' ? settings.to : settings.to.join(', ');
    let server = 'an invalid smtp_url';
    try {
      server = originOf(smtpUrlOf(settings));
    } catch {
      // Said as such; the send reports it too.
    }
    return `email to ${to}, ${server}`;
  },
  tracksIncidents: false,
};
