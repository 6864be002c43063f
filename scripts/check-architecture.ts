/**
 * Architecture rule checked in CI: sdk/ is the framework-free kernel. No file under sdk/ may
 * import from outside sdk/ (the service's src/, test/, migrations/) nor a framework package.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';

const root = resolve(__dirname, '..');
const sdkRoot = join(root, 'sdk');
const forbiddenPackages = [
  /^@nestjs\//,
  /^typeorm(\/|$)/,
  /^graphql(\/|$)/,
  /^mercurius(\/|$)/,
  /^fastify(\/|$)/,
  /^pg$/,
];
const importPattern =
  /(?:import|export)\s[^'"]*?from\s*['"]([^'"]+)['"]|(?:require|import)\(\s*['"]([^'"]+)['"]\s*\)/g;

function* sourceFiles(dir: string): Generator<string> {
  for (const name of readdirSync(dir)) {
    if (name === 'node_modules' || name === 'dist') continue;
    const path = join(dir, name);
    if (statSync(path).isDirectory()) yield* sourceFiles(path);
    else if (/\.(ts|js|mjs|cjs)$/.test(name)) yield path;
  }
}

export function findViolations(): string[] {
  const violations: string[] = [];
  for (const file of sourceFiles(sdkRoot)) {
    for (const match of readFileSync(file, 'utf8').matchAll(importPattern)) {
      const specifier = match[1] ?? match[2] ?? '';
      const where = `${relative(root, file)} imports '${specifier}'`;
      if (specifier.startsWith('.')) {
        const target = resolve(dirname(file), specifier);
        if (relative(sdkRoot, target).startsWith('..')) violations.push(`${where}: outside sdk/`);
      } else if (forbiddenPackages.some((re) => re.test(specifier))) {
        violations.push(`${where}: a framework package`);
      }
    }
  }
  return violations;
}

if (require.main === module) {
  const violations = findViolations();
  for (const v of violations) console.error(`architecture: ${v}`);
  process.exit(violations.length === 0 ? 0 : 1);
}
