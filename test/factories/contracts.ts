/** Builders for contract documents in tests: a closed object schema by default, overridable. */
export interface ContractOverrides {
  schema?: unknown;
  quality?: unknown[];
  policy?: Record<string, unknown>;
  metadata?: Record<string, unknown>;
}

export const closedObject = (
  properties: Record<string, unknown>,
  required: string[] = [],
): Record<string, unknown> => ({
  type: 'object',
  properties,
  required,
  additionalProperties: false,
});

export function contractDocument(overrides: ContractOverrides = {}): Record<string, unknown> {
  return {
    apiVersion: 'charter/v1',
    kind: 'DataContract',
    metadata: { owner: 'team-payments', ...overrides.metadata },
    schema: overrides.schema ?? closedObject({ id: { type: 'string', maxLength: 64 } }, ['id']),
    ...(overrides.quality ? { quality: overrides.quality } : {}),
    ...(overrides.policy ? { policy: overrides.policy } : {}),
  };
}

export const contractText = (overrides: ContractOverrides = {}): string =>
  JSON.stringify(contractDocument(overrides), null, 2);
