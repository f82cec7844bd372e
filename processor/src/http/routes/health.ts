import type { FastifyPluginAsync } from 'fastify';
import { SECURITY } from '../openapi';

/**
 * `GET /health`: the process is up and serving (for container and load-balancer probes). It asks
 * no upstream: whether commercetools and Stripe answer is `/operations/status`'s job.
 */
export const healthRoutes: FastifyPluginAsync = async (app) => {
  app.get(
    '/health',
    { schema: { tags: ['health'], summary: 'Liveness of the processor', security: SECURITY.none } },
    async () => ({
      status: 'ok',
    }),
  );
};
