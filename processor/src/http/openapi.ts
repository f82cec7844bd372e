import type { FastifyDynamicSwaggerOptions } from '@fastify/swagger';
import type { Config } from '../config/load-config';
import { OPERATION_SCOPES, TRANSACTION_SCOPES } from './project-scope';
import { VERSION } from '../core/version';

/** Each route's `security`, by who calls it; the schemes are declared in `openapiOptions`. */
export const SECURITY = {
  session: [{ session: [] }],
  merchantCenter: [{ merchantCenter: [] }],
  /** Any one of the scopes, of this project (the processor checks the suffix). */
  oauth2: (projectKey: string, scopes: readonly string[] = OPERATION_SCOPES) =>
    scopes.map((scope) => ({ oauth2: [`${scope}:${projectKey}`] })),
  /** `POST /operations/transactions`. */
  transactions: (projectKey: string) => SECURITY.oauth2(projectKey, TRANSACTION_SCOPES),
  stripeSignature: [{ stripeSignature: [] }],
  none: [],
};

/** The OpenAPI document served at GET /openapi.json. */
export function openapiOptions(config: Config): FastifyDynamicSwaggerOptions {
  const { projectKey, authUrl } = config.commercetools;
  return {
    openapi: {
      info: {
        title: 'Stripe connector processor',
        version: VERSION,
        description: 'commercetools Connect payment connector for Stripe',
      },
      ...(config.serviceUrl ? { servers: [{ url: config.serviceUrl.replace(/\/+$/, '') }] } : {}),
      components: {
        securitySchemes: {
          session: {
            type: 'apiKey',
            in: 'header',
            name: 'x-session-id',
            description: 'An active commercetools checkout session of this project (browser routes).',
          },
          merchantCenter: {
            type: 'http',
            scheme: 'bearer',
            bearerFormat: 'JWT',
            description:
              'A Merchant Center token of this project, signed with a key of the JWKS at CTP_JWKS_URL by CTP_JWT_ISSUER (and for CTP_JWT_AUDIENCE when set).',
          },
          oauth2: {
            type: 'oauth2',
            description:
              'A commercetools access token (checked by introspection), e.g. the one commercetools Checkout presents.',
            flows: {
              clientCredentials: {
                tokenUrl: `${authUrl}/oauth/token`,
                scopes: {
                  [`manage_project:${projectKey}`]: 'Everything in the project.',
                  [`manage_checkout_payment_intents:${projectKey}`]: 'Payment operations of commercetools Checkout.',
                  [`manage_checkout_transactions:${projectKey}`]:
                    'Charges of stored payment methods by commercetools Checkout (POST /operations/transactions).',
                },
              },
            },
          },
          stripeSignature: {
            type: 'apiKey',
            in: 'header',
            name: 'stripe-signature',
            description: "Stripe's signature of the raw body, made with the webhook endpoint's signing secret.",
          },
        },
      },
    },
  };
}
