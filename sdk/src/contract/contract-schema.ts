/**
 * JSON Schema of the contract document producers submit, one per version. The file
 * `schemas/contract.schema.json` is written from this object (`npm run schemas:generate`) and a test
 * keeps the two equal. The payload schema, quality rules and policy members are checked in depth
 * by their own kernels; this schema fixes the envelope.
 */
export const contractDocumentSchema = {
  $schema: 'https://json-schema.org/draft/2020-12/schema',
  $id: 'https://charter.dev/schemas/contract.schema.json',
  title: 'Charter data contract',
  description: 'One version of the contract of a data product.',
  type: 'object',
  required: ['apiVersion', 'kind', 'schema'],
  additionalProperties: false,
  properties: {
    apiVersion: { const: 'charter/v1' },
    kind: { const: 'DataContract' },
    metadata: {
      type: 'object',
      additionalProperties: false,
      properties: {
        owner: { type: 'string', minLength: 1, maxLength: 200, description: 'The owning team.' },
        description: { type: 'string', maxLength: 10000 },
        links: {
          type: 'array',
          maxItems: 50,
          items: {
            type: 'object',
            required: ['url'],
            additionalProperties: false,
            properties: {
              title: { type: 'string', maxLength: 200 },
              url: { type: 'string', maxLength: 2000, pattern: '^https?://' },
            },
          },
        },
        sla: {
          type: 'object',
          additionalProperties: false,
          properties: {
            freshness: { type: 'string', maxLength: 100, description: 'ISO 8601 duration, e.g. PT1H.' },
            availability: { type: 'string', maxLength: 100 },
            retention: { type: 'string', maxLength: 100 },
            notes: { type: 'string', maxLength: 2000 },
          },
        },
      },
    },
    schema: {
      type: ['object', 'boolean'],
      description:
        'JSON Schema of the payload (draft-04 to 2020-12 by $schema; 2020-12 when absent). Fields carry ' +
        '"x-charter": { "classification": "public|internal|confidential|restricted", "tags": ["pii:email"] }.',
    },
    quality: {
      type: 'array',
      maxItems: 200,
      description: 'Quality rules; see quality-rules.schema.json.',
      items: { type: 'object' },
    },
    policy: {
      type: 'object',
      description: 'Access and anonymization policy; see policy.schema.json.',
    },
  },
} as const;
