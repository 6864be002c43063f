/**
 * npm run bench:graphql-jit — what compiling a GraphQL document costs the service, beside what
 * Mercurius already spends on it once per distinct document (parse, then validation with Charter's
 * edge limits), on the service's own schema:
 *  - the `contractVersion(latest)` read of bench:registry;
 *  - a client's standard introspection query;
 *  - the widest document the default limits let through: every root query field with all it can
 *    select, to the depth limit.
 * The service compiles a document once, after GRAPHQL_JIT_MIN_RUNS runs of it (10 by default), so
 * the ratio bounds what a client sending new documents that often makes it spend on compiling.
 * Beside the times, the heap one document keeps: parsed (what Mercurius' cache of 1,024 documents
 * holds anyway) and compiled (what compilation adds to that entry).
 */
import './support/sdk-from-source';
import 'reflect-metadata';
import { GraphQLSchemaHost } from '@nestjs/graphql';
import {
  getIntrospectionQuery,
  parse,
  specifiedRules,
  validate,
  type GraphQLError,
  type GraphQLSchema,
} from 'graphql';
import { compileQuery, isCompiledQuery } from 'graphql-jit';
import { createApp } from '../src/app.factory';
import { createLogger } from '../src/common/logging/logger';
import { loadConfig } from '../src/config/app-config';
import { documentLimitsRule } from '../src/graphql/limits/document-limits.rule';
import { benchDatabase, median } from './support/bench-kit';
import { widestQuery } from './support/widest-query';

const REPEATS = 30;
/** Distinct copies (trailing spaces: distinct cache entries to Mercurius) kept to weigh one. */
const COPIES = 200;

/** Heap retained per value `make` returns, over COPIES values kept alive; needs --expose-gc. */
function retainedKiB(make: (copy: number) => unknown): number {
  const collect = (globalThis as { gc?: () => void }).gc;
  if (!collect) throw new Error('run with node --expose-gc (npm run bench:graphql-jit does)');
  collect();
  const before = process.memoryUsage().heapUsed;
  const kept = Array.from({ length: COPIES }, (_, copy) => make(copy));
  collect();
  const after = process.memoryUsage().heapUsed;
  return (after - before) / kept.length / 1024;
}

async function serviceSchema(): Promise<GraphQLSchema> {
  const database = await benchDatabase();
  const app = await createApp(
    { ...loadConfig({}), logLevel: 'silent' },
    database.url,
    createLogger('silent'),
  );
  try {
    await app.getHttpAdapter().getInstance().ready();
    return app.get(GraphQLSchemaHost).schema;
  } finally {
    await app.close();
    await database.drop();
  }
}

/** Median ms of `work` over REPEATS runs, after one untimed run. */
function timed(work: () => void): number {
  work();
  const times: number[] = [];
  for (let i = 0; i < REPEATS; i += 1) {
    const started = process.hrtime.bigint();
    work();
    times.push(Number(process.hrtime.bigint() - started) / 1e6);
  }
  return median(times);
}

/** Parse and validation as Mercurius runs them, with the service's default edge limits. */
function checker(schema: GraphQLSchema): (text: string) => readonly GraphQLError[] {
  const limits = loadConfig({}).graphqlLimits;
  const rules = [...specifiedRules, documentLimitsRule(limits)];
  return (text) => validate(schema, parse(text, { maxTokens: limits.maxTokens }), rules);
}

function measure(
  schema: GraphQLSchema,
  check: (text: string) => readonly GraphQLError[],
  name: string,
  text: string,
): void {
  const errors = check(text);
  if (errors.length > 0) {
    console.log(`${name}: refused by validation (${errors[0]?.message ?? ''}); not measured`);
    return;
  }
  const document = parse(text);
  const checking = timed(() => check(text));
  const compiling = timed(() => {
    if (!isCompiledQuery(compileQuery(schema, document))) throw new Error(`${name} did not compile`);
  });
  const copies = Array.from({ length: COPIES }, (_, copy) => parse(text + ' '.repeat(copy)));
  const parsedKiB = retainedKiB((copy) => parse(text + ' '.repeat(copy)));
  const compiledKiB = retainedKiB((copy) => compileQuery(schema, copies[copy] ?? document));
  console.log(
    `${name} (${String(text.length)} characters): parse + validate ${checking.toFixed(3)} ms, compile ${compiling.toFixed(3)} ms = ${(compiling / checking).toFixed(2)}x; heap kept per document: parsed ${parsedKiB.toFixed(1)} KiB, compiled ${compiledKiB.toFixed(1)} KiB more`,
  );
}

async function main(): Promise<void> {
  const schema = await serviceSchema();
  const check = checker(schema);
  const widest = widestQuery(
    schema,
    loadConfig({}).graphqlLimits.maxDepth,
    (text) => check(text).length === 0,
  );
  console.log(`medians of ${String(REPEATS)} runs each, on the service's schema`);
  measure(
    schema,
    check,
    'contractVersion(latest) read',
    '{ contractVersion(product: "bench.p7") { id version contentHash } }',
  );
  measure(schema, check, 'introspection query', getIntrospectionQuery());
  measure(schema, check, 'widest query document within the default limits', widest);
}

void main();
