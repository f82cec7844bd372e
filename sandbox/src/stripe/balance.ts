import type Stripe from 'stripe';
import { newId, nowSeconds } from './ids';
import type { EmulatorState } from './state';

type TxType = 'charge' | 'payment' | 'refund' | 'refund_failure' | 'adjustment';

const CATEGORY: Record<TxType, string> = {
  charge: 'charge',
  payment: 'charge',
  refund: 'refund',
  refund_failure: 'refund_failure',
  adjustment: 'dispute',
};

/** Stripe's test-mode card fee (1.5 % + 25 cents), enough to make `net` differ from `amount`. */
const cardFee = (amount: number) => Math.round(amount * 0.015) + 25;
/** Stripe's dispute fee. */
export const DISPUTE_FEE = 1500;

/**
 * Records a balance transaction: one per capture, refund, refund failure and dispute movement,
 * so that money movements can be reconciled as in Stripe.
 */
export function recordBalance(
  state: EmulatorState,
  input: { type: TxType; amount: number; currency: string; source: string; fee?: number; description?: string },
): Stripe.BalanceTransaction {
  const fee = input.fee ?? (input.type === 'charge' || input.type === 'payment' ? cardFee(input.amount) : 0);
  const created = nowSeconds();
  const txn: Stripe.BalanceTransaction = {
    id: newId('txn'),
    object: 'balance_transaction',
    amount: input.amount,
    available_on: created + 2 * 86400,
    balance_type: 'payments',
    created,
    currency: input.currency,
    description: input.description ?? null,
    exchange_rate: null,
    fee,
    fee_details: fee
      ? [
          {
            amount: fee,
            application: null,
            currency: input.currency,
            description: input.type === 'adjustment' ? 'Dispute fee' : 'Stripe processing fees',
            type: 'stripe_fee',
          },
        ]
      : [],
    net: input.amount - fee,
    reporting_category: CATEGORY[input.type],
    source: input.source,
    status: 'pending',
    type: input.type,
  };
  state.balanceTransactions.set(txn.id, txn);
  return txn;
}
