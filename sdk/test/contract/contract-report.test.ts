import { checkContractChange } from '../../src/contract/contract-report';
import { type DataContract } from '../../src/validation';

const schema = {
  type: 'object',
  properties: {
    amount: { type: 'number' },
    email: { type: 'string', maxLength: 100, 'x-charter': { tags: ['pii:email'] } },
  },
  additionalProperties: false,
};
const contract = (overrides: Partial<DataContract> = {}): DataContract => ({
  apiVersion: 'charter/v1',
  kind: 'DataContract',
  schema,
  ...overrides,
});
const range = (max: number) => [{ name: 'amount-range', kind: 'range', path: '/amount', max }] as never;

describe('checkContractChange', () => {
  it('is compatible for an identical contract', () => {
    const report = checkContractChange({
      mode: 'BACKWARD',
      policy: 'STRICT',
      history: [contract()],
      proposed: contract(),
    });
    expect(report).toMatchObject({ verdict: 'compatible', needsApproval: false, changes: [] });
  });

  it('breaks BACKWARD when a quality rule is tightened, and FORWARD when it is loosened', () => {
    const wide = contract({ quality: range(100) });
    const narrow = contract({ quality: range(10) });
    const tightened = checkContractChange({
      mode: 'BACKWARD',
      policy: 'STRICT',
      history: [wide],
      proposed: narrow,
    });
    expect(tightened.verdict).toBe('incompatible');
    expect(tightened.changes).toEqual([
      expect.objectContaining({ category: 'quality', breaking: true, breaks: ['backward'], against: 0 }),
    ]);

    const loosened = checkContractChange({
      mode: 'BACKWARD',
      policy: 'STRICT',
      history: [narrow],
      proposed: wide,
    });
    expect(loosened.verdict).toBe('compatible');
    expect(
      checkContractChange({ mode: 'FORWARD', policy: 'STRICT', history: [narrow], proposed: wide }).verdict,
    ).toBe('incompatible');
    expect(
      checkContractChange({ mode: 'NONE', policy: 'STRICT', history: [wide], proposed: narrow }).verdict,
    ).toBe('compatible');
  });

  it('checks quality rules against every version under a transitive mode', () => {
    const report = checkContractChange({
      mode: 'BACKWARD_TRANSITIVE',
      policy: 'STRICT',
      history: [contract({ quality: range(100) }), contract({ quality: range(5) })],
      proposed: contract({ quality: range(10) }),
    });
    expect(report.verdict).toBe('incompatible');
    expect(report.changes.filter((c) => c.breaking).map((c) => c.against)).toEqual([0]);
  });

  it('flags a PII tag removed as a governance change needing approval, without breaking', () => {
    const untagged = {
      ...schema,
      properties: { ...schema.properties, email: { type: 'string', maxLength: 100 } },
    };
    const report = checkContractChange({
      mode: 'BACKWARD',
      policy: 'STRICT',
      history: [contract()],
      proposed: contract({ schema: untagged }),
    });
    expect(report.verdict).toBe('compatible');
    expect(report.needsApproval).toBe(true);
    expect(report.changes).toEqual(
      expect.arrayContaining([
        expect.objectContaining({
          category: 'governance',
          type: 'PII_TAG_REMOVED',
          breaking: false,
          instancePath: '/email',
        }),
        expect.objectContaining({ category: 'governance', type: 'ANONYMIZATION_WEAKENED', breaking: false }),
      ]),
    );
    expect(report.changes.every((c) => c.category === 'governance')).toBe(true);
  });

  it('flags a schema that accepts nothing', () => {
    const report = checkContractChange({
      mode: 'NONE',
      policy: 'STRICT',
      history: [],
      proposed: contract({ schema: false }),
    });
    expect(report.changes.map((c) => c.type)).toEqual(['SCHEMA_ACCEPTS_NOTHING']);
  });
});
