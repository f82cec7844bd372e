import type { FastifyInstance } from 'fastify';
import type Stripe from 'stripe';
import { StripeApiError } from './errors';
import { ShapeValidators, type Divergence } from './shapes';

/** The `error.code` of the 500 the emulator answers instead of a divergent object. */
export const DIVERGENCE_CODE = 'sandbox_shape_divergence';

/** The schema of each object the API answers, by its `object` tag. */
const BY_TAG: Record<string, string> = {
  payment_intent: 'PaymentIntent',
  charge: 'Charge',
  refund: 'Refund',
  dispute: 'Dispute',
  customer: 'Customer',
  customer_session: 'CustomerSession',
  payment_method: 'PaymentMethod',
  webhook_endpoint: 'WebhookEndpoint',
  payment_method_domain: 'PaymentMethodDomain',
  balance_transaction: 'BalanceTransaction',
  balance: 'Balance',
  event: 'Event',
};
const DELETED: Record<string, string> = { customer: 'DeletedCustomer', webhook_endpoint: 'DeletedWebhookEndpoint' };

type Body = Record<string, unknown>;
const isObject = (value: unknown): value is Body =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/**
 * The root schema an API answer must conform to: the object's own, a list or search result of
 * the objects it holds, an error, or the browser's view of a PaymentIntent. `undefined` when no
 * schema describes it (which is itself a divergence: the emulator answered something new).
 */
export function answerSchema(body: unknown, publishable: boolean): string | undefined {
  if (!isObject(body)) return undefined;
  if (body.object === undefined && isObject(body.error)) return 'Error';
  const tag = String(body.object);
  if (tag === 'list' || tag === 'search_result') {
    const first = Array.isArray(body.data) && isObject(body.data[0]) ? String(body.data[0].object) : 'payment_intent';
    const item = BY_TAG[first];
    return item && `${item}${tag === 'list' ? 'List' : 'SearchResult'}`;
  }
  if (body.deleted === true) return DELETED[tag];
  if (tag === 'payment_intent' && publishable) return 'PaymentIntentBrowserView';
  return BY_TAG[tag];
}

/** How every report of a divergence begins (on stderr, in the 500's message). */
export const DIVERGENCE_REPORT = 'The Stripe emulator built';

const explain = (what: string, d: Divergence) =>
  `${DIVERGENCE_REPORT} ${what} that Stripe would not send (API 2026-10-28.endive): ${d.path} ${d.message} [${d.schema}: ${d.rule}]. Fix how sandbox/src/stripe builds it; after upgrading stripe, run npm run schemas:stripe -w sandbox.`;

/** Answered (500) instead of an answer, and thrown instead of emitting an event, that diverge. */
export class ShapeDivergenceError extends StripeApiError {
  constructor(
    what: string,
    readonly divergence: Divergence,
  ) {
    super(500, 'api_error', explain(what, divergence), { code: DIVERGENCE_CODE, divergence });
  }
}

/**
 * Checks what the emulator answers on `/v1/` and every event it emits against the schemas
 * generated from the `stripe` package's types. Each divergence is recorded, reported (stderr by
 * default) and made loud: the answer becomes a 500 naming the path and the rule, and the state
 * change that emitted a divergent event fails with that 500.
 */
export class ShapeChecks {
  readonly divergences: (Divergence & { what: string })[] = [];
  /** How many values were checked against each root schema. */
  readonly checked = new Map<string, number>();

  constructor(
    private readonly validators: ShapeValidators = ShapeValidators.load(),
    private readonly report: (message: string) => void = (message) => process.stderr.write(`${message}\n`),
  ) {}

  private count(schema: string): void {
    this.checked.set(schema, (this.checked.get(schema) ?? 0) + 1);
  }

  private record(what: string, divergence: Divergence): void {
    this.divergences.push({ ...divergence, what });
    this.report(explain(what, divergence));
  }

  /** The divergence of an API answer, recorded; nothing when it conforms. */
  answer(body: unknown, publishable: boolean, route: string): Divergence | undefined {
    const schema = answerSchema(body, publishable);
    const what = `the answer to ${route}`;
    if (schema) this.count(schema);
    const divergence = schema
      ? this.validators.check(schema, body)
      : { schema: 'none', path: '/', rule: 'schema', message: 'is no object, list, search result or error of the API' };
    if (divergence) this.record(what, divergence);
    return divergence;
  }

  /** Throws (after recording) when an event about to be emitted diverges. */
  event(event: Stripe.Event): void {
    this.count('Event');
    const divergence = this.validators.check('Event', event);
    if (!divergence) return;
    const what = `a ${event.type} event`;
    this.record(what, divergence);
    throw new ShapeDivergenceError(what, divergence);
  }

  /** Validates every JSON answer of the API (injected faults and the divergence answers aside). */
  install(app: FastifyInstance): void {
    app.addHook('preSerialization', async (request, reply, payload) => {
      if (!request.url.startsWith('/v1/') || reply.hasHeader('x-sandbox-fault')) return payload;
      const body = payload as Body;
      if (isObject(body.error) && body.error.code === DIVERGENCE_CODE) return payload;
      const route = `${request.method} ${request.routeOptions.url ?? request.url.split('?')[0]}`;
      const divergence = this.answer(payload, request.stripeKey?.kind === 'publishable', route);
      if (!divergence) return payload;
      reply.code(500);
      return new ShapeDivergenceError(`the answer to ${route}`, divergence).body();
    });
  }
}
