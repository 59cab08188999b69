import type { AddressInfo } from 'node:net';
import type { FastifyInstance } from 'fastify';
import { CronplaneError, coerceError } from '../errors/index.ts';
import type { ApiContext } from './api-context.ts';
import type { ApiRoute } from './http/route.ts';
import type { ListenSetting } from './listen-address.ts';
import { isLoopback, urlOf } from './listen-address.ts';
import { addScrapeGauges } from './metrics/daemon-metrics.ts';
import { acceptJsonBodies } from './server/accept-json-bodies.ts';
import { apiContextOf } from './server/api-context-of.ts';
import type { OwnUrl } from './server/api-context-of.ts';
import { apiRoutes } from './server/api-routes.ts';
import { defaultPingRateLimit, defaultRateLimit } from './server/api-server-options.ts';
import type { ApiServerOptions } from './server/api-server-options.ts';
import { answerErrors } from './server/answer-errors.ts';
import { authenticateRequests } from './server/authenticate-requests.ts';
import { createFastify } from './server/create-fastify.ts';
import { endLiveStreamsOnClose } from './server/end-live-streams.ts';
import { limitRequests } from './server/limit-requests.ts';
import { maskAnswers } from './server/mask-answers.ts';
import { registerRoutes } from './server/register-routes.ts';
import { serveDashboard } from './server/serve-dashboard.ts';
import type { RequestCallers } from './server/request-callers.ts';

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
  readonly #ownUrl: OwnUrl;

  private constructor(
    app: FastifyInstance,
    context: ApiContext,
    routes: readonly ApiRoute[],
    ownUrl: OwnUrl,
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

  /**
   * Builds the server concern by concern, in order (the order of hooks is the order of checks):
   * framing and errors, JSON bodies, authentication, masking, live streams, rate limits, routes,
   * and last the dashboard's pages.
   */
  static async create(options: ApiServerOptions): Promise<ApiServer> {
    const logger = options.logger.child({ component: 'api' });
    // The server's own URL is known once it listens (the holder is filled in then).
    const ownUrl: OwnUrl = { url: undefined };
    const context = apiContextOf(options, logger, ownUrl);
    addScrapeGauges(options.metrics, context);
    const routes = apiRoutes(options.version);
    const callers: RequestCallers = new WeakMap();

    const app = createFastify(logger, options.bodyLimit);
    acceptJsonBodies(app);
    answerErrors(app, logger);
    // Authentication first (failures limited per client address): the rate limit then counts per token.
    authenticateRequests(app, context, callers);
    maskAnswers(app, context.redact);
    endLiveStreamsOnClose(app, context.streams);
    await limitRequests(app, options.rateLimit ?? defaultRateLimit, callers);
    await registerRoutes(app, routes, {
      context,
      callers,
      pingLimit: options.pingRateLimit ?? defaultPingRateLimit,
    });
    await serveDashboard(app, options.dashboardDir);
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
