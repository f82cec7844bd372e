import type { FaultClass } from './faults';
import type { Flavor } from './replicas';
import { stream, type Rng } from './rng';

/**
 * What each checkout will do, drawn from the seed before anything runs (so that a seed replays
 * the same plans whatever the timing). The driver adapts each step to Stripe's state when it
 * gets there (a capture needs something capturable), and notes what it could not do.
 */
export type Card =
  'visa' | 'declined' | 'declined-then-visa' | '3ds-abandoned' | 'sepa' | 'sepa-fail' | 'refund-fail-card';
export type CartPlan = 'none' | 'change-repay' | 'change-abandon' | 'change-repost' | 'abab';
export type Step =
  | 'capture-full'
  | 'capture-partial'
  | 'multicapture'
  | 'cancel'
  | 'reverse'
  | 'refund'
  | 'refund-same-twice'
  | 'refund-lost'
  | 'capture-lost'
  | 'kill'
  | 'concurrent'
  | 'dashboard-capture'
  | 'dashboard-cancel'
  | 'dashboard-refund'
  | 'expire'
  | 'refund-fail'
  | 'refund-pending'
  | 'key-other-body';
export type PaymentFault = 'ct409' | 'ct503' | 'ctSlow' | 'stripe429';

/** What goes wrong around one charge of a stored card (`POST /operations/transactions`). */
export type ChargeFault =
  'none' | 'repeat' | 'concurrent' | 'kill' | 'ct409' | 'ct503' | 'stripe500' | 'key-other-body';

/** One cart of the customer charged off-session with the card of the checkout. */
export interface ChargePlan {
  /** Parts of the cart (amounts asked), never all of it; else what is left to pay. */
  partial: boolean;
  keyed: boolean;
  fault: ChargeFault;
}

/**
 * A checkout of a commercetools customer (saved cards): it saves the card it pays with, pays with
 * one the customer saved before (saving one first in a checkout of its own when there is none),
 * or pays without saving; then commercetools Checkout charges the card for other carts of the
 * customer, and the customer may delete it.
 */
export interface CustomerPlan {
  /** A customer of the run's pool (methods are reused across checkouts), or one of its own. */
  customer: number | 'fresh';
  pay: 'save' | 'stored' | 'plain';
  /** The card saved: one Stripe lets pay off-session, or one that needs the shopper (authentication_required). */
  card: 'visa' | 'needs-auth';
  /** A recurring cart (saving implied; the connector asks for a recurring payment job). */
  recurringCart: boolean;
  /** A fresh customer's first payments, of two carts, on two replicas at once: one Stripe customer. */
  race: boolean;
  charges: ChargePlan[];
  /** The card is deleted afterwards: once, twice one after the other, or on two replicas at once. */
  remove?: 'once' | 'twice' | 'concurrent';
}

export interface Plan {
  index: number;
  flavor: Flavor;
  currency: string;
  quantity: number;
  card: Card;
  cart: CartPlan;
  faults: PaymentFault[];
  steps: Step[];
  dispute?: 'won' | 'lost' | 'open' | 'inquiry';
  /** Chance that an operation carries an Idempotency-Key header. */
  keyed: number;
  customer?: CustomerPlan;
}

const MANUAL_FIRST: readonly Step[] = [
  'capture-full',
  'capture-full',
  'capture-partial',
  'multicapture',
  'cancel',
  'reverse',
  'capture-lost',
  'kill',
  'concurrent',
  'dashboard-capture',
  'dashboard-cancel',
  'expire',
];
const AFTER_CAPTURE: readonly Step[] = [
  'refund',
  'refund',
  'refund-same-twice',
  'refund-lost',
  'kill',
  'concurrent',
  'dashboard-refund',
  'refund-fail',
  'refund-pending',
  'reverse',
  'key-other-body',
];

