import { currentDataKey } from '../keys/data-keys';
import { KeyError, type KeyProvider, type WrappedDataKey } from '../keys/key-provider';
import { AnonymizationError } from './errors';
import { pointerToken } from '../json-pointer';
import { compileGlob, globCovers, ITEMS, type PathGlob } from './field-path';
import { compileDecision, type LoadedKeys } from './operator-compiler';
import { type ApplyOperator, DROP } from './operators/drop';
import { cloneJson, defineMember } from './operators/clone-json';
import { type FieldPlan, type PlannedField } from './policy-types';

export interface AnonymizerContext {
  /** The data product the records belong to: part of every derived key and AAD. */
  readonly product: string;
  /** The product's wrapped data keys (from the database); needed when the plan encrypts. */
  readonly dataKeys?: readonly WrappedDataKey[];
}

/** Applies one plan to records. Synchronous: every key was fetched at compile time. */
export interface Anonymizer {
  (record: unknown): Record<string, unknown>;
  /** Master key version used by pseudonymize (unless pinned) and fpe outputs. */
  readonly masterKeyVersion: number;
  readonly dataKeyVersion: number | undefined;
}

interface PlanNode {
  readonly path: string;
  whole: boolean;
  apply: ApplyOperator;
  readonly children: Map<string, PlanNode>;
  items: PlanNode | undefined;
}

const MAX_DEPTH = 256;

/**
 * Compiles a field plan into a record function. The function returns a new object (the input is
 * never mutated), drops members the schema does not declare unless a clear grant covers them, and
 * throws a coded AnonymizationError for the whole record on any operator failure.
 */
export async function compileAnonymizer(
  plan: FieldPlan,
  keyProvider: KeyProvider,
  context: AnonymizerContext,
): Promise<Anonymizer> {
  const keys = await loadKeys(plan, keyProvider, context);
  const root = buildTree(plan.fields, keys);
  const grants = plan.undeclared.clearGrants.map(compileGlob);
  const walker = new RecordWalker(grants);
  const anonymize = (record: unknown): Record<string, unknown> => {
    if (record === null || typeof record !== 'object' || Array.isArray(record))
      throw new AnonymizationError('RECORD_NOT_OBJECT', 'a record is a JSON object');
    try {
      return walker.object(root, record as Record<string, unknown>, 0);
    } catch (error) {
      if (error instanceof AnonymizationError) throw error;
      throw new AnonymizationError('OPERATOR_FAILED', 'an operator failed');
    }
  };
  return Object.assign(anonymize, {
    masterKeyVersion: keys.currentMasterVersion,
    dataKeyVersion: keys.dataKey?.version,
  });
}

async function loadKeys(
  plan: FieldPlan,
  provider: KeyProvider,
  context: AnonymizerContext,
): Promise<LoadedKeys> {
  try {
    const currentMasterVersion = await provider.currentVersion();
    const versions = new Set<number>();
    let needsDataKey = false;
    for (const field of plan.fields) {
      if (field.decision === 'clear') continue;
      if (field.decision.operator === 'pseudonymize')
        versions.add(field.decision.keyVersion ?? currentMasterVersion);
      if (field.decision.operator === 'fpe') versions.add(currentMasterVersion);
      if (field.decision.operator === 'encrypt') needsDataKey = true;
    }
    const masterKeys = new Map<number, Uint8Array>();
    for (const version of versions) masterKeys.set(version, await provider.getMasterKey(version));
    if (!needsDataKey) return { product: context.product, currentMasterVersion, masterKeys };
    const wrapped = currentDataKey(context.dataKeys ?? [], context.product);
    const key = await provider.unwrapDataKey(wrapped);
    return {
      product: context.product,
      currentMasterVersion,
      masterKeys,
      dataKey: { key, version: wrapped.dataKeyVersion },
    };
  } catch (error) {
    if (error instanceof KeyError)
      throw new AnonymizationError('KEY_UNAVAILABLE', `key unavailable: ${error.code}`);
    throw error;
  }
}

function buildTree(fields: readonly PlannedField[], keys: LoadedKeys): PlanNode {
  const root = newNode('');
  for (const field of fields) {
    const node = nodeAt(root, field.path);
    node.whole = field.whole;
    node.apply = compileDecision(field.decision, field.path, keys, field.whole);
  }
  return root;
}

function newNode(path: string): PlanNode {
  // Until the plan says otherwise a node releases scalars and walks into containers.
  return { path, whole: false, apply: (value) => value, children: new Map(), items: undefined };
}

function nodeAt(root: PlanNode, path: string): PlanNode {
  let node = root;
  for (const segment of path.slice(1).split('/')) {
    if (segment === ITEMS) {
      node.items ??= newNode(`${node.path}/${ITEMS}`);
      node = node.items;
      continue;
    }
    const name = segment.replace(/~1/g, '/').replace(/~0/g, '~');
    let child = node.children.get(name);
    if (child === undefined) {
      child = newNode(`${node.path}/${segment}`);
      node.children.set(name, child);
    }
    node = child;
  }
  return node;
}

class RecordWalker {
  constructor(private readonly grants: readonly PathGlob[]) {}

  value(node: PlanNode, value: unknown, depth: number): unknown {
    if (node.whole || value === null || typeof value !== 'object') return node.apply(value);
    if (depth > MAX_DEPTH)
      throw new AnonymizationError('RECORD_TOO_DEEP', 'record nesting exceeds the limit', node.path);
    return Array.isArray(value)
      ? this.array(node, value, depth)
      : this.object(node, value as Record<string, unknown>, depth);
  }

  object(node: PlanNode, record: Record<string, unknown>, depth: number): Record<string, unknown> {
    const out: Record<string, unknown> = {};
    const children = node.children;
    const walkUndeclared = this.grants.length > 0;
    for (const key of Object.keys(record)) {
      const child = children.get(key);
      const member = record[key];
      let result: unknown;
      if (child === undefined) {
        // Undeclared content is dropped; the path is only built when a grant could release it.
        if (!walkUndeclared) continue;
        result = this.undeclared(`${node.path}/${pointerToken(key)}`, member);
      } else if (child.whole || member === null || typeof member !== 'object') {
        result = child.apply(member);
      } else {
        result = this.value(child, member, depth + 1);
      }
      if (result === DROP) continue;
      // Plain assignment except for a `__proto__` key from parsed JSON, which must stay a member.
      if (key === '__proto__') defineMember(out, key, result);
      else out[key] = result;
    }
    return out;
  }

  private array(node: PlanNode, items: readonly unknown[], depth: number): unknown[] {
    const out: unknown[] = [];
    const itemNode = node.items;
    for (const item of items) {
      const result =
        itemNode === undefined
          ? this.undeclared(`${node.path}/${ITEMS}`, item)
          : this.value(itemNode, item, depth + 1);
      if (result !== DROP) out.push(result);
    }
    return out;
  }

  /** Content the schema does not declare: released only under an explicit clear grant. */
  private undeclared(path: string, value: unknown): unknown {
    if (!this.grants.some((glob) => globCovers(glob, path))) return DROP;
    return cloneJson(value);
  }
}
