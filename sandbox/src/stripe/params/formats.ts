import { invalid } from '../errors';
import type { Params } from '../form';
import type { Rule } from './money';

/** An address Stripe can send mail to: one `@`, no spaces, a dotted domain. */
const EMAIL = /^[^\s@]+@[^\s@.]+(\.[^\s@.]+)+$/;

/** Stripe refuses a malformed email address (400 `email_invalid`); `''` is an unset, checked elsewhere. */
function email(name: string): Rule {
  return (params: Params) => {
    const value = params[name];
    if (typeof value === 'string' && value !== '' && !EMAIL.test(value)) {
      throw invalid(`Invalid email address: ${value}`, name, 'email_invalid');
    }
  };
}

/** Format rules per endpoint: values the schema types as plain strings that Stripe parses further. */
export const FORMAT_RULES: Readonly<Record<string, Rule>> = {
  'POST /v1/payment_intents': email('receipt_email'),
  'POST /v1/payment_intents/:id': email('receipt_email'),
  'POST /v1/payment_intents/:id/confirm': email('receipt_email'),
  'POST /v1/customers': email('email'),
  'POST /v1/customers/:id': email('email'),
};
