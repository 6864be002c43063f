import { buildAbility } from './ability';
import { type Actor } from './actor';
import { type CredentialsRepository } from './credentials.repository';

/**
 * The actor a named principal would be, for a decision a privileged caller takes on its behalf
 * (its roles and ability as stored now). It acts through the caller's credential; null when no
 * principal has that name.
 */
export async function principalActor(
  credentials: CredentialsRepository,
  name: string,
  through: Actor,
): Promise<Actor | null> {
  const id = await credentials.findPrincipalIdByName(name);
  const principal = id === null ? null : await credentials.loadPrincipal(id);
  if (principal === null) return null;
  return {
    principalId: principal.id,
    name: principal.name,
    kind: principal.kind,
    bindings: principal.bindings,
    ability: buildAbility({ id: principal.id, bindings: principal.bindings }),
    credential: through.credential,
  };
}
