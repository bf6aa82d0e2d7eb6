// Type-checked lint rules (docs/conventions.md#lint); module boundaries (docs/conventions.md#boundaries)
// are enforced with no-restricted-imports.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

/** What libs/ may not import (more for some folders): HTTP types and exceptions. */
const libsRestrictions = (paths) => ({
  paths: [{ name: 'express', message: 'libs/ never depends on HTTP types.' }, ...paths],
  patterns: [
    {
      group: ['@nestjs/common', '@nestjs/common/*'],
      importNamePattern: 'Exception$',
      message: 'libs/ throws DomainError, never HTTP exceptions.',
    },
  ],
});

export default tseslint.config(
  {
    ignores: [
      'dist/**',
      'node_modules/**',
      'coverage/**',
      'test/fixtures/**',
      'bench/fixtures/**',
      '**/*.js',
      '**/*.mjs',
    ],
  },
  js.configs.recommended,
  ...tseslint.configs.recommendedTypeChecked,
  {
    languageOptions: {
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
    },
    rules: {
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/switch-exhaustiveness-check': 'error',
      '@typescript-eslint/no-explicit-any': 'error',
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_' },
      ],
      '@typescript-eslint/no-extraneous-class': 'off',
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              group: ['**/libs/domain/*/**', '@wharf/*/**', '!@wharf/platform/*'],
              message: 'Import a context only through its index (@wharf/<context>).',
            },
          ],
          paths: [
            {
              name: 'dockerode',
              message:
                'dockerode is imported only by libs/platform/runtime/docker-container.runtime.ts.',
            },
            {
              name: 'ioredis',
              message:
                'Redis connections come from RedisConnections (@wharf/platform/redis), which also exports the Redis type.',
            },
          ],
        },
      ],
    },
  },
  {
    files: ['libs/platform/runtime/docker-container.runtime.ts', 'libs/platform/redis/*.ts'],
    rules: { 'no-restricted-imports': 'off' },
  },
  {
    files: ['libs/**/*.ts'],
    ignores: ['libs/**/*.spec.ts'],
    rules: {
      '@typescript-eslint/no-restricted-imports': ['error', libsRestrictions([])],
    },
  },
  {
    // Use cases know nothing of the queue: apps/worker's handlers call them (docs/architecture.md#jobs).
    files: ['libs/domain/**/*.ts'],
    rules: {
      '@typescript-eslint/no-restricted-imports': [
        'error',
        libsRestrictions([
          {
            name: 'bullmq',
            message:
              'libs/domain knows nothing of BullMQ: job handlers live in apps/worker, and a DomainError is never retried.',
          },
        ]),
      ],
    },
  },
  {
    files: ['test/**/*.ts', '**/*.spec.ts'],
    rules: { '@typescript-eslint/unbound-method': 'off' },
  },
);
