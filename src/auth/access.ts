import { subject } from '@casl/ability';
import { DomainError } from '../common/errors/error-codes';
import { type Action, type SubjectName } from './ability';
import { type Actor } from './actor';

/** A refusal. Its public face is a plain NOT_FOUND or FORBIDDEN; the rest is for the audit seam. */
export class AccessDeniedError extends DomainError {
  constructor(
    readonly answeredAs: 'NOT_FOUND' | 'FORBIDDEN',
    message: string,
    readonly action: Action,
    readonly subjectName: SubjectName,
  ) {
    super(answeredAs, message);
  }
}

export type SubjectFields = Record<string, unknown>;

export function can(actor: Actor, action: Action, subjectName: SubjectName, fields: SubjectFields): boolean {
  return actor.ability.can(action, subject(subjectName, { ...fields }));
}

/**
 * After loading: a resource the caller may not read is answered exactly like a missing one.
 * `what` is the same text the missing case uses, e.g. `domain payments`.
 */
export function ensureVisible(
  actor: Actor,
  subjectName: SubjectName,
  fields: SubjectFields,
  what: string,
): void {
  if (!can(actor, 'read', subjectName, fields))
    throw new AccessDeniedError('NOT_FOUND', `${what} not found`, 'read', subjectName);
}

/** After ensureVisible: a write on something the caller can see but not change. */
export function ensureAllowed(
  actor: Actor,
  action: Action,
  subjectName: SubjectName,
  fields: SubjectFields,
): void {
  if (!can(actor, action, subjectName, fields)) throw forbidden(action, subjectName);
}

export function forbidden(action: Action, subjectName: SubjectName): AccessDeniedError {
  return new AccessDeniedError('FORBIDDEN', `not allowed to ${action} ${subjectName}`, action, subjectName);
}
