/**
 * Listening with limits and leaving gracefully: header and request timeouts (slow clients are cut
 * off), keep-alive bounded, and on shutdown the server stops accepting, finishes the requests it
 * accepted, and closes idle connections, within a grace period.
 */
import { once } from 'node:events';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Express } from 'express';

export interface ServerLimits {
  headersTimeoutMs: number;
  requestTimeoutMs: number;
  keepAliveTimeoutMs?: number;
}

export interface RunningServer {
  server: Server;
  port: number;
  url: string;
  /** Stops accepting, waits for in-flight requests up to graceMs, then closes what is left. */
  close(graceMs: number): Promise<void>;
}

export async function listen(app: Express, host: string, port: number, limits: ServerLimits): Promise<RunningServer> {
  const server = app.listen(port, host);
  server.headersTimeout = limits.headersTimeoutMs;
  server.requestTimeout = limits.requestTimeoutMs;
  server.keepAliveTimeout = limits.keepAliveTimeoutMs ?? 5_000;
  server.maxHeadersCount = 100;
  await once(server, 'listening');
  const address = server.address() as AddressInfo;
  return {
    server,
    port: address.port,
    url: `http://${host.includes(':') ? `[${host}]` : host}:${address.port}`,
    close: (graceMs) => new Promise<void>((resolve) => {
      const timer = setTimeout(() => server.closeAllConnections(), graceMs);
      timer.unref();
      server.close(() => { clearTimeout(timer); resolve(); });
      server.closeIdleConnections();
    }),
  };
}
