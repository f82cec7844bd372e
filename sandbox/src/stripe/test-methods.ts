/**
 * Stripe's test payment methods, named as Stripe names them (docs.stripe.com/testing), and what
 * confirming with each does. A token such as `pm_card_visa` is not itself a PaymentMethod: as
 * in Stripe, each use creates a new `pm_...` with the token's card.
 */

import type Stripe from 'stripe';

export interface Decline {
  code: string;
  /** Only `card_declined` errors carry a decline code. */
  declineCode?: string;
  message: string;
}

export type Behaviour =
  | { kind: 'succeed' }
  | ({ kind: 'decline' } & Decline)
  /**
   * 3-D Secure: requires_action until the shopper completes or fails the challenge. `offSession`
   * says what an off-session payment does: fail (authentication_required), succeed once the card
   * was set up by an earlier on-session payment, or always succeed.
   */
  | { kind: 'authenticate'; offSession: 'fail' | 'if_set_up' | 'succeed'; thenDecline?: Decline }
  /** Redirect-based: requires_action with a redirect to the emulator's hosted bank page. */
  | { kind: 'redirect' }
  /** Asynchronous settlement: processing until settled by a control call or after a delay. */
  | { kind: 'async'; outcome: 'succeeded' | 'failed' };

export type MethodType = 'card' | 'sepa_debit' | 'ideal';

export interface TestMethod {
  /** The test token (`pm_card_visa`), or the id of the PaymentMethod created from it. */
  id: string;
  type: MethodType;
  behaviour: Behaviour;
  card?: { brand: string; last4: string; exp_month: number; exp_year: number; funding: string; country: string };
  sepa_debit?: { last4: string; country: string; bank_code: string };
  ideal?: { bank: string };
  /** The charge is disputed right after it succeeds (Stripe's dispute test cards). */
  dispute?: { reason: string; inquiry: boolean };
  /** Refunds of the charge succeed first and fail later. */
  refundFails?: boolean;
}

type Card = NonNullable<TestMethod['card']>;
const card = (brand: string, last4: string, funding = 'credit', country = 'US'): Card => ({
  brand,
  last4,
  exp_month: 12,
  exp_year: 2034,
  funding,
  country,
});

const decline = (declineCode: string, message: string): Behaviour => ({
  kind: 'decline',
  code: 'card_declined',
  declineCode,
  message,
});
const fail = (code: string, message: string): Behaviour => ({ kind: 'decline', code, message });

const succeed: Behaviour = { kind: 'succeed' };

function cardMethod(id: string, number: string, cardInfo: Card, behaviour: Behaviour, extra: Partial<TestMethod> = {}) {
  return { number, method: { id, type: 'card' as const, behaviour, card: cardInfo, ...extra } };
}

const CARDS = [
  cardMethod('pm_card_visa', '4242424242424242', card('visa', '4242'), succeed),
  cardMethod('pm_card_visa_debit', '4000056655665556', card('visa', '5556', 'debit'), succeed),
  cardMethod('pm_card_mastercard', '5555555555554444', card('mastercard', '4444'), succeed),
  cardMethod('pm_card_amex', '378282246310005', card('amex', '0005'), succeed),
  cardMethod('pm_card_de', '4000002760000016', card('visa', '0016', 'credit', 'DE'), succeed),
  cardMethod(
    'pm_card_chargeDeclined',
    '4000000000000002',
    card('visa', '0002'),
    decline('generic_decline', 'Your card was declined.'),
  ),
  cardMethod(
    'pm_card_chargeDeclinedInsufficientFunds',
    '4000000000009995',
    card('visa', '9995'),
    decline('insufficient_funds', 'Your card has insufficient funds.'),
  ),
  cardMethod(
    'pm_card_visa_chargeDeclinedLostCard',
    '4000000000009987',
    card('visa', '9987'),
    decline('lost_card', 'Your card was declined.'),
  ),
  cardMethod(
    'pm_card_visa_chargeDeclinedStolenCard',
    '4000000000009979',
    card('visa', '9979'),
    decline('stolen_card', 'Your card was declined.'),
  ),
  cardMethod(
    'pm_card_chargeDeclinedExpiredCard',
    '4000000000000069',
    card('visa', '0069'),
    fail('expired_card', 'Your card has expired.'),
  ),
  cardMethod(
    'pm_card_chargeDeclinedIncorrectCvc',
    '4000000000000127',
    card('visa', '0127'),
    fail('incorrect_cvc', "Your card's security code is incorrect."),
  ),
  cardMethod(
    'pm_card_chargeDeclinedProcessingError',
    '4000000000000119',
    card('visa', '0119'),
    fail('processing_error', 'An error occurred while processing your card. Try again in a little bit.'),
  ),
  cardMethod('pm_card_authenticationRequired', '4000002760003184', card('visa', '3184', 'credit', 'DE'), {
    kind: 'authenticate',
    offSession: 'fail',
  }),
  cardMethod('pm_card_authenticationRequiredOnSetup', '4000002500003155', card('visa', '3155'), {
    kind: 'authenticate',
    offSession: 'if_set_up',
  }),
  cardMethod('pm_card_authenticationRequiredSetupForOffSession', '4000003800000446', card('visa', '0446'), {
    kind: 'authenticate',
    offSession: 'succeed',
  }),
  cardMethod(
    'pm_card_authenticationRequiredChargeDeclinedInsufficientFunds',
    '4000008260003178',
    card('visa', '3178'),
    {
      kind: 'authenticate',
      offSession: 'fail',
      thenDecline: {
        code: 'card_declined',
        declineCode: 'insufficient_funds',
        message: 'Your card has insufficient funds.',
      },
    },
  ),
  cardMethod('pm_card_threeDSecure2Required', '4000000000003220', card('visa', '3220', 'credit', 'IE'), {
    kind: 'authenticate',
    offSession: 'fail',
  }),
  cardMethod('pm_card_createDispute', '4000000000000259', card('visa', '0259'), succeed, {
    dispute: { reason: 'fraudulent', inquiry: false },
  }),
  cardMethod('pm_card_createDisputeProductNotReceived', '4000000000002685', card('visa', '2685'), succeed, {
    dispute: { reason: 'product_not_received', inquiry: false },
  }),
  cardMethod('pm_card_createDisputeInquiry', '4000000000001976', card('visa', '1976'), succeed, {
    dispute: { reason: 'fraudulent', inquiry: true },
  }),
  cardMethod('pm_card_refundFail', '4000000000005126', card('visa', '5126'), succeed, { refundFails: true }),
];

