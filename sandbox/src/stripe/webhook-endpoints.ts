import type Stripe from 'stripe';
import { invalid, missing } from './errors';
import { bool, list, metadata, str, type Params } from './form';
import { newId, nowSeconds, randomToken } from './ids';
import type { EmulatorState, StoredEndpoint } from './state';

/** Stripe accepts at most this many endpoints per account in test mode. */
const MAX_ENDPOINTS = 16;

/** Webhook endpoints as the API shows them: the signing secret only in the answer to create. */
export class WebhookEndpoints {
  constructor(private readonly state: EmulatorState) {}

  private stored(id: string): StoredEndpoint {
    const endpoint = this.state.webhookEndpoints.get(id);
    if (!endpoint) throw missing('webhook_endpoint', id, 'webhook_endpoint');
    return endpoint;
  }

  static view(endpoint: StoredEndpoint): Stripe.WebhookEndpoint {
    const { secret: _secret, ...rest } = endpoint;
    return structuredClone(rest);
  }

  get(id: string): Stripe.WebhookEndpoint {
    return WebhookEndpoints.view(this.stored(id));
  }

  private events(params: Params): string[] | undefined {
    const events = list(params, 'enabled_events');
    if (events === undefined) return undefined;
    if (events.length === 0) throw invalid('enabled_events must contain at least one event.', 'enabled_events');
    events.forEach((type, index) => {
      if (type !== '*' && !/^[a-z_]+(\.[a-z_]+)+$/.test(type))
        throw invalid(`Invalid enabled_events[${index}]: ${type} is not a valid event type.`, 'enabled_events');
    });
    return events;
  }

  private url(raw: string): string {
    let parsed: URL;
    try {
      parsed = new URL(raw);
    } catch {
      throw invalid(`Invalid URL: ${raw}`, 'url', 'url_invalid');
    }
    if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:')
      throw invalid(`Invalid URL: ${raw}. URLs must begin with http:// or https://`, 'url', 'url_invalid');
    return raw;
  }

  create(params: Params): Stripe.WebhookEndpoint {
    const url = this.url(str(params, 'url', { required: true })!);
    const events = this.events(params);
    if (!events) throw invalid('Missing required param: enabled_events.', 'enabled_events', 'parameter_missing');
    if (this.state.webhookEndpoints.size >= MAX_ENDPOINTS)
      throw invalid(`You have reached the maximum of ${MAX_ENDPOINTS} test webhook endpoints.`, 'url');
    const apiVersion = str(params, 'api_version');
    if (apiVersion !== undefined && !/^\d{4}-\d{2}-\d{2}(\.[a-z]+)?$/.test(apiVersion))
      throw invalid(`Invalid api_version: ${apiVersion}`, 'api_version');
    const endpoint: StoredEndpoint = {
      id: newId('we'),
      object: 'webhook_endpoint',
      // Without one, the endpoint gets events in the account's default version and shows none.
      api_version: apiVersion ?? null,
      application: null,
      created: nowSeconds(),
      description: str(params, 'description') ?? null,
      enabled_events: events,
      livemode: false,
      metadata: metadata(params) ?? {},
      status: 'enabled',
      url,
      secret: `whsec_${randomToken(32)}`,
    };
    this.state.webhookEndpoints.set(endpoint.id, endpoint);
    return structuredClone(endpoint);
  }

  update(id: string, params: Params): Stripe.WebhookEndpoint {
    const endpoint = this.stored(id);
    const url = str(params, 'url');
    if (url) endpoint.url = this.url(url);
    const events = this.events(params);
    if (events) endpoint.enabled_events = events;
    const disabled = bool(params, 'disabled');
    if (disabled !== undefined) endpoint.status = disabled ? 'disabled' : 'enabled';
    const description = str(params, 'description');
    if (description !== undefined) endpoint.description = description;
    const meta = metadata(params, endpoint.metadata);
    if (meta) endpoint.metadata = meta;
    return WebhookEndpoints.view(endpoint);
  }

  delete(id: string): Stripe.DeletedWebhookEndpoint {
    this.stored(id);
    this.state.webhookEndpoints.delete(id);
    return { id, object: 'webhook_endpoint', deleted: true };
  }

  list(): Stripe.WebhookEndpoint[] {
    return [...this.state.webhookEndpoints.values()].map(WebhookEndpoints.view);
  }
}
