/** CRONPLANE_TOKEN, an admin token for the API that only the environment gives; unset when empty. */
export function bootstrapTokenOf(env: Readonly<Record<string, string | undefined>>): string | undefined {
  const token = env['CRONPLANE_TOKEN'];
  return token === undefined || token === '' ? undefined : token;
}
