import {
  buildSchema,
  execute,
  parse,
  type ExecutionResult,
  type GraphQLError,
  type GraphQLFieldResolver,
} from 'graphql';
import { compileQuery, isCompiledQuery } from 'graphql-jit';
import pino from 'pino';
import { DomainError } from '../../src/common/errors/error-codes';
import { formatGraphqlErrors } from '../../src/graphql/error-formatter';

const schema = buildSchema(`
  type Query {
    nullInNonNull: String!
    refused: String
    twice(n: Int!): Int
  }
`);
// Resolvers on the fields themselves: graphql-jit, unlike graphql-js, calls no functions of the root value.
const resolvers: Record<string, GraphQLFieldResolver<unknown, unknown>> = {
  nullInNonNull: () => null,
  refused: () => {
    throw new DomainError('NOT_FOUND', 'no such product');
  },
  twice: (_root, { n }) => (n as number) * 2,
};
for (const field of Object.values(schema.getQueryType()?.getFields() ?? {}))
  field.resolve = resolvers[field.name];
const silent = pino({ level: 'silent' });

/** One document through graphql-js and through graphql-jit, both real, with the same inputs. */
async function onBothEngines(
  query: string,
  variables: Record<string, unknown> = {},
): Promise<{ js: ExecutionResult; jit: ExecutionResult }> {
  const document = parse(query);
  const js = await execute({ schema, document, variableValues: variables });
  const compiled = compileQuery(schema, document);
  if (!isCompiledQuery(compiled)) throw new Error('graphql-jit did not compile the document');
  const jit = await compiled.query(undefined, {}, variables);
  return { js, jit };
}

const codes = (result: ExecutionResult): unknown[] =>
  formatGraphqlErrors((result.errors ?? []) as GraphQLError[], silent).map((e) => e.extensions.code);

describe('the GraphQL error formatter, for graphql-js and graphql-jit results alike', () => {
  it("calls graphql-jit's variable coercion errors (no extensions of their own) INVALID_INPUT", async () => {
    const { js, jit } = await onBothEngines('query($n: Int!) { twice(n: $n) }', { n: 'two' });
    expect(jit.errors?.[0]?.extensions).toBeUndefined();
    expect(codes(js)).toEqual(['INVALID_INPUT']);
    expect(codes(jit)).toEqual(['INVALID_INPUT']);
  });

  it("calls a null in a non-null field INTERNAL on both engines, not the caller's input", async () => {
    const { js, jit } = await onBothEngines('{ nullInNonNull }');
    // graphql-jit raises it with no cause, where graphql-js wraps an Error
    expect(jit.errors?.[0]?.originalError).toBeUndefined();
    expect(codes(js)).toEqual(['INTERNAL']);
    expect(codes(jit)).toEqual(['INTERNAL']);
  });

  it("keeps a resolver's domain error code and path on both engines", async () => {
    const { js, jit } = await onBothEngines('{ refused }');
    const formatted = [js, jit].map((r) => formatGraphqlErrors((r.errors ?? []) as GraphQLError[], silent));
    for (const errors of formatted)
      expect(errors).toEqual([
        {
          message: 'no such product',
          locations: [{ line: 1, column: 3 }],
          path: ['refused'],
          extensions: { code: 'NOT_FOUND' },
        },
      ]);
  });
});
