import { BAD_CONTENT_TYPES, commonCases, KIB, MALFORMED_JSON, WRONG_TOP_LEVEL } from './cases';
import {
  anEvent,
  badInputSuite,
  ctx,
  json,
  refused,
  request,
  sign,
  tolerated,
  type Case,
  type Expectation,
  type Route,
} from './suite';

/** Bad input on the route Stripe calls: raw bytes, a signature, then an event. */
function webhookCases(route: Route): Case[] {
  const cases: Case[] = [];
  const signed = (
    name: string,
    payload: string,
    expect: Expectation = refused(400),
    contentType = 'application/json',
  ) => cases.push({ route, name, request: () => request(route, json(payload, contentType)), expect });
  const unsigned = (name: string, signature: string | undefined, expect: Expectation = refused(400)) =>
    cases.push({
      route,
      name,
      request: () => {
        const body = anEvent('payment_intent.succeeded', { id: ctx.paymentIntentB, object: 'payment_intent' });
        return {
          method: 'POST',
          path: '/stripe/webhooks',
          body,
          headers: [
            ['content-type', 'application/json'],
            ...(signature !== undefined ? ([['stripe-signature', signature]] as [string, string][]) : []),
          ],
        };
      },
      expect,
    });
  for (const [name, body] of MALFORMED_JSON) signed(`signed malformed JSON: ${name}`, body);
  for (const [name, body] of WRONG_TOP_LEVEL) signed(`signed JSON ${name}`, body);
  const event = (patch: Record<string, unknown>) =>
    JSON.stringify({
      ...JSON.parse(anEvent('payment_intent.succeeded', { id: 'pi_x', object: 'payment_intent' })),
      ...patch,
    });
  signed('an empty event', '{}');
  signed('an event without type', event({ type: undefined }));
  signed('an event without data', event({ data: undefined }));
  signed('an event without livemode', event({ livemode: undefined }));
  signed('type a number', event({ type: 42 }));
  signed('type an array', event({ type: ['payment_intent.succeeded'] }));
  signed('data null', event({ data: null }));
  signed('data a string', event({ data: 'x' }));
  signed('data.object null', event({ data: { object: null } }));
  signed('data.object a string', event({ data: { object: 'pi_x' } }));
  signed('data.object an array', event({ data: { object: [] } }));
  signed('livemode a string', event({ livemode: 'false' }));
  signed(
    'a PaymentIntent id of the wrong type',
    event({ data: { object: { object: 'payment_intent', id: 42 } } }),
    tolerated,
  );
  signed(
    'a PaymentIntent that does not exist',
    event({ data: { object: { object: 'payment_intent', id: 'pi_doesnotexist' } } }),
    tolerated,
  );
  signed(
    'a PaymentIntent id with a traversal',
    event({ data: { object: { object: 'payment_intent', id: '../../v1/customers' } } }),
    tolerated,
  );
  signed(
    'a charge that does not exist',
    JSON.stringify({
      ...JSON.parse(event({})),
      type: 'refund.created',
      data: { object: { object: 'refund', id: 're_1', charge: 'ch_doesnotexist' } },
    }),
    tolerated,
  );
  signed('a livemode event', event({ livemode: true }), tolerated);
  signed('an extra field', event({ extra: { deep: [1, 2, 3] } }), tolerated);
  signed('an event just over 512 KiB', event({ pad: 'x'.repeat(512 * KIB) }), refused(413));
  signed('an event of 2 MiB', event({ pad: 'x'.repeat(2048 * KIB) }), refused(413));
  // The webhook scope takes raw bytes of any content type: the signature decides, so a good
  // signed event sent as text/plain is still a good event.
  for (const [name, type] of BAD_CONTENT_TYPES)
    signed(`content type ${name}`, anEvent('customer.created'), tolerated, type);
  unsigned('no signature', undefined);
  unsigned('an empty signature', '');
  unsigned('a garbage signature', 'garbage');
  unsigned('a signature with no v1', `t=${Math.floor(Date.now() / 1000)}`);
  unsigned('a wrong v1', `t=${Math.floor(Date.now() / 1000)},v1=${'0'.repeat(64)}`);
  unsigned('a non-numeric timestamp', `t=abc,v1=${'0'.repeat(64)}`);
  unsigned('a far-future timestamp', `t=99999999999,v1=${'0'.repeat(64)}`);
  unsigned('a huge signature', `t=1,v1=${'a'.repeat(8 * KIB)}`);
  unsigned('a v0 scheme only', `t=${Math.floor(Date.now() / 1000)},v0=${'0'.repeat(64)}`);
  cases.push({
    route,
    name: 'a signature of another body',
    request: () => {
      const body = anEvent('payment_intent.succeeded', { id: ctx.paymentIntentB, object: 'payment_intent' });
      return {
        method: 'POST',
        path: '/stripe/webhooks',
        body,
        headers: [
          ['content-type', 'application/json'],
          ['stripe-signature', sign(`${body} `)],
        ],
      };
    },
    expect: refused(400),
  });
  return cases;
}

badInputSuite(['POST /stripe/webhooks'], (route: Route) => [...commonCases(route), ...webhookCases(route)]);
