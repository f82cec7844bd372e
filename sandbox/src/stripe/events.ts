import type Stripe from 'stripe';
import { invalid } from './errors';
import { bool, list, str, type Params } from './form';
import type { EmulatorState } from './state';
import type { Delivery } from './webhooks-delivery';

/** `type=payment_intent.*` matches every event of that family, as in Stripe. */
function typeMatches(type: string, pattern: string): boolean {
  return pattern.endsWith('.*') ? type.startsWith(pattern.slice(0, -1)) : type === pattern;
}

/** `GET /v1/events` filters: `type` (with `*`), `types[]`, `delivery_success`; `created` is paginate's. */
export function filterEvents(state: EmulatorState, delivery: Delivery, params: Params): Stripe.Event[] {
  const type = str(params, 'type');
  const types = list(params, 'types');
  if (type && types) throw invalid('You may only specify one of these parameters: type, types.', 'types');
  if (types && types.length > 20) throw invalid('types can contain at most 20 event types.', 'types');
  const success = bool(params, 'delivery_success');
  return state.events.filter(
    (event) =>
      (!type || typeMatches(event.type, type)) &&
      (!types || types.some((pattern) => typeMatches(event.type, pattern))) &&
      (success === undefined || delivery.undelivered(event.id) !== success),
  );
}
