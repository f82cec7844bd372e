import { Type, type Static, type TLiteral, type TSchema, type TString, type TUnion } from '@sinclair/typebox';

/**
 * The processor's environment, as one TypeBox schema. It is the single source of truth for the
 * keys, whether they are required, their defaults and whether they are secrets: `loadConfig`
 * validates against it, and connect.yaml and the README are checked against it.
 *
 * Every value arrives as a string; empty strings count as unset.
 */

interface KeyOptions {
  description: string;
  /** Never echoed in errors or logs; goes to connect.yaml `securedConfiguration`. */
  secret?: boolean;
  default?: string;
  /** Only meaningful in local runs (sandbox, emulators); not listed in connect.yaml. */
  localOnly?: boolean;
  /** Set by commercetools Connect itself; not listed in connect.yaml. */
  injected?: boolean;
  /** A key set to the empty string means this (instead of unset: the default). */
  whenEmpty?: string;
}

/** An absolute http(s) URL. */
export const HTTP_URL = '^https?://[^\\s/$.?#][^\\s]*$';

type KeySchemaOptions = KeyOptions & { pattern?: string; enum?: readonly string[] };
/** The schema of one key: a union of literals for an enum, else a non-empty string. */
type KeySchema<O extends KeySchemaOptions> = (O extends { enum: readonly (infer V extends string)[] }
  ? TUnion<TLiteral<V>[]>
  : TString) &
  (O extends { default: string } ? { default: string } : unknown);

function str<const O extends KeySchemaOptions>(options: O): KeySchema<O> {
  const { enum: values, ...rest } = options;
  const schema = values
    ? Type.Union(
        values.map((v) => Type.Literal(v)),
        rest,
      )
    : Type.String({ minLength: 1, ...rest });
  return schema as KeySchema<O>;
}

const opt = <T extends TSchema>(schema: T) => Type.Optional(schema);

export const CAPTURE_METHODS = ['automatic', 'automatic_async', 'manual'] as const;
export const BILLING_ADDRESS_COLLECTION = ['auto', 'never', 'if_required'] as const;
/** The wallets of the Express Checkout Element the connector can offer. */
export const EXPRESS_WALLETS = ['applePay', 'googlePay', 'link'] as const;
export const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;

