import type { FastifyInstance } from 'fastify';
import { coerceError } from '../../errors/index.ts';
import type { Logger } from '../../logging/index.ts';
import { errorAnswer } from '../http/error-answer.ts';

/**
 * One error handler: every error becomes the API's error shape (internal ones logged), and an
 * unknown endpoint a 404 that points at the OpenAPI document.
 */
export function answerErrors(app: FastifyInstance, logger: Logger): void {
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
}
