import type { Params } from '../form';
import type { EmulatorState } from '../state';
import { checkAmount, supportedCurrency } from './currencies';

export interface RuleContext {
  /** The `:id` of the route. */
  id: string;
  state: EmulatorState;
}

/** A check that needs more than the parameter schema: currencies and amounts, which may name stored objects. */
export type Rule = (params: Params, ctx: RuleContext) => void;

/** An integer parameter (the schema has checked it parses), or undefined. */
const integer = (params: Params, name: string): number | undefined =>
  typeof params[name] === 'string' && params[name] !== '' ? Number(params[name]) : undefined;

const text = (params: Params, name: string): string | undefined =>
  typeof params[name] === 'string' && params[name] !== '' ? params[name] : undefined;

/** The currency of a refund: its charge's, or that of the PaymentIntent's latest charge. */
function refundCurrency(params: Params, state: EmulatorState): string | undefined {
  const chargeId = text(params, 'charge');
  if (chargeId) return state.charges.get(chargeId)?.currency;
  const pi = state.paymentIntents.get(text(params, 'payment_intent') ?? '');
  return pi?.currency;
}

/** Currency and amount rules per endpoint; a rule skips what names an object that does not exist (the handler answers 404). */
export const MONEY_RULES: Readonly<Record<string, Rule>> = {
  'POST /v1/payment_intents': (params) => {
    const currency = supportedCurrency(text(params, 'currency') ?? '');
    const amount = integer(params, 'amount');
    if (amount !== undefined) checkAmount(amount, currency, 'amount', true);
  },
  'POST /v1/payment_intents/:id': (params, { id, state }) => {
    const given = text(params, 'currency');
    const newCurrency = given === undefined ? undefined : supportedCurrency(given);
    const pi = state.paymentIntents.get(id);
    const currency = newCurrency ?? pi?.currency;
    // A new currency applies to the amount the PaymentIntent keeps as well.
    const amount = integer(params, 'amount') ?? (newCurrency ? pi?.amount : undefined);
    if (currency && amount !== undefined) checkAmount(amount, currency, 'amount', true);
  },
  'POST /v1/payment_intents/:id/capture': (params, { id, state }) => {
    const currency = state.paymentIntents.get(id)?.currency;
    const amount = integer(params, 'amount_to_capture');
    if (currency && amount !== undefined) checkAmount(amount, currency, 'amount_to_capture', false);
  },
  'POST /v1/refunds': (params, { state }) => {
    const currency = refundCurrency(params, state);
    const amount = integer(params, 'amount');
    if (currency && amount !== undefined) checkAmount(amount, currency, 'amount', false);
  },
};
