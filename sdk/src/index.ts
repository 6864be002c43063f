/** @charter/sdk: the kernel shared by the Charter service, its SDK users and its CLI. */
export { canonicalJson, canonicalHash, CanonicalJsonError, type JsonValue } from './canonical/canonical-json';
export * from './naming';
export * from './validation';
export * from './quality';
export * from './compatibility';
export * from './anonymization';
export * from './keys';
export * from './audit';
export * from './contract';
export * from './client';
export * from './webhooks';
export * from './schema-keywords';
