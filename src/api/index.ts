/**
 * The HTTP API of a cronplane node: jobs, runs, live logs, queues, tokens, health and metrics.
 * See docs/api.md.
 */
export { ApiServer } from './api-server.ts';
export { defaultBodyLimit, defaultPingRateLimit, defaultRateLimit } from './server/api-server-options.ts';
export type { ApiServerOptions, RateLimit } from './server/api-server-options.ts';
export { AuthFailureLimiter, defaultAuthFailureLimit } from './limits/auth-failure-limiter.ts';
export type { AuthFailureLimit } from './limits/auth-failure-limiter.ts';
export { clientAddressKey } from './limits/client-address-key.ts';
export { defaultLiveStreamLimit } from './limits/live-streams.ts';
export type { LiveStreamLimit } from './limits/live-streams.ts';
export type { ApiContext, MonitorPauser, PingReceiver, ResolveIncident } from './api-context.ts';
export type { ApiRoute, Answer, RouteAccess } from './http/route.ts';
export { parseListen, defaultListen, isLoopback, urlOf } from './listen-address.ts';
export type { ListenSetting } from './listen-address.ts';
export { issueToken, hashToken, sameHash, tokenIdOf, tokenPrefix } from './auth/api-token.ts';
export type { IssuedToken } from './auth/api-token.ts';
export { compileJobPatterns, jobPatternProblem } from './auth/job-patterns.ts';
export { minBootstrapTokenLength } from './auth/authenticator.ts';
export { scopeAllows, bootstrapCallerName } from './http/caller.ts';
export type { Caller } from './http/caller.ts';
export { ApiError } from './http/api-error.ts';
export { errorAnswer } from './http/error-answer.ts';
export type { ErrorBody } from './http/error-answer.ts';
export { buildOpenApi } from './openapi.ts';
export { createDaemonMetrics } from './metrics/daemon-metrics.ts';
export type { DaemonMetrics } from './metrics/daemon-metrics.ts';
export { instrumentStore } from './metrics/instrument-store.ts';
export type { StoreInstruments } from './metrics/instrument-store.ts';
export { MetricsRegistry, prometheusContentType } from './metrics/metrics-registry.ts';
export { cronplaneVersion } from './version.ts';
export { tokenName } from './routes/admin-routes.ts';
export { eventView, eventViewSchema } from '../control/index.ts';
export type { EventView } from '../control/index.ts';
