/** The password a written store URL shows instead of the real one. */
export const passwordPlaceholder = 'REPLACE-ME';

/**
 * The store URL to write into a deployment file: a PostgreSQL URL as resolved, its password (if
 * any) replaced by REPLACE-ME, since a written file never carries a secret; anything else (SQLite,
 * the default) is `fallback`. `replaced` says which of the two happened.
 */
export function deployedStoreUrl(
  storeUrl: string,
  fallback: string,
): { readonly url: string; readonly postgres: boolean; readonly passwordReplaced: boolean } {
  if (!/^postgres(?:ql)?:\/\//.test(storeUrl))
    return { url: fallback, postgres: false, passwordReplaced: false };
  const match = /^(postgres(?:ql)?:\/\/[^:/@]+:)[^@]*@/.exec(storeUrl);
  if (match === null) return { url: storeUrl, postgres: true, passwordReplaced: false };
  return {
    url: `${match[1] ?? ''}${passwordPlaceholder}@${storeUrl.slice(match[0].length)}`,
    postgres: true,
    passwordReplaced: true,
  };
}
