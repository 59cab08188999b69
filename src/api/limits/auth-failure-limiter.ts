/** How many failed authentications one client address may make. */
export interface AuthFailureLimit {
  /** Failures an address may make in a burst. */
  readonly burst: number;
  /** One more failure is allowed every `refillMs` (the bucket refills up to `burst`). */
  readonly refillMs: number;
  /** Addresses followed at most; the one seen least recently is forgotten first. */
  readonly maxAddresses: number;
}

/** 20 failures in a burst, then one every 10 s; 10,000 addresses followed. */
export const defaultAuthFailureLimit: AuthFailureLimit = {
  burst: 20,
  refillMs: 10_000,
  maxAddresses: 10_000,
};

/** Token hashes remembered per address as having worked from it. */
const trustedPerAddress = 8;

interface Bucket {
  /** Failures still allowed (fractional while refilling). */
  tokens: number;
  /** When `tokens` was last brought up to date. */
  at: number;
  /** sha256 of tokens that authenticated from this address: still served while it is blocked. */
  readonly trusted: Set<string>;
}

/**
 * A token bucket of failed authentications per client address key (see `clientAddressKey`).
 * Only failures take from it. An address whose bucket is empty is blocked: a token it presents is
 * not even checked unless it already authenticated from that address, so guessing stops there
 * while the callers that hold a valid token (behind the same NAT or proxy) go on working.
 * Memory is bounded: at most `maxAddresses` buckets, least recently seen dropped first, and a
 * bucket that is full again and trusts nothing is dropped as soon as it is seen.
 */
export class AuthFailureLimiter {
  readonly limit: AuthFailureLimit;
  readonly #now: () => number;
  readonly #buckets = new Map<string, Bucket>();

  constructor(limit: AuthFailureLimit, now: () => number) {
    this.limit = limit;
    this.#now = now;
  }

  /** Addresses followed now. */
  get size(): number {
    return this.#buckets.size;
  }

  /** Whole seconds until the address may present an unknown token again; 0 when it may now. */
  waitSeconds(key: string): number {
    const bucket = this.#current(key);
    if (bucket === undefined || bucket.tokens >= 1) return 0;
    return Math.max(1, Math.ceil(((1 - bucket.tokens) * this.limit.refillMs) / 1000));
  }

  /** True when a token of this hash authenticated from this address before. */
  trusts(key: string, hash: string): boolean {
    return this.#current(key)?.trusted.has(hash) ?? false;
  }

  /** Takes one failure from the address's bucket; true when that leaves it blocked. */
  failed(key: string): boolean {
    const bucket = this.#current(key) ?? this.#create(key);
    const before = bucket.tokens;
    bucket.tokens = Math.max(0, bucket.tokens - 1);
    return before >= 1 && bucket.tokens < 1;
  }

  /** Remembers that the token (its sha256) worked from this address. */
  succeeded(key: string, hash: string): void {
    const bucket = this.#current(key) ?? this.#create(key);
    bucket.trusted.delete(hash);
    bucket.trusted.add(hash);
    if (bucket.trusted.size > trustedPerAddress) {
      const oldest = bucket.trusted.values().next().value;
      if (oldest !== undefined) bucket.trusted.delete(oldest);
    }
  }

  /** The address's bucket refilled up to now and marked as seen, or undefined if not followed. */
  #current(key: string): Bucket | undefined {
    const bucket = this.#buckets.get(key);
    if (bucket === undefined) return undefined;
    const now = this.#now();
    const { burst, refillMs } = this.limit;
    bucket.tokens = Math.min(burst, bucket.tokens + Math.max(0, now - bucket.at) / refillMs);
    bucket.at = now;
    this.#buckets.delete(key);
    if (bucket.tokens >= burst && bucket.trusted.size === 0) return undefined;
    this.#buckets.set(key, bucket);
    return bucket;
  }

  #create(key: string): Bucket {
    const bucket: Bucket = { tokens: this.limit.burst, at: this.#now(), trusted: new Set() };
    this.#buckets.set(key, bucket);
    while (this.#buckets.size > this.limit.maxAddresses) {
      const oldest = this.#buckets.keys().next().value;
      if (oldest === undefined) break;
      this.#buckets.delete(oldest);
    }
    return bucket;
  }
}
