import tseslint from 'typescript-eslint';
import reactHooks from 'eslint-plugin-react-hooks';

const noElectron = {
  paths: [{ name: 'electron', message: 'Only src/main/index.ts, src/main/shell and src/preload may import electron.' }],
  patterns: [{ group: ['electron/*'], message: 'Only the Electron shell may import electron.' }],
};
const noNode = {
  paths: [{ name: 'electron', message: 'src/shared and the renderer run without Electron.' }],
  patterns: [
    { group: ['node:*'], message: 'src/shared and the renderer must not import node:* modules.' },
    { group: ['electron/*'], message: 'src/shared and the renderer run without Electron.' },
  ],
};

export default tseslint.config(
  { ignores: ['out/**', 'dist/**', 'node_modules/**', 'docs/**', 'resources/**'] },
  ...tseslint.configs.recommended,
  {
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/no-non-null-assertion': 'off',
    },
  },
  { files: ['src/main/engine/**/*.ts', 'src/main/cli/**/*.ts'], rules: { 'no-restricted-imports': ['error', noElectron] } },
  { files: ['src/shared/**/*.ts', 'src/renderer/**/*.{ts,tsx}'], rules: { 'no-restricted-imports': ['error', noNode] } },
  {
    files: ['src/renderer/**/*.{ts,tsx}'],
    plugins: { 'react-hooks': reactHooks },
    rules: { 'react-hooks/rules-of-hooks': 'error', 'react-hooks/exhaustive-deps': 'warn' },
  },
);
