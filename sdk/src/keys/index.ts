export {
  KeyError,
  type KeyErrorCode,
  type KeyProvider,
  type WrappedDataKey,
  type DataKeyBinding,
} from './key-provider';
export { StaticKeyProvider } from './static-key-provider';
export { createDataKey, currentDataKey, dataKeyOfVersion } from './data-keys';
export { sealAesGcm, openAesGcm } from './envelope';
