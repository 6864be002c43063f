import { DomainError } from '../../common/errors/error-codes';
import { type ContractVersionRecord } from '../contracts/contract-versions.repository';
import { type CompatibilityChangeModel } from '../contracts/models/compatibility.model';
import { type IncompatibleContract } from '../contracts/models/publish-result.model';
import { CONFLUENT_CODES, ConfluentError, invalidSchema } from './confluent-error';
import { type ServedSchema } from './confluent-schema';
import { subjectOfProduct } from './confluent-subject';

/** What invalid-contract outcomes and prepareContract report. */
interface ContractIssue {
  path: string;
  code: string;
  message: string;
}

/** Confluent's schema object: `{subject, version, id, schemaType, schema, metadata?, ruleSet?}`. */
export interface SubjectVersion extends ServedSchema {
  subject: string;
  version: number;
  id: number;
}

export function subjectVersionOf(record: ContractVersionRecord, served: ServedSchema): SubjectVersion {
  return { subject: subjectOfProduct(record.product), version: record.version, id: record.id, ...served };
}

/** One line per breaking change: what Confluent puts after "details:". No payload values. */
export function changeLines(changes: readonly CompatibilityChangeModel[]): string[] {
  return changes
    .filter((change) => change.breaking)
    .map((change) => {
      const against =
        change.againstVersion === undefined ? '' : ` (against version ${change.againstVersion})`;
      return `${change.type} at ${change.instancePath || '/'}${against}: ${change.message}`;
    });
}

/** 409 with Charter's change list in the message (as Confluent appends its own) and as `details`. */
export function incompatibleError(subject: string, outcome: IncompatibleContract): ConfluentError {
  const lines = changeLines(outcome.changes);
  if (lines.length === 0 && outcome.reason) lines.push(`${outcome.verdict}: ${outcome.reason}`);
  return new ConfluentError(
    409,
    CONFLUENT_CODES.incompatibleSchema,
    `Schema being registered is incompatible with an earlier schema for subject "${subject}" ` +
      `(mode ${outcome.mode}, policy ${outcome.policy}), details: [${lines.join('; ')}]`,
    { mode: outcome.mode, policy: outcome.policy, verdict: outcome.verdict, changes: outcome.changes },
  );
}

/** Contract issues point into the contract document; a Confluent client knows only its schema. */
export function invalidSchemaOf(issues: readonly ContractIssue[]): ConfluentError {
  const located = issues.map((issue) => ({
    code: issue.code,
    message: issue.message,
    path: issue.path.startsWith('/schema') ? issue.path.slice('/schema'.length) : issue.path,
  }));
  const summary = located
    .slice(0, 5)
    .map((issue) => `${issue.path || '/'}: ${issue.message}`)
    .join('; ');
  return invalidSchema(summary, located);
}

/** The `code` of a DomainError's first detail: how services say which conflict it was. */
export function detailCode(error: unknown): string | undefined {
  return error instanceof DomainError ? error.details[0]?.code : undefined;
}

export const isCharterCode = (error: unknown, code: DomainError['code']): boolean =>
  error instanceof DomainError && error.code === code;

/**
 * Charter's NOT_FOUND as Confluent's own not-found (anything else unchanged). A refusal answered as
 * not found (so that existence does not leak) stays the reply's cause, for the exception filter to
 * audit the denial.
 */
export function notFoundAsConfluent(error: unknown, replacement: () => ConfluentError): unknown {
  return isCharterCode(error, 'NOT_FOUND') ? Object.assign(replacement(), { cause: error }) : error;
}
