/** The problem said of a time zone that is not an IANA name. */
export function timeZoneMessage(zone: string): string {
  return `unknown time zone ${JSON.stringify(zone)}: expected an IANA name such as "UTC" or "Europe/Berlin"`;
}
