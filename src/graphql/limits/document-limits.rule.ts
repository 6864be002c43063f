import { GraphQLError, type ValidationRule } from 'graphql';
import { type GraphqlLimits } from '../../config/app-config';
import { type Measures, measureOperations } from './document-measures';

/** Room for a client's standard introspection query (its type references nest nine deep). */
export const MAX_INTROSPECTION_DEPTH = 15;

/** The `extensions.details[].code` of each limit; the top-level code stays INVALID_INPUT. */
export const LIMIT_CODES = {
  depth: 'MAX_DEPTH',
  introspectionDepth: 'MAX_DEPTH',
  aliases: 'MAX_ALIASES',
  directives: 'MAX_DIRECTIVES',
  cost: 'MAX_COST',
  tokens: 'MAX_TOKENS',
  batch: 'BATCHING_DISABLED',
} as const;

export type LimitCode = (typeof LIMIT_CODES)[keyof typeof LIMIT_CODES];

/** The extension key the error formatter reads to name the limit in `details`. */
export const LIMIT_EXTENSION = 'limit';

type Measured = keyof Measures;

function capsOf(limits: GraphqlLimits): Record<Measured, number> {
  return {
    depth: limits.maxDepth,
    introspectionDepth: MAX_INTROSPECTION_DEPTH,
    aliases: limits.maxAliases,
    directives: limits.maxDirectives,
    cost: limits.maxCost,
  };
}

const WHAT: Record<Measured, string> = {
  depth: 'depth',
  introspectionDepth: 'introspection depth',
  aliases: 'aliases',
  directives: 'directives',
  cost: 'cost',
};

/**
 * A validation rule, so a document over any cap is refused with the other validation errors,
 * before execution starts. Counts go through named and inline fragments.
 */
export function documentLimitsRule(limits: GraphqlLimits): ValidationRule {
  const caps = capsOf(limits);
  return (context) => ({
    Document(document) {
      for (const { operation, measures } of measureOperations(document)) {
        for (const key of Object.keys(caps) as Measured[]) {
          if (measures[key] <= caps[key]) continue;
          context.reportError(
            new GraphQLError(`the operation exceeds the limit on ${WHAT[key]} (${caps[key]})`, {
              nodes: [operation],
              extensions: { [LIMIT_EXTENSION]: LIMIT_CODES[key] },
            }),
          );
        }
      }
      return false;
    },
  });
}
