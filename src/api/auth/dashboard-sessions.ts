import { randomBytes, randomUUID } from 'node:crypto';
import type { Clock } from '../../clock/index.ts';
import { hashToken } from './api-token.ts';

/** A signed-in dashboard: the token it was opened with, its CSRF token and when it ends. */
export interface DashboardSession {
  /** The API token, kept in this process's memory only: each request is authenticated with it again. */
  readonly token: string;
  /** Sent back by the app in `x-csrf-token` on every mutating call. */
  readonly csrfToken: string;
  /** Epoch ms. */
  readonly expiresAt: number;
}

export interface OpenedSession extends DashboardSession {
  /** The id the cookie carries; only its hash is kept. */
  readonly id: string;
}

/** How long a session lasts from sign-in (12 hours). */
export const defaultSessionTtlMs = 12 * 60 * 60 * 1000;
/** The most sessions one node keeps; past it the oldest is ended. */
const maxSessions = 10_000;
/** How long a sign-in code lasts (2 minutes): long enough to open the link, short enough to be worthless later. */
export const signInCodeTtlMs = 2 * 60 * 1000;
/** The most unused sign-in codes one node keeps; past it the oldest is dropped. */
const maxCodes = 1000;

/** A one-time sign-in code: what `cronplane dashboard` puts in its link instead of a token. */
export interface SignInCode {
  readonly code: string;
  /** Epoch ms. */
  readonly expiresAt: number;
}

/**
 * The dashboard's sessions, in this node's memory: a random id in an HttpOnly cookie stands for an
 * API token, until it expires, is ended by sign-out, or the daemon restarts (then the app asks to
 * sign in again). A revoked token ends its sessions at their next request, since every request is
 * authenticated with the token again.
 */
export class DashboardSessions {
  readonly #clock: Clock;
  readonly #ttlMs: number;
  readonly #byHash = new Map<string, DashboardSession>();
  readonly #codes = new Map<string, { readonly token: string; readonly expiresAt: number }>();

  constructor(clock: Clock, ttlMs = defaultSessionTtlMs) {
    this.#clock = clock;
    this.#ttlMs = ttlMs;
  }

  open(token: string): OpenedSession {
    const id = randomBytes(32).toString('base64url');
    const session: DashboardSession = {
      token,
      csrfToken: randomBytes(24).toString('base64url'),
      expiresAt: this.#clock.now() + this.#ttlMs,
    };
    if (this.#byHash.size >= maxSessions) {
      const oldest = this.#byHash.keys().next().value;
      if (oldest !== undefined) this.#byHash.delete(oldest);
    }
    this.#byHash.set(hashToken(id), session);
    return { id, ...session };
  }

  /** The live session of a cookie's id; an expired one is forgotten and not found. */
  find(id: string): DashboardSession | undefined {
    const key = hashToken(id);
    const session = this.#byHash.get(key);
    if (session === undefined) return undefined;
    if (session.expiresAt <= this.#clock.now()) {
      this.#byHash.delete(key);
      return undefined;
    }
    return session;
  }

  /** A code that opens one session with `token`: usable once, within two minutes. */
  issueCode(token: string): SignInCode {
    const code = randomUUID();
    const expiresAt = this.#clock.now() + signInCodeTtlMs;
    if (this.#codes.size >= maxCodes) {
      const oldest = this.#codes.keys().next().value;
      if (oldest !== undefined) this.#codes.delete(oldest);
    }
    this.#codes.set(hashToken(code), { token, expiresAt });
    return { code, expiresAt };
  }

  /** The token a code stands for, once: the code is used up whether or not it was still valid. */
  redeemCode(code: string): string | undefined {
    const key = hashToken(code);
    const entry = this.#codes.get(key);
    this.#codes.delete(key);
    return entry === undefined || entry.expiresAt <= this.#clock.now() ? undefined : entry.token;
  }

  close(id: string): void {
    this.#byHash.delete(hashToken(id));
  }

  /** Seconds left of a session, for the cookie's Max-Age. */
  secondsLeft(session: DashboardSession): number {
    return Math.max(0, Math.ceil((session.expiresAt - this.#clock.now()) / 1000));
  }
}
