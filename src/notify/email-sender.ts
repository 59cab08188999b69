import type { Secret } from '../config/index.ts';
import { createHash } from 'node:crypto';
import { hostname } from 'node:os';
import { createTransport } from 'nodemailer';
import { coerceError } from '../errors/index.ts';
import { DeliveryError } from './delivery-error.ts';
import { networkReason } from './http-post.ts';
import type { Notification } from './notification.ts';
import { stateLabel, truncate } from './notification.ts';
import type { Sender } from './sender.ts';

/** What this sender reads of a email channel's settings. */
export interface EmailSettings {
  readonly to: string | readonly string[];
  readonly from?: string | undefined;
  readonly smtp_url: Secret;
  readonly subject_prefix?: string | undefined;
  readonly url?: string | undefined;
}

export const defaultSubjectPrefix = '[cronplane]';

export interface EmailMessage {
  readonly subject: string;
  readonly text: string;
  readonly html: string;
  readonly headers: Readonly<Record<string, string>>;
}

/**
 * The e-mail for a notification: `PREFIX [STATE] title` as the subject, a plain-text body (and
 * the same as simple HTML), and a `References` header derived from the dedup key so a
 * trigger, its repeats and its resolve thread together in a mail client.
 */
export function emailMessage(
  notification: Notification,
  settings: Pick<EmailSettings, 'subject_prefix'>,
): EmailMessage {
  const state = stateLabel(notification);
  const prefix = settings.subject_prefix ?? defaultSubjectPrefix;
  const subject = truncate(
    `${prefix === '' ? '' : `${prefix} `}[${state}] ${notification.title}`.replace(/\s+/g, ' '),
    200,
  );
  const facts = factLines(notification, state);
  const details = Object.entries(notification.details);
  const summary = notification.summary.trim();
  const text = [
    notification.title,
    '',
    ...facts.map(([label, value]) => `${`${label}:`.padEnd(10)} ${value}`),
    ...(summary === '' ? [] : ['', summary]),
    ...(details.length === 0 ? [] : ['', 'Details:', ...details.map(([key, value]) => `  ${key}: ${value}`)]),
    '',
    `Dedup key: ${notification.dedupKey}`,
    '-- ',
    'Sent by cronplane.',
    '',
  ].join('\n');
  const html = [
    '<!doctype html><html><body style="font-family: sans-serif">',
    `<h2>${escapeHtml(notification.title)}</h2>`,
    '<table>',
    ...facts.map(
      ([label, value]) =>
        `<tr><th align="left">${escapeHtml(label)}</th><td>${
          label === 'Link' ? `<a href="${escapeHtml(value)}">${escapeHtml(value)}</a>` : escapeHtml(value)
        }</td></tr>`,
    ),
    '</table>',
    ...(summary === '' ? [] : [`<pre>${escapeHtml(summary)}</pre>`]),
    ...(details.length === 0
      ? []
      : [
          '<h3>Details</h3><table>',
          ...details.map(
            ([key, value]) =>
              `<tr><th align="left">${escapeHtml(key)}</th><td>${escapeHtml(String(value))}</td></tr>`,
          ),
          '</table>',
        ]),
    `<p style="color: #666">Dedup key: <code>${escapeHtml(notification.dedupKey)}</code> · sent by cronplane</p>`,
    '</body></html>',
  ].join('\n');
  const thread = `<${createHash('sha256').update(notification.dedupKey).digest('hex').slice(0, 32)}@cronplane>`;
  return {
    subject,
    text,
    html,
    headers: {
      References: thread,
      'X-Cronplane-Kind': notification.kind,
      'X-Cronplane-Dedup-Key': notification.dedupKey,
    },
  };
}

/**
 * The SMTP server to use: `smtp_url`, or `url`'s scheme, host and port with `smtp_url`'s user,
 * password and options.
 */
export function smtpUrlOf(settings: Pick<EmailSettings, 'smtp_url' | 'url'>): string {
  const base = settings.smtp_url.reveal();
  if (settings.url === undefined) return base;
  const target = new URL(base);
  const server = new URL(settings.url);
  target.protocol = server.protocol;
  target.hostname = server.hostname;
  target.port = server.port;
  return target.toString();
}

/** Sends the e-mail over SMTP with nodemailer: one connection per message, closed after it. */
export const sendEmail: Sender<EmailSettings> = async (settings, notification, context) => {
  let url: URL;
  try {
    url = new URL(smtpUrlOf(settings));
  } catch {
    throw new DeliveryError('smtp_url is not a valid smtp:// or smtps:// URL', { retryable: false });
  }
  if (url.protocol !== 'smtp:' && url.protocol !== 'smtps:') {
    throw new DeliveryError(`smtp_url must start with smtp:// or smtps://, not ${url.protocol}//`, {
      retryable: false,
    });
  }
  const server = `${url.protocol}//${url.host}`;
  const message = emailMessage(notification, settings);
  const transport = createTransport({
    url: url.toString(),
    connectionTimeout: context.timeoutMs,
    greetingTimeout: context.timeoutMs,
    socketTimeout: context.timeoutMs,
    dnsTimeout: context.timeoutMs,
    logger: false,
  });
  try {
    const info = await transport.sendMail({
      from: settings.from ?? `cronplane <cronplane@${hostname()}>`,
      to: typeof settings.to === 'string' ? settings.to : [...settings.to],
      subject: message.subject,
      text: message.text,
      html: message.html,
      headers: message.headers,
      signal: context.signal,
    });
    const rejected = info.rejected.length === 0 ? '' : `; rejected: ${info.rejected.map(String).join(', ')}`;
    return { status: 250, detail: `message-id ${info.messageId}${rejected}` };
  } catch (thrown) {
    throw smtpFailure(thrown, server, context);
  } finally {
    transport.close();
  }
};

function smtpFailure(
  thrown: unknown,
  server: string,
  context: Parameters<Sender<EmailSettings>>[2],
): DeliveryError {
  const error = coerceError(thrown) as Error & { code?: unknown; responseCode?: unknown };
  const responseCode = typeof error.responseCode === 'number' ? error.responseCode : undefined;
  if (context.signal.aborted) {
    return new DeliveryError(`SMTP ${server}: ${networkReason(thrown, context)}`, {
      retryable: true,
      cause: thrown,
    });
  }
  // A 5xx reply is permanent (unknown recipient, refused sender); a wrong login does not heal either.
  const retryable = responseCode === undefined ? error.code !== 'EAUTH' : responseCode < 500;
  return new DeliveryError(`SMTP ${server}: ${error.message}`, {
    retryable,
    ...(responseCode === undefined ? {} : { status: responseCode }),
    cause: thrown,
  });
}

function factLines(notification: Notification, state: string): [string, string][] {
  const facts: [string, string][] = [
    ['State', `${state}${notification.kind === 'trigger' ? '' : ` (${notification.severity})`}`],
  ];
  if (notification.job !== undefined) facts.push(['Job', notification.job]);
  if (notification.runId !== undefined) facts.push(['Run', String(notification.runId)]);
  if (notification.event !== undefined) facts.push(['Event', notification.event]);
  if (notification.link !== undefined) facts.push(['Link', notification.link]);
  return facts;
}

function escapeHtml(text: string): string {
  return text
    .replaceAll('&', '&amp;')
    .replaceAll('<', '&lt;')
    .replaceAll('>', '&gt;')
    .replaceAll('"', '&quot;');
}
