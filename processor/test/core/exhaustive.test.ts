import type Stripe from 'stripe';
import { unhandledStatus } from '../../src/core/exhaustive';

// The type checks below run with `npm run typecheck` (tests are type-checked): an unused
// `@ts-expect-error` is itself an error, so each line proves the guard bites.
function partial(status: Stripe.PaymentIntent.Status): string {
  switch (status) {
    case 'succeeded':
      return 'paid';
    default:
      // @ts-expect-error six statuses of the pinned API version are not handled
      return unhandledStatus(status);
  }
}

function complete(status: Stripe.PaymentIntent.Status): string {
  switch (status) {
    case 'canceled':
    case 'processing':
    case 'requires_action':
    case 'requires_capture':
    case 'requires_confirmation':
    case 'requires_payment_method':
    case 'succeeded':
      return 'known';
    default:
      return unhandledStatus(status);
  }
}

describe('unhandledStatus', () => {
  it('hands back a status the pinned API version does not name (run time)', () => {
    expect(complete('requires_shopper_magic' as Stripe.PaymentIntent.Status)).toBe('requires_shopper_magic');
    expect(partial('succeeded')).toBe('paid');
  });
});
