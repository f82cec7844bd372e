import {
  Enabler,
  EnablerError,
  PaymentDeclinedError,
  ProcessorError,
  stripeLocale,
  ValidationError,
} from '../src/main';
import type { PaymentResult } from '../src/types';
import { fakeProcessor, fakeStripe, type FakeStripeScript } from './fakes';

const elementConfig = {
  cartInfo: { amount: 2999, currency: 'eur' },
  captureMethod: 'manual',
  paymentMethodTypes: ['card', 'sepa_debit'],
  appearance: { theme: 'night' },
  layout: { type: 'accordion', radios: true },
  collectBillingAddress: 'never',
  merchantReturnUrl: 'https://shop.test/return',
};
const created = {
  clientSecret: 'pi_1_secret_x',
  paymentReference: 'pay-1',
  cartId: 'cart-1',
  merchantReturnUrl: 'https://shop.test/return',
};

async function setup(
  options: {
    confirm?: { status: number; body: unknown };
    stripe?: FakeStripeScript;
    elementConfig?: { status: number; body: unknown };
  } = {},
) {
  const processor = await fakeProcessor({
    'GET /config-element/payment': options.elementConfig ?? { status: 200, body: elementConfig },
    'GET /config-element/card': { status: 200, body: { ...elementConfig, paymentMethodTypes: ['card'] } },
    'POST /payments': { status: 200, body: created },
    'POST /confirmPayments/pay-1': options.confirm ?? {
      status: 200,
      body: { outcome: 'approved', paymentReference: 'pay-1' },
    },
  });
  const fake = fakeStripe(options.stripe ?? {});
  const results: PaymentResult[] = [];
  const errors: { error: Error; context?: { paymentReference?: string } }[] = [];
  const enabler = new Enabler(
    {
      processorUrl: processor.url,
      sessionId: 'session-1',
      locale: 'de-DE',
      onComplete: (r) => results.push(r),
      onError: (error, context) => errors.push({ error, ...(context ? { context } : {}) }),
    },
    { stripe: fake.stripe },
  );
  return { processor, fake, results, errors, enabler };
}

describe('drop-in', () => {
  it('D20 D21: every Element option the processor sends reaches the Element, capture method in camelCase', async () => {
    const { enabler, fake, processor } = await setup();
    const component = (await enabler.createDropinBuilder('embedded')).build();
    await component.mount('#pay');
    expect(fake.seen.elements).toEqual({
      mode: 'payment',
      amount: 2999,
      currency: 'eur',
      captureMethod: 'manual',
      paymentMethodTypes: ['card', 'sepa_debit'],
      appearance: { theme: 'night' },
      locale: 'de',
    });
    expect(fake.seen.elements).not.toHaveProperty('capture_method');
    expect(fake.seen.create).toEqual({
      type: 'payment',
      options: { layout: { type: 'accordion', radios: true }, fields: { billingDetails: { address: 'never' } } },
    });
    expect(fake.seen.mountedOn).toBe('#pay');
    expect(processor.calls[0]).toMatchObject({
      method: 'GET',
      path: '/config-element/payment',
      sessionId: 'session-1',
    });
    await processor.close();
  });

  it('submit: validate, POST /payments, confirm with Stripe, POST /confirmPayments, onComplete', async () => {
    const { enabler, fake, processor, results, errors } = await setup();
    const component = (await enabler.createDropinBuilder('embedded')).build();
    await component.mount('#pay');
    await component.submit();
    expect(errors).toEqual([]);
    expect(results).toEqual([{ isSuccess: true, paymentReference: 'pay-1', paymentIntent: 'pi_1' }]);
    expect(processor.calls.map((c) => `${c.method} ${c.path}`)).toEqual([
      'GET /config-element/payment',
      'POST /payments',
      'POST /confirmPayments/pay-1',
    ]);
    expect(processor.calls[1]!.body).toEqual({ paymentComponent: 'payment' });
    expect(processor.calls[2]!.body).toEqual({ paymentIntent: 'pi_1' });
    expect(fake.seen.confirm).toMatchObject({
      clientSecret: 'pi_1_secret_x',
      redirect: 'if_required',
      confirmParams: { return_url: 'https://shop.test/return?paymentReference=pay-1' },
    });
    await processor.close();
  });

  it('D16: a payment still processing is a distinct pending result, not a failure', async () => {
    const { enabler, processor, results, errors } = await setup({
      stripe: { confirm: { paymentIntent: { id: 'pi_1', status: 'processing' } } },
      confirm: {
        status: 200,
        body: { outcome: 'pending', paymentReference: 'pay-1', paymentIntentStatus: 'processing' },
      },
    });
    const component = (await enabler.createDropinBuilder('embedded')).build();
    await component.mount('#pay');
    await component.submit();
    expect(errors).toEqual([]);
    expect(results).toEqual([{ isSuccess: true, isPending: true, paymentReference: 'pay-1', paymentIntent: 'pi_1' }]);
    await processor.close();
  });

  it("D15: a decline reaches onError as a PaymentDeclinedError with Stripe's decline code and the payment reference", async () => {
    const { enabler, processor, results, errors } = await setup({
      stripe: {
        confirm: {
          error: {
            type: 'card_error',
            code: 'card_declined',
            decline_code: 'insufficient_funds',
            message: 'Your card has insufficient funds.',
          },
        },
      },
    });
    const component = (await enabler.createDropinBuilder('embedded')).build();
    await component.mount('#pay');
    await component.submit();
    expect(results).toEqual([]);
    expect(errors).toHaveLength(1);
    const [{ error, context }] = errors as [{ error: PaymentDeclinedError; context: { paymentReference: string } }];
    expect(error).toBeInstanceOf(PaymentDeclinedError);
    expect(error).toBeInstanceOf(Error);
    expect(error).toMatchObject({
      code: 'card_declined',
      declineCode: 'insufficient_funds',
      message: 'Your card has insufficient funds.',
    });
    expect(context).toEqual({ paymentReference: 'pay-1' });
    // The Element stays usable: a second submit runs the whole flow again.
    await component.submit();
    expect(processor.calls.filter((c) => c.path === '/payments')).toHaveLength(2);
    await processor.close();
  });

  it('D15: a processor rejection is a PaymentDeclinedError with its code; an invalid form a ValidationError, with no payment created', async () => {
    const rejected = await setup({
      confirm: {
        status: 200,
        body: {
          outcome: 'rejected',
          paymentReference: 'pay-1',
          errorCode: 'card_declined',
          declineCode: 'generic_decline',
          message: 'Declined',
        },
      },
    });
    const c1 = (await rejected.enabler.createDropinBuilder('embedded')).build();
    await c1.mount('#pay');
    await c1.submit();
    expect(rejected.errors[0]!.error).toMatchObject({
      name: 'PaymentDeclinedError',
      code: 'card_declined',
      declineCode: 'generic_decline',
    });
    await rejected.processor.close();

    const invalid = await setup({
      stripe: { submit: { error: { type: 'validation_error', message: 'Your card number is incomplete.' } } },
    });
    const c2 = (await invalid.enabler.createDropinBuilder('embedded')).build();
    await c2.mount('#pay');
    await c2.submit();
    expect(invalid.errors[0]!.error).toBeInstanceOf(ValidationError);
    expect(invalid.errors[0]!.error.message).toBe('Your card number is incomplete.');
    expect(invalid.processor.calls.some((c) => c.path === '/payments')).toBe(false);
    await invalid.processor.close();
  });

  it("D15: a failed processor call throws a ProcessorError with the processor's code, status and message (never a guess)", async () => {
    const { enabler, processor } = await setup({
      elementConfig: {
        status: 401,
        body: {
          statusCode: 401,
          message: 'Session is not active',
          errors: [{ code: 'invalid_token', message: 'Session is not active' }],
        },
      },
    });
    const component = (await enabler.createDropinBuilder('embedded')).build();
    const error = await component.mount('#pay').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ProcessorError);
    expect(error).toMatchObject({ code: 'invalid_token', status: 401, message: 'Session is not active' });
    await processor.close();
  });
});

