/** Small HTTP helpers for tests that talk to the sandbox over real HTTP. */

export interface JsonResponse<T = Record<string, unknown>> {
  status: number;
  headers: Headers;
  body: T;
}

export async function http<T = Record<string, unknown>>(
  url: string,
  init: { method?: string; headers?: Record<string, string>; json?: unknown; form?: Record<string, string> } = {},
): Promise<JsonResponse<T>> {
  const headers: Record<string, string> = { ...init.headers };
  let body: string | undefined;
  if (init.json !== undefined) {
    headers['content-type'] = 'application/json';
    body = JSON.stringify(init.json);
  } else if (init.form) {
    headers['content-type'] = 'application/x-www-form-urlencoded';
    body = new URLSearchParams(init.form).toString();
  }
  const res = await fetch(url, { method: init.method ?? (body ? 'POST' : 'GET'), headers, ...(body ? { body } : {}) });
  const text = await res.text();
  return { status: res.status, headers: res.headers, body: (text ? JSON.parse(text) : undefined) as T };
}

export function basic(clientId: string, secret: string): string {
  return `Basic ${Buffer.from(`${clientId}:${secret}`).toString('base64')}`;
}

export async function clientToken(
  ctUrl: string,
  scope?: string,
): Promise<{ access_token: string; scope: string; expires_in: number }> {
  const res = await http<{ access_token: string; scope: string; expires_in: number }>(`${ctUrl}/oauth/token`, {
    headers: { authorization: basic('test-client', 'test-secret') },
    form: { grant_type: 'client_credentials', ...(scope ? { scope } : {}) },
  });
  if (res.status !== 200) throw new Error(`token request failed: ${res.status} ${JSON.stringify(res.body)}`);
  return res.body;
}

export type Api = <T = any>(method: string, path: string, json?: unknown) => Promise<JsonResponse<T>>;

/** Calls `{ct}/{projectKey}{path}` with a manage_project token. */
export async function apiClient(ctUrl: string, projectKey = 'sandbox'): Promise<Api> {
  const { access_token } = await clientToken(ctUrl);
  return (method, path, json) =>
    http(`${ctUrl}/${projectKey}${path}`, {
      method,
      headers: { authorization: `Bearer ${access_token}` },
      ...(json !== undefined ? { json } : {}),
    });
}

/** `?where=…` of one or more predicates (and-ed), with more query parameters. */
export function where(predicates: string | string[], more: Record<string, string | number> = {}): string {
  const params = new URLSearchParams();
  for (const p of Array.isArray(predicates) ? predicates : [predicates]) params.append('where', p);
  for (const [k, v] of Object.entries(more)) params.append(k, String(v));
  return `?${params.toString()}`;
}
