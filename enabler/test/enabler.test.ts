import { Enabler, EnablerError, PaymentDeclinedError, ProcessorError, LANGUAGES, stripeLocale } from '../src/main';
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
    'GET /config-element/sepa_debit': { status: 200, body: { ...elementConfig, paymentMethodTypes: ['sepa_debit'] } },
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

// Mounting, paying and the callbacks run in Chromium against the sandbox (test/contract.browser.test.ts):
// the Element needs a DOM. What needs none is tested here.
describe('processor calls', () => {
  it("D15: a failed processor call is a ProcessorError with the processor's code, status and message (never a guess)", async () => {
    const { enabler, processor } = await setup();
    const error = await enabler
      .completeRedirect('https://shop.test/return?paymentReference=pay-2')
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ProcessorError);
    expect(error).toMatchObject({ code: 'ResourceNotFound', status: 404, message: 'no route' });
    await processor.close();
  });

  it("D15: a rejection from the processor is a PaymentDeclinedError in the shopper's language, with its codes", async () => {
    const { enabler, processor } = await setup({
      confirm: {
        status: 200,
        body: {
          outcome: 'rejected',
          paymentReference: 'pay-1',
          errorCode: 'card_declined',
          declineCode: 'insufficient_funds',
          message: 'Your card has insufficient funds. (developer text)',
        },
      },
    });
    const error = await enabler
      .completeRedirect('https://shop.test/return?paymentReference=pay-1')
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(PaymentDeclinedError);
    expect(error).toMatchObject({
      code: 'card_declined',
      declineCode: 'insufficient_funds',
      paymentReference: 'pay-1',
      message: 'Ihre Karte ist nicht ausreichend gedeckt. Bitte verwenden Sie eine andere Karte.',
    });
    await processor.close();
  });
});

describe('isAvailable', () => {
  it('is true for what the deployment enables and Stripe offers for the cart, false otherwise, and never throws', async () => {
    const { enabler, processor } = await setup();
    expect(await (await enabler.createComponentBuilder('card')).build().isAvailable?.()).toBe(true);
    expect(await (await enabler.createDropinBuilder('embedded')).build().isAvailable?.()).toBe(true);
    // elementConfig says manual capture: SEPA Direct Debit is not offered then.
    expect(await (await enabler.createComponentBuilder('sepa_debit')).build().isAvailable?.()).toBe(false);
    // the processor refuses the component (no route here): not available, no error
    expect(await (await enabler.createComponentBuilder('ideal')).build().isAvailable?.()).toBe(false);
    await processor.close();
  });
});

describe('builders', () => {
  it('D14: builds a component for each supported type, and fails clearly for others', async () => {
    const { enabler, processor } = await setup();
    const card = (await enabler.createComponentBuilder('card')).build();
    expect(card.getState?.()).toEqual({ card: {} });
    await expect(card.mount('#card')).rejects.toMatchObject({ name: 'EnablerError', code: 'invalid_selector' });
    for (const type of ['sepa_debit', 'ideal'])
      await expect(enabler.createComponentBuilder(type)).resolves.toBeDefined();
    await expect(enabler.createComponentBuilder('bitcoin')).rejects.toThrow(
      /not supported; supported: card, sepa_debit, ideal/,
    );
    await expect(enabler.createDropinBuilder('hpp')).rejects.toBeInstanceOf(EnablerError);
    for (const type of ['express', 'applepay', 'googlepay', 'link'])
      await expect(enabler.createExpressBuilder(type)).resolves.toHaveProperty('build');
    await expect(enabler.createExpressBuilder('paypal')).rejects.toMatchObject({
      name: 'EnablerError',
      code: 'unsupported_express',
      message: expect.stringMatching(/supported: express, applepay, googlepay, link/),
    });
    await processor.close();
  });

  it('requires a processor URL and a session', () => {
    expect(() => new Enabler({ processorUrl: '', sessionId: 's' })).toThrow(EnablerError);
  });
});

describe('redirect return', () => {
  it('finishes a redirect-based payment from the return URL', async () => {
    const { enabler, processor, errors } = await setup();
    const result = await enabler.completeRedirect(
      'https://shop.test/return?paymentReference=pay-1&payment_intent=pi_1&redirect_status=succeeded',
    );
    expect(result).toEqual({ isSuccess: true, paymentReference: 'pay-1', paymentIntent: 'pi_1' });
    await (await enabler.createDropinBuilder('embedded')).build().submit();
    expect(errors.map((e) => (e.error as EnablerError).code)).toEqual(['not_mounted']);
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

  it('the enabler speaks en, de, fr, nl, es and it; other languages get English', () => {
    expect([...LANGUAGES].sort()).toEqual(['de', 'en', 'es', 'fr', 'it', 'nl']);
  });
});
