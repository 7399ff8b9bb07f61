import { request as httpRequest, type IncomingMessage } from 'node:http';
import { request as httpsRequest } from 'node:https';
import type { GitHttpRequest, GitHttpResponse, HttpClient } from 'isomorphic-git';

/*
 * isomorphic-git's HTTP transport for Node, with what its own lacks: a time
 * limit. A server that stops answering half-way (killed, a proxy holding the
 * line) would otherwise hang a sync forever; here the socket gives up after
 * `idleTimeoutMs` without a byte, and the sync reports the office server as
 * unreachable and tries again later.
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
      const res = await new Promise<IncomingMessage>((resolve, reject) => {
        const req = send(
          target,
          {
            method,
            headers: { ...headers, ...(payload.length ? { 'content-length': String(payload.length) } : {}) },
            signal: signal as AbortSignal | undefined,
          },
          resolve,
        );
        req.setTimeout(idleTimeoutMs, () => req.destroy(timeoutError(url)));
        req.on('error', reject);
        req.end(payload);
      });
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
