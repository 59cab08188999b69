import type { IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';
import rateLimit from '@fastify/rate-limit';
import Fastify, { LogController } from 'fastify';
import type {
  FastifyBaseLogger,
  FastifyContextConfig,
  FastifyInstance,
  FastifyReply,
  FastifyRequest,
} from 'fastify';
import { z } from 'zod';
import type { ResolvedJob, ResolvedMonitor, SecretMask } from '../config/index.ts';
import type { Clock } from '../clock/index.ts';
import type { Engine } from '../engine/index.ts';
import { CronplaneError, coerceError } from '../errors/index.ts';
import type { Logger } from '../logging/index.ts';
import type { QueueDrainer } from '../queue/index.ts';
import type { Store, StoreHealth } from '../store/index.ts';
import type {
  ApiContext,
  NodePresenceView,
  MonitorPauser,
  PingReceiver,
  ResolveIncident,
} from './api-context.ts';
import { Authenticator } from './auth/authenticator.ts';
import type { Caller } from './auth/caller.ts';
import { scopeAllows } from './auth/caller.ts';
import { ApiError } from './http/api-error.ts';
import { answerClientError } from './http/client-error.ts';
import { errorAnswer, maxParamLength } from './http/error-answer.ts';
import { AuthFailureLimiter, defaultAuthFailureLimit } from './limits/auth-failure-limiter.ts';
import type { AuthFailureLimit } from './limits/auth-failure-limiter.ts';
import { LiveStreams, defaultLiveStreamLimit } from './limits/live-streams.ts';
import type { LiveStreamLimit } from './limits/live-streams.ts';
import { LiveLogs } from './live/live-logs.ts';
import { parseInput } from './http/parse-input.ts';
import { readPingBody } from './http/ping-body.ts';
import type { ApiRoute, RouteAccess } from './http/route.ts';
import type { ListenSetting } from './listen-address.ts';
import { isLoopback, urlOf } from './listen-address.ts';
import { addScrapeGauges } from './metrics/daemon-metrics.ts';
import type { MetricsRegistry } from './metrics/metrics-registry.ts';
import { buildOpenApi } from './openapi.ts';
import { adminRoutes } from './routes/admin-routes.ts';
import { eventRoutes } from './routes/event-routes.ts';
import { healthRoutes, openApiRoute } from './routes/health-routes.ts';
import { jobRoutes } from './routes/job-routes.ts';
import { logRoutes } from './routes/log-routes.ts';
import { monitorRoutes } from './routes/monitor-routes.ts';
import { nodeRoutes } from './routes/node-routes.ts';
import { pingRoutes } from './routes/ping-routes.ts';
import { queueRoutes } from './routes/queue-routes.ts';
import { runRoutes } from './routes/run-routes.ts';

/** Largest request body accepted (a queue item's payload is the largest thing sent). */
export const defaultBodyLimit = 1024 * 1024;

export interface RateLimit {
  /** Requests one token may make per window. */
  readonly max: number;
  readonly windowMs: number;
}

export const defaultRateLimit: RateLimit = { max: 6000, windowMs: 60_000 };
/** Pings one source address may send per window (a host running many monitored crontab lines). */
export const defaultPingRateLimit: RateLimit = { max: 1200, windowMs: 60_000 };

export interface ApiServerOptions {
  readonly store: Store;
  readonly engine: Engine;
  readonly clock: Clock;
  readonly node: string;
  readonly logger: Logger;
  readonly metrics: MetricsRegistry;
  readonly drainer?: QueueDrainer;
  readonly jobs: () => readonly ResolvedJob[];
  /**
   * The daemon's mask (the secrets of the job file in force and CRONPLANE_TOKEN): applied to
   * every answer, live-log event and ping body.
   */
  readonly mask: () => SecretMask;
  /** CRONPLANE_TOKEN, an admin token from the environment. */
  readonly bootstrapToken?: string;
  readonly version: string;
  readonly accepting?: () => boolean;
  readonly rateLimit?: RateLimit;
  readonly bodyLimit?: number;
  readonly ssePollMs?: number;
  /** The monitors of the job file in force (they change on reload). */
  readonly monitors?: () => readonly ResolvedMonitor[];
  /** Where pings go (the daemon's monitor watch); the store alone by default. */
  readonly pings?: PingReceiver;
  /** Where monitor pauses go (the daemon's monitor watch); the store alone by default. */
  readonly monitorPauser?: MonitorPauser;
  /** `server.public_url` of the job file in force, the base of ping URLs. */
  readonly publicUrl?: () => string | undefined;
  /** Pings per source address per window (default 1,200 a minute). */
  readonly pingRateLimit?: RateLimit;
  /** Manual resolves through the daemon's Alerter (so channels hear of them). */
  readonly resolveIncident?: ResolveIncident;
  /** Failed authentications per client address (default 20 in a burst, then one every 10 s). */
  readonly authFailureLimit?: AuthFailureLimit;
  /** Live-log streams open at once (default 10 per token, 200 in all). */
  readonly liveStreamLimit?: LiveStreamLimit;
  /** The daemon's store health: /readyz is not ready while the store cannot be written. */
  readonly storeHealth?: StoreHealth;
  /** This node in the cluster (drain, drift): /readyz and the nodes view read it. */
  readonly presence?: NodePresenceView;
}

interface RouteConfig {
  readonly access?: RouteAccess;
}

const emptyQuery = z.strictObject({});

/**
 * The HTTP API of one node (Fastify): JSON in and out, every input validated by the route's zod
 * schemas, bearer tokens with scopes on /api, a rate limit per token, one error handler, secret
 * values masked in every answer. `/healthz`, `/readyz` and `/metrics` need no token.
 */
export class ApiServer {
  readonly app: FastifyInstance;
  readonly context: ApiContext;
  readonly routes: readonly ApiRoute[];
  #url: string | undefined;
  readonly #ownUrl: { url: string | undefined };

  private constructor(
    app: FastifyInstance,
    context: ApiContext,
    routes: readonly ApiRoute[],
    ownUrl: { url: string | undefined },
  ) {
    this.app = app;
    this.#ownUrl = ownUrl;
    this.context = context;
    this.routes = routes;
  }

  /** The base URL once listening (`http://127.0.0.1:7070`). */
  get url(): string | undefined {
    return this.#url;
  }

  static async create(options: ApiServerOptions): Promise<ApiServer> {
    const logger = options.logger.child({ component: 'api' });
    const redact = (text: string): string => options.mask().redact(text);
    // The server's own URL is known once it listens (the holder is filled in then).
    const ownUrl: { url: string | undefined } = { url: undefined };
    const context: ApiContext = {
      store: options.store,
      engine: options.engine,
      clock: options.clock,
      node: options.node,
      logger,
      auth: new Authenticator({
        store: options.store,
        clock: options.clock,
        logger,
        bootstrapToken: options.bootstrapToken,
        failures: new AuthFailureLimiter(options.authFailureLimit ?? defaultAuthFailureLimit, () =>
          options.clock.now(),
        ),
      }),
      metrics: options.metrics,
      drainer: options.drainer,
      jobs: options.jobs,
      startedAt: Date.now(),
      version: options.version,
      accepting: options.accepting ?? (() => true),
      redact,
      streams: new LiveStreams(options.liveStreamLimit ?? defaultLiveStreamLimit),
      liveLogs: new LiveLogs({
        store: options.store,
        pollMs: options.ssePollMs ?? 200,
        redact,
        logger,
      }),
      monitors: options.monitors ?? (() => []),
      pings: options.pings ?? options.store,
      monitorPauser: options.monitorPauser ?? options.store,
      publicUrl: () => options.publicUrl?.() ?? ownUrl.url ?? defaultOwnUrl,
      resolveIncident: options.resolveIncident,
      storeHealth: options.storeHealth,
      presence: options.presence,
    };
    addScrapeGauges(options.metrics, context);
    const routes: ApiRoute[] = [
      ...healthRoutes,
      ...jobRoutes,
      ...queueRoutes,
      ...runRoutes,
      ...logRoutes,
      ...eventRoutes,
      ...adminRoutes,
      ...monitorRoutes,
      ...nodeRoutes,
      ...pingRoutes,
    ];
    let document: unknown;
    routes.push(openApiRoute(() => (document ??= buildOpenApi(routes, options.version))));

    const app = Fastify({
      loggerInstance: logger as FastifyBaseLogger,
      logController: new LogController({ disableRequestLogging: true }),
      bodyLimit: options.bodyLimit ?? defaultBodyLimit,
      forceCloseConnections: true,
      return503OnClosing: true,
      routerOptions: { maxParamLength },
      // Requests the HTTP parser refuses (framing, chunked encoding, header size) get the error shape too.
      clientErrorHandler: answerClientError(logger),
      // A URL the router cannot decode (`%FF`) is answered before any hook or error handler.
      frameworkErrors: (error, _request, rawReply) => {
        const answer = errorAnswer(error);
        void (rawReply as FastifyReply)
          .code(answer.status)
          .type('application/json; charset=utf-8')
          .send({ error: { ...answer.body.error, path: 'path' } });
      },
    });
    const callers = new WeakMap<FastifyRequest, Caller>();

    // JSON only: any other body is a 415.
    app.removeAllContentTypeParsers();
    app.addContentTypeParser('application/json', { parseAs: 'string' }, (_request, body, done) => {
      const text = String(body);
      if (text.trim() === '') {
        done(null, undefined);
        return;
      }
      try {
        done(null, JSON.parse(text, refuseProtoKeys));
      } catch (thrown) {
        done(
          new ApiError(
            400,
            'api.invalid-json',
            `the body is not valid JSON: ${coerceError(thrown).message}`,
            {
              path: 'body',
            },
          ),
          undefined,
        );
      }
    });

    app.setErrorHandler((error, request, reply) => {
      const answer = errorAnswer(error);
      if (answer.internal) {
        logger.error({ err: coerceError(error), method: request.method, url: request.url }, 'request failed');
      } else {
        logger.debug(
          { code: answer.body.error.code, method: request.method, url: request.url },
          'request refused',
        );
      }
      void reply
        .code(answer.status)
        .headers(answer.headers)
        .type('application/json; charset=utf-8')
        .send(answer.body);
    });
    app.setNotFoundHandler((request, reply) => {
      void reply
        .code(404)
        .type('application/json; charset=utf-8')
        .send({
          error: {
            code: 'api.not-found',
            message: `no endpoint ${request.method} ${request.url.split('?')[0] ?? ''}; the endpoints are listed at /api/openapi.json`,
          },
        });
    });

    // Authentication first (failures limited per client address): the rate limit (a route-level
    // hook) then counts per token.
    app.addHook('onRequest', async (request) => {
      const access = (request.routeOptions.config as RouteConfig | undefined)?.access;
      if (access === undefined || access === 'public') return;
      const caller = await context.auth.authenticate(request.headers.authorization, request.ip);
      if (!scopeAllows(caller.scope, access)) {
        throw new ApiError(
          403,
          'api.forbidden',
          `token "${caller.name}" has scope ${caller.scope}; ${request.method} ${request.routeOptions.url ?? ''} needs ${access}`,
        );
      }
      callers.set(request, caller);
    });
    app.addHook('onSend', async (_request, reply, payload) => {
      if (typeof payload !== 'string') return payload;
      const type = String(reply.getHeader('content-type') ?? '');
      return type.startsWith('application/json') || type.startsWith('text/') ? redact(payload) : payload;
    });
    app.addHook('preClose', async () => {
      context.streams.closeAll();
    });

    const limit = options.rateLimit ?? defaultRateLimit;
    await app.register(rateLimit, {
      global: true,
      hook: 'onRequest',
      max: limit.max,
      timeWindow: limit.windowMs,
      keyGenerator: (request) => {
        const caller = callers.get(request);
        return caller === undefined ? `ip:${request.ip}` : `token:${caller.tokenId}`;
      },
      errorResponseBuilder: (request, limits) =>
        new ApiError(
          429,
          'api.rate-limited',
          `token "${callers.get(request)?.name ?? 'anonymous'}" made more than ${limits.max} requests in ${limits.after}; try again in ${Math.ceil(limits.ttl / 1000)} s`,
          { headers: { 'retry-after': String(Math.ceil(limits.ttl / 1000)) } },
        ),
    });

    const pingLimit = options.pingRateLimit ?? defaultPingRateLimit;
    const addRoute = (instance: FastifyInstance, route: ApiRoute): void => {
      instance.route({
        method: route.method,
        url: route.url,
        config: {
          access: route.access,
          ...(route.unlimited === true ? { rateLimit: false } : {}),
          ...(route.rateLimit === 'per-address'
            ? {
                rateLimit: {
                  max: pingLimit.max,
                  timeWindow: pingLimit.windowMs,
                  keyGenerator: (request: FastifyRequest) => `ping:${request.ip}`,
                  errorResponseBuilder: (
                    request: FastifyRequest,
                    limits: { max: number; after: string; ttl: number },
                  ) =>
                    new ApiError(
                      429,
                      'api.rate-limited',
                      `address ${request.ip} sent more than ${limits.max} pings in ${limits.after}; try again in ${Math.ceil(limits.ttl / 1000)} s`,
                      { headers: { 'retry-after': String(Math.ceil(limits.ttl / 1000)) } },
                    ),
                },
              }
            : {}),
        } as FastifyContextConfig,
        handler: async (request: FastifyRequest, reply: FastifyReply) => {
          const caller = callers.get(request);
          if (caller === undefined && route.access !== 'public') {
            throw new ApiError(401, 'api.unauthorized', 'this endpoint needs a token');
          }
          const path = route.path === undefined ? undefined : parseInput(route.path, request.params, 'path');
          const query = parseInput(route.query ?? emptyQuery, request.query ?? {}, 'query');
          if (route.body === undefined && route.rawBody !== true && request.body !== undefined) {
            throw new ApiError(
              400,
              'api.unknown-field',
              `body: ${request.method} ${route.url} takes no body`,
              {
                path: 'body',
              },
            );
          }
          const body =
            route.body === undefined ? undefined : parseInput(route.body, request.body ?? {}, 'body');
          const answer = await route.handle({
            path,
            query,
            body,
            caller: caller as Caller,
            context,
            request,
            reply,
          });
          if (answer === undefined) return reply;
          void reply.code(answer.status);
          if (answer.headers !== undefined) void reply.headers(answer.headers);
          if (answer.contentType !== undefined) void reply.type(answer.contentType);
          return reply.send(answer.body);
        },
      });
    };
    for (const route of routes) if (route.rawBody !== true) addRoute(app, route);
    // Pings take any body (a job's output, as text): their own scope with one catch-all parser.
    await app.register(async (scope) => {
      scope.removeAllContentTypeParsers();
      scope.addContentTypeParser('*', async (_request: FastifyRequest, payload: IncomingMessage) =>
        readPingBody(payload),
      );
      for (const route of routes) if (route.rawBody === true) addRoute(scope, route);
    });
    await app.ready();
    return new ApiServer(app, context, routes, ownUrl);
  }

  /** Starts listening; refuses clearly when the address is taken or not this machine's. */
  async listen(setting: Extract<ListenSetting, { kind: 'address' }>): Promise<string> {
    try {
      await this.app.listen({ host: setting.host, port: setting.port });
    } catch (thrown) {
      const error = thrown as NodeJS.ErrnoException;
      const why =
        error.code === 'EADDRINUSE'
          ? 'the address is in use (another cronplane?)'
          : error.code === 'EADDRNOTAVAIL'
            ? 'the address is not one of this machine’s'
            : error.code === 'EACCES'
              ? 'permission denied (ports below 1024 need privileges)'
              : coerceError(thrown).message;
      throw new CronplaneError(
        'api.listen',
        `the API cannot listen on ${setting.host}:${setting.port}: ${why}; pass --listen HOST:PORT, or --listen off to run without the API`,
        { cause: thrown },
      );
    }
    const address = this.app.server.address() as AddressInfo;
    this.#url = urlOf(setting.host, address.port);
    this.#ownUrl.url = this.#url;
    if (!isLoopback(setting.host)) {
      this.context.logger.warn(
        { listen: `${setting.host}:${address.port}` },
        'the API listens beyond this machine: every /api route needs a token; put TLS in front of it',
      );
    }
    return this.#url;
  }

  /** Ends live streams, stops listening and waits for requests under way. */
  async close(): Promise<void> {
    this.context.streams.closeAll();
    await this.app.close();
  }
}

/** The base of ping URLs before the server listens (an in-process server that never does). */
const defaultOwnUrl = 'http://127.0.0.1:7070';

/** JSON.parse reviver: a `__proto__` key is refused (prototype pollution), whatever the nesting. */
function refuseProtoKeys(key: string, value: unknown): unknown {
  if (key === '__proto__') throw new Error('the key "__proto__" is not accepted');
  return value;
}
