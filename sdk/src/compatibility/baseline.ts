/**
 * json-schema-diff as an extra signal: only on sanitized, ref-free schemas, in a worker thread
 * with a time limit, and only ever to withdraw a "compatible" answer, never to grant one.
 */
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import { checkCompatibility } from './check';
import { isSchemaObject } from './schema-doc';
import type { CompatibilityRequest, CompatibilityResult, Direction } from './types';

export type BaselineOutcome =
  | { ok: true; added: boolean; removed: boolean; ms: number }
  | { ok: false; reason: 'timeout' | 'error' | 'unsupported'; ms: number };

const MAX_NODES = 5000;

/** A copy fit for json-schema-diff, or undefined when it has a `$ref` or is too large. */
export function sanitizeForBaseline(schema: unknown): object | boolean | undefined {
  let nodes = 0;
  const walk = (value: unknown): unknown => {
    if (++nodes > MAX_NODES) throw new Error('too large');
    if (Array.isArray(value)) return value.map(walk);
    if (!isSchemaObject(value)) return value;
    if ('$ref' in value || '$dynamicRef' in value || '$recursiveRef' in value) throw new Error('ref');
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value))
      if (k !== '$schema' && k !== '$id' && k !== 'id') out[k] = walk(v);
    return out;
  };
  try {
    const clean = walk(schema);
    return typeof clean === 'boolean' || isSchemaObject(clean) ? clean : undefined;
  } catch {
    return undefined;
  }
}

/** One worker thread, replaced whenever a diff runs past its time limit. */
export class BaselineRunner {
  private worker?: Worker;
  private nextId = 1;

  async diff(source: unknown, destination: unknown, timeoutMs: number): Promise<BaselineOutcome> {
    const sourceSchema = sanitizeForBaseline(source);
    const destinationSchema = sanitizeForBaseline(destination);
    if (sourceSchema === undefined || destinationSchema === undefined)
      return { ok: false, reason: 'unsupported', ms: 0 };
    const worker = this.ensureWorker();
    const id = this.nextId++;
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        worker.off('message', onMessage);
        void worker.terminate();
        this.worker = undefined;
        resolve({ ok: false, reason: 'timeout', ms: timeoutMs });
      }, timeoutMs);
      const onMessage = (message: BaselineOutcome & { id: number }): void => {
        if (message.id !== id) return;
        clearTimeout(timer);
        worker.off('message', onMessage);
        resolve(message);
      };
      worker.on('message', onMessage);
      worker.postMessage({ id, sourceSchema, destinationSchema });
    });
  }

  async close(): Promise<void> {
    await this.worker?.terminate();
    this.worker = undefined;
  }

  private ensureWorker(): Worker {
    if (this.worker !== undefined) return this.worker;
    const typescript = __filename.endsWith('.ts');
    const file = join(__dirname, typescript ? 'baseline-worker.ts' : 'baseline-worker.js');
    const worker = new Worker(file, {
      execArgv: typescript ? ['-r', 'ts-node/register/transpile-only'] : [],
    });
    worker.unref();
    this.worker = worker;
    return worker;
  }
}

/** Directional compatibility per json-schema-diff: removals break BACKWARD, additions FORWARD. */
export function baselineAllows(outcome: BaselineOutcome, direction: Direction): boolean | undefined {
  if (!outcome.ok) return undefined;
  return direction === 'backward' ? !outcome.removed : !outcome.added;
}

/**
 * checkCompatibility plus json-schema-diff where it adds safety: a compatible verdict it contradicts
 * on the latest version becomes undecided (SEMANTIC) or incompatible (STRICT, LENIENT).
 */
export async function checkCompatibilityWithBaseline(
  request: CompatibilityRequest,
  runner: BaselineRunner,
  timeoutMs = 2000,
): Promise<CompatibilityResult> {
  const result = checkCompatibility(request);
  const latest = request.history[request.history.length - 1];
  if (result.verdict !== 'compatible' || latest === undefined || result.mode === 'NONE') return result;
  const outcome = await runner.diff(latest, request.proposed, timeoutMs);
  const directions: Direction[] = result.mode.startsWith('BACKWARD')
    ? ['backward']
    : result.mode.startsWith('FORWARD')
      ? ['forward']
      : ['backward', 'forward'];
  const against = directions.filter((d) => baselineAllows(outcome, d) === false);
  if (against.length === 0) return result;
  const change = {
    category: 'schema' as const,
    type: 'BASELINE_DISAGREES',
    breaking: true,
    breaks: against,
    schemaPath: '',
    instancePath: '/',
    message: 'json-schema-diff found values one side accepts and the other rejects.',
    fix: 'review the change; Charter could not confirm it safe',
    against: request.history.length - 1,
  };
  const verdict = result.policy === 'SEMANTIC' ? 'undecided' : 'incompatible';
  const reason = {
    code: 'NOT_PROVEN' as const,
    message: 'json-schema-diff disagrees with the compatible verdict',
  };
  return { ...result, verdict, reason, changes: [...result.changes, change] };
}
