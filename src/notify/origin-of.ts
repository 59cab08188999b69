/** Where a URL points, safe to print: its scheme, host and port (never a path, query or password). */
export function originOf(text: string): string {
  try {
    const url = new URL(text);
    return url.host === '' ? 'an invalid URL' : `${url.protocol}//${url.host}`;
  } catch {
    return 'an invalid URL';
  }
}
