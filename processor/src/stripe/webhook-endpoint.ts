import type Stripe from 'stripe';
import { classifyStripeError } from './errors';

/** The marker post-deploy puts on the webhook endpoint it manages (with the project key). */
export const MARKER_KEY = 'managed_by';
export const MARKER_VALUE = 'commercetools-stripe-connector';

/** The URL Stripe delivers events to, robust to a trailing slash of the service URL. */
export function webhookUrl(serviceUrl: string): string {
  return `${serviceUrl.replace(/\/+$/, '')}/stripe/webhooks`;
}

export const endpointMetadata = (projectKey: string) => ({ [MARKER_KEY]: MARKER_VALUE, ct_project_key: projectKey });

/**
 * The connector's webhook endpoint for this project: the one `STRIPE_WEBHOOK_ID` names, or the
 * one carrying post-deploy's marker. Post-deploy and `/operations/status` find it the same way.
 */
export async function findOwnEndpoint(
  stripe: Stripe,
  projectKey: string,
  webhookId?: string,
): Promise<Stripe.WebhookEndpoint | undefined> {
  if (webhookId) {
    try {
      return await stripe.webhookEndpoints.retrieve(webhookId);
    } catch (error) {
      if (classifyStripeError(error) === 'not-found')
        throw new Error(`STRIPE_WEBHOOK_ID ${webhookId} does not exist in Stripe`, { cause: error });
      throw error;
    }
  }
  for await (const endpoint of stripe.webhookEndpoints.list({ limit: 100 })) {
    if (endpoint.metadata?.[MARKER_KEY] === MARKER_VALUE && endpoint.metadata?.ct_project_key === projectKey)
      return endpoint;
  }
  return undefined;
}
