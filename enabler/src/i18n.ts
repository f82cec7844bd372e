/**
 * The enabler's own texts (its pay button, its status line and the messages of its errors) in the
 * languages it speaks. A shopper sees these, never Stripe's or the processor's developer messages.
 */
export type MessageKey =
  | 'pay'
  | 'payStored'
  | 'paying'
  | 'approved'
  | 'pending'
  | 'validation'
  | 'declined'
  | 'insufficientFunds'
  | 'expiredCard'
  | 'incorrectCvc'
  | 'authenticationFailed'
  | 'canceled'
  | 'cartChanged'
  | 'unavailable'
  | 'failed'
  | 'region';
type Messages = Record<MessageKey, string>;

const en: Messages = {
  pay: 'Pay {amount}',
  payStored: 'Pay with this card',
  paying: 'Paying…',
  approved: 'Payment approved.',
  pending: 'Payment received: your bank is still processing it.',
  validation: 'Please check your payment details.',
  declined: 'Your payment was declined. Please use another payment method.',
  insufficientFunds: 'Your card has insufficient funds. Please use another card.',
  expiredCard: 'Your card has expired. Please use another card.',
  incorrectCvc: 'The security code is incorrect.',
  authenticationFailed: 'The payment could not be authenticated. Please try again or use another payment method.',
  canceled: 'The payment was canceled.',
  cartChanged: 'Your cart changed during the payment. Please pay the new total.',
  unavailable: 'Payment is not available right now. Please try again later.',
  failed: 'The payment could not be completed. Please try again.',
  region: 'Payment',
};

const de: Messages = {
  pay: '{amount} bezahlen',
  payStored: 'Mit dieser Karte bezahlen',
  paying: 'Zahlung läuft…',
  approved: 'Zahlung erfolgreich.',
  pending: 'Zahlung erhalten: Ihre Bank bearbeitet sie noch.',
  validation: 'Bitte prüfen Sie Ihre Zahlungsdaten.',
  declined: 'Ihre Zahlung wurde abgelehnt. Bitte wählen Sie eine andere Zahlungsart.',
  insufficientFunds: 'Ihre Karte ist nicht ausreichend gedeckt. Bitte verwenden Sie eine andere Karte.',
  expiredCard: 'Ihre Karte ist abgelaufen. Bitte verwenden Sie eine andere Karte.',
  incorrectCvc: 'Die Kartenprüfnummer ist falsch.',
  authenticationFailed:
    'Die Zahlung konnte nicht bestätigt werden. Bitte versuchen Sie es erneut oder wählen Sie eine andere Zahlungsart.',
  canceled: 'Die Zahlung wurde abgebrochen.',
  cartChanged: 'Ihr Warenkorb hat sich während der Zahlung geändert. Bitte bezahlen Sie den neuen Betrag.',
  unavailable: 'Die Zahlung ist gerade nicht möglich. Bitte versuchen Sie es später erneut.',
  failed: 'Die Zahlung konnte nicht abgeschlossen werden. Bitte versuchen Sie es erneut.',
  region: 'Zahlung',
};

const fr: Messages = {
  pay: 'Payer {amount}',
  payStored: 'Payer avec cette carte',
  paying: 'Paiement en cours…',
  approved: 'Paiement accepté.',
  pending: 'Paiement reçu : votre banque le traite encore.',
  validation: 'Veuillez vérifier vos informations de paiement.',
  declined: 'Votre paiement a été refusé. Veuillez choisir un autre moyen de paiement.',
  insufficientFunds: 'Le solde de votre carte est insuffisant. Veuillez utiliser une autre carte.',
  expiredCard: 'Votre carte a expiré. Veuillez utiliser une autre carte.',
  incorrectCvc: 'Le code de sécurité est incorrect.',
  authenticationFailed:
    "Le paiement n'a pas pu être authentifié. Veuillez réessayer ou choisir un autre moyen de paiement.",
  canceled: 'Le paiement a été annulé.',
  cartChanged: 'Votre panier a changé pendant le paiement. Veuillez payer le nouveau total.',
  unavailable: "Le paiement n'est pas disponible pour le moment. Veuillez réessayer plus tard.",
  failed: "Le paiement n'a pas pu aboutir. Veuillez réessayer.",
  region: 'Paiement',
};

const nl: Messages = {
  pay: '{amount} betalen',
  payStored: 'Met deze kaart betalen',
  paying: 'Bezig met betalen…',
  approved: 'Betaling geslaagd.',
  pending: 'Betaling ontvangen: uw bank verwerkt deze nog.',
  validation: 'Controleer uw betaalgegevens.',
  declined: 'Uw betaling is geweigerd. Kies een andere betaalmethode.',
  insufficientFunds: 'Onvoldoende saldo op uw kaart. Gebruik een andere kaart.',
  expiredCard: 'Uw kaart is verlopen. Gebruik een andere kaart.',
  incorrectCvc: 'De beveiligingscode is onjuist.',
  authenticationFailed: 'De betaling kon niet worden bevestigd. Probeer het opnieuw of kies een andere betaalmethode.',
  canceled: 'De betaling is geannuleerd.',
  cartChanged: 'Uw winkelwagen is tijdens de betaling gewijzigd. Betaal het nieuwe totaal.',
  unavailable: 'Betalen is nu niet mogelijk. Probeer het later opnieuw.',
  failed: 'De betaling kon niet worden voltooid. Probeer het opnieuw.',
  region: 'Betaling',
};

