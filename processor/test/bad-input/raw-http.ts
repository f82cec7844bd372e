import { connect } from 'node:net';

/**
 * A request written byte for byte on a TCP socket: fetch and http.request refuse (or normalise)
 * what the bad-input suite needs to send — CRLF and NUL in header values, raw NUL in the path,
 * dot segments, duplicate or conflicting framing headers.
 */
export interface RawRequest {
  method: string;
  path: string;
  /** Header lines as written (no CRLF validation at all). */
  headers?: [string, string][];
  body?: string | Buffer;
  /** Send the body with `transfer-encoding: chunked` instead of `content-length`. */
  chunked?: boolean;
  /** Do not write any framing header (content-length / transfer-encoding) at all. */
  noFraming?: boolean;
}

export interface RawResponse {
  status: number;
  headers: Record<string, string>;
  text: string;
  body: any;
}

function dechunk(payload: Buffer): Buffer {
  const parts: Buffer[] = [];
  let offset = 0;
  while (offset < payload.length) {
    const lineEnd = payload.indexOf('\r\n', offset);
    if (lineEnd < 0) break;
    const size = parseInt(payload.subarray(offset, lineEnd).toString('latin1'), 16);
    if (!Number.isFinite(size) || size === 0) break;
    parts.push(payload.subarray(lineEnd + 2, lineEnd + 2 + size));
    offset = lineEnd + 2 + size + 2;
  }
  return Buffer.concat(parts);
}

export function rawRequest(baseUrl: string, request: RawRequest, timeoutMs = 10_000): Promise<RawResponse> {
  const url = new URL(baseUrl);
  const body = request.body === undefined ? undefined : Buffer.from(request.body);
  const lines = [`${request.method} ${request.path} HTTP/1.1`, `host: ${url.host}`, 'connection: close'];
  for (const [name, value] of request.headers ?? []) lines.push(`${name}: ${value}`);
  let payload = body ?? Buffer.alloc(0);
  if (body !== undefined && !request.noFraming) {
    if (request.chunked) {
      lines.push('transfer-encoding: chunked');
      payload = Buffer.concat([Buffer.from(`${body.length.toString(16)}\r\n`), body, Buffer.from('\r\n0\r\n\r\n')]);
    } else {
      lines.push(`content-length: ${body.length}`);
    }
  }
  const head = Buffer.from(`${lines.join('\r\n')}\r\n\r\n`, 'latin1');

  return new Promise((resolve, reject) => {
    const socket = connect({ host: url.hostname, port: Number(url.port) });
    const chunks: Buffer[] = [];
    socket.setTimeout(timeoutMs, () => socket.destroy(new Error(`no answer within ${timeoutMs} ms`)));
    socket.on('data', (chunk) => chunks.push(chunk));
    // The server may answer (413, 400) and close before it has read the whole body.
    socket.on('error', (error: NodeJS.ErrnoException) => {
      if (error.code === 'ECONNRESET' || error.code === 'EPIPE') return;
      reject(error);
    });
    socket.on('close', () => {
      const all = Buffer.concat(chunks);
      const split = all.indexOf('\r\n\r\n');
      if (split < 0) return reject(new Error(`no HTTP answer (${all.length} bytes)`));
      const [statusLine, ...headerLines] = all.subarray(0, split).toString('latin1').split('\r\n');
      const headers: Record<string, string> = {};
      for (const line of headerLines) {
        const colon = line.indexOf(':');
        headers[line.slice(0, colon).trim().toLowerCase()] = line.slice(colon + 1).trim();
      }
      let rest: Buffer = all.subarray(split + 4);
      if (headers['transfer-encoding'] === 'chunked') rest = dechunk(rest);
      const text = rest.toString('utf8');
      let parsed: unknown = text;
      try {
        parsed = text ? JSON.parse(text) : undefined;
      } catch {
        // not JSON: keep the text
      }
      resolve({ status: Number(statusLine!.split(' ')[1]), headers, text, body: parsed });
    });
    socket.write(head);
    if (payload.length > 0) socket.write(payload);
  });
}
