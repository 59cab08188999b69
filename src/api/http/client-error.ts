/**
 * Requests Node's HTTP parser refuses before any route sees them (bad framing, bad chunked
 * encoding, headers past the size limit, a request that took too long to arrive) are answered
 * here, on the raw socket, with the API's one error shape. The parser's own words (its error code
 * and reason) are ours to repeat; the bytes the client sent are never echoed or logged.
 */
import { STATUS_CODES } from 'node:http';
import type { ServerResponse } from 'node:http';
import type { Duplex } from 'node:stream';
import type { Logger } from '../../logging/index.ts';
import type { ErrorBody } from './error-answer.ts';

/** Node's default limit on the request line and headers together (`--max-http-header-size`). */
export const maxHeaderBytes = 16 * 1024;

interface ParserError extends Error {
  readonly code?: string;
  readonly reason?: string;
}

/** What a parser error becomes: status, code and message. */
export function clientErrorAnswer(error: ParserError): { readonly status: number; readonly body: ErrorBody } {
  const answer = (status: number, code: string, message: string) => ({
    status,
    body: { error: { code, message } },
  });
  switch (error.code) {
    case 'HPE_HEADER_OVERFLOW':
      return answer(
        431,
        'api.headers-too-large',
        `the request line and headers together are larger than the server reads (${maxHeaderBytes / 1024} KiB); send a shorter URL or fewer headers`,
      );
    case 'ERR_HTTP_REQUEST_TIMEOUT':
      return answer(408, 'api.timeout', 'the request did not arrive in time; send it again');
    case 'HPE_INVALID_CHUNK_SIZE':
    case 'HPE_STRICT':
    case 'HPE_INVALID_EOF_STATE':
      return answer(400, 'api.bad-request', `the chunked body is not valid (${parserWords(error)})`);
    case 'HPE_INVALID_CONTENT_LENGTH':
    case 'HPE_UNEXPECTED_CONTENT_LENGTH':
    case 'HPE_INVALID_TRANSFER_ENCODING':
      return answer(
        400,
        'api.bad-request',
        `the body's framing is not valid: send one Content-Length, or Transfer-Encoding: chunked alone (${parserWords(error)})`,
      );
    default:
      return answer(400, 'api.bad-request', `the request is not valid HTTP/1.1 (${parserWords(error)})`);
  }
}

/**
 * Fastify's `clientErrorHandler`: answers with the error shape where an answer is still possible
 * (nothing of a response was sent on the socket yet), then closes the connection.
 */
export function answerClientError(logger: Logger): (error: ParserError, socket: Duplex) => void {
  return (error, socket) => {
    // A connection the client reset, or one already gone, has no one left to answer.
    if (error.code === 'ECONNRESET' || socket.destroyed) return;
    const { status, body } = clientErrorAnswer(error);
    logger.debug({ code: body.error.code, parser: error.code }, 'request refused by the HTTP parser');
    const inFlight = (socket as Duplex & { _httpMessage?: ServerResponse | null })._httpMessage;
    if (!socket.writable || (inFlight !== undefined && inFlight !== null && inFlight.headersSent)) {
      socket.destroy();
      return;
    }
    const text = JSON.stringify(body);
    socket.end(
      `HTTP/1.1 ${status} ${STATUS_CODES[status] ?? 'Error'}\r\n` +
        'Content-Type: application/json; charset=utf-8\r\n' +
        `Content-Length: ${Buffer.byteLength(text)}\r\n` +
        'Connection: close\r\n\r\n' +
        text,
      () => socket.destroy(),
    );
  };
}

/** The parser's code and reason (`HPE_INVALID_CHUNK_SIZE: Invalid character in chunk size`). */
function parserWords(error: ParserError): string {
  const code = /^[A-Z_]{1,60}$/.test(error.code ?? '') ? (error.code ?? '') : 'unknown';
  const reason = (error.reason ?? '').replace(/[^ -~]/g, '').slice(0, 120);
  return reason === '' ? code : `${code}: ${reason}`;
}
