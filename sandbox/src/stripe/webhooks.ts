import { createHmac } from 'node:crypto';
import type Stripe from 'stripe';
import { invalid, missing } from './errors';
import { bool, list, metadata, str, type Params } from './form';
import { newId, nowSeconds, randomToken } from './ids';
import { API_VERSION, type EmulatorState } from './state';

type Endpoint = Stripe.WebhookEndpoint & { secret: string };

/** Webhook endpoints as the API shows them: the secret only in the answer to create. */
export class WebhookEndpoints {
  constructor(private readonly state: EmulatorState) {}

  get(id: string): Endpoint {
    const endpoint = this.state.webhookEndpoints.get(id);
    if (!endpoint) throw missing('webhook_endpoint', id, 'webhook_endpoint');
    return endpoint;
  }

  static view(endpoint: Endpoint): Stripe.WebhookEndpoint {
    const { secret: _secret, ...rest } = endpoint;
    return rest as Stripe.WebhookEndpoint;
  }

  private validateEvents(events: string[] | undefined): string[] | undefined {
    if (events === undefined) return undefined;
    if (events.length === 0) throw invalid('enabled_events must contain at least one event.', 'enabled_events');
    for (const type of events) {
      if (type !== '*' && !/^[a-z_]+(\.[a-z_]+)+$/.test(type))
        throw invalid(`Invalid event type: ${type}`, 'enabled_events');
    }
    return events;
  }

  private validateUrl(url: string): string {
    try {
      const parsed = new URL(url);
      if (!['http:', 'https:'].includes(parsed.protocol)) throw new Error();
      return url;
    } catch {
      throw invalid(`Invalid URL: ${url}`, 'url', 'url_invalid');
    }
  }

  create(params: Params): Stripe.WebhookEndpoint & { secret: string } {
    const url = this.validateUrl(str(params, 'url', { required: true })!);
    const events = this.validateEvents(list(params, 'enabled_events'));
    if (!events) throw invalid('Missing required param: enabled_events.', 'enabled_events', 'parameter_missing');
    const endpoint = {
      id: newId('we'),
      object: 'webhook_endpoint',
      api_version: str(params, 'api_version') ?? API_VERSION,
      application: null,
      created: nowSeconds(),
      description: str(params, 'description') ?? null,
      enabled_events: events,
      livemode: false,
      metadata: metadata(params) ?? {},
      status: 'enabled',
      url,
      secret: `whsec_${randomToken(32)}`,
    } as unknown as Endpoint;
    this.state.webhookEndpoints.set(endpoint.id, endpoint);
    return structuredClone(endpoint);
  }

  update(id: string, params: Params): Stripe.WebhookEndpoint {
    const endpoint = this.get(id);
    if (params.api_version !== undefined) throw invalid('Received unknown parameter: api_version', 'api_version');
    const url = str(params, 'url');
    if (url) endpoint.url = this.validateUrl(url);
    const events = this.validateEvents(list(params, 'enabled_events'));
    if (events) endpoint.enabled_events = events;
    const disabled = bool(params, 'disabled');
    if (disabled !== undefined) endpoint.status = disabled ? 'disabled' : 'enabled';
    const description = str(params, 'description');
    if (description !== undefined) endpoint.description = description;
    const meta = metadata(params, endpoint.metadata);
    if (meta) endpoint.metadata = meta;
    return WebhookEndpoints.view(endpoint);
  }

  delete(id: string): Stripe.DeletedWebhookEndpoint {
    this.get(id);
    this.state.webhookEndpoints.delete(id);
    return { id, object: 'webhook_endpoint', deleted: true };
  }

  list(): Stripe.WebhookEndpoint[] {
    return [...this.state.webhookEndpoints.values()].map(WebhookEndpoints.view);
  }
}

/** `t=…,v1=…`: HMAC-SHA256 of `${t}.${body}` with the endpoint secret, as Stripe signs. */
export function signature(secret: string, body: string, timestamp = nowSeconds()): string {
  return `t=${timestamp},v1=${createHmac('sha256', secret).update(`${timestamp}.${body}`).digest('hex')}`;
}

export type DeliveryOrder = 'in_order' | 'reverse' | 'shuffle';

export interface DeliveryControls {
  paused: boolean;
  /** Each event is delivered this many times (duplicates, as Stripe may send). */
  copies: number;
  /** Order in which a held batch is released on resume. */
  order: DeliveryOrder;
  /** The next N events are dropped (never delivered: recovered only by listing events). */
  dropNext: number;
  /** Event types dropped while listed. */
  dropTypes: string[];
}

