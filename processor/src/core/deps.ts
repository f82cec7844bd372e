import type { CommercetoolsRecurringPaymentJobService } from '@commercetools/connect-payments-sdk';
import type Stripe from 'stripe';
import type { Config } from '../config/load-config';
import type { OrderMemory } from './order-memory';
import type { CommercetoolsPort, TypeAvailability } from './ports';
import type { RecentReads } from './recent-reads';
import type { SerialQueue } from './serial-queue';

export interface Log {
  info(obj: object, msg?: string): void;
  warn(obj: object, msg?: string): void;
  error(obj: object, msg?: string): void;
}

/** What the payment use cases need; built once by the composition root. */
export interface PaymentsDeps {
  config: Config;
  ct: CommercetoolsPort;
  stripe: Stripe;
  log: Log;
  /** Which optional custom types post-deploy created (cached). */
  customTypes: () => Promise<TypeAvailability>;
  /** Orders syncs of one PaymentIntent in this processor. */
  serial: SerialQueue;
  /** Order creations in flight, orders seen lately, payments just accepted. */
  orders: OrderMemory;
  /** Stripe states and carts this processor read lately, shared by the syncs of one checkout. */
  reads: RecentReads;
  /** The payments SDK's recurring payment jobs (commercetools Checkout), for saved methods of recurring carts. */
  recurringJobs?: CommercetoolsRecurringPaymentJobService;
}