const es: Messages = {
  pay: 'Pagar {amount}',
  payStored: 'Pagar con esta tarjeta',
  paying: 'Procesando el pago…',
  approved: 'Pago aprobado.',
  pending: 'Pago recibido: tu banco todavía lo está procesando.',
  validation: 'Revisa tus datos de pago.',
  declined: 'Tu pago ha sido rechazado. Usa otro método de pago.',
  insufficientFunds: 'Tu tarjeta no tiene fondos suficientes. Usa otra tarjeta.',
  expiredCard: 'Tu tarjeta ha caducado. Usa otra tarjeta.',
  incorrectCvc: 'El código de seguridad es incorrecto.',
  authenticationFailed: 'No se ha podido autenticar el pago. Inténtalo de nuevo o usa otro método de pago.',
  canceled: 'El pago ha sido cancelado.',
  cartChanged: 'Tu carrito ha cambiado durante el pago. Paga el nuevo total.',
  unavailable: 'El pago no está disponible en este momento. Inténtalo más tarde.',
  failed: 'No se ha podido completar el pago. Inténtalo de nuevo.',
  region: 'Pago',
};

const it: Messages = {
  pay: 'Paga {amount}',
  payStored: 'Paga con questa carta',
  paying: 'Pagamento in corso…',
  approved: 'Pagamento approvato.',
  pending: 'Pagamento ricevuto: la tua banca lo sta ancora elaborando.',
  validation: 'Controlla i dati di pagamento.',
  declined: 'Il pagamento è stato rifiutato. Usa un altro metodo di pagamento.',
  insufficientFunds: 'Fondi insufficienti sulla carta. Usa un’altra carta.',
  expiredCard: 'La carta è scaduta. Usa un’altra carta.',
  incorrectCvc: 'Il codice di sicurezza non è corretto.',
  authenticationFailed: 'Non è stato possibile autenticare il pagamento. Riprova o usa un altro metodo di pagamento.',
  canceled: 'Il pagamento è stato annullato.',
  cartChanged: 'Il carrello è cambiato durante il pagamento. Paga il nuovo totale.',
  unavailable: 'Il pagamento non è disponibile al momento. Riprova più tardi.',
  failed: 'Non è stato possibile completare il pagamento. Riprova.',
  region: 'Pagamento',
};

const CATALOG: Record<string, Messages> = { en, de, fr, nl, es, it };

/** The languages of the enabler's own texts; any other locale gets English. */
export const LANGUAGES = Object.keys(CATALOG);

export interface Translator {
  language: string;
  t(key: MessageKey, values?: Record<string, string>): string;
  /** An amount in minor units, formatted for the locale (`29,99 €`). */
  money(amount: number, currency: string): string;
}

export function translator(locale?: string): Translator {
  const language = (locale ?? 'en').replace('_', '-').split('-')[0]!.toLowerCase();
  const messages = CATALOG[language] ?? en;
  const tag = CATALOG[language] ? (locale ?? 'en').replace('_', '-') : 'en';
  return {
    language: CATALOG[language] ? language : 'en',
    t: (key, values = {}) => messages[key].replace(/\{(\w+)\}/g, (_, name: string) => values[name] ?? ''),
    money(amount, currency) {
      let format: Intl.NumberFormat;
      try {
        format = new Intl.NumberFormat(tag, { style: 'currency', currency: currency.toUpperCase() });
      } catch {
        format = new Intl.NumberFormat('en', { style: 'currency', currency: currency.toUpperCase() });
      }
      // Stripe keeps ISK and UGX two-decimal on its API although they have no minor unit.
      const digits = /^(isk|ugx)$/i.test(currency) ? 2 : (format.resolvedOptions().maximumFractionDigits ?? 2);
      return format.format(amount / 10 ** digits);
    },
  };
}

/** The shopper's message for an error code (Stripe's `code` / `decline_code`, or the processor's). */
export function messageFor(code: string | undefined, declineCode?: string): MessageKey {
  switch (declineCode ?? code) {
    case 'insufficient_funds':
      return 'insufficientFunds';
    case 'expired_card':
      return 'expiredCard';
    case 'incorrect_cvc':
    case 'invalid_cvc':
      return 'incorrectCvc';
    case 'payment_intent_authentication_failure':
    case 'authentication_required':
      return 'authenticationFailed';
    case 'payment_canceled':
    case 'express_canceled':
      return 'canceled';
    case 'cart_changed':
      return 'cartChanged';
    case 'validation_error':
      return 'validation';
    case 'network_error':
    case 'stripe_unavailable':
    case 'element_load_failed':
      return 'unavailable';
    default:
      return code === 'card_declined' || declineCode ? 'declined' : 'failed';
  }
}
