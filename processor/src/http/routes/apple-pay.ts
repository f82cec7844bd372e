import type { FastifyPluginAsync, FastifyReply } from 'fastify';
import { notFound } from '../../errors/app-error';

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
  app.get('/applePayConfig', serve);
  app.get('/.well-known/apple-developer-merchantid-domain-association', serve);
};
