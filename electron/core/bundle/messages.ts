import { OutpostError } from '../api/errors';
import type { Msg } from '../i18n';

/**
 * Every user-facing message of the bundle domain, in English, keyed by its stable code.
 * The catalogs locales/{en,zh-CN}/bundle.json carry the same keys without the `bundle.`
 * prefix (a unit test keeps them in step), so `translate(t, msg)` finds them by namespace.
 * Parameters use i18next's `{{name}}` syntax so one template serves both.
 */
export const BUNDLE_MESSAGES = {
  'bundle.not_found': 'No bundle at {{path}}',
  'bundle.unsupported_format': '{{path}} is not a bundle: expected a folder with bundle.yaml, a .tar or a .tar.gz ({{reason}})',
  'bundle.manifest_missing': 'bundle.yaml is missing at the root of {{path}}',
  'bundle.yaml_syntax': '{{file}}:{{line}}:{{col}}: YAML syntax error: {{reason}}',
  'bundle.schema_invalid': '{{file}}:{{line}}: {{field}}: {{reason}}',
  'bundle.reference_missing': '{{field}} in {{file}} refers to {{target}}, which is not in the bundle',
  'bundle.sums_missing': 'SHA256SUMS is missing: the bundle cannot be verified',
  'bundle.sums_invalid': 'SHA256SUMS line {{line}} is malformed: {{reason}}',
  'bundle.checksum_mismatch': '{{file}} is corrupted: its SHA-256 does not match SHA256SUMS',
  'bundle.file_missing': '{{file}} is listed in SHA256SUMS but missing from the bundle',
  'bundle.file_unlisted': '{{file}} is in the bundle but not listed in SHA256SUMS',
  'bundle.unsigned': 'The bundle is not signed (no SHA256SUMS.sig)',
  'bundle.signature_untrusted': 'The bundle is signed with key {{keyId}}, which is not one of the trusted vendor keys',
  'bundle.signature_invalid': 'SHA256SUMS.sig does not match SHA256SUMS (key {{keyId}}): the file list was altered or the signature is damaged',
  'bundle.signature_malformed': 'SHA256SUMS.sig is malformed: {{reason}}',
  'bundle.signature_required': 'The bundle signature is {{status}}; it may be loaded only when the user allows it with a reason',
  'bundle.unsafe_path': '{{file}}: unsafe path ({{reason}})',
  'bundle.link_escapes': '{{file}} is a {{kind}} pointing to {{target}}, outside the bundle',
  'bundle.link_refused': '{{file}} is a {{kind}} to {{target}}: bundles may contain only regular files and folders',
  'bundle.special_file': '{{file}} is a {{kind}}: bundles may contain only regular files and folders',
  'bundle.duplicate_entry': '{{file}} appears more than once in the archive',
  'bundle.archive_corrupt': 'The archive is damaged near byte {{offset}}: {{reason}}',
  'bundle.target_not_empty': 'Cannot extract into {{path}}: the folder is not empty',
  'bundle.verify_failed': 'The bundle failed verification ({{count}} problem(s)): {{first}}',
  'bundle.key_invalid': '{{what}} is not a valid ed25519 key: {{reason}}',
  'bundle.key_encrypted': 'The secret key {{what}} is protected with a passphrase; decrypt it first (signify -G without -n makes such keys)',
  'bundle.build_source_missing': '{{field}} in bundle.yaml refers to {{target}}, which was found neither in {{dir}} nor in the added folders',
  'bundle.build_read_failed': '{{file}} could not be read: {{reason}}',
  'bundle.build_output_inside': 'The output {{out}} lies inside the bundle source {{dir}}',
  'bundle.values_render': '{{template}}:{{line}}: {{reason}}',
  'bundle.values_yaml': '{{template}} rendered invalid YAML at line {{line}}: {{reason}}',
  'bundle.answer_missing': 'The answer to "{{question}}" is required',
  'bundle.answer_invalid': 'The answer to "{{question}}" is invalid: {{reason}}',
  'bundle.answer_unknown': '"{{question}}" is not a question of this bundle',
  'bundle.source_changed': '{{path}} changed while it was being copied; copy it again',
  'bundle.library_missing': 'No bundle with digest {{digest}} in the library',
  'bundle.image_archive_invalid': '{{file}} is not a readable image archive: {{reason}}',
} as const;

export type BundleCode = keyof typeof BUNDLE_MESSAGES;
export type MsgParams = Record<string, string | number>;

/** Interpolates `{{name}}` the way i18next does, so logs read the same as the UI. */
export function formatMessage(code: BundleCode, params: MsgParams = {}): string {
  return BUNDLE_MESSAGES[code].replace(/\{\{(\w+)\}\}/g, (_, k: string) => (k in params ? String(params[k]) : `{{${k}}}`));
}

export function bundleMsg(code: BundleCode, params: MsgParams = {}): Msg {
  return { key: code, params, text: formatMessage(code, params) };
}

/** An OutpostError whose details are the message parameters (the UI re-translates from them). */
export function bundleError(code: BundleCode, params: MsgParams = {}, extra?: Record<string, unknown>): OutpostError {
  return new OutpostError(code, formatMessage(code, params), { ...params, ...extra });
}
