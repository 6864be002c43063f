/**
 * The contract document the publish benches share: revision `revision` of product `product`, 24
 * properties with one `pii:email` tag. Here, in the kernel's benches, so that `bench:publish-kernel`
 * (which may not import the service) and the service's `bench:registry`, `bench:ab` and
 * `bench:audit` measure the same document.
 */
export function benchContract(product: number, revision: number): string {
  return JSON.stringify({
    apiVersion: 'charter/v1',
    kind: 'DataContract',
    metadata: { owner: 'team-bench' },
    schema: {
      type: 'object',
      additionalProperties: false,
      description: `product ${String(product)} revision ${String(revision)}`,
      required: ['id', 'amount'],
      properties: {
        id: { type: 'string', format: 'uuid' },
        amount: { type: 'number', minimum: 0 },
        currency: { enum: ['EUR', 'USD', 'GBP'] },
        email: { type: 'string', format: 'email', maxLength: 254, 'x-charter': { tags: ['pii:email'] } },
        ...Object.fromEntries(
          Array.from({ length: 20 }, (_, i) => [`field_${String(i)}`, { type: 'string', maxLength: 100 }]),
        ),
      },
    },
  });
}
