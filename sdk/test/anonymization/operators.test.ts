import fc from 'fast-check';
import { AnonymizationError, createFpeCipher, graphemes, maskText } from '../../src/anonymization';

const mask = (text: string, keepFirst = 0, keepLast = 0, maxRevealRatio?: number) =>
  maskText(text, {
    operator: 'mask',
    keepFirst,
    keepLast,
    ...(maxRevealRatio === undefined ? {} : { maxRevealRatio }),
  });

describe('mask', () => {
  it('keeps the first/last N characters and masks the rest', () => {
    expect(mask('4111111111111111', 0, 4)).toBe('************1111');
    expect(mask('ada@example.org', 1, 4)).toBe('a**********.org');
  });

  it('masks values shorter than or equal to the reveal completely (P-05)', () => {
    expect(mask('1234', 0, 4)).toBe('****');
    expect(mask('123', 2, 2)).toBe('***');
    // The reveal may not exceed half the value by default.
    expect(mask('12345678', 0, 5)).toBe('********');
    expect(mask('12345678', 0, 5, 0.75)).toBe('***45678');
  });

  it('counts emoji sequences and combining marks as one character, never splitting a surrogate (P-05)', () => {
    const family = '👩‍👩‍👧‍👦';
    const text = `e\u0301${family}abc${family}`;
    expect(graphemes(text)).toHaveLength(6);
    expect(mask(text, 1, 1)).toBe(`e\u0301****${family}`);
    expect(mask('Zoë👍🏽', 0, 1)).toBe('***👍🏽');
    const lone = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;
    fc.assert(
      fc.property(
        fc.string({ unit: 'grapheme', maxLength: 30 }),
        fc.nat(4),
        fc.nat(4),
        (value, first, last) => {
          const out = mask(value, first, last);
          expect(lone.test(out)).toBe(false);
          expect(graphemes(out)).toHaveLength(graphemes(value).length);
        },
      ),
    );
  });

  it('never outputs a run of the input longer than the configured reveal (P-04)', () => {
    fc.assert(
      fc.property(
        fc.string({ unit: 'grapheme-ascii', minLength: 1, maxLength: 40 }),
        fc.nat(3),
        fc.nat(3),
        (value, first, last) => {
          const out = mask(value.replace(/\*/g, 'x'), first, last);
          const revealed = out.split('*').filter((part) => part.length > 0);
          for (const part of revealed) expect(part.length).toBeLessThanOrEqual(Math.max(first, last));
        },
      ),
    );
  });
});

describe('FF1 format-preserving encryption (P-06, P-07)', () => {
  const key128 = Buffer.from('2B7E151628AED2A6ABF7158809CF4F3C', 'hex');
  const key256 = Buffer.from('2B7E151628AED2A6ABF7158809CF4F3CEF4359D8D580AA4F7F036D6F04FC6A94', 'hex');

  // NIST SP 800-38G FF1 samples 1, 2, 3, 7, 8 and 9 (tweaks given as their ASCII text).
  it.each([
    [key128, 'digits', '', '0123456789', '2433477484'],
    [key128, 'digits', '9876543210', '0123456789', '6124200773'],
    [key128, 'lower-alphanumeric', '7777pqrs777', '0123456789abcdefghi', 'a9tv40mll9kdu509eum'],
    [key256, 'digits', '', '0123456789', '6657667009'],
    [key256, 'digits', '9876543210', '0123456789', '1001623463'],
    [key256, 'lower-alphanumeric', '7777pqrs777', '0123456789abcdefghi', 'xs8a0azh2avyalyzuwd'],
  ] as const)(
    'reproduces a NIST sample through the wrapper (%#)',
    (key, alphabet, tweak, plaintext, ciphertext) => {
      const cipher = createFpeCipher(key, alphabet, tweak, '/f');
      expect(cipher.encrypt(plaintext)).toBe(ciphertext);
      expect(cipher.decrypt(ciphertext)).toBe(plaintext);
    },
  );

  it('keeps length and alphabet, round-trips, and changes with the tweak', () => {
    const cipher = createFpeCipher(key256, 'digits', '/card', '/card');
    const other = createFpeCipher(key256, 'digits', '/account', '/account');
    fc.assert(
      fc.property(fc.stringMatching(/^[0-9]{6,19}$/), (value) => {
        const out = cipher.encrypt(value);
        expect(out).toMatch(new RegExp(`^[0-9]{${value.length}}$`));
        expect(cipher.decrypt(out)).toBe(value);
      }),
      { numRuns: 50 },
    );
    expect(cipher.encrypt('4111111111111111')).not.toBe(other.encrypt('4111111111111111'));
  });

  it('refuses domains under one million and characters outside the alphabet', () => {
    const cipher = createFpeCipher(key256, 'digits', '', '/pin');
    const codeOf = (value: string) => {
      try {
        cipher.encrypt(value);
        return undefined;
      } catch (error) {
        return (error as AnonymizationError).code;
      }
    };
    expect(codeOf('12345')).toBe('FPE_DOMAIN_TOO_SMALL');
    expect(codeOf('123456')).toBeUndefined();
    expect(codeOf('12345a')).toBe('OPERATOR_INPUT_INVALID');
    // 36^4 = 1,679,616 ≥ 10^6, 36^3 is not.
    expect(() => createFpeCipher(key256, 'lower-alphanumeric', '', '/x').encrypt('abcd')).not.toThrow();
    expect(() => createFpeCipher(key256, 'lower-alphanumeric', '', '/x').encrypt('abc')).toThrow(
      AnonymizationError,
    );
  });
});
