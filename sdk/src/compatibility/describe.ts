/** Turns reader/writer facts into change records named from the old version to the new one. */
import type { Fact } from './context';
import type { Change, Direction } from './types';

interface Named {
  type: string;
  message: string;
  fix?: string;
}

function snake(keyword: string): string {
  return keyword.replace(/([a-z])([A-Z])/g, '$1_$2').toUpperCase();
}

function show(v: unknown): string {
  if (v === undefined) return 'none';
  const text = JSON.stringify(v);
  return text.length > 60 ? `${text.slice(0, 57)}...` : text;
}

function where(fact: Fact): string {
  return fact.loc.instancePath === '' ? 'the root' : fact.loc.instancePath;
}

/** Old and new values of a fact: BACKWARD compares new (reader) to old (writer); FORWARD the reverse. */
function sides(fact: Fact, d: Direction): [unknown, unknown] {
  return d === 'backward' ? [fact.writer, fact.reader] : [fact.reader, fact.writer];
}

/** Names a change that narrows or widens accepted data from the direction it breaks. */
function byEffect(fact: Fact, d: Direction, narrowed: string, extended: string): string {
  const breaksBackwardWay = fact.status === 'safe' ? d === 'forward' : d === 'backward';
  return breaksBackwardWay ? narrowed : extended;
}

function bound(fact: Fact, d: Direction): Named {
  const keyword = fact.name ?? 'bound';
  const [oldV, newV] = sides(fact, d);
  const code = snake(keyword);
  const suffix =
    oldV === undefined
      ? 'ADDED'
      : newV === undefined
        ? 'REMOVED'
        : Number(newV) > Number(oldV)
          ? 'INCREASED'
          : 'DECREASED';
  const fix = keyword.startsWith('max') || keyword.startsWith('exclusiveMax') ? 'raise' : 'lower';
  return {
    type: `${code}_${suffix}`,
    message: `${keyword} at ${where(fact)} changed from ${show(oldV)} to ${show(newV)}.`,
    fix: `${fix} ${keyword} back to ${show(oldV)} (or remove it) so earlier data stays valid`,
  };
}

function setChange(oldV: unknown, newV: unknown): 'NARROWED' | 'EXTENDED' | 'CHANGED' {
  if (!Array.isArray(oldV)) return 'NARROWED';
  if (!Array.isArray(newV)) return 'EXTENDED';
  const has = (list: unknown[], v: unknown): boolean =>
    list.some((x) => JSON.stringify(x) === JSON.stringify(v));
  if (newV.every((v) => has(oldV, v))) return 'NARROWED';
  return oldV.every((v) => has(newV, v)) ? 'EXTENDED' : 'CHANGED';
}

