import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Replica } from './replicas';

export interface WebhookProxy {
  url: string;
  /** Deliveries per replica, and what they answered (`502` also when the replica was down). */
  stats: Record<string, Record<string, number>>;
  close(): Promise<void>;
}

/**
 * The one webhook URL of the Stripe endpoint, in front of every replica (as a load balancer
 * is): deliveries go round-robin whatever the replicas' configs; a dead replica answers 502, so
 * that the emulator retries (and its next attempt goes to the next replica).
 */
export async function startWebhookProxy(replicas: () => readonly Replica[]): Promise<WebhookProxy> {
  const stats: Record<string, Record<string, number>> = {};
  const count = (replica: Replica, status: number | string) => {
    const row = (stats[replica.name] ??= {});
    row[String(status)] = (row[String(status)] ?? 0) + 1;
  };
  let next = 0;
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const all = replicas();
      const target = all[next++ % all.length]!;
      const fail = () => {
        count(target, 502);
        if (!res.headersSent) res.writeHead(502, { 'content-type': 'text/plain' });
        res.end('replica down');
      };
      if (!target.alive) return fail();
      const upstream = http.request(
        {
          host: '127.0.0.1',
          port: target.port,
          method: req.method,
          path: req.url,
          headers: req.headers,
          agent: false,
          timeout: 20_000,
        },
        (answer) => {
          count(target, answer.statusCode ?? 0);
          res.writeHead(answer.statusCode ?? 502, answer.headers);
          answer.pipe(res);
          answer.on('error', () => res.destroy());
        },
      );
      upstream.on('timeout', () => upstream.destroy(new Error('timeout')));
      upstream.on('error', fail);
      upstream.end(Buffer.concat(chunks));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    stats,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
