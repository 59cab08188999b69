import type { FastifyReply, FastifyRequest } from 'fastify';
import type { z } from 'zod';
import type { ApiScope } from '../../store/index.ts';
import type { ApiContext } from '../api-context.ts';
import type { Caller } from './caller.ts';

/** What a route needs of the caller: a scope, or nothing (health, metrics). */
export type RouteAccess = ApiScope | 'public';

export interface Answer {
  readonly status: number;
  readonly body: unknown;
  readonly contentType?: string;
  readonly headers?: Readonly<Record<string, string>>;
}

export interface RouteInput<P, Q, B> {
  readonly path: P;
  readonly query: Q;
  readonly body: B;
  /** The authenticated caller (undefined on public routes). */
  readonly caller: Caller;
  readonly context: ApiContext;
  readonly request: FastifyRequest;
  readonly reply: FastifyReply;
}

export interface ResponseSpec {
  readonly description: string;
  readonly schema?: z.ZodType;
  /** `application/json` unless said otherwise. */
  readonly contentType?: string;
}

type Out<S> = S extends z.ZodType ? z.output<S> : undefined;

export interface RouteDefinition<
  P extends z.ZodType | undefined,
  Q extends z.ZodType | undefined,
  B extends z.ZodType | undefined,
> {
  readonly method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  /** Fastify's form: `/api/runs/:id`. */
  readonly url: string;
  readonly operationId: string;
  readonly tag: string;
  readonly summary: string;
  readonly description?: string;
  readonly access: RouteAccess;
  /** Validates path parameters (strict object). */
  readonly path?: P;
  /** Validates the query string (strict object of strings). */
  readonly query?: Q;
  /** Validates the JSON body; an absent body is validated as `{}`. */
  readonly body?: B;
  readonly responses: Readonly<Record<number, ResponseSpec>>;
  /** Not counted by the per-token rate limit. */
  readonly unlimited?: boolean;
  /** Takes a body of any content type, read as capped text (`PingBody`), instead of JSON. */
  readonly rawBody?: boolean;
  /** Limited per source address by its own limit (pings), rather than per token. */
  readonly rateLimit?: 'per-address';
  /** Answers itself (Server-Sent Events) and returns undefined. */
  handle(input: RouteInput<Out<P>, Out<Q>, Out<B>>): Promise<Answer | undefined>;
}

/** A route with its types erased, as the server and the OpenAPI writer see it. */
export interface ApiRoute {
  readonly method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  readonly url: string;
  readonly operationId: string;
  readonly tag: string;
  readonly summary: string;
  readonly description?: string;
  readonly access: RouteAccess;
  readonly path?: z.ZodType;
  readonly query?: z.ZodType;
  readonly body?: z.ZodType;
  readonly responses: Readonly<Record<number, ResponseSpec>>;
  readonly unlimited?: boolean;
  readonly rawBody?: boolean;
  readonly rateLimit?: 'per-address';
  handle(input: RouteInput<unknown, unknown, unknown>): Promise<Answer | undefined>;
}

/** Declares a route: its schemas are the one source of validation and of the OpenAPI document. */
export function defineRoute<
  P extends z.ZodType | undefined = undefined,
  Q extends z.ZodType | undefined = undefined,
  B extends z.ZodType | undefined = undefined,
>(definition: RouteDefinition<P, Q, B>): ApiRoute {
  return definition as unknown as ApiRoute;
}

export function json(status: number, body: unknown): Answer {
  return { status, body };
}

/** The JSON text of answers given again and again (frozen kept pages), keyed by the object. */
const jsonTexts = new WeakMap<object, string>();

/**
 * A JSON answer whose body is written to text once per object, for bodies that are shared and
 * never change (`RunPageCache`'s pages): the same text as `json` would send.
 */
export function jsonOnce(status: number, body: object): Answer {
  let text = jsonTexts.get(body);
  if (text === undefined) {
    text = JSON.stringify(body);
    jsonTexts.set(body, text);
  }
  return { status, body: text, contentType: 'application/json; charset=utf-8' };
}
