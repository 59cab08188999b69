/**
 * The `Content-Type` an HTTP job's request gets when the job names none: JSON for a body that is
 * a JSON object or array, plain text otherwise. The HTTP executor sends it; an exported `curl`
 * line (src/interop) writes the same header, so both make one request.
 */
export function bodyContentType(body: string): string {
  return isJson(body) ? 'application/json' : 'text/plain; charset=utf-8';
}

function isJson(text: string): boolean {
  const first = text.trimStart()[0];
  if (first !== '{' && first !== '[') return false;
  try {
    JSON.parse(text);
    return true;
  } catch {
    return false;
  }
}
