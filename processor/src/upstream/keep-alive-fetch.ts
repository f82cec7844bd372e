import http from 'node:http';
import https from 'node:https';
import { brotliDecompressSync, gunzipSync, inflateSync } from 'node:zlib';

/** What the commercetools client (`@commercetools/ts-client`) hands its `httpClient`. */
export interface FetchInit {
  method?: string;
  headers?: Record<string, unknown>;
  body?: string | Uint8Array | URLSearchParams | null;
  signal?: AbortSignal | null;
}

/** The part of a fetch `Response` the commercetools client reads. */
export interface FetchAnswer {
  ok: boolean;
  status: number;
  statusText: string;
  headers: { get(name: string): string | null; forEach(each: (value: string, name: string) => void): void };
  text(): Promise<string>;
  json(): Promise<unknown>;
}

export type KeepAliveFetch = (url: string | URL, init?: FetchInit) => Promise<FetchAnswer>;

export interface KeepAliveFetchOptions {
  /** Gives up on a request (headers and body) after this long. Default 300 s, as Node's fetch. */
  timeoutMs?: number;
  /** An idle connection is closed after this long. Default 4 s, as Node's fetch. */
  idleMs?: number;
}

/** How a kept connection that the server closed (its idle timeout) fails the request sent on it. */
const STALE = new Set(['ECONNRESET', 'EPIPE', 'ECONNABORTED']);

/**
 * Not called `TimeoutError` or `AbortError` on purpose: the commercetools client sends those
 * again, and a request that took this long is not worth three more waits.
 */
class UpstreamTimeout extends Error {
  override name = 'UpstreamTimeout';
}

function answer(res: http.IncomingMessage, body: string): FetchAnswer {
  const status = res.statusCode ?? 0;
  const headers = res.headers;
  const value = (raw: string | string[] | undefined) => (Array.isArray(raw) ? raw.join(', ') : raw);
  return {
    ok: status >= 200 && status < 300,
    status,
    statusText: res.statusMessage ?? '',
    headers: {
      get: (name) => value(headers[name.toLowerCase()]) ?? null,
      forEach: (each) => {
        for (const [name, raw] of Object.entries(headers)) {
          const v = value(raw);
          if (v !== undefined) each(v, name);
        }
      },
    },
    text: async () => body,
    json: async () => JSON.parse(body) as unknown,
  };
}

function decode(buffer: Buffer, encoding: string | undefined): string {
  switch (encoding?.trim().toLowerCase()) {
    case 'gzip':
    case 'x-gzip':
      return gunzipSync(buffer).toString('utf8');
    case 'deflate':
      return inflateSync(buffer).toString('utf8');
    case 'br':
      return brotliDecompressSync(buffer).toString('utf8');
    default:
      return buffer.toString('utf8');
  }
}

/**
 * A `fetch` for the commercetools client over `node:http` with keep-alive connections: the same
 * requests and answers for a fraction of the CPU of Node's `fetch` (whose web streams cost about
 * half a millisecond per request here). Network failures reject, as `fetch` does. A request whose
 * kept connection closes before any answer (the server's idle timeout closing it as the request
 * was sent) is sent once more, on a fresh connection: it may have reached the server, but every
 * commercetools write of the processor is guarded by a version or a key, so a repeat of one that
 * was applied is refused (and handled as the conflict it is), never applied twice.
 */
export function keepAliveFetch(options: KeepAliveFetchOptions = {}): KeepAliveFetch & { close(): void } {
  const timeoutMs = options.timeoutMs ?? 300_000;
  const agentOptions = { keepAlive: true, timeout: options.idleMs ?? 4_000, scheduling: 'lifo' as const };
  const agents = { 'http:': new http.Agent(agentOptions), 'https:': new https.Agent(agentOptions) };

  const once = (url: URL, init: FetchInit, body: Buffer | undefined, retry: boolean): Promise<FetchAnswer> =>
    new Promise((resolve, reject) => {
      const headers: Record<string, string> = {};
      for (const [name, value] of Object.entries(init.headers ?? {})) {
        if (value !== undefined && value !== null) headers[name] = String(value);
      }
      if (body) headers['content-length'] = String(body.length);
      const secure = url.protocol === 'https:';
      const request = (secure ? https : http).request(url, {
        method: (init.method ?? 'GET').toUpperCase(),
        headers,
        agent: secure ? agents['https:'] : agents['http:'],
      });
      let answered = false;
      const timer = setTimeout(
        () => request.destroy(new UpstreamTimeout(`${url.origin} gave no answer in ${timeoutMs} ms`)),
        timeoutMs,
      );
      const abort = () => request.destroy(init.signal?.reason ?? new Error('aborted'));
      init.signal?.addEventListener('abort', abort, { once: true });
      const done = () => {
        clearTimeout(timer);
        init.signal?.removeEventListener('abort', abort);
      };
      request.on('error', (error: NodeJS.ErrnoException) => {
        done();
        if (!answered && retry && request.reusedSocket && error.code && STALE.has(error.code)) {
          resolve(once(url, init, body, false));
        } else {
          reject(error);
        }
      });
      request.on('response', (res) => {
        answered = true;
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('error', (error) => {
          done();
          reject(error);
        });
        res.on('end', () => {
          done();
          try {
            const buffer = chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks);
            resolve(answer(res, decode(buffer, res.headers['content-encoding'])));
          } catch (error) {
            reject(error);
          }
        });
      });
      request.end(body);
    });

  const fetchLike = (input: string | URL, init: FetchInit = {}) => {
    if (init.signal?.aborted) return Promise.reject(init.signal.reason ?? new Error('aborted'));
    const url = typeof input === 'string' ? new URL(input) : input;
    const raw = init.body;
    const body =
      raw === undefined || raw === null
        ? undefined
        : Buffer.from(raw instanceof URLSearchParams ? raw.toString() : raw);
    return once(url, init, body, true);
  };
  return Object.assign(fetchLike, {
    close: () => {
      agents['http:'].destroy();
      agents['https:'].destroy();
    },
  });
}