export const EnvSchema = Type.Object({
  CTP_PROJECT_KEY: str({
    description:
      'commercetools project key (set by Connect, with the API client it creates for the scopes connect.yaml asks).',
    pattern: '^[a-z0-9-]{2,36}$',
    injected: true,
  }),
  CTP_CLIENT_ID: str({
    description: 'commercetools API client id of the connector (set by Connect, see CTP_PROJECT_KEY).',
    injected: true,
  }),
  CTP_CLIENT_SECRET: str({
    description: 'commercetools API client secret of the connector (set by Connect, see CTP_PROJECT_KEY).',
    secret: true,
    injected: true,
  }),
  CTP_AUTH_URL: str({
    description: 'commercetools auth URL, e.g. https://auth.europe-west1.gcp.commercetools.com.',
    pattern: HTTP_URL,
  }),
  CTP_API_URL: str({
    description: 'commercetools API URL, e.g. https://api.europe-west1.gcp.commercetools.com.',
    pattern: HTTP_URL,
  }),
  CTP_SESSION_URL: str({
    description: 'commercetools Session API URL, e.g. https://session.europe-west1.gcp.commercetools.com.',
    pattern: HTTP_URL,
  }),
  CTP_CHECKOUT_URL: str({
    description: 'commercetools Checkout API URL, e.g. https://checkout.europe-west1.gcp.commercetools.com.',
    pattern: HTTP_URL,
  }),
  CTP_JWKS_URL: str({
    description:
      'JWKS URL of the Merchant Center token issuer, e.g. https://mc-api.europe-west1.gcp.commercetools.com/.well-known/jwks.json.',
    pattern: HTTP_URL,
  }),
  CTP_JWT_ISSUER: str({
    description: 'Issuer of Merchant Center tokens, e.g. https://mc-api.europe-west1.gcp.commercetools.com.',
    pattern: HTTP_URL,
  }),
  CTP_JWT_AUDIENCE: opt(
    str({
      description:
        'Audience Merchant Center tokens must be issued for (their aud claim must name it). Empty: the audience is not checked.',
    }),
  ),
  CTP_JWKS_COOLDOWN_SECONDS: opt(
    str({
      description:
        'Seconds after a JWKS fetch during which a Merchant Center token signed with an unknown key is refused without fetching the JWKS again (1-600); a rotated key is accepted at most this long after it is published.',
      pattern: '^[0-9]{1,3}$',
      default: '30',
    }),
  ),

  STRIPE_SECRET_KEY: str({
    description: 'Stripe secret key (sk_...) or restricted key (rk_...).',
    secret: true,
    pattern: '^(sk|rk)_(test|live)_[A-Za-z0-9_]{4,}$',
  }),
  STRIPE_PUBLISHABLE_KEY: str({
    description: 'Stripe publishable key (pk_...), sent to the browser.',
    pattern: '^pk_(test|live)_[A-Za-z0-9_]{4,}$',
  }),
  STRIPE_WEBHOOK_SIGNING_SECRET: opt(
    str({
      description:
        'Signing secret (whsec_...) of the Stripe webhook endpoint. Optional: post-deploy creates the endpoint and stores its secret (encrypted) for the processor; set it to use an endpoint made by hand.',
      secret: true,
      pattern: '^whsec_[A-Za-z0-9+/=_-]{4,}$',
    }),
  ),
  STRIPE_WEBHOOK_ID: opt(
    str({
      description:
        'Id (we_...) of a Stripe webhook endpoint made by hand that post-deploy updates and /operations/status checks, instead of the one post-deploy manages (found by its marker).',
      pattern: '^we_[A-Za-z0-9]+$',
    }),
  ),
  STRIPE_CAPTURE_METHOD: opt(
    str({
      description:
        'When Stripe captures: automatic, automatic_async, or manual (authorize now, capture through /operations).',
      enum: CAPTURE_METHODS,
      default: 'automatic',
    }),
  ),
  STRIPE_PAYMENT_METHOD_TYPES: opt(
    str({
      description:
        'Comma-separated Stripe payment method types (e.g. card,sepa_debit). Empty: the methods enabled in the Stripe dashboard (automatic payment methods).',
      pattern: '^[a-z_]+(,[a-z_]+)*$',
    }),
  ),
  STRIPE_APPEARANCE: opt(
    str({
      description: 'Payment Element appearance as JSON, e.g. {"theme":"night","variables":{"colorPrimary":"#0570de"}}.',
    }),
  ),
  STRIPE_LAYOUT: opt(
    str({
      description:
        'Payment Element layout: tabs, accordion, auto, or JSON such as {"type":"accordion","defaultCollapsed":false}.',
      default: 'tabs',
    }),
  ),
  STRIPE_COLLECT_BILLING_ADDRESS: opt(
    str({
      description: 'Billing address collection of the Payment Element: auto, never, or if_required.',
      enum: BILLING_ADDRESS_COLLECTION,
      default: 'auto',
    }),
  ),
  STRIPE_EXPRESS_WALLETS: opt(
    str({
      description:
        'Comma-separated wallets of the express checkout (Stripe Express Checkout Element): applePay, googlePay, link. Set it empty to turn express checkout off. Post-deploy registers the ALLOWED_ORIGINS hostnames as Stripe payment method domains while any is on.',
      pattern: `^(${EXPRESS_WALLETS.join('|')})(,(${EXPRESS_WALLETS.join('|')}))*$`,
      default: EXPRESS_WALLETS.join(','),
      whenEmpty: '',
    }),
  ),
  STRIPE_APPLE_PAY_DOMAIN_ASSOCIATION: opt(
    str({
      description:
        'Content of the Apple Pay domain association file served at /.well-known/apple-developer-merchantid-domain-association.',
    }),
  ),
  STRIPE_API_URL: opt(
    str({
      description: 'Base URL of a Stripe API emulator (test keys only), e.g. http://localhost:12111.',
      pattern: HTTP_URL,
      localOnly: true,
    }),
  ),

  STRIPE_ENABLE_MULTICAPTURE: opt(
    str({
      description:
        'Allow several partial captures of one authorization (manual capture, cards that support it); otherwise a partial capture releases the rest.',
      enum: ['true', 'false'],
      default: 'false',
    }),
  ),
  STRIPE_SAVED_PAYMENT_METHODS: opt(
    str({
      description:
        'Saved cards and recurring payments: on lets a shopper with a commercetools customer save a card (a Stripe customer per commercetools customer, commercetools payment methods), pay with it again, and commercetools Checkout charge it for recurring orders (POST /operations/transactions); off (default) offers none of it.',
      enum: ['off', 'on'],
      default: 'off',
    }),
  ),
  CONNECT_SERVICE_URL: opt(
    str({
      description:
        'Public URL of this processor (injected by commercetools Connect); the Stripe webhook endpoint is {CONNECT_SERVICE_URL}/stripe/webhooks.',
      pattern: HTTP_URL,
      injected: true,
    }),
  ),
  CREATE_ORDERS: opt(
    str({
      description:
        'Create the commercetools order from the cart when a payment is authorized or paid (false when the storefront creates orders); never for a payment of a commercetools Checkout transaction item, which Checkout orders.',
      enum: ['true', 'false'],
      default: 'true',
    }),
  ),

  SESSION_CACHE_SECONDS: opt(
    str({
      description:
        'Seconds a checkout session, once verified with the Session API, is trusted for further browser calls without asking again (0: ask on every call).',
      pattern: '^[0-9]{1,3}$',
      default: '30',
    }),
  ),
  RECORD_STRIPE_EVENTS: opt(
    str({
      description:
        'Stripe events recorded on the commercetools payment as interface interactions (event id, type and time only): changes (those that changed the payment), all (one more write per event) or none.',
      enum: ['changes', 'all', 'none'],
      default: 'changes',
    }),
  ),

  UPSTREAM_TIMEOUT_SECONDS: opt(
    str({
      description:
        'Seconds post-deploy, pre-undeploy and reconcile wait for commercetools or Stripe to answer one request (1-600); an upstream that does not answer in time is named and not asked again in that run. The processor itself is not affected. The commands also take --timeout.',
      pattern: '^[0-9]{1,3}$',
      default: '20',
    }),
  ),

  MERCHANT_RETURN_URL: str({
    description:
      'Page the shopper returns to after a redirect-based payment method, when the checkout session names none.',
    pattern: HTTP_URL,
  }),
  ALLOWED_ORIGINS: opt(
    str({
      description:
        'Comma-separated origins allowed to call the browser endpoints (CORS), e.g. https://shop.example.com. Empty: same-origin only.',
    }),
  ),

  PORT: opt(
    str({ description: 'Port the processor listens on.', pattern: '^[0-9]{1,5}$', default: '8080', localOnly: true }),
  ),
  HOST: opt(str({ description: 'Address the processor binds to.', default: '0.0.0.0', localOnly: true })),
  LOG_LEVEL: opt(
    str({
      description:
        'Log level: fatal, error, warn, info, debug, trace or silent. Lines go to standard output in batches (at most 100 ms or 4 KB held; all of them before the process exits).',
      enum: LOG_LEVELS,
      default: 'info',
    }),
  ),
});

