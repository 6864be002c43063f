import { DomainError } from '../common/errors/error-codes';
import { requestContextOf } from '../common/request-context';
import { type Action, type SubjectName } from './ability';
import { forbidden } from './access';
import { type Actor, actorRef } from './actor';
import { type AuditRecorder } from './audit-recorder';
import { type Authenticator } from './authenticator';
import { markRecorded } from './denial-audit';
import { attachActor } from './request-actor';

export const UNAUTHENTICATED_MESSAGE = 'missing or invalid credentials';

type AdmittedRequest = Parameters<Authenticator['authenticateRequest']>[0];

/**
 * admitCaller's answer when it needs no waiting: the caller's outcome is known (a cached API key)
 * and its roles allow the action, so the caller is attached and returned. Undefined otherwise,
 * and then admitCaller decides (and audits). Hot read paths try this first: no promise at all.
 */
export function admitKnownCaller(
  authenticator: Authenticator,
  request: AdmittedRequest,
  action: Action,
  subject: SubjectName,
): Actor | undefined {
  const outcome = authenticator.knownOutcome(request);
  if (!outcome?.ok || !outcome.actor.ability.can(action, subject)) return undefined;
  return attachActor(request, outcome.actor);
}

/**
 * What the guard does for a declared `@Requires(action, subject)`, usable by a route served
 * outside Nest's pipeline too: authenticate (UNAUTHENTICATED), check the roles allow the action on
 * that kind of resource at all (FORBIDDEN, audited here), and attach the caller to the request.
 */
export async function admitCaller(
  authenticator: Authenticator,
  audit: AuditRecorder,
  request: AdmittedRequest,
  action: Action,
  subject: SubjectName,
): Promise<Actor> {
  const outcome = authenticator.knownOutcome(request) ?? (await authenticator.authenticateRequest(request));
  if (!outcome.ok) throw new DomainError('UNAUTHENTICATED', UNAUTHENTICATED_MESSAGE);
  const { actor } = outcome;
  if (!actor.ability.can(action, subject)) {
    await audit.record(
      { type: 'access.denied', action, subject, answeredAs: 'FORBIDDEN' },
      { actor: actorRef(actor), request: requestContextOf(request) },
    );
    throw markRecorded(forbidden(action, subject));
  }
  return attachActor(request, actor);
}
