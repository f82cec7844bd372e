import { AsyncLocalStorage } from 'node:async_hooks';
import type Stripe from 'stripe';
import { newId, nowSeconds } from './ids';
import type { TestMethod } from './test-methods';

export const API_VERSION = '2026-10-28.endive';

export type StoredEndpoint = Stripe.WebhookEndpoint & { secret: string };

/** The API request an event stems from (`event.request`); none for Stripe's own changes. */
export interface RequestInfo {
  id: string;
  idempotencyKey: string | null;
}

/** Timers the emulator sets by itself (async settlement, late refund failures), cleared on reset. */
export class Scheduler {
  private timers = new Set<NodeJS.Timeout>();

  after(ms: number, task: () => void): void {
    const timer = setTimeout(() => {
      this.timers.delete(timer);
      task();
    }, ms);
    timer.unref();
    this.timers.add(timer);
  }

  clear(): void {
    for (const timer of this.timers) clearTimeout(timer);
    this.timers.clear();
  }
}

/** Everything the emulator knows, in memory. Objects are stored as the API returns them. */
export class EmulatorState {
  readonly paymentIntents: Map<string, Stripe.PaymentIntent> = new Map();
  readonly charges: Map<string, Stripe.Charge> = new Map();
  readonly refunds: Map<string, Stripe.Refund> = new Map();
  readonly disputes: Map<string, Stripe.Dispute> = new Map();
  readonly customers: Map<string, Stripe.Customer> = new Map();
  readonly paymentMethods: Map<string, Stripe.PaymentMethod> = new Map();
  readonly balanceTransactions: Map<string, Stripe.BalanceTransaction> = new Map();
  readonly webhookEndpoints = new Map<string, StoredEndpoint>();
  events: Stripe.Event[] = [];

  // What Stripe knows but never shows on the API.
  /** The test behaviour behind every PaymentMethod created from a test token, card number or IBAN. */
  readonly methodOf = new Map<string, TestMethod>();
  /** PaymentMethods set up for off-session use (saved by a successful on-session payment). */
  readonly setUpForOffSession = new Set<string>();
  /** Captures made per PaymentIntent (multicapture allows at most 50). */
  readonly captureCount = new Map<string, number>();
  /** Where a redirect-based payment returns the shopper to. */
  readonly returnUrls = new Map<string, string>();
  /** The token in a pending challenge's URL: the hosted pages act on the PaymentIntent with it. */
  readonly actionTokens = new Map<string, string>();

  readonly scheduler = new Scheduler();
  readonly requestContext = new AsyncLocalStorage<RequestInfo>();
  private listeners: ((event: Stripe.Event) => void)[] = [];

  onEvent(listener: (event: Stripe.Event) => void): void {
    this.listeners.push(listener);
  }

  /** Records an event with a snapshot of the object as it is now, and hands it to delivery. */
  emit(type: string, object: { id: string; object: string }, previous?: Record<string, unknown>): Stripe.Event {
    const request = this.requestContext.getStore();
    const event = {
      id: newId('evt'),
      object: 'event',
      api_version: API_VERSION,
      created: nowSeconds(),
      data: { object: structuredClone(object), ...(previous ? { previous_attributes: previous } : {}) },
      livemode: false,
      pending_webhooks: 0,
      request: { id: request?.id ?? null, idempotency_key: request?.idempotencyKey ?? null },
      type,
    } as unknown as Stripe.Event; // a discriminated union keyed by `type`: built generically here
    this.events.push(event);
    for (const listener of this.listeners) listener(event);
    return event;
  }

  clear(): void {
    for (const map of [
      this.paymentIntents,
      this.charges,
      this.refunds,
      this.disputes,
      this.customers,
      this.paymentMethods,
      this.balanceTransactions,
      this.webhookEndpoints,
      this.methodOf,
      this.captureCount,
      this.returnUrls,
      this.actionTokens,
    ]) {
      map.clear();
    }
    this.setUpForOffSession.clear();
    this.events = [];
    this.scheduler.clear();
  }
}
