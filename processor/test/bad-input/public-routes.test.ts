import { commonCases } from './cases';
import { badInputSuite, type Route } from './suite';

/** Bad input on the routes anyone may call: the OpenAPI document and Apple Pay's files. */
badInputSuite(
  ['GET /openapi.json', 'GET /applePayConfig', 'GET /.well-known/apple-developer-merchantid-domain-association'],
  (route: Route) => commonCases(route),
);
