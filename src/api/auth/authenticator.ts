import { CronplaneError, coerceError } from '../../errors/index.ts';
import type { Clock } from '../../engine/index.ts';
import type { Logger } from '../../logging/index.ts';
import type { ApiTokenRecord, Store } from '../../store/index.ts';
import { ApiError } from '../http/api-error.ts';
import { hashToken, sameHash, tokenIdOf } from './api-token.ts';
import type { Caller } from './caller.ts';
import { bootstrapCallerName } from './caller.ts';
import { compileJobPatterns } from './job-patterns.ts';

export interface AuthenticatorOptions {
  readonly store: Store;
  readonly clock: Clock;
  readonly logger: Logger;
  /** CRONPLANE_TOKEN: an admin token from the environment, for bootstrapping. */
  readonly bootstrapToken?: string | undefined;
  /** How long a looked-up token is trusted before it is read again (revocations apply after it). */
  readonly cacheMs?: number;
}

/** The shortest CRONPLANE_TOKEN accepted. */
export const minBootstrapTokenLength = 16;

const challenge = { 'www-authenticate': 'Bearer realm="cronplane"' };

/**
 * Turns an `Authorization: Bearer ...` header into a caller, or refuses with a 401 that never
 * repeats the token. Stored tokens are found by their id and compared by hash in constant time;
 * CRONPLANE_TOKEN is compared the same way.
 */
export class Authenticator {
  readonly #options: AuthenticatorOptions;
  readonly #bootstrapHash: string | undefined;
  readonly #cache = new Map<
    string,
    { readonly record: ApiTokenRecord | undefined; readonly until: number }
  >();
  readonly #touched = new Map<string, number>();

  constructor(options: AuthenticatorOptions) {
    const bootstrap = options.bootstrapToken;
    if (bootstrap !== undefined && bootstrap.length < minBootstrapTokenLength) {
      throw new CronplaneError(
        'api.bootstrap-token',
        `CRONPLANE_TOKEN is ${bootstrap.length} characters long; use at least ${minBootstrapTokenLength} random characters (it is an admin token)`,
        { location: { path: 'CRONPLANE_TOKEN' } },
      );
    }
    this.#options = options;
    this.#bootstrapHash = bootstrap === undefined ? undefined : hashToken(bootstrap);
  }

  /** Forgets cached tokens (after a revocation through the API). */
  forget(): void {
    this.#cache.clear();
  }

  async authenticate(header: string | undefined): Promise<Caller> {
    if (header === undefined || header === '') {
      throw new ApiError(
        401,
        'api.unauthorized',
        'this endpoint needs a token: send "Authorization: Bearer <token>" (create one with: cronplane token create NAME --scope read)',
        { headers: challenge },
      );
    }
    const match = /^Bearer +(\S+) *$/i.exec(header);
    if (match === null) {
      throw new ApiError(401, 'api.unauthorized', 'the Authorization header must be "Bearer <token>"', {
        headers: challenge,
      });
    }
    const token = match[1] as string;
    const hash = hashToken(token);
    if (this.#bootstrapHash !== undefined && sameHash(hash, this.#bootstrapHash)) {
      return {
        name: bootstrapCallerName,
        tokenId: bootstrapCallerName,
        scope: 'admin',
        jobs: [],
        mayAccess: () => true,
      };
    }
    const id = tokenIdOf(token);
    const record = id === undefined ? undefined : await this.#lookUp(id);
    if (record === undefined || record.revokedAt !== null || !sameHash(hash, record.hash)) {
      throw new ApiError(
        401,
        'api.unauthorized',
        'the bearer token is not valid: unknown, revoked or mistyped',
        {
          headers: challenge,
        },
      );
    }
    this.#touch(record.id);
    return {
      name: record.name,
      tokenId: record.id,
      scope: record.scope,
      jobs: record.jobs,
      mayAccess: compileJobPatterns(record.jobs),
    };
  }

  async #lookUp(id: string): Promise<ApiTokenRecord | undefined> {
    const now = this.#options.clock.now();
    const cached = this.#cache.get(id);
    if (cached !== undefined && cached.until > now) return cached.record;
    const record = await this.#options.store.getApiToken(id);
    if (this.#cache.size > 10_000) this.#cache.clear();
    this.#cache.set(id, { record, until: now + (this.#options.cacheMs ?? 2000) });
    return record;
  }

  /** Records the last use, at most once a minute per token. */
  #touch(id: string): void {
    const { store, clock, logger } = this.#options;
    const now = clock.now();
    if ((this.#touched.get(id) ?? -Infinity) > now - 60_000) return;
    this.#touched.set(id, now);
    void store.touchApiToken(id, now).catch((thrown: unknown) => {
      logger.warn({ err: coerceError(thrown) }, 'recording when a token was last used failed');
    });
  }
}
