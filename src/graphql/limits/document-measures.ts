import {
  type DocumentNode,
  type FieldNode,
  type FragmentDefinitionNode,
  Kind,
  type OperationDefinitionNode,
  type SelectionSetNode,
  type ValueNode,
} from 'graphql';
import { MAX_PAGE_SIZE } from '../../common/pagination';

/** What one operation costs, counted through every fragment it spreads. */
export interface Measures {
  /** Deepest field nesting outside introspection. */
  depth: number;
  /** Deepest nesting under `__schema` / `__type`, which has a cap of its own. */
  introspectionDepth: number;
  aliases: number;
  directives: number;
  /** One per field, times `first` on the fields that take it. */
  cost: number;
}

const ZERO: Measures = { depth: 0, introspectionDepth: 0, aliases: 0, directives: 0, cost: 0 };
const INTROSPECTION_ROOTS = new Set(['__schema', '__type']);

/** Siblings: the deepest one counts for depth, everything else adds up. */
function combine(a: Measures, b: Measures): Measures {
  return {
    depth: Math.max(a.depth, b.depth),
    introspectionDepth: Math.max(a.introspectionDepth, b.introspectionDepth),
    aliases: a.aliases + b.aliases,
    directives: a.directives + b.directives,
    cost: a.cost + b.cost,
  };
}

/** The page size a field asks for; a variable may ask for the largest page the API serves. */
function multiplierOf(field: FieldNode, defaults: ReadonlyMap<string, ValueNode>): number {
  const first = field.arguments?.find((argument) => argument.name.value === 'first')?.value;
  if (first === undefined) return 1;
  const value = first.kind === Kind.VARIABLE ? defaults.get(first.name.value) : first;
  if (value?.kind === Kind.INT) return Math.max(1, Number(value.value));
  return MAX_PAGE_SIZE;
}

/**
 * Measures documents with each fragment walked once (memoized), so 10,000 spreads of one
 * fragment cost 10,000 look-ups, not 10,000 walks. Cycles count as nothing here: the standard
 * NoFragmentCycles rule rejects them.
 */
class Measurer {
  private readonly memo = new Map<string, Measures>();
  private readonly visiting = new Set<string>();

  constructor(
    private readonly fragments: ReadonlyMap<string, FragmentDefinitionNode>,
    private readonly defaults: ReadonlyMap<string, ValueNode>,
  ) {}

  selections(set: SelectionSetNode | undefined): Measures {
    let total = ZERO;
    for (const selection of set?.selections ?? []) {
      const own = selection.directives?.length ?? 0;
      let measured: Measures;
      if (selection.kind === Kind.FIELD) measured = this.field(selection);
      else if (selection.kind === Kind.INLINE_FRAGMENT) measured = this.selections(selection.selectionSet);
      else measured = this.fragment(selection.name.value);
      total = combine(total, { ...measured, directives: measured.directives + own });
    }
    return total;
  }

  private field(field: FieldNode): Measures {
    const inner = this.selections(field.selectionSet);
    const aliases = inner.aliases + (field.alias ? 1 : 0);
    if (INTROSPECTION_ROOTS.has(field.name.value)) {
      const introspectionDepth = 1 + Math.max(inner.depth, inner.introspectionDepth);
      return { depth: 0, introspectionDepth, aliases, directives: inner.directives, cost: 1 + inner.cost };
    }
    const cost = field.name.value === '__typename' ? 0 : 1 + multiplierOf(field, this.defaults) * inner.cost;
    return { ...inner, depth: 1 + inner.depth, aliases, cost };
  }

  private fragment(name: string): Measures {
    const known = this.memo.get(name);
    if (known) return known;
    const definition = this.fragments.get(name);
    if (!definition || this.visiting.has(name)) return ZERO;
    this.visiting.add(name);
    const measured = this.selections(definition.selectionSet);
    this.visiting.delete(name);
    this.memo.set(name, measured);
    return measured;
  }
}

/** Every operation of the document with its measures. */
export function measureOperations(
  document: DocumentNode,
): { operation: OperationDefinitionNode; measures: Measures }[] {
  const fragments = new Map<string, FragmentDefinitionNode>();
  for (const definition of document.definitions) {
    if (definition.kind === Kind.FRAGMENT_DEFINITION) fragments.set(definition.name.value, definition);
  }
  return document.definitions
    .filter((definition) => definition.kind === Kind.OPERATION_DEFINITION)
    .map((operation) => {
      const defaults = new Map<string, ValueNode>();
      for (const variable of operation.variableDefinitions ?? []) {
        if (variable.defaultValue) defaults.set(variable.variable.name.value, variable.defaultValue);
      }
      const measured = new Measurer(fragments, defaults).selections(operation.selectionSet);
      const own = operation.directives?.length ?? 0;
      return { operation, measures: { ...measured, directives: measured.directives + own } };
    });
}
