import { formatProductRef, isValidName, parseProductRef } from '../../src/naming';

describe('naming rule', () => {
  it.each(['payments', 'ab', 'order-events', 'v2-orders', 'a'.repeat(63)])('accepts %s', (name) => {
    expect(isValidName(name)).toBe(true);
  });

  it.each(['', 'a', 'Payments', '2fa', '-x', 'x-', 'a--b', 'a_b', 'a.b', 'a'.repeat(64), 'zoë', 'a b'])(
    'refuses %j',
    (name) => {
      expect(isValidName(name)).toBe(false);
    },
  );

  it('parses and formats product references', () => {
    expect(parseProductRef('payments.orders')).toEqual({ domain: 'payments', product: 'orders' });
    expect(formatProductRef({ domain: 'payments', product: 'orders' })).toBe('payments.orders');
    expect(parseProductRef('payments')).toBeNull();
    expect(parseProductRef('payments.orders.v2')).toBeNull();
    expect(parseProductRef('Payments.orders')).toBeNull();
  });
});
