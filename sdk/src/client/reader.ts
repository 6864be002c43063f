import {
  anonymizeForExport,
  compileAnonymizer,
  type FieldPlan,
  type KAnonymityReport,
} from '../anonymization';
import { KeyError, type KeyProvider, type WrappedDataKey } from '../keys';
import { CharterClientError } from './errors';
import { type GraphqlRequest } from './transport';

export const FIELD_PLAN = `query($product: String!, $version: String!, $as: String) {
  fieldPlan(product: $product, version: $version, as: $as) { product version contentHash plan dataKeys clearFields } }`;

export interface ReaderOptions {
  /**
   * The principal the plan is for. Another principal's name is accepted only from a token that
   * manages the product's policy (governance, admin); the registry audits both identities.
   */
  readonly as?: string;
  /** Master keys (the same configuration as the service's); needed when the plan pseudonymizes, encrypts or uses FPE. */
  readonly keyProvider?: KeyProvider;
}

/** Reads records as one principal may see them, with the plan the registry handed out (and audited). */
export interface PayloadReader {
  readonly product: string;
  readonly version: number;
  readonly contentHash: string;
  readonly plan: FieldPlan;
  /** What the plan releases in clear, as the registry recorded it. */
  readonly clearFields: readonly string[];
  /** A new object; the input is never changed. Throws AnonymizationError for the whole record. */
  read(record: unknown): Record<string, unknown>;
  /** All or nothing: the first record that fails fails the batch. */
  readMany(records: readonly unknown[]): Record<string, unknown>[];
  /**
   * An export: readMany, then the dataset is released only if every group of records sharing the
   * released values of its quasi-identifier fields (tags `qi:*`) holds at least k (default 5)
   * records; otherwise KAnonymityError (code K_ANONYMITY_NOT_MET, the smallest group size, no values).
   */
  exportMany(
    records: readonly unknown[],
    options?: { readonly k?: number },
  ): { records: Record<string, unknown>[]; report: KAnonymityReport };
}

interface FieldPlanAnswer {
  fieldPlan: {
    product: string;
    version: number;
    contentHash: string;
    plan: FieldPlan;
    dataKeys: WrappedDataKey[];
    clearFields: string[];
  };
}

/** Without configured master keys: keyed operators fail closed, the others work. */
const NO_KEYS: KeyProvider = {
  currentVersion: () => Promise.resolve(1),
  getMasterKey: () => Promise.reject(new KeyError('KEY_VERSION_UNKNOWN', 'no master keys were given')),
  wrapDataKey: () => Promise.reject(new KeyError('KEY_VERSION_UNKNOWN', 'no master keys were given')),
  unwrapDataKey: () => Promise.reject(new KeyError('KEY_VERSION_UNKNOWN', 'no master keys were given')),
};

/**
 * Fetches the principal's effective field plan once and compiles it with the kernel the service
 * uses, so both release exactly the same bytes; every record after that is local work.
 */
export async function createPayloadReader(
  request: GraphqlRequest,
  product: string,
  version: number | 'latest',
  options: ReaderOptions = {},
): Promise<PayloadReader> {
  const variables = { product, version: String(version), as: options.as ?? null };
  const answer = (await request<FieldPlanAnswer>(FIELD_PLAN, variables)).fieldPlan;
  // The answer is untyped JSON from the network: check the shape before trusting it.
  const plan = answer.plan as Partial<FieldPlan> | null;
  if (plan?.planVersion !== 1 || !Array.isArray(plan.fields))
    throw new CharterClientError('CHARTER_PROTOCOL', 'the registry sent a field plan this SDK cannot read');
  const anonymize = await compileAnonymizer(answer.plan, options.keyProvider ?? NO_KEYS, {
    product: answer.product,
    dataKeys: answer.dataKeys,
  });
  return {
    product: answer.product,
    version: answer.version,
    contentHash: answer.contentHash,
    plan: answer.plan,
    clearFields: answer.clearFields,
    read: (record) => anonymize(record),
    readMany: (records) => records.map((record) => anonymize(record)),
    exportMany: (records, exportOptions = {}) =>
      anonymizeForExport(anonymize, answer.plan, records, exportOptions.k),
  };
}
