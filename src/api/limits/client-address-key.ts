import { isIPv4, isIPv6 } from 'node:net';

/**
 * The key a client address is counted under: an IPv4 address as it is (an IPv4-mapped IPv6
 * address, `::ffff:203.0.113.9`, as its IPv4 form), an IPv6 address by its /64 network
 * (`2001:db8:1:2::/64`), since one host or one customer usually holds a whole /64 and could
 * otherwise step through its addresses. Anything else (a Unix socket) is counted as it is.
 */
export function clientAddressKey(address: string): string {
  const plain = address.split('%')[0] ?? address;
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(plain);
  if (mapped !== null) return mapped[1] as string;
  if (isIPv4(plain)) return plain;
  if (!isIPv6(plain)) return address;
  const groups = expandIPv6(plain);
  return `${groups
    .slice(0, 4)
    .map((group) => group.toString(16))
    .join(':')}::/64`;
}

/** The eight 16-bit groups of a valid IPv6 address (`::` and a dotted IPv4 tail expanded). */
function expandIPv6(address: string): number[] {
  const parts = address.toLowerCase().split('::');
  const groupsOf = (text: string | undefined): number[] => {
    if (text === undefined || text === '') return [];
    return text.split(':').flatMap((part) => {
      if (!part.includes('.')) return [Number.parseInt(part, 16)];
      const [a = 0, b = 0, c = 0, d = 0] = part.split('.').map(Number);
      return [(a << 8) | b, (c << 8) | d];
    });
  };
  const head = groupsOf(parts[0]);
  const tail = groupsOf(parts[1]);
  const missing = parts.length === 2 ? 8 - head.length - tail.length : 0;
  return [...head, ...Array.from({ length: missing }, () => 0), ...tail];
}
