/**
 * Run from TypeScript sources (ts-node); this makes `@charter/sdk` resolve to the SDK's
 * sources too (as jest's moduleNameMapper does), so no build of sdk/ is needed first.
 */
import Module from 'node:module';
import { join } from 'node:path';

type Resolve = (request: string, ...rest: unknown[]) => string;
const loader = Module as unknown as { _resolveFilename: Resolve };
const resolve = loader._resolveFilename.bind(Module);
const sdkEntry = join(__dirname, '..', '..', 'sdk', 'src', 'index.ts');

// Compiled (npm run bench:*), the SDK's own build is used, as the service uses it in production.
if (__filename.endsWith('.ts')) {
  loader._resolveFilename = (request: string, ...rest: unknown[]) =>
    resolve(request === '@charter/sdk' ? sdkEntry : request, ...rest);
}
