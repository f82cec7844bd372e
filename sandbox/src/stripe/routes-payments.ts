import type { FastifyInstance, FastifyRequest } from 'fastify';
import type Stripe from 'stripe';
import type { Captures } from './captures';
import { getCharge } from './charges';
import type { Disputes } from './disputes';
import { invalid, missing } from './errors';
import { metadata, str, type Params } from './form';
import { asRequest, expand, idOf, paramsOf, secretOnly } from './http';
import { paginate, searchResult } from './lists';
import type { PaymentFlow } from './payment-flow';
import { PaymentIntents } from './payment-intents';
import type { Refunds } from './refunds';
import type { EmulatorState } from './state';

export interface PaymentRouteDeps {
  state: EmulatorState;
  paymentIntents: PaymentIntents;
  flow: PaymentFlow;
  captures: Captures;
  refunds: Refunds;
  disputes: Disputes;
}

type Req = FastifyRequest;

/**
 * The PaymentIntent a browser call may act on: with the publishable key only together with the
 * PaymentIntent's own client secret.
 */
function forCaller(deps: PaymentRouteDeps, request: Req): Stripe.PaymentIntent {
  const pi = deps.paymentIntents.get(idOf(request));
  if (request.stripeKey?.kind === 'secret') return pi;
  const secret = str(paramsOf(request), 'client_secret');
  if (!secret)
    throw invalid('A client_secret is required when using a publishable key.', 'client_secret', 'parameter_missing');
  if (secret !== pi.client_secret) throw missing('payment_intent', idOf(request), 'intent');
  return pi;
}

/** What the caller sees: all of it with the secret key, the browser subset with the publishable key. */
function view(deps: PaymentRouteDeps, request: Req, pi: Stripe.PaymentIntent): Partial<Stripe.PaymentIntent> {
  const expanded = expand(deps.state, pi, paramsOf(request));
  return request.stripeKey?.kind === 'secret' ? expanded : PaymentIntents.browserView(expanded);
}

