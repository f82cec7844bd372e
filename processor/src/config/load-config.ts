import { Type, type Static, type TSchema } from '@sinclair/typebox';
import { Value } from '@sinclair/typebox/value';
import { describeKeys, EnvSchema, type EXPRESS_WALLETS, type EnvKey, type ResolvedEnv } from './schema';

export type CaptureMethod = ResolvedEnv['STRIPE_CAPTURE_METHOD'];
export type BillingAddressCollection = ResolvedEnv['STRIPE_COLLECT_BILLING_ADDRESS'];
export type ExpressWallet = (typeof EXPRESS_WALLETS)[number];

const AppearanceSchema = Type.Object(
  {
    theme: Type.Optional(Type.Union([Type.Literal('stripe'), Type.Literal('night'), Type.Literal('flat')])),
    variables: Type.Optional(Type.Record(Type.String(), Type.Union([Type.String(), Type.Number()]))),
    rules: Type.Optional(Type.Record(Type.String(), Type.Record(Type.String(), Type.String()))),
    labels: Type.Optional(Type.Union([Type.Literal('above'), Type.Literal('floating')])),
    inputs: Type.Optional(Type.Union([Type.Literal('spaced'), Type.Literal('condensed')])),
    disableAnimations: Type.Optional(Type.Boolean()),
  },
  { additionalProperties: false },
);
export type Appearance = Static<typeof AppearanceSchema>;

const LayoutSchema = Type.Object(
  {
    type: Type.Union([Type.Literal('tabs'), Type.Literal('accordion'), Type.Literal('auto')]),
    defaultCollapsed: Type.Optional(Type.Boolean()),
    radios: Type.Optional(Type.Boolean()),
    spacedAccordionItems: Type.Optional(Type.Boolean()),
    visibleAccordionItemsCount: Type.Optional(Type.Integer({ minimum: 0 })),
  },
  { additionalProperties: false },
);
export type Layout = Static<typeof LayoutSchema>;

export interface Config {
  commercetools: {
    projectKey: string;
    clientId: string;
    clientSecret: string;
    authUrl: string;
    apiUrl: string;
    sessionUrl: string;
    checkoutUrl: string;
    jwksUrl: string;
    jwtIssuer: string;
    /** When set, Merchant Center tokens must name it in `aud`. */
    jwtAudience?: string;
    /** Least time between two JWKS fetches caused by tokens of unknown keys. */
    jwksCooldownMs: number;
  };
  stripe: {
    secretKey: string;
    publishableKey: string;
    /** Unset: read at start from what post-deploy stored. */
    webhookSigningSecret?: string;
    /** A webhook endpoint made by hand, used instead of the one post-deploy manages. */
    webhookId?: string;
    /** `test` or `live`, from the keys. */
    mode: 'test' | 'live';
    captureMethod: CaptureMethod;
    /** Empty: automatic payment methods (what the Stripe dashboard enables). */
    paymentMethodTypes: readonly string[];
    appearance?: Appearance;
    layout: Layout;
    billingAddressCollection: BillingAddressCollection;
    applePayDomainAssociation?: string;
    /** The Express Checkout Element's wallets; empty: express checkout is off. */
    expressWallets: readonly ExpressWallet[];
    /** Several partial captures of one authorization. */
    multicapture: boolean;
    /** Saved cards and recurring payments (`STRIPE_SAVED_PAYMENT_METHODS=on`). */
    savedPaymentMethods: boolean;
    /** Emulator base URL (local runs); undefined means api.stripe.com. */
    apiUrl?: string;
  };
  merchantReturnUrl: string;
  allowedOrigins: readonly string[];
  orders: { create: boolean };
  /** How long a verified checkout session is trusted without the Session API (0: never). */
  sessions: { cacheMs: number };
  /** Which Stripe events become interface interactions on the payment. */
  webhooks: { record: ResolvedEnv['RECORD_STRIPE_EVENTS'] };
  /** post-deploy, pre-undeploy and reconcile: how long one upstream request may take. */
  commands: { upstreamTimeoutMs: number };
  /** This deployment's public URL (Connect), when known. */
  serviceUrl?: string;
  server: { port: number; host: string; logLevel: ResolvedEnv['LOG_LEVEL'] };
}

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(
      `Invalid configuration (${problems.length} problem${problems.length === 1 ? '' : 's'}):\n  - ${problems.join('\n  - ')}`,
    );
    this.name = 'ConfigError';
  }
}

const PLACEHOLDER =
  /^(x+|changeme|change-me|todo|tbd|placeholder|dummy|secret|null|undefined|none|<.*>|\$\{.*\}|your[-_].*)$/i;

function deepFreeze<T>(value: T): T {
  if (value && typeof value === 'object') {
    for (const inner of Object.values(value)) deepFreeze(inner);
    Object.freeze(value);
  }
  return value;
}

