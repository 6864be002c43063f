import {
  getNamedType,
  isAbstractType,
  isEnumType,
  isInputObjectType,
  isLeafType,
  isNonNullType,
  isObjectType,
  type GraphQLArgument,
  type GraphQLField,
  type GraphQLInputType,
  type GraphQLNamedType,
  type GraphQLSchema,
} from 'graphql';

/** A literal for a required input, or null when none can be made up. */
function literalFor(type: GraphQLInputType): string | null {
  const named = getNamedType(type);
  if (isEnumType(named)) return named.getValues()[0]?.name ?? null;
  if (isInputObjectType(named)) {
    const members = Object.values(named.getFields())
      .filter((field) => isNonNullType(field.type))
      .map((field) => {
        const value = literalFor(field.type);
        return value === null ? null : `${field.name}: ${value}`;
      });
    return members.includes(null) ? null : `{ ${members.join(', ')} }`;
  }
  if (named.name === 'Int' || named.name === 'Float') return '1';
  if (named.name === 'Boolean') return 'true';
  return '"x"';
}

/** The field's required arguments as `(a: 1, b: "x")`, '' for none, null when one cannot be made. */
function argumentsOf(args: readonly GraphQLArgument[]): string | null {
  const required = args.filter((arg) => isNonNullType(arg.type) && arg.defaultValue === undefined);
  const written = required.map((arg) => {
    const value = literalFor(arg.type);
    return value === null ? null : `${arg.name}: ${value}`;
  });
  if (written.includes(null)) return null;
  return written.length === 0 ? '' : `(${written.join(', ')})`;
}

/** Everything selectable under `type` within `depth` more levels; null when nothing fits. */
function selectionOf(schema: GraphQLSchema, type: GraphQLNamedType, depth: number): string | null {
  if (isLeafType(type)) return '';
  if (depth === 0) return null;
  if (isAbstractType(type)) {
    const members = schema
      .getPossibleTypes(type)
      .map((member) => ({ member, selection: selectionOf(schema, member, depth) }))
      .filter(({ selection }) => selection)
      .map(({ member, selection }) => `... on ${member.name} ${String(selection)}`);
    return `{ __typename ${members.join(' ')} }`;
  }
  if (!isObjectType(type)) return null;
  const fields = Object.values(type.getFields())
    .map((field) => fieldText(schema, field, depth - 1))
    .filter((text): text is string => text !== null);
  return fields.length === 0 ? null : `{ ${fields.join(' ')} }`;
}

function fieldText(
  schema: GraphQLSchema,
  field: GraphQLField<unknown, unknown>,
  depth: number,
): string | null {
  const args = argumentsOf(field.args);
  const selection = selectionOf(schema, getNamedType(field.type), depth);
  if (args === null || selection === null) return null;
  return `${field.name}${args}${selection === '' ? '' : ` ${selection}`}`;
}

/**
 * The widest query document `accepts` lets through: every root query field with all it can
 * select, at the greatest depth from `maxDepth` down that passes.
 */
export function widestQuery(
  schema: GraphQLSchema,
  maxDepth: number,
  accepts: (text: string) => boolean,
): string {
  const root = schema.getQueryType();
  if (!root) throw new Error('the schema has no query type');
  for (let depth = maxDepth; depth > 0; depth -= 1) {
    const text = selectionOf(schema, root, depth);
    if (text && accepts(text)) return text;
  }
  throw new Error('no document of the root fields passes validation');
}
