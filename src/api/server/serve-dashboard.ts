import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import fastifyStatic from '@fastify/static';
import type { FastifyInstance, FastifyReply } from 'fastify';

/** The built dashboard (`npm run build:web`), at the package's root whether run from src/ or dist/. */
export const defaultDashboardDir = fileURLToPath(new URL('../../../web/dist/', import.meta.url));

/**
 * What the dashboard's pages may load: its own scripts, styles and API only; no inline script, no
 * framing, no plugins.
 */
export const dashboardContentSecurityPolicy = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data:",
  "connect-src 'self'",
  "font-src 'self'",
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'self'",
  "frame-ancestors 'none'",
].join('; ');

/**
 * The addresses the dashboard routes itself (a link in an alert, `<public_url>/runs/<id>`, opens
 * one): each answers the app's index.html. Every other address keeps its meaning (`/api/*`,
 * `/ping/*`, health and metrics) or is the API's 404.
 */
export const dashboardPaths = [
  '/',
  '/signin',
  '/jobs',
  '/jobs/*',
  '/runs',
  '/runs/*',
  '/monitors',
  '/monitors/*',
  '/events',
  '/events/*',
  '/queues',
  '/queues/*',
  '/audit',
  '/nodes',
] as const;

const pageHeaders = {
  'content-security-policy': dashboardContentSecurityPolicy,
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'no-referrer',
  'cache-control': 'no-cache',
};

/**
 * Serves the dashboard at `/` on the API's own address: the hashed assets under `/assets/` (cached
 * for good), index.html for every page address. Without a build the pages say how to make one.
 */
export async function serveDashboard(app: FastifyInstance, dir = defaultDashboardDir): Promise<void> {
  const index = await readFile(join(dir, 'index.html'), 'utf8').catch(() => undefined);
  const answerPage = (reply: FastifyReply): FastifyReply =>
    index === undefined
      ? reply
          .code(503)
          .type('text/plain; charset=utf-8')
          .send(
            'the dashboard is not built: run `npm run build:web` in the cronplane checkout, then restart\n',
          )
      : reply.headers(pageHeaders).type('text/html; charset=utf-8').send(index);
  for (const url of dashboardPaths) {
    app.get(url, async (_request, reply) => answerPage(reply));
  }
  if (index === undefined) return;
  await app.register(fastifyStatic, {
    root: join(dir, 'assets'),
    prefix: '/assets/',
    decorateReply: false,
    index: false,
    maxAge: '365d',
    immutable: true,
    setHeaders: (response) => {
      void response.header('content-security-policy', dashboardContentSecurityPolicy);
      void response.header('x-content-type-options', 'nosniff');
    },
  });
}
