import type Stripe from 'stripe';
import { newId, nowSeconds } from './ids';

export const API_VERSION = '2026-10-28.endive';

export interface EventListener {
  (event: Stripe.Event): void;
}

/** Everything the emulator knows, in memory. Objects are stored as the API returns them. */
export class EmulatorState {
  paymentIntents: Map<string, Stripe.PaymentIntent> = new Map();
  charges: Map<string, Stripe.Charge> = new Map();
  refunds: Map<string, Stripe.Refund> = new Map();
  disputes: Map<string, Stripe.Dispute> = new Map();
  customers: Map<string, Stripe.Customer> = new Map();
  paymentMethods: Map<string, Stripe.PaymentMethod> = new Map();
  webhookEndpoints: Map<string, Stripe.WebhookEndpoint & { secret: string }> = new Map();
  events: Stripe.Event[] = [];
  /** Captures made per PaymentIntent (multicapture allows at most 50). */
  captureCount: Map<string, number> = new Map();
  private listeners: EventListener[] = [];

  onEvent(listener: EventListener): void {
    this.listeners.push(listener);
  }

  /** Records an event with a snapshot of the object as it is now, and hands it to delivery. */
  emit(
    type: string,
    object: { id: string },
    previous?: Record<string, unknown>,
    request?: { id: string; idempotencyKey?: string },
  ): Stripe.Event {
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
    } as unknown as Stripe.Event;
    this.events.push(event);
    for (const listener of this.listeners) listener(event);
    return event;
  }

  clear(): void {
    this.paymentIntents.clear();
    this.charges.clear();
    this.refunds.clear();
    this.disputes.clear();
    this.customers.clear();
    this.paymentMethods.clear();
    this.webhookEndpoints.clear();
    this.events = [];
    this.captureCount.clear();
  }
}
