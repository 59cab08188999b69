/**
 * A job's systemd unit name: the job name, with every character a unit name cannot hold written
 * as systemd-escape writes it (`\xNN`). Job names are `[a-z0-9._-]`, so only fan-out keys can
 * bring odd characters; `-` stays as it is (unit names take it, and it reads as the job file does).
 */
export function unitNameFor(name: string): string {
  let escaped = '';
  for (const [index, char] of [...name].entries()) {
    const plain = /^[A-Za-z0-9:_.-]$/.test(char) && !(index === 0 && char === '.');
    escaped += plain ? char : escapeChar(char);
  }
  return escaped;
}

function escapeChar(char: string): string {
  return [...Buffer.from(char, 'utf8')].map((byte) => `\\x${byte.toString(16).padStart(2, '0')}`).join('');
}
