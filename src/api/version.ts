import { readFileSync } from 'node:fs';

/** cronplane's version, from package.json (read when asked, not at import). */
export function cronplaneVersion(): string {
  const raw = readFileSync(new URL('../../package.json', import.meta.url), 'utf8');
  return (JSON.parse(raw) as { version: string }).version;
}
