/**
 * A local stand-in for a chat tool's incoming webhook: records each JSON body it is sent and
 * answers 200. The demo points the metrics' alert webhook at it to show alerts leaving the daemon.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

export const WEBHOOK_BODY_MAX_BYTES = 64 * 1024;

export interface WebhookReceiver {
  url: string;
  bodies: Array<{ text: string } & Record<string, unknown>>;
  close(): Promise<void>;
}

export async function startWebhookReceiver(): Promise<WebhookReceiver> {
  const bodies: WebhookReceiver['bodies'] = [];
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => { size += chunk.length; if (size <= WEBHOOK_BODY_MAX_BYTES) chunks.push(chunk); });
    req.on('end', () => {
      try {
        const body = JSON.parse(Buffer.concat(chunks).toString('utf8')) as { text?: unknown };
        if (size > WEBHOOK_BODY_MAX_BYTES || typeof body.text !== 'string') { res.statusCode = 400; res.end(); return; }
        bodies.push(body as WebhookReceiver['bodies'][number]);
        res.end('ok');
      } catch {
        res.statusCode = 400;
        res.end();
      }
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/chat-webhook`,
    bodies,
    close: () => new Promise<void>((resolve) => { server.closeAllConnections(); server.close(() => resolve()); }),
  };
}
