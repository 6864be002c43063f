import { diffQualityRules, type QualityRule } from '../../src/quality';

const range: QualityRule = { name: 'total', kind: 'range', path: '/total', min: 0, max: 100 };

function only(oldRules: QualityRule[], newRules: QualityRule[]) {
  const { changes } = diffQualityRules(oldRules, newRules);
  return changes.map((change) => [change.type, change.breaking]);
}

describe('diffQualityRules', () => {
  it('reports nothing for identical rules, descriptions aside', () => {
    expect(diffQualityRules([range], [{ ...range, description: 'new words' }])).toEqual({
      compatible: true,
      changes: [],
    });
  });

  it('describes a breaking change with path, rule, sentence and fix', () => {
    const diff = diffQualityRules([range], [{ ...range, max: 50 }]);
    expect(diff.compatible).toBe(false);
    expect(diff.changes).toEqual([
      {
        type: 'QUALITY_RULE_TIGHTENED',
        breaking: true,
        effect: 'tightened',
        path: '/total',
        rule: 'total',
        message: 'Rule "total" narrows the allowed range: previously valid payloads may fail.',
        suggestion: expect.stringContaining('warning first'),
      },
    ]);
  });

  it.each([
    ['max lowered', { max: 50 }, 'QUALITY_RULE_TIGHTENED', true],
    ['min raised', { min: 1 }, 'QUALITY_RULE_TIGHTENED', true],
    ['min made exclusive', { exclusiveMin: true }, 'QUALITY_RULE_TIGHTENED', true],
    ['max raised', { max: 500 }, 'QUALITY_RULE_LOOSENED', false],
    ['max removed', { max: undefined }, 'QUALITY_RULE_LOOSENED', false],
  ])('range: %s', (_label, patch, type, breaking) => {
    expect(only([range], [{ ...range, ...patch }])).toEqual([[type, breaking]]);
  });

  it('treats a range narrowed at one end and widened at the other as tightened', () => {
    expect(only([range], [{ ...range, min: 10, max: 1000 }])).toEqual([['QUALITY_RULE_TIGHTENED', true]]);
  });

  it('allowed values: removal tightens, addition loosens', () => {
    const values: QualityRule = { name: 'ch', kind: 'allowedValues', path: '/ch', values: ['a', 'b'] };
    expect(only([values], [{ ...values, values: ['a'] }])).toEqual([['QUALITY_RULE_TIGHTENED', true]]);
    expect(only([values], [{ ...values, values: ['a', 'b', 'c'] }])).toEqual([
      ['QUALITY_RULE_LOOSENED', false],
    ]);
  });

  it('new rules break only at error severity; removed rules loosen', () => {
    const pattern: QualityRule = { name: 'p', kind: 'pattern', path: '/s', pattern: '^a' };
    expect(only([], [pattern])).toEqual([['QUALITY_RULE_ADDED', true]]);
    expect(only([], [{ ...pattern, severity: 'warning' }])).toEqual([['QUALITY_RULE_ADDED', false]]);
    expect(only([pattern], [])).toEqual([['QUALITY_RULE_REMOVED', false]]);
  });

  it('a changed pattern, CEL text or condition counts as tightened', () => {
    const pattern: QualityRule = { name: 'p', kind: 'pattern', path: '/s', pattern: '^a' };
    expect(only([pattern], [{ ...pattern, pattern: '^a.*' }])).toEqual([['QUALITY_RULE_TIGHTENED', true]]);
    const cel: QualityRule = { name: 'c', kind: 'cel', expression: 'message.a > 1' };
    expect(only([cel], [{ ...cel, expression: 'message.a > 0' }])).toEqual([
      ['QUALITY_RULE_TIGHTENED', true],
    ]);
    const conditional: QualityRule = {
      name: 'k',
      kind: 'conditional',
      when: { kind: 'required', path: '/a' },
      then: [{ kind: 'required', path: '/b' }],
    };
    const changed = { ...conditional, then: [{ kind: 'required', path: '/c' }] } as QualityRule;
    expect(only([conditional], [changed])).toEqual([['QUALITY_RULE_TIGHTENED', true]]);
  });

  it('severity: warning promoted to error breaks, error demoted to warning loosens', () => {
    const warning: QualityRule = { ...range, severity: 'warning' };
    expect(only([warning], [range])).toEqual([['QUALITY_RULE_TIGHTENED', true]]);
    expect(only([range], [warning])).toEqual([['QUALITY_RULE_LOOSENED', false]]);
  });

  it('a tightened warning rule is reported but not breaking', () => {
    const warning: QualityRule = { ...range, severity: 'warning' };
    expect(only([warning], [{ ...warning, max: 1 }])).toEqual([['QUALITY_RULE_TIGHTENED', false]]);
  });

  it('timestamps: shorter freshness and later lower bound tighten', () => {
    const fresh: QualityRule = {
      name: 'f',
      kind: 'timestamp',
      path: '/at',
      maxAge: 'P2D',
      notBefore: '2020-01-01',
    };
    expect(only([fresh], [{ ...fresh, maxAge: 'PT36H' }])).toEqual([['QUALITY_RULE_TIGHTENED', true]]);
    expect(only([fresh], [{ ...fresh, maxAge: 'P1W' }])).toEqual([['QUALITY_RULE_LOOSENED', false]]);
    expect(only([fresh], [{ ...fresh, notBefore: '2021-01-01' }])).toEqual([
      ['QUALITY_RULE_TIGHTENED', true],
    ]);
  });

  it('compare operators and unique keys', () => {
    const compare: QualityRule = { name: 'c', kind: 'compare', path: '/a', operator: '>', other: '/b' };
    expect(only([compare], [{ ...compare, operator: '>=' }])).toEqual([['QUALITY_RULE_LOOSENED', false]]);
    expect(only([compare], [{ ...compare, operator: '<' }])).toEqual([['QUALITY_RULE_TIGHTENED', true]]);
    const unique: QualityRule = { name: 'u', kind: 'unique', path: '/items', keys: ['/sku', '/size'] };
    expect(only([unique], [{ ...unique, keys: ['/sku'] }])).toEqual([['QUALITY_RULE_TIGHTENED', true]]);
    expect(only([unique], [{ ...unique, keys: ['/sku', '/size', '/colour'] }])).toEqual([
      ['QUALITY_RULE_LOOSENED', false],
    ]);
  });

  it('moving a rule to another path or kind is tightened', () => {
    expect(only([range], [{ ...range, path: '/subtotal' }])).toEqual([['QUALITY_RULE_TIGHTENED', true]]);
    expect(only([range], [{ name: 'total', kind: 'required', path: '/total' }])).toEqual([
      ['QUALITY_RULE_TIGHTENED', true],
    ]);
  });
});
