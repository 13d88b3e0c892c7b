import tseslint from 'typescript-eslint';

// Lint enforces the layers (VS Code's code-layering idea), not taste: the core stays plain Node,
// the renderer reaches the core only through the contract's types and the small client modules.
export default tseslint.config(
  { ignores: ['dist/**', 'node_modules/**', 'release/**', 'test-results/**', 'test/cluster/**/*.go', '**/*.js', '**/*.mjs', '**/*.cjs'] },
  {
    files: ['**/*.ts', '**/*.tsx'],
    languageOptions: { parser: tseslint.parser },
    plugins: { '@typescript-eslint': tseslint.plugin },
    rules: {
      'no-debugger': 'error',
      'no-var': 'error',
      'prefer-const': 'error',
    },
  },
  {
    files: ['electron/core/**/*.ts', 'electron/cli/**/*.ts'],
    rules: {
      'no-restricted-imports': ['error', { paths: [{ name: 'electron', message: 'electron/core and the CLI are plain Node: only electron/main and electron/preload may import electron.' }] }],
    },
  },
  {
    files: ['renderer/**/*.ts', 'renderer/**/*.tsx'],
    rules: {
      // typescript-eslint's variant lets `import type` through: types are the shared contract.
      '@typescript-eslint/no-restricted-imports': ['error', {
        paths: [{ name: 'electron', message: 'The renderer talks only to the typed API.' }],
        patterns: [
          { group: ['node:*'], message: 'The renderer runs in a sandbox: no Node modules.' },
          { regex: 'electron/core/(?!api/(types|client|ws-client|errors|wire)$|util/format-bytes$|i18n/locales/)', allowTypeImports: true, message: 'The renderer may import from the core only the contract types and the API client modules.' },
        ],
      }],
    },
  },
);