export function registerPaymentRoutes(app: FastifyInstance, deps: PaymentRouteDeps): void {
  const { state, paymentIntents, flow, captures, refunds, disputes } = deps;
  const act = <T>(request: Req, change: () => T) => asRequest(state, request, change);
  const p = paramsOf;

  app.post('/v1/payment_intents', secretOnly, async (request: Req) =>
    view(
      deps,
      request,
      act(request, () => paymentIntents.create(p(request))),
    ),
  );
  app.get('/v1/payment_intents', secretOnly, async (request: Req) =>
    paginate(paymentIntents.list(p(request)), p(request), '/v1/payment_intents'),
  );
  app.get('/v1/payment_intents/search', secretOnly, async (request: Req) =>
    searchResult([...state.paymentIntents.values()], p(request), '/v1/payment_intents/search'),
  );
  app.get('/v1/payment_intents/:id', async (request: Req) => view(deps, request, forCaller(deps, request)));
  app.post('/v1/payment_intents/:id', secretOnly, async (request: Req) =>
    view(
      deps,
      request,
      act(request, () => paymentIntents.update(idOf(request), p(request))),
    ),
  );
  app.post('/v1/payment_intents/:id/confirm', async (request: Req) => {
    const pi = forCaller(deps, request);
    return view(
      deps,
      request,
      act(request, () => flow.confirm(pi, p(request))),
    );
  });
  app.post('/v1/payment_intents/:id/capture', secretOnly, async (request: Req) =>
    view(
      deps,
      request,
      act(request, () => captures.capture(paymentIntents.get(idOf(request)), p(request))),
    ),
  );
  app.post('/v1/payment_intents/:id/cancel', secretOnly, async (request: Req) =>
    view(
      deps,
      request,
      act(request, () => captures.cancel(paymentIntents.get(idOf(request)), p(request))),
    ),
  );

  app.get('/v1/charges', secretOnly, async (request: Req) => {
    const pi = str(p(request), 'payment_intent');
    const customer = str(p(request), 'customer');
    const items = [...state.charges.values()].filter(
      (c) => (!pi || c.payment_intent === pi) && (!customer || c.customer === customer),
    );
    return paginate(items, p(request), '/v1/charges');
  });
  app.get('/v1/charges/search', secretOnly, async (request: Req) =>
    searchResult([...state.charges.values()], p(request), '/v1/charges/search'),
  );
  app.get('/v1/charges/:id', secretOnly, async (request: Req) =>
    expand(state, getCharge(state, idOf(request)), p(request)),
  );
  app.post('/v1/charges/:id', secretOnly, async (request: Req) =>
    act(request, () => {
      const params: Params = p(request);
      const charge = getCharge(state, idOf(request));
      const before = structuredClone(charge);
      const meta = metadata(params, charge.metadata);
      if (meta) charge.metadata = meta;
      const description = str(params, 'description');
      if (description !== undefined) charge.description = description;
      state.emitUpdated('charge.updated', charge, before);
      return expand(state, charge, params);
    }),
  );

  app.post('/v1/refunds', secretOnly, async (request: Req) =>
    expand(
      state,
      act(request, () => refunds.create(p(request))),
      p(request),
    ),
  );
  app.get('/v1/refunds', secretOnly, async (request: Req) =>
    paginate(refunds.list(p(request)), p(request), '/v1/refunds'),
  );
  app.get('/v1/refunds/:id', secretOnly, async (request: Req) => expand(state, refunds.get(idOf(request)), p(request)));
  app.post('/v1/refunds/:id', secretOnly, async (request: Req) =>
    act(request, () => refunds.update(idOf(request), p(request))),
  );
  app.post('/v1/refunds/:id/cancel', secretOnly, async (request: Req) => {
    const refund = refunds.get(idOf(request));
    // Only refunds waiting for the customer (requires_action) can be canceled; cards never do.
    throw invalid(
      `Refund ${refund.id} cannot be canceled because it has a status of ${refund.status}. Only refunds with a status of requires_action can be canceled.`,
      'refund',
      'refund_unexpected_state',
    );
  });

  app.get('/v1/disputes', secretOnly, async (request: Req) =>
    paginate(disputes.list(p(request)), p(request), '/v1/disputes'),
  );
  app.get('/v1/disputes/:id', secretOnly, async (request: Req) =>
    expand(state, disputes.get(idOf(request)), p(request)),
  );
  app.post('/v1/disputes/:id', secretOnly, async (request: Req) =>
    act(request, () => disputes.update(idOf(request), p(request))),
  );
  app.post('/v1/disputes/:id/close', secretOnly, async (request: Req) =>
    act(request, () => disputes.accept(idOf(request))),
  );

  app.get('/v1/balance_transactions', secretOnly, async (request: Req) => {
    const source = str(p(request), 'source');
    const type = str(p(request), 'type');
    const items = [...state.balanceTransactions.values()].filter(
      (t) => (!source || t.source === source) && (!type || t.type === type),
    );
    return paginate(items, p(request), '/v1/balance_transactions');
  });
  app.get('/v1/balance_transactions/:id', secretOnly, async (request: Req) => {
    const txn = state.balanceTransactions.get(idOf(request));
    if (!txn) throw missing('balance transaction', idOf(request), 'id');
    return expand(state, txn, p(request));
  });
  app.get('/v1/balance', secretOnly, async () => {
    const byCurrency = new Map<string, number>();
    for (const t of state.balanceTransactions.values())
      byCurrency.set(t.currency, (byCurrency.get(t.currency) ?? 0) + t.net);
    const amounts = [...byCurrency.entries()].map(([currency, amount]) => ({
      amount,
      currency,
      source_types: { card: amount },
    }));
    return {
      object: 'balance',
      available: [{ amount: 0, currency: 'eur', source_types: { card: 0 } }],
      pending: amounts.length > 0 ? amounts : [{ amount: 0, currency: 'eur', source_types: { card: 0 } }],
      livemode: false,
    };
  });
}