interface Attempt {
  event: Stripe.Event;
  endpoint: string;
  attempt: number;
}

/**
 * Signed delivery of events to every enabled endpoint whose `enabled_events` match, with
 * retries on any non-2xx answer or network error, on a configurable (fast) schedule.
 */
export class Delivery {
  controls: DeliveryControls = { paused: false, copies: 1, order: 'in_order', dropNext: 0, dropTypes: [] };
  private held: Attempt[] = [];
  private inFlight = 0;
  private timers = new Set<NodeJS.Timeout>();
  /** Per event: did any endpoint accept it? */
  readonly succeeded = new Set<string>();
  readonly attempts: { eventId: string; type: string; endpoint: string; attempt: number; status: number | 'error' }[] =
    [];

  constructor(
    private readonly state: EmulatorState,
    private readonly schedule: readonly number[],
  ) {}

  enqueue(event: Stripe.Event): void {
    if (this.controls.dropNext > 0) {
      this.controls.dropNext -= 1;
      return;
    }
    if (this.controls.dropTypes.includes(event.type)) return;
    for (const endpoint of this.state.webhookEndpoints.values()) {
      if (endpoint.status !== 'enabled') continue;
      if (!endpoint.enabled_events.includes('*') && !endpoint.enabled_events.includes(event.type)) continue;
      for (let copy = 0; copy < this.controls.copies; copy++) {
        event.pending_webhooks += 1;
        const attempt = { event, endpoint: endpoint.id, attempt: 1 };
        if (this.controls.paused) this.held.push(attempt);
        else this.later(attempt, 0);
      }
    }
  }

  pause(): void {
    this.controls.paused = true;
  }

  resume(order: DeliveryOrder = this.controls.order): number {
    this.controls.paused = false;
    const batch = this.held;
    this.held = [];
    if (order === 'reverse') batch.reverse();
    if (order === 'shuffle') {
      for (let i = batch.length - 1; i > 0; i--) {
        const j = Math.floor(Math.random() * (i + 1));
        [batch[i], batch[j]] = [batch[j]!, batch[i]!];
      }
    }
    // Sequentially, a few ms apart, so that the chosen order is the order of arrival.
    batch.forEach((attempt, index) => this.later(attempt, index * 5));
    return batch.length;
  }

  /** Deliveries not finished yet (held, scheduled or in flight). */
  pending(): number {
    return this.held.length + this.timers.size + this.inFlight;
  }

  reset(): void {
    for (const timer of this.timers) clearTimeout(timer);
    this.timers.clear();
    this.held = [];
    this.succeeded.clear();
    this.attempts.length = 0;
    this.controls = { paused: false, copies: 1, order: 'in_order', dropNext: 0, dropTypes: [] };
  }

  private later(attempt: Attempt, delayMs: number): void {
    const timer = setTimeout(() => {
      this.timers.delete(timer);
      void this.send(attempt);
    }, delayMs);
    this.timers.add(timer);
  }

  private async send(attempt: Attempt): Promise<void> {
    const endpoint = this.state.webhookEndpoints.get(attempt.endpoint);
    if (!endpoint) return;
    this.inFlight += 1;
    const body = JSON.stringify(attempt.event, null, 2);
    let status: number | 'error';
    try {
      const response = await fetch(endpoint.url, {
        method: 'POST',
        headers: {
          'content-type': 'application/json; charset=utf-8',
          'user-agent': 'Stripe/1.0 (+https://stripe.com/docs/webhooks)',
          'stripe-signature': signature(endpoint.secret, body),
        },
        body,
        signal: AbortSignal.timeout(10_000),
      });
      status = response.status;
      await response.arrayBuffer();
    } catch {
      status = 'error';
    } finally {
      this.inFlight -= 1;
    }
    this.attempts.push({
      eventId: attempt.event.id,
      type: attempt.event.type,
      endpoint: endpoint.id,
      attempt: attempt.attempt,
      status,
    });
    if (typeof status === 'number' && status >= 200 && status < 300) {
      this.succeeded.add(attempt.event.id);
      attempt.event.pending_webhooks = Math.max(0, attempt.event.pending_webhooks - 1);
      return;
    }
    const wait = this.schedule[attempt.attempt - 1];
    if (wait === undefined) {
      attempt.event.pending_webhooks = Math.max(0, attempt.event.pending_webhooks - 1);
      return;
    }
    this.later({ ...attempt, attempt: attempt.attempt + 1 }, wait);
  }
}
