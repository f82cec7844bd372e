import { UpstreamFailure, networkReason, waited, type UpstreamName } from './failure';

/**
 * `fetch` that gives up after `timeoutMs` (headers and body together) and turns a network
 * failure into an UpstreamFailure naming the upstream and the origin it called. The error is not
 * called `AbortError` or `TimeoutError` on purpose: the commercetools client retries those, and
 * an operator waiting on a dead upstream wants the answer after one timeout, not four.
 */
export function boundedFetch(upstream: UpstreamName, timeoutMs: number): typeof fetch {
  return async (input, init = {}) => {
    const url = new URL(input instanceof Request ? input.url : String(input));
    const deadline = AbortSignal.timeout(timeoutMs);
    const signal = init.signal ? AbortSignal.any([init.signal, deadline]) : deadline;
    try {
      const res = await fetch(input, { ...init, signal });
      const body = await res.arrayBuffer();
      return new Response(body.byteLength > 0 ? body : null, {
        status: res.status,
        statusText: res.statusText,
        headers: res.headers,
      });
    } catch (error) {
      if (deadline.aborted) throw new UpstreamFailure(upstream, url.origin, waited(timeoutMs), { cause: error });
      const reason = networkReason(error) ?? fetchFailure(error, url);
      if (reason) throw new UpstreamFailure(upstream, url.origin, reason, { cause: error });
      throw error;
    }
  };
}

/** `fetch failed` with a cause no code names (e.g. `bad port`): still the network, in fetch's words. */
function fetchFailure(error: unknown, url: URL): string | undefined {
  if (!(error instanceof TypeError) || error.message !== 'fetch failed') return undefined;
  const cause = (error as { cause?: { message?: unknown } }).cause?.message;
  if (cause === 'bad port') return `fetch does not connect to port ${url.port} ("bad port")`;
  return typeof cause === 'string' && cause ? cause : 'network error';
}
