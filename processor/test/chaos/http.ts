/** Plain HTTP for the run: a network failure is an answer too (status 0), never an exception. */
export interface Answer<T = any> {
  /** 0 when no HTTP answer came (connection refused or reset, timeout). */
  status: number;
  body: T;
  error?: string;
}

export async function send<T = any>(
  url: string,
  init: { method?: string; headers?: Record<string, string>; json?: unknown; form?: string; timeoutMs?: number } = {},
): Promise<Answer<T>> {
  const headers: Record<string, string> = { ...init.headers };
  let body: string | undefined;
  if (init.json !== undefined) {
    headers['content-type'] = 'application/json';
    body = JSON.stringify(init.json);
  } else if (init.form !== undefined) {
    headers['content-type'] = 'application/x-www-form-urlencoded';
    body = init.form;
  }
  try {
    const res = await fetch(url, {
      method: init.method ?? (body !== undefined ? 'POST' : 'GET'),
      headers,
      ...(body !== undefined ? { body } : {}),
      signal: AbortSignal.timeout(init.timeoutMs ?? 30_000),
    });
    const text = await res.text();
    let parsed: unknown = text;
    try {
      parsed = text ? JSON.parse(text) : undefined;
    } catch {
      // not JSON: keep the text
    }
    return { status: res.status, body: parsed as T };
  } catch (error) {
    const cause = (error as { cause?: { code?: string } }).cause?.code;
    return { status: 0, body: undefined as T, error: cause ?? (error as Error).name };
  }
}

/** A control call that must work (sandbox controls are never faulted). */
export async function must<T = any>(url: string, json?: unknown, method?: string): Promise<T> {
  const res = await send<T>(url, { ...(json !== undefined ? { json } : {}), ...(method ? { method } : {}) });
  if (res.status < 200 || res.status >= 300)
    throw new Error(
      `${method ?? (json !== undefined ? 'POST' : 'GET')} ${url}: ${res.status} ${JSON.stringify(res.body)}`,
    );
  return res.body;
}

/** A bounded pool: runs `work` over `items` with at most `limit` at a time. */
export async function pool<T, R>(items: readonly T[], limit: number, work: (item: T) => Promise<R>): Promise<R[]> {
  const results: R[] = new Array(items.length);
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(limit, items.length) }, async () => {
      while (next < items.length) {
        const i = next++;
        results[i] = await work(items[i]!);
      }
    }),
  );
  return results;
}