const NAMERS: Record<string, (fact: Fact, d: Direction) => Named> = {
  bound,
  type: (fact, d) => {
    const [oldV, newV] = sides(fact, d);
    const type = `TYPE_${byEffect(fact, d, 'NARROWED', 'EXTENDED')}`;
    return {
      type,
      message: `Type at ${where(fact)} changed from ${show(oldV)} to ${show(newV)}.`,
      fix: 'keep accepting the old types (a type list or anyOf)',
    };
  },
  kind: (fact, d) => {
    const [oldV, newV] = sides(fact, d);
    return {
      type: 'TYPE_CHANGED',
      message: `Schema at ${where(fact)} changed kind from ${show(oldV)} to ${show(newV)}.`,
      fix: 'keep the same kind of schema (STRICT compares structure; SEMANTIC compares accepted values)',
    };
  },
  value: (fact, d) => ({
    type: `ENUM_ARRAY_${byEffect(fact, d, 'NARROWED', 'EXTENDED')}`,
    message: `Values allowed at ${where(fact)} are no longer all accepted on the other side.`,
    fix: 'accept every value the earlier version allowed',
  }),
  enum: (fact, d) => {
    const [oldV, newV] = sides(fact, d);
    return {
      type: `ENUM_ARRAY_${setChange(oldV, newV)}`,
      message: `Allowed values at ${where(fact)} changed from ${show(oldV)} to ${show(newV)}.`,
      fix: 'keep every earlier enum value',
    };
  },
  multipleOf: (fact, d) => {
    const [oldV, newV] = sides(fact, d);
    let suffix = oldV === undefined ? 'ADDED' : newV === undefined ? 'REMOVED' : 'CHANGED';
    if (typeof oldV === 'number' && typeof newV === 'number') {
      if (Number.isInteger(newV / oldV)) suffix = 'EXPANDED';
      else if (Number.isInteger(oldV / newV)) suffix = 'REDUCED';
    }
    return {
      type: `MULTIPLE_OF_${suffix}`,
      message: `multipleOf at ${where(fact)} changed from ${show(oldV)} to ${show(newV)}.`,
      fix: 'use a divisor of the earlier multipleOf, or remove it',
    };
  },
  keyword: (fact, d) => {
    const [oldV, newV] = sides(fact, d);
    const suffix = oldV === undefined ? 'ADDED' : newV === undefined ? 'REMOVED' : 'CHANGED';
    const keyword = fact.name ?? 'keyword';
    return {
      type: `${snake(keyword)}_${suffix}`,
      message: `${keyword} at ${where(fact)} changed from ${show(oldV)} to ${show(newV)}.`,
      fix: `keep the earlier ${keyword}`,
    };
  },
  uniqueItems: (fact, d) => ({
    type: `UNIQUE_ITEMS_${byEffect(fact, d, 'ADDED', 'REMOVED')}`,
    message: `uniqueItems at ${where(fact)} changed.`,
    fix: 'do not start requiring unique items',
  }),
  itemsForm: (fact) => ({
    type: 'ITEMS_FORM_CHANGED',
    message: `Array items at ${where(fact)} switched between list and tuple form.`,
    fix: 'keep the earlier items form',
  }),
  additionalItems: (fact, d) => ({
    type: `ADDITIONAL_ITEMS_${byEffect(fact, d, 'REMOVED', 'ADDED')}`,
    message: `Items beyond the tuple at ${where(fact)} are handled differently.`,
    fix: 'keep accepting the extra items earlier data may hold',
  }),
  contains: (fact) => ({
    type: 'CONTAINS_CHANGED',
    message: `contains at ${where(fact)} requires items earlier data need not have.`,
    fix: 'do not add or tighten contains',
  }),
  required: (fact, d) => {
    const name = fact.name ?? '';
    if (d === 'forward')
      return {
        type: 'REQUIRED_ATTRIBUTE_REMOVED',
        message: `Property "${name}" was required before and is optional now.`,
        fix: `keep "${name}" required`,
      };
    const type = fact.writer === true ? 'REQUIRED_ATTRIBUTE_ADDED' : 'REQUIRED_PROPERTY_ADDED';
    return {
      type,
      message: `Property "${name}" was optional or absent before and is required now.`,
      fix: `make "${name}" optional (a default does not make earlier data valid)`,
    };
  },
  requiredRemoved: (fact, d) => ({
    type: d === 'backward' ? 'REQUIRED_ATTRIBUTE_REMOVED' : 'REQUIRED_ATTRIBUTE_ADDED',
    message: `Property "${fact.name ?? ''}" changed from ${d === 'backward' ? 'required to optional' : 'optional to required'}.`,
  }),
  property: (fact, d) => propertyChange(fact, d),
  additionalProperties: (fact, d) => {
    const [oldClosed, newClosed] = sides(fact, d);
    const type =
      newClosed === true && oldClosed !== true
        ? 'ADDITIONAL_PROPERTIES_REMOVED'
        : oldClosed === true && newClosed !== true
          ? 'ADDITIONAL_PROPERTIES_ADDED'
          : `ADDITIONAL_PROPERTIES_${byEffect(fact, d, 'NARROWED', 'EXTENDED')}`;
    return {
      type,
      message: `Undeclared properties at ${where(fact)} are accepted differently (old closed: ${show(oldClosed)}, new closed: ${show(newClosed)}).`,
      fix: 'keep accepting the undeclared properties earlier data may hold',
    };
  },
  patternProperties: (fact) => ({
    type: 'PATTERN_PROPERTIES_CHANGED',
    message: `Properties matching ${show(fact.name)} at ${where(fact)} are accepted differently.`,
    fix: 'keep the earlier patternProperties schema or widen it',
  }),
  propertyNames: (fact, d) => ({
    type: `PROPERTY_NAMES_${byEffect(fact, d, 'NARROWED', 'EXTENDED')}`,
    message: `propertyNames at ${where(fact)} accepts different names.`,
    fix: 'accept every property name earlier data may use',
  }),
  dependency: (fact, d) => {
    const [oldV, newV] = sides(fact, d);
    const suffix =
      oldV === undefined
        ? 'ADDED'
        : newV === undefined
          ? 'REMOVED'
          : byEffect(fact, d, 'EXTENDED', 'NARROWED');
    return {
      type: `DEPENDENCY_ARRAY_${suffix}`,
      message: `Properties required with "${fact.name ?? ''}" changed from ${show(oldV)} to ${show(newV)}.`,
      fix: 'do not add dependent requirements',
    };
  },
  dependencySchema: (fact) => ({
    type: fact.writer === true ? 'DEPENDENCY_SCHEMA_CHANGED' : 'DEPENDENCY_SCHEMA_ADDED',
    message: `The schema applied when "${fact.name ?? ''}" is present at ${where(fact)} changed.`,
    fix: 'do not tighten dependentSchemas',
  }),
  anyOf: (fact, d) => sum(fact, d, 'anyOf'),
  oneOf: (fact, d) => sum(fact, d, 'oneOf'),
  oneOfOverlap: (fact) => ({
    type: 'ONE_OF_BRANCHES_OVERLAP',
    message: `Values at ${where(fact)} now match more than one oneOf branch, which oneOf rejects.`,
    fix: 'make the oneOf branches disjoint, or use anyOf',
  }),
  not: (fact, d) => ({
    type: `NOT_TYPE_${byEffect(fact, d, 'EXTENDED', 'NARROWED')}`,
    message: `The excluded values (not) at ${where(fact)} changed.`,
    fix: 'do not exclude values earlier data may hold',
  }),
  instance: (fact) => ({
    type: 'INSTANCE_REJECTED',
    message: `A value the writer accepts at ${where(fact)} is rejected by the reader.`,
    fix: 'widen the reader so it accepts what the writer accepts',
  }),
};

