import js from '@eslint/js';
import tseslint from 'typescript-eslint';

const barrelMessage =
  'Import provider resources from their deep path (e.g. "@cdktf/provider-aws/lib/s3-bucket"): the barrel costs ~4 s and 550 MB per process.';

export default tseslint.config(
  { ignores: ['node_modules/**', 'cdktf.out/**', '.build/**', 'coverage/**', 'bench/conventional/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    files: ['**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: [
            { name: '@cdktf/provider-aws', message: barrelMessage },
            { name: '@cdktf/provider-random', message: barrelMessage },
            { name: '@cdktf/provider-aws/lib', message: barrelMessage },
            { name: '@cdktf/provider-aws/lib/index', message: barrelMessage },
            { name: '@cdktf/provider-random/lib', message: barrelMessage },
            { name: '@cdktf/provider-random/lib/index', message: barrelMessage },
          ],
          patterns: [{ group: ['cdktf/lib/*'], message: 'cdktf internals are imported only in src/cdktf-internals.ts (docs/cdktf-exit.md).' }],
        },
      ],
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_' }],
    },
  },
  {
    files: ['**/*.js', '**/*.cjs'],
    languageOptions: { sourceType: 'commonjs', globals: { require: 'readonly', module: 'writable', process: 'readonly', __dirname: 'readonly', console: 'readonly' } },
    rules: { '@typescript-eslint/no-require-imports': 'off' },
  },
);
