import type { FastifyInstance, FastifyRequest, preHandlerHookHandler, RouteOptions } from 'fastify';
import { paramsOf } from '../http';
import type { EmulatorState } from '../state';
import { ENDPOINTS, type EndpointSpec } from './endpoints';
import { requireEmulated } from './emulation';
import { FORMAT_RULES } from './formats';
import { MONEY_RULES } from './money';
import { parseKind, tableOf, type ParamTable } from './schema';
import { validateParams } from './validate';
import { checkVersion } from './version';

/** The key Stripe.js sends as a parameter: authentication, accepted on every call. */
const AUTH_PARAMS = ['key'];

interface Endpoint {
  name: string;
  spec: EndpointSpec;
  table: ParamTable;
  browserTable: ParamTable;
  /** What the emulator acts on with the publishable key: the browser's own parameters too. */
  browserEmulated: readonly string[];
  /** The call changes an existing object (an empty value would unset something). */
  changes: boolean;
}

function endpointFor(method: string, url: string): Endpoint {
  const name = `${method} ${url}`;
  const spec = ENDPOINTS[name];
  if (!spec) throw new Error(`${name} has no entry in src/stripe/params/endpoints.ts: say what Stripe accepts there`);
  const table = tableOf(spec.params);
  return {
    name,
    spec,
    table,
    browserTable: spec.browser ? table.with(spec.browser) : table,
    // An added enum value (`+enum(card)`) is emulated for that value only.
    browserEmulated: [
      ...spec.emulated,
      ...Object.entries(spec.browser ?? {}).map(([path, kind]) =>
        kind.startsWith('+') ? `${path}=${parseKind(kind.slice(1)).values?.join('|') ?? ''}` : path,
      ),
    ],
    changes: method === 'POST' && url.includes('/:id'),
  };
}

function check(endpoint: Endpoint, request: FastifyRequest, state: EmulatorState): void {
  checkVersion(request);
  const params = Object.fromEntries(Object.entries(paramsOf(request)).filter(([name]) => !AUTH_PARAMS.includes(name)));
  const browser = request.stripeKey?.kind === 'publishable';
  const leaves = validateParams(browser ? endpoint.browserTable : endpoint.table, params);
  requireEmulated(
    leaves,
    browser ? endpoint.browserEmulated : endpoint.spec.emulated,
    endpoint.changes,
    endpoint.spec.unsets,
  );
  const id = (request.params as Record<string, string> | undefined)?.id ?? '';
  for (const rules of [FORMAT_RULES, MONEY_RULES]) rules[endpoint.name]?.(params, { id, state });
}

/**
 * Makes every `/v1` route refuse what Stripe refuses (an unsupported `Stripe-Version`, unknown or
 * malformed parameters, currencies and amounts Stripe does not take) and what Stripe accepts but
 * the emulator would not act on. The check runs after the route's own key check, so a call with
 * the wrong key is still a 401 first. Must be installed before the routes are registered; a `/v1`
 * route without an entry in `endpoints.ts` fails the emulator's start.
 */
export function installParamChecks(app: FastifyInstance, state: EmulatorState): void {
  app.addHook('onRoute', (route: RouteOptions) => {
    if (!route.url.startsWith('/v1/') || route.method === 'HEAD' || route.method === 'OPTIONS') return;
    const methods = Array.isArray(route.method) ? route.method : [route.method];
    const endpoints = new Map(methods.map((method) => [method, endpointFor(method, route.url)]));
    const hook: preHandlerHookHandler = async (request) => {
      const endpoint = endpoints.get(request.method);
      if (endpoint) check(endpoint, request, state);
    };
    const existing =
      route.preHandler === undefined ? [] : Array.isArray(route.preHandler) ? route.preHandler : [route.preHandler];
    route.preHandler = [...existing, hook];
  });
}
