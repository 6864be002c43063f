import { InputProblems } from '../../common/input-rules';
import { ROLE_SCOPES, type ScopeKind } from '../../auth/roles';
import { type GrantRoleInput } from './dto/principal.input';
import { RoleEnum } from './models/principal.model';

/** The SDK policy's glob syntax: starts with `/`, no empty segment; `*` one segment, `**` any. */
const FIELD_GLOB = /^\/([^/]+)(\/[^/]+)*$/;
export const MAX_CLEAR_FIELDS = 100;

/** Where a role may be bound and what a grant may carry; INVALID_INPUT lists every problem. */
export function checkGrant(input: GrantRoleInput): void {
  const problems = new InputProblems();
  problems.check(input.domain == null || input.product == null, {
    path: 'product',
    code: 'ONE_SCOPE',
    message: 'give a domain or a product, not both',
  });
  const kind: ScopeKind = input.product != null ? 'product' : input.domain != null ? 'domain' : 'global';
  const allowed = ROLE_SCOPES[input.role];
  problems.check(allowed.includes(kind), {
    path: kind === 'global' ? 'role' : kind,
    code: 'SCOPE_NOT_ALLOWED',
    message: `${input.role} can be granted on: ${allowed.join(', ')}`,
  });
  const fields = input.clearFields ?? [];
  problems.check(fields.length === 0 || input.role === RoleEnum.consumer, {
    path: 'clearFields',
    code: 'CONSUMER_ONLY',
    message: 'only consumer grants carry clear fields',
  });
  problems.check(fields.length <= MAX_CLEAR_FIELDS, {
    path: 'clearFields',
    code: 'TOO_MANY',
    message: `at most ${MAX_CLEAR_FIELDS} field globs`,
  });
  fields.forEach((glob, i) =>
    problems.check(glob.length <= 500 && FIELD_GLOB.test(glob), {
      path: `clearFields.${i}`,
      code: 'INVALID_FIELD_GLOB',
      message: 'a field glob starts with / and has no empty segment',
    }),
  );
  problems.throwIfAny();
}
