/**
 * Stripe's test payment methods, named as Stripe names them, and what confirming with each does.
 */
export type Behaviour =
  | { kind: 'succeed' }
  | { kind: 'decline'; code: string; declineCode: string; message: string }
  /** 3-D Secure: requires_action until the stand-in completes or fails the challenge. */
  | { kind: 'authenticate' }
  /** Redirect-based: requires_action with a redirect to the emulator's hosted page. */
  | { kind: 'redirect' }
  /** Asynchronous settlement: processing until settled by a control call or a delay. */
  | { kind: 'async' };

export interface TestMethod {
  id: string;
  type: 'card' | 'sepa_debit' | 'ideal';
  behaviour: Behaviour;
  card?: { brand: string; last4: string; exp_month: number; exp_year: number; funding: string; country: string };
  sepa_debit?: { last4: string; country: string; bank_code: string };
  ideal?: { bank: string };
}

const card = (brand: string, last4: string) => ({
  brand,
  last4,
  exp_month: 12,
  exp_year: 2034,
  funding: 'credit',
  country: 'US',
});

const declined = (code: string, declineCode: string, message: string): Behaviour => ({
  kind: 'decline',
  code,
  declineCode,
  message,
});

export const TEST_METHODS: Record<string, TestMethod> = {
  pm_card_visa: { id: 'pm_card_visa', type: 'card', behaviour: { kind: 'succeed' }, card: card('visa', '4242') },
  pm_card_mastercard: {
    id: 'pm_card_mastercard',
    type: 'card',
    behaviour: { kind: 'succeed' },
    card: card('mastercard', '4444'),
  },
  pm_card_amex: { id: 'pm_card_amex', type: 'card', behaviour: { kind: 'succeed' }, card: card('amex', '8431') },
  pm_card_chargeDeclined: {
    id: 'pm_card_chargeDeclined',
    type: 'card',
    behaviour: declined('card_declined', 'generic_decline', 'Your card was declined.'),
    card: card('visa', '0002'),
  },
  pm_card_chargeDeclinedInsufficientFunds: {
    id: 'pm_card_chargeDeclinedInsufficientFunds',
    type: 'card',
    behaviour: declined('card_declined', 'insufficient_funds', 'Your card has insufficient funds.'),
    card: card('visa', '9995'),
  },
  pm_card_authenticationRequired: {
    id: 'pm_card_authenticationRequired',
    type: 'card',
    behaviour: { kind: 'authenticate' },
    card: card('visa', '3155'),
  },
  pm_sepa_debit: {
    id: 'pm_sepa_debit',
    type: 'sepa_debit',
    behaviour: { kind: 'async' },
    sepa_debit: { last4: '3000', country: 'DE', bank_code: '37040044' },
  },
  pm_ideal: { id: 'pm_ideal', type: 'ideal', behaviour: { kind: 'redirect' }, ideal: { bank: 'ing' } },
};

/** Card numbers a person types into the stand-in, mapped to the test payment method. */
export const TEST_CARD_NUMBERS: Record<string, string> = {
  '4242424242424242': 'pm_card_visa',
  '5555555555554444': 'pm_card_mastercard',
  '378282246310005': 'pm_card_amex',
  '4000000000000002': 'pm_card_chargeDeclined',
  '4000000000009995': 'pm_card_chargeDeclinedInsufficientFunds',
  '4000002500003155': 'pm_card_authenticationRequired',
};
