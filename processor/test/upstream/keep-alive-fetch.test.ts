import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { gzipSync } from 'node:zlib';
import { keepAliveFetch } from '../../src/upstream/keep-alive-fetch';

type Handler = (req: IncomingMessage, body: string, res: ServerResponse) => void;

/** A real HTTP server on a free port that records the connection of every request. */
async function serve(handler: Handler) {
  const sockets: Socket[] = [];
  const seen: { method: string; url: string; headers: IncomingMessage['headers']; body: string; socket: number }[] = [];
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const body = Buffer.concat(chunks).toString('utf8');
      seen.push({
        method: req.method!,
        url: req.url!,
        headers: req.headers,
        body,
        socket: sockets.indexOf(req.socket),
      });
      handler(req, body, res);
    });
  });
  server.on('connection', (socket) => sockets.push(socket));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    url,
    seen,
    sockets,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

const json = (res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}) => {
  res.writeHead(status, { 'content-type': 'application/json', ...headers });
  res.end(JSON.stringify(body));
};

describe('keepAliveFetch (the commercetools client over node:http)', () => {
  const clients: ReturnType<typeof keepAliveFetch>[] = [];
  const client = (options?: Parameters<typeof keepAliveFetch>[0]) => {
    const c = keepAliveFetch(options);
    clients.push(c);
    return c;
  };
  afterEach(() => clients.splice(0).forEach((c) => c.close()));

  it('sends the method, headers and body, and answers status, headers and text as fetch does', async () => {
    const server = await serve((_req, body, res) =>
      json(res, 201, { echo: JSON.parse(body) }, { 'x-correlation-id': 'c-1' }),
    );
    try {
      const fetch = client();
      const res = await fetch(`${server.url}/sandbox/payments?expand=x`, {
        method: 'post',
        headers: { 'Content-Type': 'application/json', Authorization: 'Bearer t', 'X-Skip': undefined },
        body: JSON.stringify({ amount: 'é' }),
      });
      expect(res.status).toBe(201);
      expect(res.ok).toBe(true);
      expect(res.headers.get('X-Correlation-ID')).toBe('c-1');
      const names: string[] = [];
      res.headers.forEach((_value, name) => names.push(name));
      expect(names).toEqual(expect.arrayContaining(['content-type', 'x-correlation-id']));
      expect(JSON.parse(await res.text())).toEqual({ echo: { amount: 'é' } });
      const [request] = server.seen;
      expect(request).toMatchObject({ method: 'POST', url: '/sandbox/payments?expand=x', body: '{"amount":"é"}' });
      expect(request!.headers).toMatchObject({ authorization: 'Bearer t', 'content-length': '15' });
      expect(request!.headers['x-skip']).toBeUndefined();
    } finally {
      await server.close();
    }
  });

  it('sends a form body (the token request) as its text', async () => {
    const server = await serve((_req, body, res) => json(res, 200, { body }));
    try {
      const form = new URLSearchParams({ grant_type: 'client_credentials', scope: 'a b' });
      const res = await client()(`${server.url}/oauth/token`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
        body: form,
      });
      expect(await res.json()).toEqual({ body: 'grant_type=client_credentials&scope=a+b' });
      expect(server.seen[0]!.headers['content-length']).toBe('39');
    } finally {
      await server.close();
    }
  });

  it('answers error statuses instead of rejecting, with their body', async () => {
    const server = await serve((_req, _body, res) => json(res, 409, { statusCode: 409, message: 'conflict' }));
    try {
      const res = await client()(`${server.url}/x`);
      expect(res.status).toBe(409);
      expect(res.ok).toBe(false);
      expect(await res.json()).toEqual({ statusCode: 409, message: 'conflict' });
    } finally {
      await server.close();
    }
  });

  it('keeps the connection for the next request', async () => {
    const server = await serve((_req, _body, res) => json(res, 200, {}));
    try {
      const fetch = client();
      for (let i = 0; i < 3; i++) await (await fetch(`${server.url}/x`)).text();
      expect(server.seen.map((r) => r.socket)).toEqual([0, 0, 0]);
    } finally {
      await server.close();
    }
  });

  it('sends a request once more, on a fresh connection, when its kept connection closes without an answer', async () => {
    // What a server's idle timeout does when it closes a connection the request is being sent on.
    // The request may have reached it: every commercetools write of the processor is guarded by a
    // version or a key, so a repeat of one that was applied is refused, never applied twice.
    const server = await serve((req, _body, res) => {
      if (server.seen.length === 2) req.socket.destroy();
      else json(res, 200, {});
    });
    try {
      const fetch = client();
      await (await fetch(`${server.url}/first`)).text();
      const res = await fetch(`${server.url}/second`, { method: 'POST', body: '{}' });
      expect(res.status).toBe(200);
      expect(server.seen.map((r) => [r.url, r.socket])).toEqual([
        ['/first', 0],
        ['/second', 0],
        ['/second', 1],
      ]);
    } finally {
      await server.close();
    }
  });

  it('rejects on a network failure, as fetch does', async () => {
    const server = await serve(() => undefined);
    const url = server.url;
    await server.close();
    await expect(client()(`${url}/x`)).rejects.toMatchObject({ code: 'ECONNREFUSED' });
  });

  it('does not send again a request whose fresh connection closes without an answer', async () => {
    const server = await serve((req) => req.socket.destroy());
    try {
      await expect(client()(`${server.url}/x`, { method: 'POST', body: '{}' })).rejects.toMatchObject({
        code: 'ECONNRESET',
      });
      expect(server.seen).toHaveLength(1);
    } finally {
      await server.close();
    }
  });

  it('gives up after its timeout, with an error the commercetools client does not send again', async () => {
    const server = await serve(() => undefined);
    try {
      const error = await client({ timeoutMs: 50 })(`${server.url}/slow`).then(
        () => undefined,
        (e: unknown) => e as Error,
      );
      expect(error).toBeInstanceOf(Error);
      expect(error?.name).toBe('UpstreamTimeout');
      expect(error?.name).not.toMatch(/AbortError|TimeoutError/);
    } finally {
      await server.close();
    }
  });

  it('stops when its signal aborts', async () => {
    const server = await serve(() => undefined);
    try {
      const controller = new AbortController();
      const pending = client()(`${server.url}/slow`, { signal: controller.signal });
      setTimeout(() => controller.abort(), 20);
      await expect(pending).rejects.toMatchObject({ name: 'AbortError' });
    } finally {
      await server.close();
    }
  });

  it('decodes a compressed answer', async () => {
    const server = await serve((_req, _body, res) => {
      res.writeHead(200, { 'content-type': 'application/json', 'content-encoding': 'gzip' });
      res.end(gzipSync(JSON.stringify({ zipped: true })));
    });
    try {
      expect(await (await client()(`${server.url}/x`)).json()).toEqual({ zipped: true });
    } finally {
      await server.close();
    }
  });
});
