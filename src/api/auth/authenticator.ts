import { CronplaneError, coerceError } from '../../errors/index.ts';
import type { Clock } from '../../clock/index.ts';
import type { Logger } from '../../logging/index.ts';
import type { ApiTokenRecord, Store } from '../../store/index.ts';
import { ApiError } from '../http/api-error.ts';
import type { AuthFailureLimiter } from '../limits/auth-failure-limiter.ts';
import { clientAddressKey } from '../limits/client-address-key.ts';
import { hashToken, sameHash, tokenIdOf } from './api-token.ts';
import type { Caller } from '../http/caller.ts';
import { bootstrapCallerName } from '../http/caller.ts';
import { compileJobPatterns } from './job-patterns.ts';

export interface AuthenticatorOptions {
  readonly store: Store;
  readonly clock: Clock;
  readonly logger: Logger;
  /** CRONPLANE_TOKEN: an admin token from the environment, for bootstrapping. */
  readonly bootstrapToken?: string | undefined;
  /** How long a looked-up token is trusted before it is read again (revocations apply after it). */
  readonly cacheMs?: number;
  /** Failed authentications per client address; unlimited without it. */
  readonly failures?: AuthFailureLimiter;
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

  /**
   * The caller of a request from `address` (the client's IP address). A 401 counts against the
   * address; an address past its limit gets a 429 without its token being checked, unless that
   * token worked from it before.
   */
  async authenticate(header: string | undefined, address?: string): Promise<Caller> {
    const failures = this.#options.failures;
    const token = header === undefined ? undefined : /^Bearer +(\S+) *$/i.exec(header)?.[1];
    const hash = token === undefined ? undefined : hashToken(token);
    const key = failures === undefined || address === undefined ? undefined : clientAddressKey(address);
    if (failures === undefined || key === undefined) return this.#check(header, token, hash);
    const wait = failures.waitSeconds(key);
    if (wait > 0 && (hash === undefined || !failures.trusts(key, hash))) {
      throw new ApiError(
        429,
        'api.rate-limited',
        `too many failed authentications from ${key}; try again in ${wait} s`,
        { headers: { 'retry-after': String(wait) } },
      );
    }
    let caller: Caller;
    try {
      caller = await this.#check(header, token, hash);
    } catch (thrown) {
      if (thrown instanceof ApiError && thrown.statusCode === 401 && failures.failed(key)) {
        this.#options.logger.warn(
          { address: key, burst: failures.limit.burst, refillMs: failures.limit.refillMs },
          'an address failed authentication too often: its unknown tokens are refused with 429 for now',
        );
      }
      throw thrown;
    }
    if (hash !== undefined) failures.succeeded(key, hash);
    return caller;
  }

  async #check(
    header: string | undefined,
    token: string | undefined,
    hash: string | undefined,
  ): Promise<Caller> {
    if (header === undefined || header === '') {
      throw new ApiError(
        401,
        'api.unauthorized',
        'this endpoint needs a token: send "Authorization: Bearer <token>" (create one with: cronplane token create NAME --scope read)',
        { headers: challenge },
      );
    }
    if (token === undefined || hash === undefined) {
      throw new ApiError(401, 'api.unauthorized', 'the Authorization header must be "Bearer <token>"', {
        headers: challenge,
      });
    }
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