export function drawPlan(seed: number, index: number, poolSize = 1): Plan {
  const r: Rng = stream(seed, index);
  const flavor: Flavor = r.chance(0.45) ? 'auto' : 'manual';
  const card: Card =
    flavor === 'auto'
      ? r.pick([
          'visa',
          'visa',
          'visa',
          'visa',
          'visa',
          'declined',
          'declined-then-visa',
          'sepa',
          'sepa',
          'sepa-fail',
          'refund-fail-card',
          '3ds-abandoned',
        ] as const)
      : r.pick([
          'visa',
          'visa',
          'visa',
          'visa',
          'visa',
          'visa',
          'declined',
          'declined-then-visa',
          '3ds-abandoned',
        ] as const);
  const sepa = card === 'sepa' || card === 'sepa-fail';
  const currency = sepa ? 'EUR' : r.pick(['EUR', 'EUR', 'EUR', 'EUR', 'EUR', 'USD', 'GBP', 'JPY'] as const);
  const cart: CartPlan = r.pick([
    'none',
    'none',
    'none',
    'none',
    'none',
    'none',
    'none',
    'change-repay',
    'change-abandon',
    'change-repost',
    'abab',
    'abab',
  ] as const);
  const faults: PaymentFault[] = [];
  if (r.chance(0.3)) faults.push('ct409');
  if (r.chance(0.15)) faults.push('ct503');
  if (r.chance(0.1)) faults.push('ctSlow');
  if (r.chance(0.2)) faults.push('stripe429');
  const steps: Step[] = [];
  if (flavor === 'manual') {
    if (r.chance(0.9)) steps.push(r.pick(MANUAL_FIRST));
    if (r.chance(0.5)) for (let i = r.int(1, 2); i > 0; i--) steps.push(r.pick(AFTER_CAPTURE));
  } else {
    for (let i = r.int(0, 3); i > 0; i--) steps.push(r.pick(AFTER_CAPTURE));
  }
  const dispute = r.chance(0.08) ? r.pick(['won', 'lost', 'open', 'inquiry'] as const) : undefined;
  const plan: Plan = {
    index,
    flavor,
    currency,
    quantity: r.int(1, 3),
    card,
    cart,
    faults,
    steps,
    ...(dispute ? { dispute } : {}),
    keyed: r.pick([0, 0.5, 1]),
  };
  // Drawn after the rest, so that a seed's other plans stay what they were.
  const customer = drawCustomer(r, poolSize);
  if (customer) {
    plan.customer = customer;
    // A customer pays by card, the cart as it is.
    plan.card = 'visa';
    plan.cart = 'none';
  }
  return plan;
}

const CHARGE_FAULTS: readonly ChargeFault[] = [
  'none',
  'none',
  'none',
  'repeat',
  'repeat',
  'concurrent',
  'kill',
  'ct409',
  'ct503',
  'stripe500',
  'key-other-body',
];

function drawCharge(r: Rng): ChargePlan {
  return { partial: r.chance(0.35), keyed: r.chance(0.5), fault: r.pick(CHARGE_FAULTS) };
}

/** About a third of the checkouts are a customer's (`poolSize` customers share them). */
function drawCustomer(r: Rng, poolSize: number): CustomerPlan | undefined {
  if (!r.chance(0.3)) return undefined;
  const pay = r.pick(['save', 'save', 'save', 'stored', 'stored', 'plain'] as const);
  const race = r.chance(0.15) && pay === 'save';
  const plan: CustomerPlan = {
    customer: race ? 'fresh' : r.int(0, Math.max(0, poolSize - 1)),
    pay,
    card: pay === 'save' && r.chance(0.2) ? 'needs-auth' : 'visa',
    recurringCart: pay === 'save' && r.chance(0.25),
    race,
    charges: [],
  };
  if (pay !== 'plain' && r.chance(0.6)) for (let i = r.int(1, 2); i > 0; i--) plan.charges.push(drawCharge(r));
  if (pay !== 'plain' && r.chance(0.2)) plan.remove = r.pick(['once', 'twice', 'concurrent'] as const);
  return plan;
}

/** The fault classes a plan asks for (background classes come from the background chaos). */
export function classesOf(plan: Plan): Set<FaultClass> {
  const out = new Set<FaultClass>(plan.faults);
  if (plan.customer) for (const c of customerClasses(plan.customer)) out.add(c);
  if (plan.card === '3ds-abandoned') out.add('threeDsAbandoned');
  if (plan.cart === 'change-repay' || plan.cart === 'change-abandon') out.add('cartChange');
  if (plan.cart === 'abab') out.add('cartAbab');
  const paid =
    ['visa', 'declined-then-visa', 'refund-fail-card', 'sepa'].includes(plan.card) && plan.cart !== 'change-abandon';
  if (!paid) return out;
  const byStep: Partial<Record<Step, FaultClass[]>> = {
    multicapture: ['multicapture'],
    'capture-lost': ['captureLost', 'retryAfterWebhook'],
    'refund-lost': ['refundLost'],
    kill: ['kill'],
    concurrent: ['concurrentOp'],
    'dashboard-capture': ['dashboardCapture'],
    'dashboard-cancel': ['dashboardCancel'],
    'dashboard-refund': ['dashboardRefund'],
    expire: ['expiry'],
    'refund-fail': ['refundFailed'],
    'refund-pending': ['refundPending'],
  };
  for (const step of plan.steps) for (const c of byStep[step] ?? []) out.add(c);
  if (plan.dispute) out.add('dispute');
  return out;
}