export type Env = Static<typeof EnvSchema>;
export type EnvKey = keyof Env & string;
type Keys = typeof EnvSchema.properties;
type DefaultedKey = { [K in keyof Keys]: Keys[K] extends { default: string } ? K : never }[keyof Keys];
/** The environment once validated, with every default applied: what `loadConfig` reads. */
export type ResolvedEnv = Env & { [K in DefaultedKey]-?: NonNullable<Env[K]> };

export interface KeyInfo {
  key: EnvKey;
  description: string;
  required: boolean;
  secret: boolean;
  localOnly: boolean;
  injected: boolean;
  default?: string;
  /** What an empty value means, for the keys where it is not "unset". */
  whenEmpty?: string;
}

/** The keys with their metadata, in schema order (for connect.yaml, the README and errors). */
export function describeKeys(): KeyInfo[] {
  const required = new Set<string>(EnvSchema.required ?? []);
  return Object.entries(EnvSchema.properties).map(([key, schema]) => {
    const s = schema as TSchema & KeyOptions;
    return {
      key: key as EnvKey,
      description: s.description,
      required: required.has(key),
      secret: s.secret === true,
      localOnly: s.localOnly === true,
      injected: s.injected === true,
      ...(s.default !== undefined ? { default: s.default } : {}),
      ...(s.whenEmpty !== undefined ? { whenEmpty: s.whenEmpty } : {}),
    };
  });
}
