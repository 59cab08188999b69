/** Kubernetes allows 52 characters in a CronJob's name: it appends 11 to name the Jobs it starts. */
export const maxCronJobName = 52;

/**
 * A name as a DNS-1123 label a CronJob takes: lowercase letters, digits and `-`, starting and
 * ending with a letter or digit, at most 52 characters. Every other character becomes `-`.
 */
export function dnsLabel(name: string): string {
  const label = name
    .toLowerCase()
    .replace(/[^a-z0-9-]+/g, '-')
    .slice(0, maxCronJobName)
    .replace(/^-+|-+$/g, '');
  return label === '' ? 'job' : label;
}
