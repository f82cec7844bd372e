import type { PaymentIntentResult, Stripe, StripeElements } from '@stripe/stripe-js';
import { EnablerError, PaymentDeclinedError, ValidationError } from './errors';
import { messageFor, type Translator } from './i18n';
import type { ConfirmResult, CreatedPayment, ProcessorApi } from './processor-api';
import type { Frame } from './frame';
import type { CardState, EnablerOptions } from './types';

/** Payment method types whose confirmation sends the shopper to their bank's page. */
const REDIRECT_TYPES = new Set([
  'ideal',
  'bancontact',
  'eps',
  'giropay',
  'p24',
  'sofort',
  'klarna',
  'paypal',
  'twint',
  'blik',
  'affirm',
  'afterpay_clearpay',
  'alipay',
  'wechat_pay',
  'mobilepay',
]);

/** How often the PaymentIntent is read while Stripe.js confirms, to notice a 3-D Secure challenge. */
const ACTION_POLL_MS = 400;

export interface PayContext {
  api: ProcessorApi;
  stripe: Stripe;
  i18n: Translator;
  onActionRequired?: () => Promise<void>;
  /** The payment reference, as soon as the processor created the payment. */
  remember(paymentReference: string): void;
}

export interface Paid {
  paymentReference: string;
  paymentIntent?: string;
  isPending: boolean;
  card?: CardState;
}

/** Pays with what the shopper entered in the Payment Element (or chose in it). */
export async function pay(
  ctx: PayContext & { elements: StripeElements; component: string; storePaymentDetails?: boolean },
): Promise<Paid> {
  const checked = await ctx.elements.submit();
  if (checked.error) throw new ValidationError(ctx.i18n.t('validation'));
  const selected = (checked as { selectedPaymentMethod?: string }).selectedPaymentMethod;
  const payment = await ctx.api.createPayment(
    ctx.component,
    ctx.storePaymentDetails ? { storePaymentDetails: true } : {},
  );
  return confirmAndFinish(ctx, payment, {
    elements: ctx.elements,
    redirects: !!selected && REDIRECT_TYPES.has(selected),
  });
}

/** Pays with a stored payment method of the shopper (a commercetools payment method id). */
export async function payStored(ctx: PayContext & { storedPaymentMethodId: string }): Promise<Paid> {
  const payment = await ctx.api.createPayment('card', { storedPaymentMethodId: ctx.storedPaymentMethodId });
  return confirmAndFinish(ctx, payment, { redirects: false });
}

/**
 * Stripe.js confirms the PaymentIntent the processor created (showing 3-D Secure or redirecting
 * to the bank when needed), then the processor verifies and records it.
 */
async function confirmAndFinish(
  ctx: PayContext,
  payment: CreatedPayment,
  how: { elements?: StripeElements; redirects: boolean },
): Promise<Paid> {
  const { stripe, i18n } = ctx;
  ctx.remember(payment.paymentReference);
  const returnUrl = new URL(payment.merchantReturnUrl);
  returnUrl.searchParams.set('paymentReference', payment.paymentReference);
  // A redirect leaves the page inside confirmPayment: the storefront hears of it first.
  if (how.redirects) await ctx.onActionRequired?.();
  const watch = how.redirects ? undefined : watchForAction(ctx, payment.clientSecret);
  let confirmed: PaymentIntentResult;
  try {
    const params = {
      clientSecret: payment.clientSecret,
      confirmParams: { return_url: returnUrl.toString() },
      redirect: 'if_required' as const,
    };
    confirmed = await (how.elements
      ? stripe.confirmPayment({ ...params, elements: how.elements })
      : stripe.confirmPayment(params));
  } finally {
    watch?.stop();
  }
  if (confirmed.error) {
    const e = confirmed.error;
    const code = e.code ?? e.type;
    // A decline leaves the Element usable for another attempt.
    throw new PaymentDeclinedError(
      i18n.t(messageFor(code, e.decline_code)),
      code,
      e.decline_code,
      payment.paymentReference,
    );
  }
  return finish(ctx.api, i18n, payment.paymentReference, confirmed.paymentIntent.id);
}

/**
 * Stripe.js shows a 3-D Secure challenge inside `confirmPayment` and says nothing until it ends;
 * the PaymentIntent is `requires_action` meanwhile, so reading it tells the storefront in time.
 */