const CHARGE_CLASS: Record<Exclude<ChargeFault, 'none'>, FaultClass> = {
  repeat: 'txRepeat',
  concurrent: 'txConcurrent',
  kill: 'txKill',
  ct409: 'txCt409',
  ct503: 'txCt503',
  stripe500: 'txStripe500',
  'key-other-body': 'txKeyOtherBody',
};
const REMOVE_CLASS = {
  once: 'methodDelete',
  twice: 'methodDeleteTwice',
  concurrent: 'methodDeleteConcurrent',
} as const;

/** The classes of a customer's checkout (saved cards, off-session charges, deletions). */
export function customerClasses(c: CustomerPlan): Set<FaultClass> {
  const out = new Set<FaultClass>();
  if (c.pay === 'save') out.add('savedCard');
  if (c.pay === 'stored') out.add('storedPay');
  if (c.race) out.add('customerRace');
  if (c.recurringCart) out.add('recurringCart');
  if (c.pay === 'plain') return out;
  for (const charge of c.charges) {
    out.add(c.card === 'needs-auth' ? 'txAuthRequired' : 'txCharge');
    if ((charge.partial || charge.fault === 'key-other-body') && c.card === 'visa') out.add('txPartial');
    if (charge.fault !== 'none') out.add(CHARGE_CLASS[charge.fault]);
  }
  if (c.remove) out.add(REMOVE_CLASS[c.remove]);
  return out;
}

/**
 * How a customer's checkout is made to produce a class: false when this one cannot (another
 * carries it). Charges with faults go to cards that pay off-session, two at most per checkout.
 */
const FORCE_CUSTOMER: Partial<Record<FaultClass, (c: CustomerPlan) => boolean>> = {
  savedCard: (c) => c.pay !== 'stored' && ((c.pay = 'save'), true),
  storedPay: (c) =>
    c.pay === 'stored' ||
    (c.card === 'visa' && !c.race && !c.recurringCart && c.charges.length === 0 && ((c.pay = 'stored'), true)),
  customerRace: (c) => c.pay === 'save' && ((c.race = true), (c.customer = 'fresh'), true),
  recurringCart: (c) => c.pay === 'save' && ((c.recurringCart = true), true),
  txAuthRequired: (c) =>
    c.pay === 'save' &&
    (c.card === 'needs-auth' || c.charges.length === 0) &&
    ((c.card = 'needs-auth'),
    c.charges.length === 0 && c.charges.push({ partial: false, keyed: true, fault: 'none' }),
    true),
  txCharge: (c) => charge(c, 'none'),
  txPartial: (c) => charge(c, 'none', true),
  methodDelete: (c) => remove(c, 'once'),
  methodDeleteTwice: (c) => remove(c, 'twice'),
  methodDeleteConcurrent: (c) => remove(c, 'concurrent'),
  ...Object.fromEntries(
    (Object.keys(CHARGE_CLASS) as Exclude<ChargeFault, 'none'>[]).map((fault) => [
      CHARGE_CLASS[fault],
      (c: CustomerPlan) => charge(c, fault),
    ]),
  ),
};

function charge(c: CustomerPlan, fault: ChargeFault, partial = false): boolean {
  if (c.pay === 'plain' || c.card === 'needs-auth' || c.charges.length >= 2) return false;
  c.charges.push({ partial, keyed: c.charges.length % 2 === 0, fault });
  return true;
}

function remove(c: CustomerPlan, how: NonNullable<CustomerPlan['remove']>): boolean {
  if (c.pay === 'plain' || c.remove) return false;
  c.remove = how;
  return true;
}

/** A customer's checkout that saves a visa card, made of a plan (its own card and cart left aside). */
function becomeCustomer(plan: Plan, poolSize: number): CustomerPlan {
  plan.customer = {
    customer: plan.index % Math.max(1, poolSize),
    pay: 'save',
    card: 'visa',
    recurringCart: false,
    race: false,
    charges: [],
  };
  plan.card = 'visa';
  plan.cart = 'none';
  return plan.customer;
}

