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

export function drawPlan(seed: number, index: number): Plan {
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
  return {
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
}

/** The fault classes a plan asks for (background classes come from the background chaos). */
export function classesOf(plan: Plan): Set<FaultClass> {
  const out = new Set<FaultClass>(plan.faults);
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
  const plans = Array.from({ length: count }, (_, i) => drawPlan(seed, i));
  if (!force) return plans;
  const names = Object.keys(FORCE) as FaultClass[];
  for (let cursor = count - 1; cursor >= 0; cursor--) {
    const name = names.find((n) => !plans.some((p) => classesOf(p).has(n)));
    if (!name) break;
    forceClass(plans[cursor]!, name);
  }
  return plans;
}

/**
 * A checkout made to produce a class that did not happen (the draw's steps depend on each other
 * and on the timing: a dispute needs something captured). Undefined for classes no checkout makes.
 */
export function topUpPlan(seed: number, index: number, name: FaultClass): Plan | undefined {
  if (!FORCE[name]) return undefined;
  const plan = drawPlan(seed, index);
  plan.faults = [];
  delete plan.dispute;
  forceClass(plan, name);
  return plan;
}
