import type { FastifyInstance } from 'fastify';
import type { LiveStreams } from '../limits/live-streams.ts';

/** Live-log streams never end on their own: closing the server ends them first. */
export function endLiveStreamsOnClose(app: FastifyInstance, streams: LiveStreams): void {
  app.addHook('preClose', async () => {
    streams.closeAll();
  });
}
