import Fastify, { LogController } from 'fastify';
import type { FastifyBaseLogger, FastifyInstance, FastifyReply } from 'fastify';
import type { Logger } from '../../logging/index.ts';
import { answerClientError } from '../http/client-error.ts';
import { errorAnswer, maxParamLength } from '../http/error-answer.ts';
import { defaultBodyLimit } from './api-server-options.ts';

/**
 * The Fastify instance and its framing: the body limit, connections closed on close, and the
 * requests refused before any hook (by the HTTP parser, or a URL the router cannot decode)
 * answered in the API's one error shape.
 */
export function createFastify(logger: Logger, bodyLimit = defaultBodyLimit): FastifyInstance {
  return Fastify({
    loggerInstance: logger as FastifyBaseLogger,
    logController: new LogController({ disableRequestLogging: true }),
    bodyLimit,
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
}
