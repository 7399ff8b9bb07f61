import { request as httpRequest, type IncomingMessage } from 'node:http';
import { request as httpsRequest } from 'node:https';
import type { GitHttpRequest, GitHttpResponse, HttpClient } from 'isomorphic-git';

/*
 * isomorphic-git's HTTP transport for Node, with what its own lacks: a time
 * limit. A server that stops answering half-way (killed, a proxy holding the
 * line) would otherwise hang a sync forever; here the socket gives up after
 * `idleTimeoutMs` without a byte, and the sync reports the office server as
 * unreachable and tries again later.
 *
 * And a connection kept alive between requests may have been closed by the
 * server while idle (Apache closes one after 5 s without a request, and
 * building a large push's pack takes longer than that): the request written to
 * it fails at once with EPIPE or ECONNRESET although the server is there and
 * never saw it. Such a request is sent once more on a new connection, as Node's
 * documentation advises (`request.reusedSocket`).
 */

async function collect(body: GitHttpRequest['body']): Promise<Buffer> {
  if (!body) return Buffer.alloc(0);
  const chunks: Buffer[] = [];
  for await (const chunk of body as AsyncIterable<Uint8Array>) chunks.push(Buffer.from(chunk));
  return Buffer.concat(chunks);
}

/** An error that reads like Node's own network errors, so callers classify it the same way. */
function timeoutError(url: string): NodeJS.ErrnoException {
  const error: NodeJS.ErrnoException = new Error(`no answer from ${new URL(url).host} in time`);
  error.code = 'ETIMEDOUT';
  return error;
}

export function nodeHttpClient(idleTimeoutMs = 30_000): HttpClient {
  return {
    async request({ url, method = 'GET', headers = {}, body, signal }: GitHttpRequest): Promise<GitHttpResponse> {
      const payload = await collect(body);
      const target = new URL(url);
      const send = target.protocol === 'https:' ? httpsRequest : httpRequest;
      const attempt = (fresh: boolean) =>
        new Promise<IncomingMessage>((resolve, reject) => {
          const req = send(
            target,
            {
              method,
              headers: { ...headers, ...(payload.length ? { 'content-length': String(payload.length) } : {}) },
              signal: signal as AbortSignal | undefined,
              // A new connection of its own, never one kept from before.
              ...(fresh ? { agent: false } : {}),
            },
            resolve,
          );
          req.setTimeout(idleTimeoutMs, () => req.destroy(timeoutError(url)));
          req.on('error', (error: NodeJS.ErrnoException) => reject(Object.assign(error, { staleSocket: !fresh && req.reusedSocket })));
          req.end(payload);
        });
      let res: IncomingMessage;
      try {
        res = await attempt(false);
      } catch (error) {
        const e = error as NodeJS.ErrnoException & { staleSocket?: boolean };
        if (!e.staleSocket || (e.code !== 'ECONNRESET' && e.code !== 'EPIPE')) throw error;
        res = await attempt(true);
      }
      res.setTimeout(idleTimeoutMs, () => res.destroy(timeoutError(url)));
      // A reply cut off half-way must fail the operation, not read as a short answer.
      const chunks = async function* (): AsyncGenerator<Uint8Array> {
        for await (const chunk of res) yield new Uint8Array(chunk as Buffer);
        if (!res.complete) {
          const error: NodeJS.ErrnoException = new Error('the connection closed before the reply was complete');
          error.code = 'ECONNRESET';
          throw error;
        }
      };
      return {
        url,
        method,
        statusCode: res.statusCode ?? 0,
        statusMessage: res.statusMessage ?? '',
        headers: Object.fromEntries(
          Object.entries(res.headers).map(([key, value]) => [key, Array.isArray(value) ? value.join(', ') : (value ?? '')]),
        ),
        body: chunks(),
      };
    },
  };
}
