import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { contractDocumentSchema } from '../../src/contract/contract-schema';
import { prepareContract } from '../../src/contract/prepare-contract';

const schemas = join(__dirname, '..', '..', '..', 'schemas');
const examples = join(schemas, 'examples', 'contract');
const file = join(schemas, 'contract.schema.json');

describe('schemas/contract.schema.json and its examples', () => {
  it('is the schema the SDK checks documents with (UPDATE_SCHEMAS=1 rewrites it)', () => {
    if (process.env.UPDATE_SCHEMAS === '1')
      writeFileSync(file, `${JSON.stringify(contractDocumentSchema, null, 2)}\n`);
    expect(JSON.parse(readFileSync(file, 'utf8'))).toEqual(contractDocumentSchema);
  });

  it.each(readdirSync(join(examples, 'valid')))('accepts valid/%s', (name) => {
    const result = prepareContract(readFileSync(join(examples, 'valid', name), 'utf8'));
    expect(result).toMatchObject({ ok: true });
  });

  it.each(readdirSync(join(examples, 'invalid')))(
    'refuses invalid/%s with the code its name starts with',
    (name) => {
      const result = prepareContract(readFileSync(join(examples, 'invalid', name), 'utf8'));
      expect(result.ok).toBe(false);
      const codes = result.ok ? [] : result.issues.map((issue) => issue.code);
      expect(codes).toContain(name.split('.')[0]);
    },
  );
});
