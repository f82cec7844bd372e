import type { Cart, Customer } from '@commercetools/platform-sdk';
import type Stripe from 'stripe';
import { CUSTOMER_TYPE_KEY, METADATA, STRIPE_CUSTOMER_FIELD } from '../core/metadata';
import type { PaymentsDeps } from '../core/deps';

/** Whether saved payment methods apply to this cart: the feature is on and a customer pays. */
export function savedMethodsApply(deps: PaymentsDeps, cart: Pick<Cart, 'customerId'>): cart is { customerId: string } {
  return deps.config.stripe.savedPaymentMethods && typeof cart.customerId === 'string' && cart.customerId.length > 0;
}

/** The Stripe customer id the commercetools customer's field names, if it has the connector's type. */
function linkedId(customer: Customer): string | undefined {
  if (customer.custom?.type.obj?.key !== CUSTOMER_TYPE_KEY) return undefined;
  const value: unknown = customer.custom.fields[STRIPE_CUSTOMER_FIELD];
  return typeof value === 'string' && value.startsWith('cus_') ? value : undefined;
}

function belongs(deps: PaymentsDeps, customer: Stripe.Customer | Stripe.DeletedCustomer, ctCustomerId: string) {
  return (
    !('deleted' in customer && customer.deleted) &&
    (customer as Stripe.Customer).metadata[METADATA.customerId] === ctCustomerId &&
    (customer as Stripe.Customer).metadata[METADATA.projectKey] === deps.config.commercetools.projectKey
  );
}

/**
 * The Stripe customer of a commercetools customer: the one its field names, else the one whose
 * metadata names it (search), else a new one. The creation's key is made of the project and the
 * commercetools customer id only, so concurrent first payments of one customer (any replica)
 * make one Stripe customer: the second create is a replay of the first. Both sides are linked:
 * the Stripe customer's metadata at creation, the commercetools customer's field after (when the
 * customer has no other custom type; the search finds it otherwise).
 */
export async function stripeCustomerFor(deps: PaymentsDeps, ctCustomerId: string): Promise<string> {
  const { stripe, ct, config } = deps;
  const projectKey = config.commercetools.projectKey;
  const customer = await ct.getCustomer(ctCustomerId);
  const linked = linkedId(customer);
  if (linked) {
    const known = await stripe.customers.retrieve(linked).catch(() => undefined);
    if (known && belongs(deps, known, ctCustomerId)) return linked;
  }
  const found = await stripe.customers.search({
    query: `metadata['${METADATA.customerId}']:'${ctCustomerId}'`,
    limit: 10,
  });
  const match = found.data
    .filter((c) => belongs(deps, c, ctCustomerId))
    .sort((a, b) => a.created - b.created || a.id.localeCompare(b.id))[0];
  const stripeCustomer =
    match ??
    (await stripe.customers.create(
      { metadata: { [METADATA.customerId]: ctCustomerId, [METADATA.projectKey]: projectKey } },
      { idempotencyKey: `ct-customer:${projectKey}:${ctCustomerId}:create` },
    ));
  await link(deps, customer, stripeCustomer.id);
  return stripeCustomer.id;
}

/** Writes the Stripe customer id on the commercetools customer; a failure only costs a search later. */
async function link(deps: PaymentsDeps, customer: Customer, stripeCustomerId: string): Promise<void> {
  const custom = customer.custom;
  if (custom && custom.type.obj?.key !== CUSTOMER_TYPE_KEY) return; // another type: never replaced (D11)
  if (linkedId(customer) === stripeCustomerId) return;
  try {
    await deps.ct.updateCustomer(customer, [
      custom
        ? { action: 'setCustomField', name: STRIPE_CUSTOMER_FIELD, value: stripeCustomerId }
        : {
            action: 'setCustomType',
            type: { typeId: 'type', key: CUSTOMER_TYPE_KEY },
            fields: { [STRIPE_CUSTOMER_FIELD]: stripeCustomerId },
          },
    ]);
  } catch (error) {
    deps.log.warn(
      { customerId: customer.id, stripeCustomerId, error: (error as Error).message },
      'the Stripe customer could not be written on the commercetools customer; it is found by its metadata',
    );
  }
}