function sum(fact: Fact, d: Direction, keyword: string): Named {
  return {
    type: `SUM_TYPE_${byEffect(fact, d, 'NARROWED', 'EXTENDED')}`,
    message: `The ${keyword} alternatives at ${where(fact)} no longer cover every value the other side allows.`,
    fix: `keep an ${keyword} branch for every earlier alternative`,
  };
}

function propertyChange(fact: Fact, d: Direction): Named {
  const name = fact.name ?? '';
  const onlyInNew = (fact.writer === 'reader') === (d === 'backward');
  const model = fact.reader as string;
  const breaking = fact.status !== 'safe';
  if (onlyInNew) {
    const type =
      model === 'open'
        ? 'PROPERTY_ADDED_TO_OPEN_CONTENT_MODEL'
        : model === 'closed'
          ? 'OPTIONAL_PROPERTY_ADDED_TO_UNOPEN_CONTENT_MODEL'
          : `PROPERTY_ADDED_${breaking ? 'NOT_' : 'IS_'}COVERED_BY_PARTIALLY_OPEN_CONTENT_MODEL`;
    const fix =
      'close the old object with additionalProperties: false first, or give the property a schema that accepts any value';
    return {
      type,
      message: `Property "${name}" was added at ${where(fact)}; the old object was ${model}.`,
      fix,
    };
  }
  const type =
    model === 'open'
      ? 'PROPERTY_REMOVED_FROM_OPEN_CONTENT_MODEL'
      : model === 'closed'
        ? 'PROPERTY_REMOVED_FROM_CLOSED_CONTENT_MODEL'
        : `PROPERTY_REMOVED_${breaking ? 'NOT_' : 'IS_'}COVERED_BY_PARTIALLY_OPEN_CONTENT_MODEL`;
  return {
    type,
    message: `Property "${name}" was removed at ${where(fact)}; the new object is ${model}.`,
    fix: `keep "${name}" declared, or accept it through additionalProperties`,
  };
}

export function describe(fact: Fact, d: Direction, against: number): Change {
  const namer = NAMERS[fact.kind] ?? NAMERS.instance;
  const named = (namer as (f: Fact, dir: Direction) => Named)(fact, d);
  const change: Change = {
    category: 'schema',
    type: named.type,
    breaking: fact.status === 'break',
    breaks: fact.status === 'break' ? [d] : [],
    schemaPath: d === 'backward' ? fact.loc.readerPath : fact.loc.writerPath,
    instancePath: fact.loc.instancePath === '' ? '/' : fact.loc.instancePath,
    message: named.message,
    against,
  };
  if (fact.status === 'unknown') change.unproven = [d];
  if (fact.status !== 'safe' && named.fix !== undefined) change.fix = named.fix;
  return change;
}
