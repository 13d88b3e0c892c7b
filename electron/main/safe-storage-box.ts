import { safeStorage } from 'electron';
import { foreignSecret, type SecretBox } from '../core/secrets';

const PREFIX = 'ss1:';

/**
 * Secrets through the OS keychain (DPAPI, Keychain, libsecret). Blobs written by the CLI's
 * key file stay readable through `fallback`, so a store shared with the CLI keeps working.
 */
export function safeStorageBox(fallback: SecretBox): SecretBox {
  return {
    scheme: 'safe-storage',
    encrypt: (plain) => PREFIX + safeStorage.encryptString(plain).toString('base64'),
    decrypt(blob) {
      if (blob.startsWith(PREFIX)) return safeStorage.decryptString(Buffer.from(blob.slice(PREFIX.length), 'base64'));
      try {
        return fallback.decrypt(blob);
      } catch {
        throw foreignSecret(blob);
      }
    },
  };
}
