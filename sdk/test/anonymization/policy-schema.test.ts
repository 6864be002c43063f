import Ajv2020 from 'ajv/dist/2020';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { validatePolicy } from '../../src/anonymization';

const root = join(__dirname, '../../../schemas');
const schema = JSON.parse(readFileSync(join(root, 'policy.schema.json'), 'utf8')) as object;
const validateWithSchema = new Ajv2020({ strict: false }).compile(schema);

const examples = (kind: 'valid' | 'invalid') =>
  readdirSync(join(root, 'examples/policy', kind)).map(
    (name) =>
      [name, JSON.parse(readFileSync(join(root, 'examples/policy', kind, name), 'utf8')) as unknown] as const,
  );

describe('policy.schema.json and validatePolicy agree on the examples', () => {
  it.each(examples('valid'))('accepts %s', (_name, policy) => {
    expect(validateWithSchema(policy)).toBe(true);
    expect(validatePolicy(policy)).toEqual({ ok: true, policy });
  });

  it.each(examples('invalid'))('refuses %s', (_name, policy) => {
    expect(validateWithSchema(policy)).toBe(false);
    const result = validatePolicy(policy);
    expect(result.ok).toBe(false);
  });

  it('refuses FPE on a field whose maxLength bounds the domain under one million, at policy save (P-06)', () => {
    const fieldSchema = {
      type: 'object',
      properties: { pin: { type: 'string', maxLength: 5 }, card: { type: 'string', maxLength: 16 } },
    };
    const tooSmall = validatePolicy(
      { fields: { '/pin': { operator: 'fpe', alphabet: 'digits' } } },
      fieldSchema,
    );
    expect(tooSmall.ok ? [] : tooSmall.issues.map((issue) => issue.code)).toEqual(['FPE_DOMAIN_TOO_SMALL']);
    expect(
      validatePolicy({ fields: { '/card': { operator: 'fpe', alphabet: 'digits' } } }, fieldSchema).ok,
    ).toBe(true);
    const missing = validatePolicy({ fields: { '/nope': { operator: 'redact' } } }, fieldSchema);
    expect(missing.ok ? [] : missing.issues.map((issue) => issue.code)).toEqual(['FIELD_NOT_DECLARED']);
  });
});
