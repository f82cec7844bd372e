import type { Cart } from '@commercetools/platform-sdk';
import { shippingOf } from '../../src/payments/shipping';

const cartWith = (shippingAddress: Cart['shippingAddress']) => ({ shippingAddress }) as Cart;

describe('shippingOf: the cart address as the PaymentIntent shipping', () => {
  it('maps every field and joins street name and number', () => {
    expect(
      shippingOf(
        cartWith({
          country: 'DE',
          firstName: 'Ada',
          lastName: 'Lovelace',
          streetName: 'Hauptstr.',
          streetNumber: '5',
          additionalStreetInfo: 'Hinterhaus',
          postalCode: '10115',
          city: 'Berlin',
          state: 'BE',
          phone: '+49301234567',
        }),
      ),
    ).toEqual({
      name: 'Ada Lovelace',
      phone: '+49301234567',
      address: {
        country: 'DE',
        line1: 'Hauptstr. 5',
        line2: 'Hinterhaus',
        postal_code: '10115',
        city: 'Berlin',
        state: 'BE',
      },
    });
  });

  it('sends no key for what the cart lacks (never undefined or empty), and a name even without one', () => {
    const shipping = shippingOf(cartWith({ country: 'NL', streetName: '', city: 'Utrecht' }));
    expect(shipping).toEqual({ name: 'Shopper', address: { country: 'NL', city: 'Utrecht' } });
    expect(Object.keys(shipping!.address)).toEqual(['country', 'city']);
  });

  it('no shipping without a country', () => {
    expect(shippingOf(cartWith(undefined))).toBeUndefined();
    expect(shippingOf(cartWith({ country: '' }))).toBeUndefined();
  });
});
