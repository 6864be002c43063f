import fc from 'fast-check';
import { canonicalJson } from '../../src/canonical/canonical-json';
import {
  canonicalEventTextAroundSeq,
  eventHashDomain,
  hashCanonicalEvent,
  hashEvent,
} from '../../src/audit/hash-chain';
import { eventBody } from './chain-fixtures';
import { createHash } from 'node:crypto';

const withoutSeq = (seq: number): Omit<ReturnType<typeof eventBody>, 'seq'> => {
  const { seq: _seq, ...rest } = eventBody(seq);
  return rest;
};

describe('canonicalEventTextAroundSeq', () => {
  it('puts any seq where the canonical text has it, for bodies with odd strings', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: Number.MAX_SAFE_INTEGER }),
        fc.string({ unit: 'binary', maxLength: 20 }),
        fc.string({ unit: 'binary', maxLength: 20 }),
        (seq, reason, product) => {
          const body = { ...withoutSeq(1), reason, resource: { type: 'Contract', product, seq: 5 } };
          const { before, after } = canonicalEventTextAroundSeq(body);
          expect(before + String(seq) + after).toBe(canonicalJson({ ...body, seq }));
        },
      ),
    );
  });

  it('gives the hash hashEvent gives when linked by hand from the domain bytes', () => {
    const body = { ...withoutSeq(1), reason: 'naïve “quotes” \u2028 😀' };
    const { before, after } = canonicalEventTextAroundSeq(body);
    const prev = 'ab'.repeat(32);
    const text = `${before}42${after}`;
    // what PostgreSQL computes: sha256(domain || decode(prev, 'hex') || convert_to(text, 'UTF8'))
    const byHand = createHash('sha256')
      .update(Buffer.concat([eventHashDomain(), Buffer.from(prev, 'hex'), Buffer.from(text, 'utf8')]))
      .digest('hex');
    expect(byHand).toBe(hashEvent(prev, { ...body, seq: 42 }));
    expect(hashCanonicalEvent(prev, text)).toBe(byHand);
  });

  it('refuses a body whose time is missing', () => {
    const { time: _time, ...noTime } = withoutSeq(1);
    expect(() => canonicalEventTextAroundSeq(noTime as never)).toThrow(TypeError);
  });

  it('hands out a copy of the domain bytes', () => {
    eventHashDomain().fill(0);
    expect(eventHashDomain().toString('latin1')).toBe('charter-audit-v1\n\x00');
  });
});
