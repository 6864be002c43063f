import type { AnySchema, ErrorObject, ValidateFunction } from 'ajv';
import Ajv from 'ajv';
import type AjvCore from 'ajv/dist/core';
import Ajv2019 from 'ajv/dist/2019';
import Ajv2020 from 'ajv/dist/2020';
import MissingRefError from 'ajv/dist/compile/ref_error';
import draft06MetaSchema from 'ajv/dist/refs/json-schema-draft-06.json';
import AjvDraft04 from 'ajv-draft-04';
import addFormats from 'ajv-formats';
import { RE2JSException } from 're2js';
import { type SchemaDialect, dialectOf } from './dialect';
import { type ValidationIssue } from './issues';
import { linearRegExpEngine } from './linear-regexp';
import { DEFAULT_SCHEMA_LIMITS, type SchemaLimits, guardSchema, schemaIssue } from './schema-guard';
import { validationShapeKey } from './schema-shape';

/** The annotation keyword for field classification and tags; carries no validation. */
export const CHARTER_KEYWORD = 'x-charter';

export const CLASSIFICATIONS = ['public', 'internal', 'confidential', 'restricted'] as const;

export interface SchemaCompilerOptions {
  /** Collect every error (slower on invalid data) instead of stopping at the first. */
  readonly allErrors?: boolean;
  /** ajv's passes over generated code (default on); off only where the validator is discarded. */
  readonly optimize?: boolean;
}

type AjvClass = new (options: ConstructorParameters<typeof AjvCore>[0]) => AjvCore;

const AJV_BY_DIALECT: Readonly<Record<SchemaDialect, AjvClass>> = {
  'draft-04': AjvDraft04,
  'draft-06': Ajv,
  'draft-07': Ajv,
  '2019-09': Ajv2019,
  '2020-12': Ajv2020,
};

/**
 * The one ajv configuration used by the service and the SDK: strict mode (unknown keywords are
 * refused), no `$data`, formats, re2js for patterns, no remote loading, `x-charter` annotations.
 */
export function createSchemaCompiler(dialect: SchemaDialect, options: SchemaCompilerOptions = {}): AjvCore {
  const ajv = new AJV_BY_DIALECT[dialect]({
    strict: true,
    // Legal, common idioms that strict mode would refuse: `type: [a, b]`, anyOf of `required`.
    allowUnionTypes: true,
    strictRequired: false,
    $data: false,
    allErrors: options.allErrors ?? false,
    messages: false,
    code: { regExp: linearRegExpEngine, optimize: options.optimize ?? true },
  });
  if (dialect === 'draft-06') ajv.addMetaSchema(draft06MetaSchema);
  (addFormats as unknown as (instance: AjvCore) => void)(ajv);
  ajv.addKeyword({ keyword: CHARTER_KEYWORD, metaSchema: charterAnnotationMetaSchema });
  return ajv;
}

const charterAnnotationMetaSchema = {
  type: 'object',
  properties: {
    classification: { enum: [...CLASSIFICATIONS] },
    tags: { type: 'array', items: { type: 'string', minLength: 1, maxLength: 128 } },
  },
};

export type SchemaCompileResult =
  | { readonly ok: true; readonly dialect: SchemaDialect; readonly validate: ValidateFunction }
  | { readonly ok: false; readonly issues: readonly ValidationIssue[] };

/**
 * Checks then compiles a contract's JSON Schema. Expected refusals (external `$ref`, unknown
 * keyword, bad pattern, unknown dialect) come back as issues whose paths point into the schema.
 */
export function compileSchema(
  schema: unknown,
  options: SchemaCompilerOptions & { readonly limits?: SchemaLimits } = {},
): SchemaCompileResult {
  const compilerFor = (dialect: SchemaDialect): AjvCore =>
    sharedCompiler(dialect, options.allErrors ?? false);
  const checked = precheck(schema, options.limits, compilerFor);
  if (!checked.ok) return checked;
  const compiled = compileWith(compilerFor(checked.dialect), schema);
  return compiled.ok ? { ok: true, dialect: checked.dialect, validate: compiled.validate } : compiled;
}

