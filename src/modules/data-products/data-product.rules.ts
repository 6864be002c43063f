import { InputProblems } from '../../common/input-rules';
import { type ProductStatus } from './data-product.entity';

export const TAG_PATTERN = /^[a-z0-9][a-z0-9:._-]{0,62}$/;
export const MAX_TAGS = 50;

/** Lifecycle: draft -> active -> deprecated -> retired; a deprecation can be undone, retirement cannot. */
const TRANSITIONS: Record<ProductStatus, readonly ProductStatus[]> = {
  draft: ['active', 'retired'],
  active: ['deprecated'],
  deprecated: ['active', 'retired'],
  retired: [],
};

export function canTransition(from: ProductStatus, to: ProductStatus): boolean {
  return from === to || TRANSITIONS[from].includes(to);
}

export function checkTags(problems: InputProblems, tags: string[] | undefined): InputProblems {
  if (!tags) return problems;
  problems.check(tags.length <= MAX_TAGS, {
    path: 'tags',
    code: 'TOO_MANY',
    message: `at most ${MAX_TAGS} tags`,
  });
  tags.forEach((tag, i) =>
    problems.check(TAG_PATTERN.test(tag), {
      path: `tags.${i}`,
      code: 'INVALID_TAG',
      message: 'tags are 1-63 lower-case letters, digits or : . _ -',
    }),
  );
  return problems;
}
