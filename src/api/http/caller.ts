import type { ApiScope } from '../../store/index.ts';

/** Who is asking: a token's name, scope and the jobs it may touch. */
export interface Caller {
  /** The token's name, recorded in the audit log (`bootstrap` for CRONPLANE_TOKEN). */
  readonly name: string;
  /** The token's public id (rate limits count per token). */
  readonly tokenId: string;
  readonly scope: ApiScope;
  /** Job-name patterns the token is limited to; empty for every job. */
  readonly jobs: readonly string[];
  readonly mayAccess: (job: string) => boolean;
}

const rank: { readonly [Scope in ApiScope]: number } = { read: 1, trigger: 2, admin: 3 };

/** Each scope includes the ones below it: admin > trigger > read. */
export function scopeAllows(have: ApiScope, need: ApiScope): boolean {
  return rank[have] >= rank[need];
}

/** The token's name under which CRONPLANE_TOKEN acts. */
export const bootstrapCallerName = 'bootstrap';
