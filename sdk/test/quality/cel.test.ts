import { compileQualityRules, type QualityRule } from '../../src/quality';
import { failures, issuesFor } from './helpers';

function compileIssue(expression: string) {
  const result = compileQualityRules([{ name: 'c', kind: 'cel', expression }]);
  if (result.ok) throw new Error('expected a compile failure');
  return result.issues[0];
}

const order = {
  status: 'SHIPPED',
  total: 12.5,
  ordered_at: '2024-01-01T10:00:00Z',
  shipped_at: '2024-01-02T10:00:00Z',
  items: [
    { sku: 'A', quantity: 2 },
    { sku: 'B', quantity: 1 },
  ],
};

describe('CEL rules', () => {
  it.each([
    ['message.total > 0.0', true],
    ['message.total > 100', false],
    ["message.status == 'SHIPPED' ? has(message.shipped_at) : true", true],
    ['message.items.all(i, i.quantity > 0)', true],
    ['message.items.exists(i, i.quantity > 1)', true],
    ['message.items.size() > 2', false],
    ['timestamp(message.shipped_at) >= timestamp(message.ordered_at)', true],
    ["message.items.map(i, i.sku).exists(s, s == 'C')", false],
  ])('%s → passes: %p', (expression, passes) => {
    expect(failures([{ name: 'c', kind: 'cel', expression }], order)).toEqual(
      passes ? [] : [['', 'QUALITY_CEL']],
    );
  });

  it('reports at the rule path with the rule name and severity', () => {
    const rule: QualityRule = {
      name: 'positive',
      kind: 'cel',
      expression: 'message.total < 0.0',
      path: '/total',
      severity: 'warning',
    };
    expect(issuesFor([rule], order)).toEqual([
      {
        path: '/total',
        code: 'QUALITY_CEL',
        rule: 'positive',
        message: 'CEL rule evaluated to false',
        severity: 'warning',
      },
    ]);
  });

  it('maps evaluation errors to CEL_RUNTIME and CEL_TYPE', () => {
    expect(failures([{ name: 'm', kind: 'cel', expression: 'message.missing > 1' }], order)).toEqual([
      ['', 'CEL_RUNTIME'],
    ]);
    expect(failures([{ name: 'i', kind: 'cel', expression: 'int(message.status) > 1' }], order)).toEqual([
      ['', 'CEL_RUNTIME'],
    ]);
    expect(failures([{ name: 't', kind: 'cel', expression: 'message.status + 1 > 0' }], order)).toEqual([
      ['', 'CEL_TYPE'],
    ]);
    expect(failures([{ name: 'b', kind: 'cel', expression: 'message.total' }], order)).toEqual([
      ['', 'CEL_TYPE'],
    ]);
  });

  it('refuses syntax errors, static type errors and non-bool expressions at compile time', () => {
    expect(compileIssue('message.total >')).toMatchObject({
      code: 'CEL_SYNTAX',
      path: '/quality/0',
      rule: 'c',
    });
    expect(compileIssue('message.total > )')).toMatchObject({ code: 'CEL_SYNTAX' });
    expect(compileIssue('1 + "a" == 2')).toMatchObject({ code: 'CEL_TYPE' });
    expect(compileIssue('1 + 2')).toMatchObject({
      code: 'CEL_TYPE',
      message: expect.stringContaining('int'),
    });
    expect(compileIssue('payload.total > 0')).toMatchObject({ code: 'CEL_TYPE' });
    expect(compileIssue('message.unknownFunction()')).toMatchObject({ code: 'CEL_TYPE' });
  });

  it('refuses matches() because cel-js runs it on the backtracking RegExp engine', () => {
    expect(compileIssue("message.status.matches('^(a+)+$')")).toMatchObject({ code: 'CEL_UNSUPPORTED' });
    expect(compileIssue("matches(message.status, 'x') || true")).toMatchObject({ code: 'CEL_UNSUPPORTED' });
  });

  it('treats code in expressions as plain, non-executable CEL', () => {
    expect(compileIssue('process.exit(1)')).toMatchObject({ code: 'CEL_TYPE' });
    expect(compileIssue("message.constructor.constructor('return 1')()")).toMatchObject({
      code: 'CEL_SYNTAX',
    });
    expect(failures([{ name: 'p', kind: 'cel', expression: 'has(message.constructor)' }], {})).toEqual([
      ['', 'QUALITY_CEL'],
    ]);
  });

  it('refuses expressions beyond the structural limits', () => {
    const deep = `${'('.repeat(200)}true${')'.repeat(200)}`;
    expect(compileIssue(deep)).toMatchObject({ code: 'CEL_SYNTAX' });
  });
});
