import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { compileQualityRules, qualityRulesSchema } from '../../src/quality';

const schemasDir = join(__dirname, '..', '..', '..', 'schemas');
const examplesDir = join(schemasDir, 'examples', 'quality-rules');

function examples(kind: 'valid' | 'invalid'): [string, unknown][] {
  const dir = join(examplesDir, kind);
  return readdirSync(dir)
    .filter((file) => file.endsWith('.json'))
    .map((file) => [file, JSON.parse(readFileSync(join(dir, file), 'utf8')) as unknown]);
}

describe('quality-rule vocabulary schema', () => {
  it('the published schemas/quality-rules.schema.json is the schema the SDK enforces', () => {
    const published: unknown = JSON.parse(
      readFileSync(join(schemasDir, 'quality-rules.schema.json'), 'utf8'),
    );
    expect(published).toEqual(JSON.parse(JSON.stringify(qualityRulesSchema)));
  });

  it('has examples of both kinds', () => {
    expect(examples('valid').length).toBeGreaterThanOrEqual(2);
    expect(examples('invalid').length).toBeGreaterThanOrEqual(6);
  });

  it.each(examples('valid'))('accepts and compiles valid/%s', (_file, rules) => {
    expect(compileQualityRules(rules)).toMatchObject({ ok: true });
  });

  it.each(examples('invalid'))('refuses invalid/%s with QUALITY_RULE_INVALID', (_file, rules) => {
    const result = compileQualityRules(rules);
    expect(result.ok).toBe(false);
    if (!result.ok) {
      expect(result.issues.length).toBeGreaterThan(0);
      expect(
        result.issues.every(
          (issue) => issue.code === 'QUALITY_RULE_INVALID' && issue.path.startsWith('/quality'),
        ),
      ).toBe(true);
    }
  });

  it('refuses duplicate rule names and reports compile errors per rule', () => {
    const result = compileQualityRules([
      { name: 'a', kind: 'required', path: '/x' },
      { name: 'a', kind: 'pattern', path: '/y', pattern: '(?=z)' },
    ]);
    expect(result.ok ? [] : result.issues.map((issue) => [issue.path, issue.code])).toEqual([
      ['/quality/1/name', 'QUALITY_RULE_DUPLICATE'],
      ['/quality/1', 'QUALITY_PATTERN_INVALID'],
    ]);
  });
});
