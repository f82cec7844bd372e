export { Enabler, COMPONENT_TYPES, stripeLocale } from './enabler';
export { EnablerError, PaymentDeclinedError, ProcessorError, ValidationError } from './errors';
export { LANGUAGES } from './i18n';
export type * from './types';
export { EXPRESS_TYPES } from './express';
