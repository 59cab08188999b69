import type { ApiRoute } from '../http/route.ts';
import { buildOpenApi } from '../openapi.ts';
import { adminRoutes } from '../routes/admin-routes.ts';
import { eventRoutes } from '../routes/event-routes.ts';
import { healthRoutes, openApiRoute } from '../routes/health-routes.ts';
import { jobRoutes } from '../routes/job-routes.ts';
import { logRoutes } from '../routes/log-routes.ts';
import { monitorRoutes } from '../routes/monitor-routes.ts';
import { nodeRoutes } from '../routes/node-routes.ts';
import { overviewRoutes } from '../routes/overview-routes.ts';
import { pingRoutes } from '../routes/ping-routes.ts';
import { queueRoutes } from '../routes/queue-routes.ts';
import { runRoutes } from '../routes/run-routes.ts';
import { sessionRoutes } from '../routes/session-routes.ts';

/**
 * Every route of the API, group by group, and last the OpenAPI document that describes them all
 * (built on its first request).
 */
export function apiRoutes(version: string): readonly ApiRoute[] {
  const routes: ApiRoute[] = [
    ...healthRoutes,
    ...jobRoutes,
    ...queueRoutes,
    ...overviewRoutes,
    ...runRoutes,
    ...logRoutes,
    ...eventRoutes,
    ...adminRoutes,
    ...monitorRoutes,
    ...nodeRoutes,
    ...pingRoutes,
    ...sessionRoutes,
  ];
  let document: unknown;
  routes.push(openApiRoute(() => (document ??= buildOpenApi(routes, version))));
  return routes;
}
