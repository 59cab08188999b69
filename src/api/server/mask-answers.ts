import type { FastifyInstance } from 'fastify';

/** Secret values masked in every JSON or text answer that leaves the API. */
export function maskAnswers(app: FastifyInstance, redact: (text: string) => string): void {
  app.addHook('onSend', async (_request, reply, payload) => {
    if (typeof payload !== 'string') return payload;
    const type = String(reply.getHeader('content-type') ?? '');
    return type.startsWith('application/json') || type.startsWith('text/') ? redact(payload) : payload;
  });
}
