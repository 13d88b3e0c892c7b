/**
 * Offline bundles: the format (bundle.yaml + SHA256SUMS + SHA256SUMS.sig, as a folder, .tar or
 * .tar.gz), building and signing them, verifying them before anything runs, extracting them
 * safely, finding them on USB media, keeping them in the local library, diffing them, and
 * rendering their values templates. Reference: docs/bundle-format.md.
 */
export * from './types';

// Build and keys
export { buildBundle, formatFromName, type BuildOptions } from './build';
export { generateKeyPair, parsePublicKey, parseSecretKey, publicKeyOf, checkSignature, type PublicKey, type SecretKey } from './signing';

// Verify, extract, load
export { verifyBundle, assertIntact, type VerifyOptions } from './verify';
export { extractBundle, type ExtractOptions } from './extract';
export { loadBundle, renderBundleValues, type LoadedBundle, type LoadOptions } from './load';
export { detectKind } from './source';

// Inspect and diff
export { inspectBundle } from './inspect';
export { diffBundles, unifiedDiff } from './diff';

// Media and library
export { listMedia, scanMedia, type ScanOptions, type MediaSources } from './media';
export {
  copyToLibrary,
  listLibrary,
  getLibraryEntry,
  removeFromLibrary,
  clearIncoming,
  libraryBundleDir,
  assertTrusted,
  type CopyOptions,
  type TrustPolicy,
} from './library';

// Values and answers
export { renderValues, validateAnswers, checkTemplate, secretAnswerNames, type RenderInput, type ValuesFacts } from './values';

// Format: schemas, specs, messages
export {
  BundleManifestSchema,
  HealthSpecSchema,
  CleanupSpecSchema,
  HostPreflightSchema,
  QuestionSchema,
  BUNDLE_API_VERSION,
} from './schema';
export { parseManifest, parseSpec, manifestReferences } from './manifest';
export { generateJsonSchemas } from './json-schema';
export { BUNDLE_MESSAGES, bundleMsg, type BundleCode } from './messages';
export { hashFiles, hashPool, HashPool, HASH_CHUNK } from './hash-pool';
export { SUMS_FILE, SIG_FILE, MANIFEST_FILE } from './sums';