function schemaErrors(schema: TSchema, value: unknown): string[] {
  return [...Value.Errors(schema, value)].map((e) => `${e.path || '/'} ${e.message}`);
}

function parseJson(key: EnvKey, raw: string, problems: string[]): unknown {
  try {
    return JSON.parse(raw);
  } catch {
    problems.push(`${key}: is not valid JSON`);
    return undefined;
  }
}

const LAYOUT_TYPES: readonly string[] = ['tabs', 'accordion', 'auto'];

function parseLayout(raw: string, problems: string[]): Layout {
  const parsed = LAYOUT_TYPES.includes(raw) ? { type: raw } : parseJson('STRIPE_LAYOUT', raw, problems);
  if (parsed === undefined) return { type: 'tabs' };
  if (Value.Check(LayoutSchema, parsed)) return parsed;
  const errors = schemaErrors(LayoutSchema, parsed);
  problems.push(`STRIPE_LAYOUT: must be tabs, accordion, auto or a layout object (${errors.join('; ')})`);
  return { type: 'tabs' };
}

function parseAppearance(raw: string, problems: string[]): Appearance | undefined {
  const parsed = parseJson('STRIPE_APPEARANCE', raw, problems);
  if (parsed === undefined) return undefined;
  if (Value.Check(AppearanceSchema, parsed)) return parsed;
  const errors = schemaErrors(AppearanceSchema, parsed);
  problems.push(`STRIPE_APPEARANCE: is not a valid Elements appearance (${errors.join('; ')})`);
  return undefined;
}

function parseOrigins(raw: string | undefined, problems: string[]): string[] {
  if (!raw) return [];
  const origins: string[] = [];
  for (const entry of raw
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean)) {
    if (entry === '*') {
      problems.push('ALLOWED_ORIGINS: "*" is not allowed; list the storefront origins');
      continue;
    }
    try {
      const url = new URL(entry);
      if (!['http:', 'https:'].includes(url.protocol) || url.origin !== entry.replace(/\/$/, '')) throw new Error();
      origins.push(url.origin);
    } catch {
      problems.push(`ALLOWED_ORIGINS: "${entry}" is not an origin (scheme://host[:port])`);
    }
  }
  return origins;
}

function describeError(key: EnvKey, secret: boolean, raw: string | undefined, message: string): string {
  if (raw === undefined) return `${key}: is required`;
  if (secret) return `${key}: has an invalid format`;
  return `${key}: ${message} (got "${raw.length > 60 ? `${raw.slice(0, 57)}...` : raw}")`;
}

/**
 * Validates the environment and returns the frozen, typed configuration. Throws a ConfigError
 * naming every missing or invalid key at once; secret values are never echoed.
 */