function watchForAction(ctx: PayContext, clientSecret: string): { stop(): void } | undefined {
  const notify = ctx.onActionRequired;
  if (!notify) return undefined;
  let stopped = false;
  let timer: ReturnType<typeof setTimeout> | undefined;
  const tick = async () => {
    const read = await ctx.stripe.retrievePaymentIntent(clientSecret).catch(() => undefined);
    if (stopped) return;
    if (read?.paymentIntent?.status === 'requires_action') {
      stopped = true;
      await notify();
      return;
    }
    timer = setTimeout(() => void tick(), ACTION_POLL_MS);
  };
  timer = setTimeout(() => void tick(), ACTION_POLL_MS);
  return {
    stop() {
      stopped = true;
      if (timer) clearTimeout(timer);
    },
  };
}

function cardOf(outcome: ConfirmResult): CardState | undefined {
  const card = outcome.card;
  if (!card) return undefined;
  const expiry =
    card.expMonth && card.expYear
      ? `${String(card.expMonth).padStart(2, '0')}/${String(card.expYear).slice(-2)}`
      : undefined;
  return {
    ...(card.last4 ? { endDigits: card.last4 } : {}),
    ...(card.brand ? { brand: card.brand } : {}),
    ...(expiry ? { expiryDate: expiry } : {}),
  };
}

/** Asks the processor to verify and record the payment, and turns its outcome into a result. */
export async function finish(
  api: ProcessorApi,
  i18n: Translator,
  paymentReference: string,
  paymentIntent?: string,
): Promise<Paid> {
  const outcome = await api.confirm(paymentReference, paymentIntent);
  const card = cardOf(outcome);
  const base = { paymentReference, ...(paymentIntent ? { paymentIntent } : {}), ...(card ? { card } : {}) };
  if (outcome.outcome === 'approved') return { ...base, isPending: false };
  if (outcome.outcome === 'pending') return { ...base, isPending: true };
  const code = outcome.errorCode ?? 'payment_rejected';
  throw new PaymentDeclinedError(
    i18n.t(messageFor(code, outcome.declineCode)),
    code,
    outcome.declineCode,
    paymentReference,
  );
}

/** Any failure as an EnablerError with a code. */
export function coded(error: unknown): EnablerError {
  if (error instanceof EnablerError) return error;
  const message = error instanceof Error ? error.message : String(error);
  return new EnablerError(message, 'unknown_error');
}

/** Tells the storefront of a payment that went through (or is settling). */
export function reportPaid(options: EnablerOptions, paid: Paid): void {
  options.onComplete?.({
    isSuccess: true,
    paymentReference: paid.paymentReference,
    ...(paid.paymentIntent ? { paymentIntent: paid.paymentIntent } : {}),
    ...(paid.isPending ? { isPending: true } : {}),
  });
}

/**
 * Tells the storefront of a failure: `onError` always, `onComplete({isSuccess: false})` for a
 * refused payment. Without `onError` the caller rethrows.
 */
export function reportFailure(options: EnablerOptions, error: EnablerError, paymentReference?: string): void {
  if (options.onError) options.onError(error, paymentReference ? { paymentReference } : undefined);
  if (error instanceof PaymentDeclinedError) {
    options.onComplete?.({
      isSuccess: false,
      ...(paymentReference ? { paymentReference } : {}),
      code: error.code,
      ...(error.declineCode ? { declineCode: error.declineCode } : {}),
    });
  }
}

/**
 * One payment attempt of a component, as the shopper and the storefront hear of it: the status
 * line says "paying", then the outcome in the shopper's words; `onComplete`/`onError` are told.
 * Resolves with what was paid, or undefined after a failure (rethrown without `onError`).
 */
export async function attempt(
  ui: { options: EnablerOptions; i18n: Translator; say?: Frame['say'] },
  run: (remember: (paymentReference: string) => void) => Promise<Paid>,
): Promise<Paid | undefined> {
  const { options, i18n } = ui;
  ui.say?.('paying');
  let paymentReference: string | undefined;
  try {
    const paid = await run((ref) => (paymentReference = ref));
    ui.say?.(paid.isPending ? 'pending' : 'approved', paid.isPending ? 'pending' : 'success');
    reportPaid(options, paid);
    return paid;
  } catch (thrown) {
    const error = coded(thrown);
    const decline = error instanceof PaymentDeclinedError ? error.declineCode : undefined;
    ui.say?.(undefined, 'error', i18n.t(messageFor(error.code, decline)));
    reportFailure(options, error, paymentReference);
    if (!options.onError) throw error;
    return undefined;
  }
}
