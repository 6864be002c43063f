import { type ContractDocument, diffPolicies, type PolicyDocument } from '../../src/anonymization';

const schema = (emailTags: string[], classification = 'confidential') => ({
  type: 'object',
  properties: {
    email: { type: 'string', 'x-charter': { classification, tags: emailTags } },
    phone: { type: 'string', 'x-charter': { tags: ['pii:phone'] } },
    city: { type: 'string' },
  },
});

const basePolicy: PolicyDocument = {
  tags: { 'pii:email': { operator: 'encrypt' }, 'pii:phone': { operator: 'mask', keepLast: 2 } },
  access: [{ role: 'support', fields: ['/phone'] }],
};

const contract = (
  policy: PolicyDocument,
  emailTags = ['pii:email'],
  classification = 'confidential',
): ContractDocument => ({
  schema: schema(emailTags, classification),
  policy,
});

const summary = (before: ContractDocument, after: ContractDocument) =>
  diffPolicies(before, after).map(
    (change) =>
      `${change.code} ${change.path}${change.principal === undefined ? '' : ` ${change.principal}`}`,
  );

describe('diffPolicies', () => {
  it('reports nothing when the policy is unchanged or only stronger', () => {
    expect(summary(contract(basePolicy), contract(basePolicy))).toEqual([]);
    const stronger: PolicyDocument = {
      ...basePolicy,
      tags: { ...basePolicy.tags, 'pii:phone': { operator: 'redact' } },
    };
    expect(summary(contract(basePolicy), contract(stronger))).toEqual([]);
  });

  it('flags a removed PII tag and a lowered classification', () => {
    const changes = summary(contract(basePolicy), contract(basePolicy, [], 'internal'));
    expect(changes).toEqual(
      expect.arrayContaining([
        'PII_TAG_REMOVED /email',
        'CLASSIFICATION_LOWERED /email',
        'ANONYMIZATION_WEAKENED /email',
      ]),
    );
  });

  it('flags a role or consumer gaining clear access, field by field and for the new glob', () => {
    const wider: PolicyDocument = {
      ...basePolicy,
      access: [
        { role: 'support', fields: ['/phone', '/email'] },
        { consumer: 'bi', fields: ['/**'] },
      ],
    };
    const changes = summary(contract(basePolicy), contract(wider));
    expect(changes).toEqual(
      expect.arrayContaining([
        'CLEAR_ACCESS_GRANTED /email role:support',
        'CLEAR_ACCESS_GRANTED /email consumer:bi',
        'CLEAR_ACCESS_GRANTED /phone consumer:bi',
        'CLEAR_ACCESS_GRANTED /** consumer:bi',
      ]),
    );
    expect(changes).not.toContain('CLEAR_ACCESS_GRANTED /phone role:support');
  });

  it('flags weakened operators, including keep and a wider mask, with a sentence that asks for approval', () => {
    const weaker: PolicyDocument = {
      tags: {
        'pii:email': { operator: 'keep', justification: 'needed by the newsletter team' },
        'pii:phone': { operator: 'mask', keepLast: 4 },
      },
      access: basePolicy.access,
    };
    const changes = diffPolicies(contract(basePolicy), contract(weaker));
    expect(changes.map((change) => `${change.code} ${change.path}`)).toEqual([
      'ANONYMIZATION_WEAKENED /email',
      'ANONYMIZATION_WEAKENED /phone',
    ]);
    expect(changes[0]?.message).toBe(
      'Every principal now reads /email in clear (was encrypt); needs approval by the owner or governance.',
    );
    expect(new Set(changes.map((change) => change.approval))).toEqual(new Set(['owner-or-governance']));
  });
});
