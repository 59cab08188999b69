import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';

/**
 * API tokens look like `cpt_<id>_<secret>`: the 12-hex-digit id finds the token's row, the
 * 32 random bytes of secret (base64url) make it unguessable. Only sha256 of the whole token is
 * stored; a presented token is hashed and compared with the stored hash in constant time.
 */
export const tokenPrefix = 'cpt_';

const tokenPattern = /^cpt_([0-9a-f]{12})_([A-Za-z0-9_-]{43})$/;

export interface IssuedToken {
  /** The token: shown once, never stored. */
  readonly token: string;
  readonly id: string;
  readonly hash: string;
}

export function issueToken(): IssuedToken {
  const id = randomBytes(6).toString('hex');
  const token = `${tokenPrefix}${id}_${randomBytes(32).toString('base64url')}`;
  return { token, id, hash: hashToken(token) };
}

/** The id of a token of cronplane's form, or undefined. */
export function tokenIdOf(token: string): string | undefined {
  return tokenPattern.exec(token)?.[1];
}

/** sha256 of the token, in hex. */
export function hashToken(token: string): string {
  return createHash('sha256').update(token, 'utf8').digest('hex');
}

/** Compares two sha256 hex digests in constant time. */
export function sameHash(a: string, b: string): boolean {
  const left = Buffer.from(a, 'hex');
  const right = Buffer.from(b, 'hex');
  return left.length === 32 && right.length === 32 && timingSafeEqual(left, right);
}
