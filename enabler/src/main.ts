export { Enabler, COMPONENT_TYPES, stripeLocale } from './enabler';
export { EnablerError, PaymentDeclinedError, ProcessorError, ValidationError } from './errors';
export type * from './types';