/** How to make a plan produce a class it lacks (a paid visa checkout of the right flavor). */
const FORCE: Partial<Record<FaultClass, { flavor?: Flavor; patch: (p: Plan) => void }>> = {
  ct409: { patch: (p) => p.faults.push('ct409') },
  ct503: { patch: (p) => p.faults.push('ct503') },
  ctSlow: { patch: (p) => p.faults.push('ctSlow') },
  stripe429: { patch: (p) => p.faults.push('stripe429') },
  threeDsAbandoned: { patch: (p) => ((p.card = '3ds-abandoned'), (p.steps = [])) },
  cartChange: { patch: (p) => (p.cart = 'change-repay') },
  cartAbab: { patch: (p) => (p.cart = 'abab') },
  multicapture: { flavor: 'manual', patch: (p) => (p.steps = ['multicapture', 'refund']) },
  captureLost: { flavor: 'manual', patch: (p) => (p.steps = ['capture-lost', 'dashboard-refund']) },
  retryAfterWebhook: { flavor: 'manual', patch: (p) => (p.steps = ['capture-lost']) },
  refundLost: { flavor: 'auto', patch: (p) => p.steps.push('refund-lost') },
  kill: { flavor: 'manual', patch: (p) => (p.steps = ['kill', 'refund']) },
  concurrentOp: { flavor: 'auto', patch: (p) => p.steps.push('concurrent') },
  dashboardCapture: { flavor: 'manual', patch: (p) => (p.steps = ['dashboard-capture', 'refund-fail']) },
  dashboardCancel: { flavor: 'manual', patch: (p) => (p.steps = ['dashboard-cancel']) },
  dashboardRefund: { flavor: 'auto', patch: (p) => p.steps.push('dashboard-refund') },
  expiry: { flavor: 'manual', patch: (p) => (p.steps = ['expire']) },
  refundFailed: { flavor: 'auto', patch: (p) => p.steps.push('refund-fail') },
  refundPending: { flavor: 'auto', patch: (p) => p.steps.push('refund-pending') },
  dispute: { flavor: 'auto', patch: (p) => (p.dispute = 'lost') },
};

/** Makes a plan produce a class (a paid visa checkout of the class's flavor, with its step). */
function forceClass(plan: Plan, name: FaultClass): void {
  const how = FORCE[name];
  if (!how) return;
  if (!['ct409', 'ct503', 'ctSlow', 'stripe429'].includes(name)) {
    delete plan.customer;
    if (how.flavor) plan.flavor = how.flavor;
    plan.card = 'visa';
    plan.cart = 'none';
    plan.steps = plan.flavor === 'manual' ? ['capture-full'] : [];
    delete plan.dispute;
  }
  how.patch(plan);
}

/**
 * Plans for every checkout; with `force`, plans that the draw left without some class are
 * changed (from the last plan backwards, one class per plan) until every class is in a plan.
 */
export function drawPlans(seed: number, count: number, force: boolean): Plan[] {
  const pool = poolSize(count);
  const plans = Array.from({ length: count }, (_, i) => drawPlan(seed, i, pool));
  if (!force) return plans;
  const names = Object.keys(FORCE) as FaultClass[];
  const forced = new Set<number>();
  for (let cursor = count - 1; cursor >= 0; cursor--) {
    const name = names.find((n) => !plans.some((p) => classesOf(p).has(n)));
    if (!name) break;
    forceClass(plans[cursor]!, name);
    forced.add(cursor);
  }
  // The customers' classes go to customers' checkouts (several to one), from the first on; a
  // checkout becomes a customer's when none can take a class, one whose classes others have too.
  for (let round = 0; round < 2; round++)
    for (const name of Object.keys(FORCE_CUSTOMER) as FaultClass[]) {
      if (plans.some((p) => classesOf(p).has(name))) continue;
      const patch = FORCE_CUSTOMER[name]!;
      const carrier = plans.find((p) => p.customer && patch(p.customer));
      if (carrier) continue;
      const spare = plans.find(
        (p, i) =>
          !p.customer &&
          !forced.has(i) &&
          [...classesOf(p)].every((c) => plans.some((q) => q !== p && classesOf(q).has(c))),
      );
      if (spare) patch(becomeCustomer(spare, pool));
    }
  return plans;
}

/** How many customers share the customers' checkouts (so that their cards are reused). */
export const poolSize = (checkouts: number) => Math.max(2, Math.ceil(checkouts / 12));

/**
 * A checkout made to produce a class that did not happen (the draw's steps depend on each other
 * and on the timing: a dispute needs something captured). Undefined for classes no checkout makes.
 */
export function topUpPlan(seed: number, index: number, name: FaultClass, pool: number): Plan | undefined {
  if (!FORCE[name] && !FORCE_CUSTOMER[name]) return undefined;
  const plan = drawPlan(seed, index, pool);
  plan.faults = [];
  delete plan.dispute;
  delete plan.customer;
  if (FORCE[name]) forceClass(plan, name);
  else {
    plan.steps = [];
    FORCE_CUSTOMER[name]!(becomeCustomer(plan, pool));
  }
  return plan;
}
