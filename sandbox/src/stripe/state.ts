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
  private immediates = new Set<NodeJS.Immediate>();
  /** What a task that throws does (by default: throw, as an uncaught error). */
  onError: (error: unknown) => void = (error) => {
    throw error;
  };

  /** `detach` runs a task outside the API request that scheduled it: the task is Stripe's own move. */
  constructor(private readonly detach: (task: () => void) => void = (task) => task()) {}

  private run(task: () => void): void {
    try {
      this.detach(task);
    } catch (error) {
      this.onError(error);
    }
  }

  after(ms: number, task: () => void): void {
    const timer = setTimeout(() => {
      this.timers.delete(timer);
      this.run(task);
    }, ms);
    timer.unref();
    this.timers.add(timer);
  }

  /**
   * Right after the answer of the request being handled has been written, before the next
   * request is read: a client that waits for the answer never sees the state in between.
   */
  soon(task: () => void): void {
    const immediate = setImmediate(() => {
      this.immediates.delete(immediate);
      this.run(task);
    });
    this.immediates.add(immediate);
  }

  clear(): void {
    for (const timer of this.timers) clearTimeout(timer);
    for (const immediate of this.immediates) clearImmediate(immediate);
    this.timers.clear();
    this.immediates.clear();
  }
}

/**
 * The earlier value of each field of `before` that is different in `after`. Whole values, as the
 * stripe package types `previous_attributes` (`Partial<T>`); a field that did not exist before
 * has no earlier value and is left out.
 */
export function changedFields(before: object, after: object): Record<string, unknown> {
  const now = after as Record<string, unknown>;
  const changed: Record<string, unknown> = {};
  for (const [field, value] of Object.entries(before)) {
    if (JSON.stringify(value) !== JSON.stringify(now[field])) changed[field] = structuredClone(value);
  }
  return changed;
}

/** Everything the emulator knows, in memory. Objects are stored as the API returns them. */
export class EmulatorState {
  readonly paymentIntents: Map<string, Stripe.PaymentIntent> = new Map();
  readonly charges: Map<string, Stripe.Charge> = new Map();
  readonly refunds: Map<string, Stripe.Refund> = new Map();
  readonly disputes: Map<string, Stripe.Dispute> = new Map();
  readonly customers: Map<string, Stripe.Customer> = new Map();
  readonly paymentMethods: Map<string, Stripe.PaymentMethod> = new Map();
  /** Customer sessions by client secret (what the Payment Element is given to show saved methods). */
  readonly customerSessions: Map<string, Stripe.CustomerSession> = new Map();
  readonly balanceTransactions: Map<string, Stripe.BalanceTransaction> = new Map();
  readonly webhookEndpoints = new Map<string, StoredEndpoint>();
  readonly paymentMethodDomains: Map<string, Stripe.PaymentMethodDomain> = new Map();
  events: Stripe.Event[] = [];

  // What Stripe knows but never shows on the API.
  /** The test behaviour behind every PaymentMethod created from a test token, card number or IBAN. */
  readonly methodOf = new Map<string, TestMethod>();
  /** PaymentMethods set up for off-session use (saved by a successful on-session payment). */
  readonly setUpForOffSession = new Set<string>();
  /** PaymentMethods detached from their customer: Stripe refuses to use or attach them again. */
  readonly detachedMethods = new Set<string>();
  /** Captures made per PaymentIntent (multicapture allows at most 50). */
  readonly captureCount = new Map<string, number>();
  /** Where a redirect-based payment returns the shopper to. */
  readonly returnUrls = new Map<string, string>();
  /** Domain names whose Apple Pay verification fails (a control), with the message ('' for Stripe's usual one). */
  readonly applePayUnverified = new Map<string, string>();
  /** The token in a pending challenge's URL: the hosted pages act on the PaymentIntent with it. */
  readonly actionTokens = new Map<string, string>();

  readonly requestContext = new AsyncLocalStorage<RequestInfo>();
  /** Its events carry no `request`, even when an API request set the timer. */
  readonly scheduler = new Scheduler((task) => this.requestContext.exit(task));
  private listeners: ((event: Stripe.Event) => void)[] = [];
  /** Called with each event before it is recorded; throws to refuse it (shape checks). */
  checkEvent: (event: Stripe.Event) => void = () => undefined;

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
    this.checkEvent(event);
    this.events.push(event);
    for (const listener of this.listeners) listener(event);
    return event;
  }

  /**
   * Emits an `*.updated` event whose `data.previous_attributes` hold the earlier value of each
   * top-level field that changed since `before` (a snapshot taken before the change). Stripe
   * sends no event for an update that changed nothing; neither does the emulator.
   */
  emitUpdated(type: string, object: { id: string; object: string }, before: object): Stripe.Event | undefined {
    const previous = changedFields(before, object);
    return Object.keys(previous).length > 0 ? this.emit(type, object, previous) : undefined;
  }

  clear(): void {
    for (const map of [
      this.paymentIntents,
      this.charges,
      this.refunds,
      this.disputes,
      this.customers,
      this.paymentMethods,
      this.customerSessions,
      this.balanceTransactions,
      this.webhookEndpoints,
      this.paymentMethodDomains,
      this.applePayUnverified,
      this.methodOf,
      this.captureCount,
      this.returnUrls,
      this.actionTokens,
    ]) {
      map.clear();
    }
    this.setUpForOffSession.clear();
    this.detachedMethods.clear();
    this.events = [];
    this.scheduler.clear();
  }
}
