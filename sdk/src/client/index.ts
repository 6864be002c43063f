export { type CharterClientOptions, type CharterClient, createCharterClient } from './client';
export { CharterClientError, type CharterClientErrorCode, type CharterErrorDetails } from './errors';
export { offlineValidator } from './offline';
export { createPayloadReader, FIELD_PLAN, type PayloadReader, type ReaderOptions } from './reader';
export { type RetryOptions, DEFAULT_RETRY, backoffDelay } from './retry';
export { type FetchLike } from './transport';
export type {
  CheckContractResult,
  PublishContractResult,
  RegistryChange,
  RegistryContractIssue,
  RegistryContractVersion,
} from './operations';