describe('builders', () => {
  it('D14: builds a component for each supported type, and fails clearly for others', async () => {
    const { enabler, fake, processor } = await setup();
    const card = (await enabler.createComponentBuilder('card')).build();
    await card.mount('#card');
    expect(fake.seen.elements).toMatchObject({ paymentMethodTypes: ['card'] });
    fake.change({ complete: true, empty: false, value: { type: 'card' } });
    expect(card.isValid?.()).toBe(true);
    expect(card.getState?.()).toEqual({ complete: true, empty: false, paymentMethodType: 'card' });
    for (const type of ['sepa_debit', 'ideal'])
      await expect(enabler.createComponentBuilder(type)).resolves.toBeDefined();
    await expect(enabler.createComponentBuilder('bitcoin')).rejects.toThrow(
      /not supported; supported: card, sepa_debit, ideal/,
    );
    await expect(enabler.createDropinBuilder('hpp')).rejects.toBeInstanceOf(EnablerError);
    await expect(enabler.createExpressBuilder('applepay')).rejects.toBeInstanceOf(EnablerError);
    await processor.close();
  });

  it('requires a processor URL and a session', () => {
    expect(() => new Enabler({ processorUrl: '', sessionId: 's' })).toThrow(EnablerError);
  });
});

describe('redirect return', () => {
  it('finishes a redirect-based payment from the return URL', async () => {
    const { enabler, processor } = await setup();
    const result = await enabler.completeRedirect(
      'https://shop.test/return?paymentReference=pay-1&payment_intent=pi_1&redirect_status=succeeded',
    );
    expect(result).toEqual({ isSuccess: true, paymentReference: 'pay-1', paymentIntent: 'pi_1' });
    await expect(enabler.completeRedirect('https://shop.test/return')).rejects.toMatchObject({
      code: 'invalid_return_url',
    });
    await processor.close();
  });
});

describe('locales', () => {
  it.each([
    ['de-DE', 'de'],
    ['en-GB', 'en-GB'],
    ['pt_BR', 'pt-BR'],
    ['xx-YY', 'auto'],
    [undefined, undefined],
  ])('%s → %s', (locale, expected) => expect(stripeLocale(locale)).toBe(expected));
});
