import type { FastifyPluginAsync, FastifyReply } from 'fastify';
import { notFound } from '../../core/errors';
import { ErrorAnswer } from '../dtos/error';
import { SECURITY } from '../openapi';

const schema = {
  tags: ['apple-pay'],
  security: SECURITY.none,
  response: {
    200: {
      description: 'The domain association file (STRIPE_APPLE_PAY_DOMAIN_ASSOCIATION)',
      content: { 'text/plain': { schema: { type: 'string' } } },
    },
    404: ErrorAnswer('Apple Pay is not configured'),
  },
};

/**
 * Apple Pay needs the domain association file on the merchant domain. Served only when
 * configured; 404 otherwise, so that nothing pretends Apple Pay is set up.
 */
export const applePayRoutes: FastifyPluginAsync<{ domainAssociation?: string }> = async (
  app,
  { domainAssociation },
) => {
  const serve = async (_request: unknown, reply: FastifyReply) => {
    if (!domainAssociation) throw notFound('The Apple Pay domain association file');
    return reply
      .type('text/plain; charset=utf-8')
      .header('cache-control', 'public, max-age=3600')
      .send(domainAssociation);
  };
  app.get('/applePayConfig', { schema }, serve);
  app.get('/.well-known/apple-developer-merchantid-domain-association', { schema }, serve);
};