export function loadConfig(source: Record<string, string | undefined>): Config {
  const keys = describeKeys();
  const problems: string[] = [];
  const env: Record<string, string> = {};
  /** Keys set to the empty string where that means something (`whenEmpty`), not "unset". */
  const setEmpty = new Set<EnvKey>();
  for (const info of keys) {
    const raw = source[info.key]?.trim();
    if (raw) env[info.key] = raw;
    else if (raw === '' && info.whenEmpty !== undefined) setEmpty.add(info.key);
    else if (info.default !== undefined) env[info.key] = info.default;
  }

  const badKeys = new Set<string>();
  for (const error of Value.Errors(EnvSchema, env)) {
    const info = keys.find((k) => k.key === error.path.split('/')[1]);
    if (!info || badKeys.has(info.key)) continue;
    badKeys.add(info.key);
    problems.push(describeError(info.key, info.secret, env[info.key], error.message));
  }
  for (const info of keys) {
    const value = env[info.key];
    if (value !== undefined && !badKeys.has(info.key) && PLACEHOLDER.test(value)) {
      problems.push(`${info.key}: is a placeholder, set the real value`);
      badKeys.add(info.key);
    }
  }

  // Checked against the schema above, defaults applied: the one place the type is asserted.
  const e = env as ResolvedEnv;
  const layout = parseLayout(e.STRIPE_LAYOUT, problems);
  const appearance = e.STRIPE_APPEARANCE ? parseAppearance(e.STRIPE_APPEARANCE, problems) : undefined;
  const allowedOrigins = parseOrigins(e.ALLOWED_ORIGINS, problems);

  const secretMode = /^(sk|rk)_(test|live)_/.exec(e.STRIPE_SECRET_KEY ?? '')?.[2];
  const publishableMode = /^pk_(test|live)_/.exec(e.STRIPE_PUBLISHABLE_KEY ?? '')?.[1];
  if (secretMode && publishableMode && secretMode !== publishableMode) {
    problems.push(`STRIPE_PUBLISHABLE_KEY: is a ${publishableMode} key but STRIPE_SECRET_KEY is a ${secretMode} key`);
  }
  if (e.STRIPE_API_URL && secretMode === 'live') {
    problems.push('STRIPE_API_URL: an emulator URL cannot be used with live keys');
  }
  const port = Number(e.PORT);
  if (!badKeys.has('PORT') && (port < 0 || port > 65535)) problems.push(`PORT: must be 0-65535 (got "${e.PORT}")`);

  if (!badKeys.has('SESSION_CACHE_SECONDS') && Number(e.SESSION_CACHE_SECONDS) > 300) {
    problems.push(`SESSION_CACHE_SECONDS: at most 300 (got "${e.SESSION_CACHE_SECONDS}")`);
  }
  const cooldown = Number(e.CTP_JWKS_COOLDOWN_SECONDS);
  if (!badKeys.has('CTP_JWKS_COOLDOWN_SECONDS') && (cooldown < 1 || cooldown > 600)) {
    problems.push(`CTP_JWKS_COOLDOWN_SECONDS: must be 1-600 (got "${e.CTP_JWKS_COOLDOWN_SECONDS}")`);
  }
  const upstreamTimeout = Number(e.UPSTREAM_TIMEOUT_SECONDS);
  if (!badKeys.has('UPSTREAM_TIMEOUT_SECONDS') && (upstreamTimeout < 1 || upstreamTimeout > 600))
    problems.push(`UPSTREAM_TIMEOUT_SECONDS: must be 1-600 (got "${e.UPSTREAM_TIMEOUT_SECONDS}")`);
  if (problems.length > 0) throw new ConfigError(problems);

  return deepFreeze<Config>({
    commercetools: {
      projectKey: e.CTP_PROJECT_KEY,
      clientId: e.CTP_CLIENT_ID,
      clientSecret: e.CTP_CLIENT_SECRET,
      authUrl: e.CTP_AUTH_URL.replace(/\/+$/, ''),
      apiUrl: e.CTP_API_URL.replace(/\/+$/, ''),
      sessionUrl: e.CTP_SESSION_URL.replace(/\/+$/, ''),
      checkoutUrl: e.CTP_CHECKOUT_URL.replace(/\/+$/, ''),
      jwksUrl: e.CTP_JWKS_URL,
      jwtIssuer: e.CTP_JWT_ISSUER,
      ...(e.CTP_JWT_AUDIENCE ? { jwtAudience: e.CTP_JWT_AUDIENCE } : {}),
      jwksCooldownMs: cooldown * 1000,
    },
    stripe: {
      secretKey: e.STRIPE_SECRET_KEY,
      publishableKey: e.STRIPE_PUBLISHABLE_KEY,
      ...(e.STRIPE_WEBHOOK_SIGNING_SECRET ? { webhookSigningSecret: e.STRIPE_WEBHOOK_SIGNING_SECRET } : {}),
      ...(e.STRIPE_WEBHOOK_ID ? { webhookId: e.STRIPE_WEBHOOK_ID } : {}),
      mode: secretMode === 'live' ? 'live' : 'test',
      captureMethod: e.STRIPE_CAPTURE_METHOD,
      paymentMethodTypes: e.STRIPE_PAYMENT_METHOD_TYPES ? [...new Set(e.STRIPE_PAYMENT_METHOD_TYPES.split(','))] : [],
      ...(appearance ? { appearance } : {}),
      layout,
      billingAddressCollection: e.STRIPE_COLLECT_BILLING_ADDRESS,
      ...(e.STRIPE_APPLE_PAY_DOMAIN_ASSOCIATION
        ? { applePayDomainAssociation: e.STRIPE_APPLE_PAY_DOMAIN_ASSOCIATION }
        : {}),
      ...(e.STRIPE_API_URL ? { apiUrl: e.STRIPE_API_URL.replace(/\/+$/, '') } : {}),
      expressWallets: setEmpty.has('STRIPE_EXPRESS_WALLETS')
        ? []
        : [...new Set(e.STRIPE_EXPRESS_WALLETS.split(',') as ExpressWallet[])],
      multicapture: e.STRIPE_ENABLE_MULTICAPTURE === 'true',
      savedPaymentMethods: e.STRIPE_SAVED_PAYMENT_METHODS === 'on',
    },
    merchantReturnUrl: e.MERCHANT_RETURN_URL,
    allowedOrigins,
    orders: { create: e.CREATE_ORDERS === 'true' },
    sessions: { cacheMs: Number(e.SESSION_CACHE_SECONDS) * 1000 },
    webhooks: { record: e.RECORD_STRIPE_EVENTS },
    commands: { upstreamTimeoutMs: upstreamTimeout * 1000 },
    ...(e.CONNECT_SERVICE_URL ? { serviceUrl: e.CONNECT_SERVICE_URL } : {}),
    server: {
      port,
      host: e.HOST,
      logLevel: e.LOG_LEVEL,
    },
  });
}
