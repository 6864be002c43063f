import {
  AnonymizationError,
  type ContractDocument,
  type FieldPlan,
  resolveFieldPolicy,
} from '../../src/anonymization';
import { customerContract } from './fixtures';

const decisionOf = (plan: FieldPlan, path: string): string => {
  const field = plan.fields.find((candidate) => candidate.path === path);
  if (field === undefined) throw new Error(`no planned field ${path}`);
  return field.decision === 'clear'
    ? `clear by ${field.rule}`
    : `${field.decision.operator} by ${field.rule}`;
};

describe('resolveFieldPolicy', () => {
  const anonymous = resolveFieldPolicy(customerContract, { roles: [] });

  it('walks nested objects, array items, $ref definitions and oneOf branches (P-12)', () => {
    const paths = anonymous.fields.map((field) => field.path);
    expect(paths).toEqual(
      expect.arrayContaining([
        '/home/street',
        '/home/postcode',
        '/contacts/*/email',
        '/contacts/*/phone',
        '/payment/iban',
        '/payment/card',
      ]),
    );
    expect(decisionOf(anonymous, '/home/postcode')).toBe('generalize by tags[pii:postcode]');
    expect(decisionOf(anonymous, '/payment/iban')).toBe('encrypt by tags[pii:iban]');
  });

  it('fails closed: a pii tag or a confidential/restricted field without a rule is redacted', () => {
    expect(decisionOf(anonymous, '/name')).toBe('redact by default:pii');
    expect(decisionOf(anonymous, '/payment/card')).toBe('redact by default:pii');
    expect(decisionOf(anonymous, '/notes')).toBe('redact by default:classification');
    expect(decisionOf(anonymous, '/country')).toBe('clear by default:declared');
  });

  it('lets a per-field override beat the tag rule, and records which rule decided', () => {
    expect(decisionOf(anonymous, '/contacts/*/email')).toBe('mask by fields[/contacts/*/email]');
    expect(decisionOf(anonymous, '/email')).toBe('pseudonymize by tags[pii:email]');
  });

  it('gives clear access only to the granted role or consumer', () => {
    const support = resolveFieldPolicy(customerContract, { roles: ['support'] });
    expect(decisionOf(support, '/email')).toBe('clear by access[0]');
    expect(decisionOf(support, '/contacts/*/phone')).toBe('clear by access[0]');
    expect(decisionOf(support, '/contacts/*/email')).toBe('mask by fields[/contacts/*/email]');
    const billing = resolveFieldPolicy(customerContract, { roles: [], consumer: 'billing' });
    expect(decisionOf(billing, '/payment/iban')).toBe('clear by access[1]');
    expect(decisionOf(billing, '/email')).toBe('pseudonymize by tags[pii:email]');
    expect(billing.undeclared.clearGrants).toEqual(['/payment/**']);
    expect(anonymous.undeclared).toEqual({ treatment: 'drop', clearGrants: [] });
  });

  it('inherits tags and classification from containers and redacts a tagged object whole', () => {
    const contract: ContractDocument = {
      schema: {
        type: 'object',
        properties: {
          profile: {
            type: 'object',
            'x-charter': { classification: 'restricted' },
            properties: { nickname: { type: 'string' }, shoeSize: { type: 'integer' } },
          },
          address: {
            type: 'object',
            'x-charter': { tags: ['pii:address'] },
            properties: { city: { type: 'string' } },
          },
        },
      },
      policy: {
        classifications: { restricted: { operator: 'mask', keepFirst: 1 } },
        access: [{ role: 'hr', fields: ['/address/city'] }],
      },
    };
    const plan = resolveFieldPolicy(contract, { roles: [] });
    expect(decisionOf(plan, '/profile/nickname')).toBe('mask by classifications[restricted]');
    expect(plan.fields.find((field) => field.path === '/profile')?.whole).toBe(false);
    expect(decisionOf(plan, '/address')).toBe('redact by default:pii');
    expect(plan.fields.find((field) => field.path === '/address')?.whole).toBe(true);
    // A grant on a member makes the whole-value rule on its container walk in instead.
    const hr = resolveFieldPolicy(contract, { roles: ['hr'] });
    expect(hr.fields.find((field) => field.path === '/address')?.whole).toBe(false);
    expect(decisionOf(hr, '/address/city')).toBe('clear by access[0]');
  });

  it('bounds recursive schemas and ignores non-local references', () => {
    const contract: ContractDocument = {
      schema: {
        $ref: '#/$defs/node',
        $defs: {
          node: {
            type: 'object',
            properties: {
              label: { type: 'string' },
              child: { $ref: '#/$defs/node' },
              remote: { $ref: 'https://example.org/x.json' },
            },
          },
        },
      },
    };
    const plan = resolveFieldPolicy(contract, { roles: [] }, { maxDepth: 4 });
    const depths = plan.fields.map((field) => field.path.split('/').length - 1);
    expect(Math.max(...depths)).toBe(4);
    expect(plan.fields.find((field) => field.path === '/remote')?.kind).toBe('leaf');
  });

  it('refuses an invalid policy with a coded error', () => {
    const contract = {
      schema: {},
      policy: { tags: { 'pii:email': { operator: 'sha256' } } },
    } as unknown as ContractDocument;
    expect(() => resolveFieldPolicy(contract, { roles: [] })).toThrow(AnonymizationError);
    try {
      resolveFieldPolicy(contract, { roles: [] });
    } catch (error) {
      expect((error as AnonymizationError).code).toBe('POLICY_INVALID');
    }
  });

  it('is plain JSON, so the service can hand it to the SDK', () => {
    expect(JSON.parse(JSON.stringify(anonymous))).toEqual(anonymous);
  });
});
