import type { Notification } from '../notify/index.ts';
import { severityOrder } from '../notify/index.ts';

/** Lines of each member's summary a grouped message keeps. */
const memberLines = 6;

/**
 * One notification for several told to one channel within the group window: the most severe
 * member leads (its severity, event and dedup key, so PagerDuty opens one incident), the title
 * counts and names the jobs, the summary has each member's title and the start of its summary,
 * and the details hold one line per member.
 */
export function groupedNotification(members: readonly Notification[]): Notification {
  const ordered = [...members].sort(
    (a, b) => severityOrder.indexOf(b.severity) - severityOrder.indexOf(a.severity),
  );
  const lead = ordered[0] as Notification;
  const jobs = [...new Set(members.flatMap((member) => (member.job === undefined ? [] : [member.job])))];
  const verb = lead.kind === 'resolve' ? 'recovered' : 'failed';
  const what =
    jobs.length === members.length
      ? `${jobs.length} jobs ${verb}: ${jobs.join(', ')}`
      : `${members.length} incidents ${lead.kind === 'resolve' ? 'resolved' : 'opened'}${jobs.length === 0 ? '' : `: ${jobs.join(', ')}`}`;
  const details: Record<string, string | number> = {};
  members.forEach((member, index) => {
    const name = member.job ?? `incident ${index + 1}`;
    const key = Object.hasOwn(details, name) ? `${name} (${index + 1})` : name;
    details[key] = withoutJob(member);
  });
  const summary = members
    .map((member) => {
      const lines = member.summary.trim() === '' ? [] : member.summary.trimEnd().split('\n');
      const shown = lines.length > memberLines ? [...lines.slice(-memberLines)] : lines;
      return [
        `• ${member.title}${member.link === undefined ? '' : ` (${member.link})`}`,
        ...shown.map((line) => `  ${line}`),
      ].join('\n');
    })
    .join('\n');
  return {
    kind: lead.kind,
    dedupKey: lead.dedupKey,
    severity: lead.severity,
    title: what,
    summary,
    ...(lead.event === undefined ? {} : { event: lead.event }),
    details,
  };
}

/** `failed: HTTP 502` of `gw-a failed: HTTP 502`: the job is the detail's name already. */
function withoutJob(member: Notification): string {
  const job = member.job;
  if (job === undefined) return member.title;
  for (const prefix of [`${job}: `, `${job} `]) {
    if (member.title.startsWith(prefix)) return member.title.slice(prefix.length);
  }
  return member.title;
}
