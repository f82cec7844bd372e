import type { FastifyInstance } from 'fastify';
import {
  CONTROL_PREFIX,
  INTERNAL_HEADER,
  installControls,
  installLateFaults,
  type Controls,
} from '../controls/install';
import { CheckoutDraftError, createCheckout, type CheckoutDraft } from './checkout';
import { ctError, defaultCtFaultBody } from './errors';
import { installDraftFields } from './drafts';
import { installUniqueKeys } from './keys';
import { installOrderRules } from './orders';
import { registerPaymentMethodRoutes } from './payment-methods';
import { installLineItemRecurrence } from './recurrence';
import { registerRecurringPaymentJobRoutes } from './recurring-payment-jobs';
import { replicateCheckout, ReplicateError } from './replicate';
import { seedProject, type ApiCall } from './seed';
import { registerSessionRoutes, SessionStore } from './sessions';
import { installShippingRules } from './shipping';
import { createSandboxStorage } from './storage';
import { installOAuthExtras, TokenRegistry } from './tokens';

export interface CommercetoolsSandboxOptions {
  projectKey?: string;
  /** Path under which the Session API is served (`{sessionUrl}/{projectKey}/sessions`). */
  sessionPath?: string;
  /** Default `processorUrl` and other metadata put on sessions made by the checkout helper. */
  sessionMetadata?: Record<string, unknown>;
  logger?: boolean;
  /** Secondary indexes for queries and key reads (default on); off, every query scans as the mock does. */
  indexes?: boolean;
}

export interface CommercetoolsSandbox {
  app: FastifyInstance;
  projectKey: string;
  sessions: SessionStore;
  controls: Controls;
  /** Calls the emulated API as the sandbox itself (not counted, never faulted). */
  api: ApiCall;
  reset(): Promise<void>;
  close(): Promise<void>;
}

const SANDBOX_CLIENT_ID = 'sandbox-internal';

/**
 * The commercetools platform of the sandbox: `@labdigital/commercetools-mock` (API and OAuth2
 * token endpoint) plus what the mock lacks: token introspection, the Session API, a usable
 * default scope, correct cart money digits, seed data, test controls under `/_sandbox/`.
 */
export async function createCommercetoolsSandbox(
  options: CommercetoolsSandboxOptions = {},
): Promise<CommercetoolsSandbox> {
  const projectKey = options.projectKey ?? 'sandbox';
  const sessionPath = options.sessionPath ?? '/session-api';
  // ESM-only package: loaded with a real dynamic import from this CommonJS module.
  const { CommercetoolsMock, InMemoryStorage } = await import('@labdigital/commercetools-mock');

  const storage = createSandboxStorage(InMemoryStorage, { indexes: options.indexes ?? true });
  const mock = new CommercetoolsMock({
    enableAuthentication: true,
    validateCredentials: true,
    defaultProjectKey: projectKey,
    silent: !options.logger,
    storage,
  });
  const app = mock.app;
  const tokens = new TokenRegistry(mock.authStore());
  const sessions = new SessionStore();

  // One token for the sandbox's own calls, renewed before it expires: a token per call would grow
  // the mock's token list, which it searches on every request.
  let internal: { token: string; renewAtMs: number } | undefined;
  const internalToken = () => {
    if (!internal || internal.renewAtMs < Date.now()) {
      const minted = tokens.mint(SANDBOX_CLIENT_ID, `manage_project:${projectKey}`, 3600);
      internal = { token: minted.access_token, renewAtMs: Date.now() + 3000_000 };
    }
    return internal.token;
  };
  const api: ApiCall = async (method, path, body) => {
    const res = await app.inject({
      method,
      url: `/${projectKey}${path}`,
      headers: {
        authorization: `Bearer ${internalToken()}`,
        [INTERNAL_HEADER]: '1',
        ...(body !== undefined ? { 'content-type': 'application/json' } : {}),
      },
      ...(body !== undefined ? { payload: JSON.stringify(body) } : {}),
    });
    if (res.statusCode >= 300) {
      throw new Error(`sandbox ${method} ${path} failed with ${res.statusCode}: ${res.body}`);
    }
    return res.json();
  };

  const reset = async () => {
    await mock.clear();
    sessions.clear();
    await seedProject(api);
  };

  const controls = installControls(app, { defaultFaultBody: defaultCtFaultBody, onReset: reset });
  installLateFaults(app);
  installOAuthExtras(app, tokens, projectKey);
  installOrderRules(app, storage, projectKey);
  installUniqueKeys(app, storage, projectKey);
  installDraftFields(app, storage, projectKey);
  installLineItemRecurrence(app, storage, projectKey);
  installShippingRules(app, storage, projectKey);
  registerPaymentMethodRoutes(app, { projectKey, storage, tokens });
  registerRecurringPaymentJobRoutes(app, { projectKey, storage, tokens });
  registerSessionRoutes(app, {
    prefix: sessionPath,
    projectKey,
    store: sessions,
    tokens,
    cartExists: async (cartId) => {
      try {
        return Boolean(await mock.project(projectKey).get('cart', cartId));
      } catch {
        return false;
      }
    },
  });

  app.post<{ Body: CheckoutDraft | undefined }>(`${CONTROL_PREFIX}/checkout-session`, async (request, reply) => {
    try {
      const result = await createCheckout(api, sessions, request.body ?? {}, options.sessionMetadata ?? {});
      return reply.code(201).send(result);
    } catch (err) {
      if (err instanceof CheckoutDraftError) return reply.code(400).send(ctError(400, 'InvalidInput', err.message));
      throw err;
    }
  });

  app.post<{ Params: { id: string }; Body: { count?: unknown } | undefined }>(
    `${CONTROL_PREFIX}/carts/:id/replicate`,
    async (request, reply) => {
      const count = request.body?.count;
      if (typeof count !== 'number' || !Number.isInteger(count) || count < 1 || count > 100_000) {
        return reply.code(400).send(ctError(400, 'InvalidInput', 'count must be an integer from 1 to 100000'));
      }
      try {
        return reply.code(201).send(await replicateCheckout(storage, projectKey, request.params.id, count));
      } catch (err) {
        if (err instanceof ReplicateError) return reply.code(404).send(ctError(404, 'ResourceNotFound', err.message));
        throw err;
      }
    },
  );

  app.get(`${CONTROL_PREFIX}/indexes`, async () => storage.indexStats());

  app.post<{ Params: { id: string } }>(`${CONTROL_PREFIX}/sessions/:id/expire`, async (request, reply) => {
    const session = sessions.expire(request.params.id);
    if (!session) return reply.code(404).send(ctError(404, 'ResourceNotFound', 'no such session'));
    return session;
  });

  app.post<{ Body: { clientId?: string; scope?: string; expiresIn?: number } | undefined }>(
    `${CONTROL_PREFIX}/tokens`,
    async (request, reply) => {
      const {
        clientId = 'sandbox-client',
        scope = `manage_project:${projectKey}`,
        expiresIn = 3600,
      } = request.body ?? {};
      if (
        typeof scope !== 'string' ||
        typeof clientId !== 'string' ||
        typeof expiresIn !== 'number' ||
        !Number.isFinite(expiresIn)
      ) {
        return reply
          .code(400)
          .send(ctError(400, 'InvalidInput', 'clientId and scope must be strings, expiresIn a number of seconds'));
      }
      return reply.code(201).send(tokens.mint(clientId, scope, expiresIn));
    },
  );

  await app.ready();
  await seedProject(api);

  return {
    app,
    projectKey,
    sessions,
    controls,
    api,
    reset,
    close: () => app.close(),
  };
}
