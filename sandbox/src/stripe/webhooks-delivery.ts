import { createHmac } from 'node:crypto';
import type Stripe from 'stripe';
import { nowSeconds } from './ids';
import type { EmulatorState, StoredEndpoint } from './state';

/** `t=…,v1=…`: HMAC-SHA256 of `${t}.${body}` with the endpoint secret, exactly as Stripe signs. */
export function signature(secret: string, body: string, timestamp = nowSeconds()): string {
  return `t=${timestamp},v1=${createHmac('sha256', secret).update(`${timestamp}.${body}`).digest('hex')}`;
}

export type DeliveryOrder = 'in_order' | 'reverse' | 'shuffle';
export const DELIVERY_ORDERS: readonly DeliveryOrder[] = ['in_order', 'reverse', 'shuffle'];

export interface DeliveryControls {
  paused: boolean;
  /** Each event is delivered this many times to each endpoint (Stripe may send duplicates). */
  copies: number;
  /** Order in which the events held while paused are released. */
  order: DeliveryOrder;
  /** The next N events are dropped: never delivered, found only by listing events. */
  dropNext: number;
  /** Event types dropped while listed. */
  dropTypes: string[];
}

export interface DeliveryAttempt {
  eventId: string;
  type: string;
  endpoint: string;
  attempt: number;
  /** HTTP status, or `error` when the endpoint could not be reached or did not answer in time. */
  status: number | 'error';
  at: number;
}

interface Job {
  event: Stripe.Event;
  endpoint: string;
  attempt: number;
}

type Outcome = 'pending' | 'delivered' | 'failed';

const defaults = (): DeliveryControls => ({
  paused: false,
  copies: 1,
  order: 'in_order',
  dropNext: 0,
  dropTypes: [],
});

/**
 * Signed delivery of events to every enabled endpoint whose `enabled_events` match, with
 * retries on any non-2xx answer, network error or timeout, on a configurable (fast) schedule.
 */
export class Delivery {
  controls: DeliveryControls = defaults();
  readonly attempts: DeliveryAttempt[] = [];
  private held: Job[] = [];
  private inFlight = 0;
  private timers = new Set<NodeJS.Timeout>();
  /** Per event and endpoint: delivered, still being tried, or given up. */
  private outcomes = new Map<string, Map<string, Outcome>>();
  private dropped = new Set<string>();
  private closed = false;

  constructor(
    private readonly state: EmulatorState,
    private readonly schedule: readonly number[],
    private readonly timeoutMs = 10_000,
  ) {}

  private matches(endpoint: StoredEndpoint, type: string): boolean {
    return (
      endpoint.status === 'enabled' && (endpoint.enabled_events.includes('*') || endpoint.enabled_events.includes(type))
    );
  }

  enqueue(event: Stripe.Event): void {
    if (this.closed) return;
    if (this.controls.dropNext > 0 || this.controls.dropTypes.includes(event.type)) {
      if (this.controls.dropNext > 0) this.controls.dropNext -= 1;
      this.dropped.add(event.id);
      return;
    }
    const outcomes = new Map<string, Outcome>();
    for (const endpoint of this.state.webhookEndpoints.values()) {
      if (!this.matches(endpoint, event.type)) continue;
      outcomes.set(endpoint.id, 'pending');
      for (let copy = 0; copy < this.controls.copies; copy++) {
        const job = { event, endpoint: endpoint.id, attempt: 1 };
        if (this.controls.paused) this.held.push(job);
        else this.later(job, 0);
      }
    }
    this.outcomes.set(event.id, outcomes);
    this.updatePending(event);
  }

  /** Sends an event again to every matching endpoint (a late duplicate). */
  resend(event: Stripe.Event): number {
    let sent = 0;
    for (const endpoint of this.state.webhookEndpoints.values()) {
      if (!this.matches(endpoint, event.type)) continue;
      this.later({ event, endpoint: endpoint.id, attempt: 1 }, 0);
      sent += 1;
    }
    return sent;
  }

  /** As `GET /v1/events?delivery_success=false` sees it: dropped, still pending, or given up. */
  undelivered(eventId: string): boolean {
    if (this.dropped.has(eventId)) return true;
    const outcomes = this.outcomes.get(eventId);
    return outcomes ? [...outcomes.values()].some((o) => o !== 'delivered') : false;
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
    // A few ms apart, so that the chosen order is the order of arrival.
    batch.forEach((job, index) => this.later(job, index * 5));
    return batch.length;
  }

  /** Deliveries not finished yet (held, scheduled or in flight). */
  pending(): number {
    return this.held.length + this.timers.size + this.inFlight;
  }

  /** Resolves when nothing is held, scheduled or in flight (or after `timeoutMs`). */
  async idle(timeoutMs = 5000): Promise<boolean> {
    const started = Date.now();
    while (this.timers.size + this.inFlight > 0) {
      if (Date.now() - started > timeoutMs) return false;
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
    return true;
  }

  reset(): void {
    for (const timer of this.timers) clearTimeout(timer);
    this.timers.clear();
    this.held = [];
    this.outcomes.clear();
    this.dropped.clear();
    this.attempts.length = 0;
    this.controls = defaults();
  }

  close(): void {
    this.closed = true;
    this.reset();
  }

  private updatePending(event: Stripe.Event): void {
    const outcomes = this.outcomes.get(event.id);
    event.pending_webhooks = outcomes ? [...outcomes.values()].filter((o) => o === 'pending').length : 0;
  }

  private later(job: Job, delayMs: number): void {
    if (this.closed) return;
    const timer = setTimeout(() => {
      this.timers.delete(timer);
      void this.send(job);
    }, delayMs);
    this.timers.add(timer);
  }

  private async send(job: Job): Promise<void> {
    const endpoint = this.state.webhookEndpoints.get(job.endpoint);
    if (!endpoint || this.closed) return;
    this.inFlight += 1;
    const body = JSON.stringify(job.event, null, 2);
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
        signal: AbortSignal.timeout(this.timeoutMs),
      });
      status = response.status;
      await response.arrayBuffer();
    } catch {
      status = 'error';
    } finally {
      this.inFlight -= 1;
    }
    if (this.closed) return;
    this.attempts.push({
      eventId: job.event.id,
      type: job.event.type,
      endpoint: endpoint.id,
      attempt: job.attempt,
      status,
      at: Date.now(),
    });
    const outcomes = this.outcomes.get(job.event.id);
    if (typeof status === 'number' && status >= 200 && status < 300) {
      outcomes?.set(endpoint.id, 'delivered');
      this.updatePending(job.event);
      return;
    }
    const wait = this.schedule[job.attempt - 1];
    if (wait === undefined) {
      if (outcomes?.get(endpoint.id) === 'pending') outcomes.set(endpoint.id, 'failed');
      this.updatePending(job.event);
      return;
    }
    this.later({ ...job, attempt: job.attempt + 1 }, wait);
  }
}
