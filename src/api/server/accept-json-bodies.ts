import type { FastifyInstance } from 'fastify';
import { coerceError } from '../../errors/index.ts';
import { ApiError } from '../http/api-error.ts';

/** JSON only: any other body is a 415; an empty body is none; a `__proto__` key is refused. */
export function acceptJsonBodies(app: FastifyInstance): void {
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
        new ApiError(400, 'api.invalid-json', `the body is not valid JSON: ${coerceError(thrown).message}`, {
          path: 'body',
        }),
        undefined,
      );
    }
  });
}

/** JSON.parse reviver: a `__proto__` key is refused (prototype pollution), whatever the nesting. */
function refuseProtoKeys(key: string, value: unknown): unknown {
  if (key === '__proto__') throw new Error('the key "__proto__" is not accepted');
  return value;
}
