import { createServer, request as httpRequest, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';

/**
 * What to do to one matching request:
 * - `drop-after-forward`: the server gets and completes the request, the client sees the connection die;
 * - `bad-gateway`: answer 502 without forwarding;
 * - `stall`: forward, let the server finish, but hold the reply until the client gives up.
 */
export type Fault = 'drop-after-forward' | 'bad-gateway' | 'stall';

/** Picks which requests a fault applies to. */
export type RequestMatcher = (method: string, url: string) => boolean;

/** An HTTP proxy on 127.0.0.1 that forwards to `upstream` and injects queued faults. */
export class FaultProxy {
  readonly #upstream: URL;
  readonly #server: Server;
  readonly #sockets = new Set<Socket>();
  readonly #queue: Array<{ fault: Fault; match: RequestMatcher }> = [];
  /** Faults actually injected, in order. */
  readonly injected: Array<{ fault: Fault; method: string; url: string }> = [];
  /** When true every request is refused as if the network were down. */
  offline = false;

  private constructor(upstream: string) {
    this.#upstream = new URL(upstream);
    this.#server = createServer((req, res) => this.#handle(req, res));
    this.#server.on('connection', (socket) => {
      this.#sockets.add(socket);
      socket.on('close', () => this.#sockets.delete(socket));
      if (this.offline) socket.destroy();
    });
  }

  /** Starts a proxy in front of `upstream` (e.g. http://127.0.0.1:18080) on a free port. */
  static async start(upstream: string): Promise<FaultProxy> {
    const proxy = new FaultProxy(upstream);
    await new Promise<void>((resolve) => proxy.#server.listen(0, '127.0.0.1', resolve));
    return proxy;
  }

  get url(): string {
    const { port } = this.#server.address() as AddressInfo;
    return `http://127.0.0.1:${port}`;
  }

  /** Queues a fault for the next request that matches (all requests by default). */
  inject(fault: Fault, match: RequestMatcher = () => true): void {
    this.#queue.push({ fault, match });
  }

  /** Forgets faults that no request has matched yet. */
  clear(): void {
    this.#queue.length = 0;
  }

  /** Faults still waiting for a matching request. */
  get pending(): number {
    return this.#queue.length;
  }

  #takeFault(method: string, url: string): Fault | null {
    const index = this.#queue.findIndex((entry) => entry.match(method, url));
    if (index === -1) return null;
    const [entry] = this.#queue.splice(index, 1);
    return entry?.fault ?? null;
  }

  #handle(req: IncomingMessage, res: ServerResponse): void {
    const method = req.method ?? 'GET';
    const url = req.url ?? '/';
    const fault = this.#takeFault(method, url);
    if (fault) this.injected.push({ fault, method, url });
    if (fault === 'bad-gateway') {
      req.resume();
      res.writeHead(502, { 'Content-Type': 'text/html' });
      res.end('<html><body><h1>502 Bad Gateway</h1></body></html>');
      return;
    }
    const upstream = httpRequest(
      {
        host: this.#upstream.hostname,
        port: this.#upstream.port,
        method,
        path: url,
        headers: { ...req.headers, host: this.#upstream.host },
      },
      (upstreamRes) => {
        if (fault === null) {
          res.writeHead(upstreamRes.statusCode ?? 502, upstreamRes.headers);
          upstreamRes.pipe(res);
          return;
        }
        // Read the whole reply first, so the server has certainly finished its work.
        upstreamRes.resume();
        upstreamRes.on('end', () => {
          if (fault === 'drop-after-forward') req.socket.destroy();
          // 'stall': never answer; the client's timeout fires, and closing the proxy ends the socket.
        });
      },
    );
    upstream.on('error', () => res.destroy());
    req.pipe(upstream);
  }

  async close(): Promise<void> {
    for (const socket of this.#sockets) socket.destroy();
    await new Promise<void>((resolve) => this.#server.close(() => resolve()));
  }
}