function sepa(id: string, last4: string, country: string, outcome: 'succeeded' | 'failed'): [string, TestMethod] {
  const sepaDebit = { last4, country, bank_code: country === 'DE' ? '37040044' : '19043' };
  return [id, { id, type: 'sepa_debit', behaviour: { kind: 'async', outcome }, sepa_debit: sepaDebit }];
}

/** Aliases Stripe documents for the same cards. */
const ALIASES: Record<string, string> = {
  pm_card_visa_chargeDeclined: 'pm_card_chargeDeclined',
  pm_card_visa_chargeDeclinedInsufficientFunds: 'pm_card_chargeDeclinedInsufficientFunds',
};

export const TEST_METHODS: Record<string, TestMethod> = Object.fromEntries([
  ...CARDS.map(({ method }) => [method.id, method]),
  sepa('pm_sepaDebit_success_at', '3201', 'AT', 'succeeded'),
  sepa('pm_sepaDebit_failed_at', '3202', 'AT', 'failed'),
  // Sandbox names (Stripe has no token for a German IBAN or for iDEAL): tests and the stand-in
  // name an asynchronous and a redirect-based method as easily as a card.
  sepa('pm_sepa_debit', '3000', 'DE', 'succeeded'),
  sepa('pm_sepa_debit_fail', '3001', 'DE', 'failed'),
  ['pm_ideal', { id: 'pm_ideal', type: 'ideal', behaviour: { kind: 'redirect' }, ideal: { bank: 'ing' } }],
]);

/** Card numbers a person types into the stand-in, mapped to the test payment method. */
export const TEST_CARD_NUMBERS: Record<string, string> = Object.fromEntries(
  CARDS.map(({ number, method }) => [number, method.id]),
);

for (const [alias, target] of Object.entries(ALIASES)) TEST_METHODS[alias] = { ...TEST_METHODS[target]!, id: alias };

/** Stripe's test IBANs: each settles or fails after `processing`. */
export const TEST_IBANS: Record<string, string> = {
  AT611904300234573201: 'pm_sepaDebit_success_at',
  AT861904300235473202: 'pm_sepaDebit_failed_at',
  DE89370400440532013000: 'pm_sepa_debit',
  DE62370400440532013001: 'pm_sepa_debit_fail',
};

/** iDEAL's banks and their BICs, as Stripe lists them. */
const IDEAL_BICS: Record<string, Stripe.PaymentMethod.Ideal.Bic> = {
  abn_amro: 'ABNANL2A',
  adyen: 'ADYBNL2A',
  asn_bank: 'ASNBNL21',
  bunq: 'BUNQNL2A',
  buut: 'BUUTNL2A',
  finom: 'FNOMNL22',
  handelsbanken: 'HANDNL2A',
  ing: 'INGBNL2A',
  knab: 'KNABNL2H',
  mollie: 'MLLENL2A',
  moneyou: 'MOYONL21',
  n26: 'NTSBDEB1',
  nn: 'NNBANL2G',
  rabobank: 'RABONL2U',
  regiobank: 'RBRBNL21',
  revolut: 'REVOLT21',
  sns_bank: 'SNSBNL2A',
  triodos_bank: 'TRIONL2U',
  van_lanschot: 'FVLBNL22',
  yoursafe: 'BITSNL2A',
};

/** The bank of an iDEAL payment and its BIC, `null` for a bank iDEAL does not list. */
export function idealBank(bank: string): {
  bank: Stripe.PaymentMethod.Ideal.Bank | null;
  bic: Stripe.PaymentMethod.Ideal.Bic | null;
} {
  const bic = IDEAL_BICS[bank];
  return bic ? { bank, bic } : { bank: null, bic: null };
}