export type SchemaCheckResult =
  | { readonly ok: true; readonly dialect: SchemaDialect }
  | { readonly ok: false; readonly issues: readonly ValidationIssue[] };

/**
 * The verdict of `compileSchema` without keeping a validator: what the registry needs at publish.
 * The guard always runs on the schema as given, with the caller's limits; the meta-schema and
 * ajv's compile (on a compiler that skips code optimisation) run once per validation shape (see
 * validationShapeKey), so a version that differs from a checked one only in titles, descriptions
 * or comments is neither meta-validated nor compiled again.
 */
export function checkSchema(
  schema: unknown,
  options: { readonly limits?: SchemaLimits } = {},
): SchemaCheckResult {
  const guarded = guardedDialect(schema, options.limits);
  if (!guarded.ok) return guarded;
  // one key, one meta-schema verdict: the key keeps everything but the strings of title,
  // description and $comment at schema positions, which every dialect's meta-schema takes as any string
  const key = validationShapeKey(guarded.dialect, schema);
  if (key !== undefined && compiledShapes.has(key)) return guarded;
  const checked = againstMetaSchema(schema, guarded.dialect, verdictCompiler);
  if (!checked.ok) return checked;
  const compiled = compileWith(verdictCompiler(checked.dialect), schema);
  if (!compiled.ok) return compiled;
  if (key !== undefined) compiledShapes.add(key);
  return checked;
}

/** Dialect, shape, guard and meta-schema: everything before ajv's compile. */
function precheck(
  schema: unknown,
  limits: SchemaLimits | undefined,
  compilerFor: (dialect: SchemaDialect) => AjvCore,
): SchemaCheckResult {
  const guarded = guardedDialect(schema, limits);
  return guarded.ok ? againstMetaSchema(schema, guarded.dialect, compilerFor) : guarded;
}

/** Dialect, shape and guard: what is checked before anything walks the schema unguarded. */
function guardedDialect(schema: unknown, limits: SchemaLimits | undefined): SchemaCheckResult {
  const dialect = dialectOf(schema);
  if (dialect === undefined) {
    return refused(schemaIssue('/$schema', 'SCHEMA_UNSUPPORTED_DIALECT', 'unsupported $schema dialect'));
  }
  if (
    typeof schema !== 'boolean' &&
    (typeof schema !== 'object' || schema === null || Array.isArray(schema))
  ) {
    return refused(schemaIssue('', 'SCHEMA_INVALID', 'a schema must be an object or a boolean'));
  }
  const guarded = guardSchema(schema, limits ?? DEFAULT_SCHEMA_LIMITS);
  if (guarded.length > 0) return { ok: false, issues: guarded };
  return { ok: true, dialect };
}

function againstMetaSchema(
  schema: unknown,
  dialect: SchemaDialect,
  compilerFor: (dialect: SchemaDialect) => AjvCore,
): SchemaCheckResult {
  const ajv = compilerFor(dialect);
  if (!ajv.validateSchema(schema as AnySchema))
    return { ok: false, issues: metaSchemaIssues(ajv.errors ?? [], dialect) };
  return { ok: true, dialect };
}

function compileWith(
  ajv: AjvCore,
  schema: unknown,
): { ok: true; validate: ValidateFunction } | { ok: false; issues: readonly ValidationIssue[] } {
  try {
    return { ok: true, validate: ajv.compile(schema as AnySchema) };
  } catch (error) {
    return { ok: false, issues: [compileFailure(error)] };
  } finally {
    // The validator keeps working; the instance forgets the schema so ids can repeat and memory stays flat.
    if (typeof schema === 'object' && schema !== null) ajv.removeSchema(schema);
  }
}

