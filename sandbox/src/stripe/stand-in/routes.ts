import type { FastifyInstance } from 'fastify';

export interface StandInContext {
  /** Publishable key the stand-in accepts (`Stripe(pk)` must be called with it). */
  publishableKey: string;
}

/**
 * Registers the routes that serve the Stripe.js stand-in (browser script and its assets)
 * on the emulator. Placeholder until the stand-in is built.
 */
export function registerStandIn(_app: FastifyInstance, _ctx: StandInContext): void {}
