import {
  CardDetailsTypeDraft,
  PaymentInterfaceInteractionTypeDraft,
  SepaDetailsTypeDraft,
} from '@commercetools/connect-payments-sdk';
import type { Type, TypeDraft } from '@commercetools/platform-sdk';
import type Stripe from 'stripe';
import { statusOf } from '../commercetools/port';
import { StripeCustomerTypeDraft } from '../commercetools/custom-types';
import type { Config } from '../config/load-config';
import type { PaymentSdk } from '../commercetools/sdk';
import {
  endpointMetadata,
  findOwnEndpoint as findEndpoint,
  MARKER_KEY,
  MARKER_VALUE,
  webhookUrl,
} from '../stripe/webhook-endpoint';
import { STRIPE_API_VERSION } from '../stripe/client';
import { findPaymentMethodDomain, originDomains, type OriginDomain } from '../stripe/payment-method-domains';
import { HANDLED_EVENTS } from '../webhooks/events';
import { StepRunner, type DeployReport, type PlanItem, type StepEvents } from './plan';
import { SecretStore } from './secret-store';

/** Metadata that marks the Stripe webhook endpoint this connector manages. */

/** The connector's own commercetools types; nothing else is ever touched (D11). */
export const CONNECTOR_TYPES: readonly TypeDraft[] = [
  CardDetailsTypeDraft,
  SepaDetailsTypeDraft,
  PaymentInterfaceInteractionTypeDraft,
];

/** The connector's types a configuration adds: the customer's Stripe customer (saved payment methods). */
const connectorTypes = (config: Config): readonly TypeDraft[] =>
  config.stripe.savedPaymentMethods ? [...CONNECTOR_TYPES, StripeCustomerTypeDraft] : CONNECTOR_TYPES;

export interface DeployDeps {
  config: Config;
  sdk: Pick<PaymentSdk, 'ctAPI'>;
  stripe: Stripe;
  /** `STRIPE_WEBHOOK_ID`: update this endpoint instead of looking for the connector's own. */
  webhookId?: string;
}

const sameSet = (a: readonly string[], b: readonly string[]) =>
  a.length === b.length && [...a].sort().join() === [...b].sort().join();

export const findOwnEndpoint = (deps: DeployDeps): Promise<Stripe.WebhookEndpoint | undefined> =>
  findEndpoint(deps.stripe, deps.config.commercetools.projectKey, deps.webhookId);

async function webhookEndpoint(deps: DeployDeps, dryRun: boolean): Promise<PlanItem> {
  const { config, stripe } = deps;
  if (!config.serviceUrl) throw new Error('CONNECT_SERVICE_URL is not set: the webhook URL is unknown');
  const url = webhookUrl(config.serviceUrl);
  const metadata = endpointMetadata(config.commercetools.projectKey);
  const events = [...HANDLED_EVENTS];
  const store = new SecretStore(deps.sdk.ctAPI, config.stripe.secretKey);
  const existing = await findOwnEndpoint(deps);

  const create = async (reason: string[]): Promise<PlanItem> => {
    if (dryRun) return { item: 'Stripe webhook endpoint', action: existing ? 'recreate' : 'create', changes: reason };
    const created = await stripe.webhookEndpoints.create(
      {
        url,
        enabled_events: events,
        api_version: STRIPE_API_VERSION,
        metadata,
        description: 'commercetools Stripe connector',
      },
      { idempotencyKey: `ct-post-deploy:${config.commercetools.projectKey}:${url}:${Date.now()}` },
    );
    // Stripe shows the signing secret only now: keep it (encrypted) for the processor.
    await store.write(created.id, created.secret!);
    if (existing) await stripe.webhookEndpoints.del(existing.id);
    return {
      item: 'Stripe webhook endpoint',
      action: existing ? 'recreate' : 'create',
      id: created.id,
      changes: reason,
    };
  };

  if (!existing) return create([`url ${url}`, `${events.length} events`, `API version ${STRIPE_API_VERSION}`]);
  // No API version (null) means the account's default, which the dashboard can change: the
  // events would then arrive in another shape. The version is fixed at creation.
  if (existing.api_version !== STRIPE_API_VERSION) {
    return create([
      `API version ${existing.api_version ?? 'of the account (unpinned)'} → ${STRIPE_API_VERSION} (fixed at creation)`,
    ]);
  }
  const stored = await store.read();
  if (!config.stripe.webhookSigningSecret && stored?.endpointId !== existing.id) {
    return create(['no signing secret known for the endpoint: a new one is made']);
  }
  const changes: string[] = [];
  const update: Stripe.WebhookEndpointUpdateParams = {};
  if (existing.url !== url) {
    changes.push(`url ${existing.url} → ${url}`);
    update.url = url;
  }
  if (!sameSet(existing.enabled_events, events)) {
    const missing = events.filter((e) => !existing.enabled_events.includes(e));
    const extra = existing.enabled_events.filter((e: string) => !(events as string[]).includes(e));
    changes.push(
      `events${missing.length ? ` +${missing.join(',')}` : ''}${extra.length ? ` -${extra.join(',')}` : ''}`,
    );
    update.enabled_events = events;
  }
  if (existing.status !== 'enabled') {
    changes.push('enable');
    update.disabled = false;
  }
  if (
    existing.metadata?.[MARKER_KEY] !== MARKER_VALUE ||
    existing.metadata?.ct_project_key !== config.commercetools.projectKey
  ) {
    changes.push('mark as the connector’s');
    update.metadata = metadata;
  }
  if (changes.length === 0) return { item: 'Stripe webhook endpoint', action: 'unchanged', id: existing.id, changes };
  if (!dryRun) await stripe.webhookEndpoints.update(existing.id, update);
  return { item: 'Stripe webhook endpoint', action: 'update', id: existing.id, changes };
}