/** Shapes that compiled, oldest forgotten first. */
const MAX_COMPILED_SHAPES = 4096;
const compiledShapes = new (class {
  readonly #keys = new Set<string>();
  has(key: string): boolean {
    return this.#keys.has(key);
  }
  add(key: string): void {
    this.#keys.add(key);
    if (this.#keys.size > MAX_COMPILED_SHAPES) {
      const oldest = this.#keys.values().next();
      if (!oldest.done) this.#keys.delete(oldest.value);
    }
  }
})();

const verdictCompilers = new Map<SchemaDialect, AjvCore>();

/** Same configuration as the shared compiler, without code optimisation: its output is discarded. */
function verdictCompiler(dialect: SchemaDialect): AjvCore {
  let ajv = verdictCompilers.get(dialect);
  if (!ajv) {
    ajv = createSchemaCompiler(dialect, { optimize: false });
    verdictCompilers.set(dialect, ajv);
  }
  return ajv;
}

/**
 * One configured instance per dialect and error mode: a fresh Ajv compiles its meta-schema again
 * on first use, which cost more than compiling the contract's own schema.
 */
const compilers = new Map<string, AjvCore>();

function sharedCompiler(dialect: SchemaDialect, allErrors: boolean): AjvCore {
  const key = `${dialect}:${String(allErrors)}`;
  let ajv = compilers.get(key);
  if (!ajv) {
    ajv = createSchemaCompiler(dialect, { allErrors });
    compilers.set(key, ajv);
  }
  return ajv;
}

function refused(issue: ValidationIssue): {
  readonly ok: false;
  readonly issues: readonly ValidationIssue[];
} {
  return { ok: false, issues: [issue] };
}

/** One issue per schema location: combinators in meta-schemas report the same spot several times. */
function metaSchemaIssues(errors: readonly ErrorObject[], dialect: SchemaDialect): ValidationIssue[] {
  const byPath = new Map<string, ValidationIssue>();
  for (const error of errors) {
    if (byPath.has(error.instancePath)) continue;
    const message = `does not conform to the ${dialect} meta-schema (${error.keyword})`;
    byPath.set(error.instancePath, schemaIssue(error.instancePath, 'SCHEMA_INVALID', message));
  }
  return [...byPath.values()];
}

/** Our own wording for ajv's compile errors: library text is never passed on. */
function compileFailure(error: unknown): ValidationIssue {
  if (error instanceof MissingRefError) {
    return schemaIssue('', 'SCHEMA_UNRESOLVED_REF', 'a $ref does not resolve inside the schema');
  }
  if (error instanceof RE2JSException) {
    return schemaIssue('', 'SCHEMA_INVALID_PATTERN', 'a pattern is invalid or uses a feature RE2 lacks');
  }
  const text = error instanceof Error ? error.message : '';
  const unknown = /unknown keyword: "([^"]{1,64})"/.exec(text);
  if (unknown?.[1] !== undefined) {
    return schemaIssue('', 'SCHEMA_UNKNOWN_KEYWORD', `unknown keyword "${unknown[1]}" (strict mode)`);
  }
  if (text.startsWith(`keyword "${CHARTER_KEYWORD}" value is invalid`)) {
    return schemaIssue(
      '',
      'SCHEMA_INVALID_ANNOTATION',
      `${CHARTER_KEYWORD} needs a known classification and string tags`,
    );
  }
  const strict = /^strict mode: (.{1,200}?)(?: at (?:path )?"[^"]*")?(?: \((strict[A-Za-z]+)\))?$/.exec(text);
  if (strict?.[1] !== undefined) {
    return schemaIssue('', 'SCHEMA_STRICT', `strict mode${strict[2] ? ` (${strict[2]})` : ''}: ${strict[1]}`);
  }
  return schemaIssue('', 'SCHEMA_INVALID', 'schema does not compile');
}
