import type { FastifyInstance, FastifyRequest } from 'fastify';
import { setTimeout as sleep } from 'node:timers/promises';
import { RequestCounters } from './counters';
import { FaultInjector, FaultValidationError, type FaultAction, type FaultSpec } from './faults';

export const CONTROL_PREFIX = '/_sandbox';

export interface ControlsOptions {
  /** Body answered by an injected fault that names a status but no body. */
  defaultFaultBody: (status: number) => unknown;
  /** Called by `POST /_sandbox/reset` after faults and counters are cleared. */
  onReset?: () => Promise<void> | void;
}

export interface Controls {
  faults: FaultInjector;
  counters: RequestCounters;
}

declare module 'fastify' {
  interface FastifyRequest {
    lateFault?: FaultAction;
  }
}

function pathOf(request: FastifyRequest): string {
  const q = request.url.indexOf('?');
  return q < 0 ? request.url : request.url.slice(0, q);
}

/** Header the sandbox puts on its own internal calls (seeding, helpers): never counted or faulted. */
export const INTERNAL_HEADER = 'x-sandbox-internal';

function isControlPath(path: string): boolean {
  return path === CONTROL_PREFIX || path.startsWith(`${CONTROL_PREFIX}/`);
}

function isExempt(request: FastifyRequest): boolean {
  return isControlPath(pathOf(request)) || request.headers[INTERNAL_HEADER] !== undefined;
}

/**
 * Adds fault injection, request counters and reset to an emulated upstream. Must be called on
 * the root instance before it is ready, so that the hooks cover every route of the emulator.
 * Test controls live under `/_sandbox/` and are neither counted nor faulted.
 */
export function installControls(app: FastifyInstance, options: ControlsOptions): Controls {
  const faults = new FaultInjector();
  const counters = new RequestCounters();

  app.addHook('onRequest', async (request, reply) => {
    if (isExempt(request)) return;
    const key = request.headers['idempotency-key'];
    const action = faults.take(
      request.method,
      pathOf(request),
      options.defaultFaultBody,
      typeof key === 'string' ? key : undefined,
    );
    if (!action) return;
    if (action.rule.phase === 'after') {
      request.lateFault = action;
      return;
    }
    request.log.debug({ fault: action.rule.id, kind: action.kind }, 'injected fault');
    if (action.delayMs > 0) await sleep(action.delayMs);
    if (action.kind === 'drop') {
      counters.record(request.method, request.routeOptions.url ?? 'UNMATCHED', 0);
      reply.hijack();
      request.raw.socket.destroy();
      return;
    }
    if (action.kind === 'respond') {
      return reply.code(action.status).header('x-sandbox-fault', action.rule.id).send(action.body);
    }
  });

  app.addHook('onResponse', async (request, reply) => {
    if (isExempt(request)) return;
    counters.record(request.method, request.routeOptions.url ?? 'UNMATCHED', reply.statusCode);
  });

  app.get(`${CONTROL_PREFIX}/faults`, async () => ({ faults: faults.list() }));
  app.post<{ Body: FaultSpec | FaultSpec[] }>(`${CONTROL_PREFIX}/faults`, async (request, reply) => {
    const specs = Array.isArray(request.body) ? request.body : [request.body];
    try {
      const created = specs.map((spec) => faults.add(spec ?? ({} as FaultSpec)));
      return reply.code(201).send({ faults: created });
    } catch (err) {
      if (err instanceof FaultValidationError) {
        return reply.code(400).send({ message: err.message });
      }
      throw err;
    }
  });
  app.delete(`${CONTROL_PREFIX}/faults`, async () => {
    faults.clear();
    return { faults: [] };
  });
  app.delete<{ Params: { id: string } }>(`${CONTROL_PREFIX}/faults/:id`, async (request, reply) => {
    if (!faults.remove(request.params.id)) return reply.code(404).send({ message: 'no such fault' });
    return reply.code(204).send();
  });

  app.get(`${CONTROL_PREFIX}/counters`, async () => counters.snapshot());
  app.delete(`${CONTROL_PREFIX}/counters`, async () => {
    counters.reset();
    return counters.snapshot();
  });

  app.post(`${CONTROL_PREFIX}/reset`, async () => {
    faults.clear();
    counters.reset();
    await options.onReset?.();
    return { reset: true };
  });

  return { faults, counters };
}

/**
 * After-phase faults replace or drop the answer of a request that was executed. Install them
 * after every other onSend hook (idempotency records included), so that the upstream keeps the
 * real result, as when an answer is lost on the way back.
 */
export function installLateFaults(app: FastifyInstance): void {
  app.addHook('onSend', async (request, reply, payload) => {
    const action = request.lateFault;
    if (!action) return payload;
    request.lateFault = undefined;
    if (action.delayMs > 0) await sleep(action.delayMs);
    if (action.kind === 'drop') {
      request.raw.socket.destroy();
      return payload;
    }
    if (action.kind === 'respond') {
      reply.code(action.status).header('x-sandbox-fault', action.rule.id);
      return JSON.stringify(action.body);
    }
    return payload;
  });
}