/**
 * The Stripe payment method domain of one allowed origin, for the express checkout's wallets:
 * created when absent, enabled when disabled, left alone otherwise (a second run writes nothing).
 * The keys name the domain (or the domain object) and the pinned API version: a retry of the
 * same change sends the same key.
 */
async function paymentMethodDomain(deps: DeployDeps, target: OriginDomain, dryRun: boolean): Promise<PlanItem> {
  if (!('domain' in target))
    return { item: `Stripe payment method domain ${target.origin}`, action: 'skip', changes: [target.unregistrable] };
  const { stripe } = deps;
  const item = `Stripe payment method domain ${target.domain}`;
  const existing = await findPaymentMethodDomain(stripe, target.domain);
  if (!existing) {
    if (dryRun) return { item, action: 'create', changes: [`for ${target.origin}`] };
    const created = await stripe.paymentMethodDomains.create(
      { domain_name: target.domain, enabled: true },
      { idempotencyKey: `ct-post-deploy:payment-method-domain:${target.domain}:create:${STRIPE_API_VERSION}` },
    );
    return { item, action: 'create', id: created.id, changes: [`for ${target.origin}`] };
  }
  if (!existing.enabled) {
    if (!dryRun)
      await stripe.paymentMethodDomains.update(
        existing.id,
        { enabled: true },
        { idempotencyKey: `ct-post-deploy:payment-method-domain:${existing.id}:enable:${STRIPE_API_VERSION}` },
      );
    return { item, action: 'update', id: existing.id, changes: ['enable'] };
  }
  return { item, action: 'unchanged', id: existing.id, changes: [] };
}

async function customType(deps: DeployDeps, draft: TypeDraft, dryRun: boolean): Promise<PlanItem> {
  const api = deps.sdk.ctAPI.customType;
  const item = `commercetools type ${draft.key}`;
  let existing: Type | undefined;
  try {
    existing = await api.getByKey(draft.key);
  } catch (error) {
    if (statusOf(error) !== 404) throw error;
  }
  if (!existing) {
    if (!dryRun) await api.create(draft);
    return { item, action: 'create', changes: [`${draft.fieldDefinitions?.length ?? 0} fields`] };
  }
  // In place, and only additions: a field payments already use is never removed or retyped.
  const current = existing;
  const missing = (draft.fieldDefinitions ?? []).filter(
    (f) => !current.fieldDefinitions.some((e) => e.name === f.name),
  );
  if (missing.length === 0) return { item, action: 'unchanged', id: existing.id, changes: [] };
  if (!dryRun) {
    await api.update(draft.key, {
      version: current.version,
      actions: missing.map((fieldDefinition) => ({ action: 'addFieldDefinition' as const, fieldDefinition })),
    });
  }
  return { item, action: 'update', id: existing.id, changes: missing.map((f) => `+${f.name}`) };
}

export interface DeployOptions {
  dryRun?: boolean;
  events?: StepEvents;
}

/**
 * Post-deploy: the Stripe webhook endpoint (URL, exactly the handled events, the pinned API
 * version, the connector's marker; its signing secret stored for the processor), the payment
 * method domain of each allowed origin (while express checkout is on) and the connector's
 * commercetools types. Every step is awaited; any failure fails the run (D10).
 */
export async function postDeploy(deps: DeployDeps, options: DeployOptions = {}): Promise<DeployReport> {
  const dryRun = options.dryRun ?? false;
  const steps = new StepRunner(deps.config, options.events);
  await steps.step('Stripe webhook endpoint', ['Stripe'], () => webhookEndpoint(deps, dryRun));
  // Wallets (Apple Pay, Google Pay, Link) show only on registered domains: the storefronts'.
  if (deps.config.stripe.expressWallets.length > 0) {
    for (const target of originDomains(deps.config.allowedOrigins)) {
      const name = `Stripe payment method domain ${'domain' in target ? target.domain : target.origin}`;
      await steps.step(name, ['Stripe'], () => paymentMethodDomain(deps, target, dryRun));
    }
  }
  for (const draft of connectorTypes(deps.config))
    await steps.step(`commercetools type ${draft.key}`, ['commercetools'], () => customType(deps, draft, dryRun));
  return steps.report(dryRun);
}

/**
 * Pre-undeploy: deletes the webhook endpoint the connector created (found by its marker) and
 * the stored secret. Types stay: payments reference them.
 */
export async function preUndeploy(deps: DeployDeps, options: DeployOptions = {}): Promise<DeployReport> {
  const dryRun = options.dryRun ?? false;
  const steps = new StepRunner(deps.config, options.events);
  await steps.step('Stripe webhook endpoint', ['Stripe'], async () => {
    const endpoint = await findOwnEndpoint({ ...deps, webhookId: undefined });
    if (!endpoint)
      return { item: 'Stripe webhook endpoint', action: 'unchanged', changes: ['none of the connector’s found'] };
    if (!dryRun) await deps.stripe.webhookEndpoints.del(endpoint.id);
    return { item: 'Stripe webhook endpoint', action: 'delete', id: endpoint.id, changes: [endpoint.url] };
  });
  await steps.step('stored webhook signing secret', ['commercetools'], async () => {
    const store = new SecretStore(deps.sdk.ctAPI, deps.config.stripe.secretKey);
    const present = (await store.read()) !== undefined;
    if (present && !dryRun) await store.remove();
    return { item: 'stored webhook signing secret', action: present ? 'delete' : 'unchanged', changes: [] };
  });
  steps.record({ item: 'commercetools types', action: 'unchanged', changes: ['kept: payments reference them'] });
  return steps.report(dryRun);
}
