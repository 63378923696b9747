// Type-aware lint at zero warnings. The rules files are the product: an import limit keeps them pure.
import js from '@eslint/js';
import globals from 'globals';
import tseslint from 'typescript-eslint';
import reactHooks from 'eslint-plugin-react-hooks';

export default tseslint.config(
  {
    ignores: [
      'node_modules/',
      'dist/',
      'src/generated/',
      'web/dist/',
      'web/src/api/schema.d.ts',
      'test-results/',
      'bench/out/',
      'coverage/',
      '.data/',
      '.data-test/',
    ],
  },
  js.configs.recommended,
  ...tseslint.configs.recommendedTypeChecked,
  {
    languageOptions: { parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname } },
    rules: {
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/switch-exhaustiveness-check': 'error',
      '@typescript-eslint/consistent-type-imports': ['error', { fixStyle: 'inline-type-imports' }],
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      'no-console': 'error',
      // Fastify plugins and handlers are async by contract even when they do not await.
      '@typescript-eslint/require-await': 'off',
    },
  },
  {
    files: ['src/**/*.rules.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            { regex: '^(?!luxon$|\\./[a-z-]+\\.rules\\.ts$)', message: 'Rules are pure: import only luxon and other *.rules.ts files.' },
          ],
        },
      ],
      'no-restricted-globals': ['error', { name: 'process', message: 'Rules take their inputs as parameters.' }],
      'no-restricted-syntax': [
        'error',
        { selector: "MemberExpression[object.name='Date'][property.name='now']", message: 'Rules take "today" as a parameter.' },
      ],
    },
  },
  {
    // The pure halves of the interoperability doors (FHIR mappers and search, CDS cards): no I/O, no clock.
    files: [
      'src/modules/fhir/fhir.mappers.ts',
      'src/modules/fhir/fhir-search.ts',
      'src/modules/fhir/fhir-codes.ts',
      'src/modules/cds-hooks/cds-cards.ts',
    ],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              regex: '^(?!luxon$|zod$|\\./[a-z.-]+\\.ts$|\\.\\./fhir/fhir-codes\\.ts$)',
              message: 'Mappers and card builders are pure: import only luxon, zod and their own module.',
            },
          ],
        },
      ],
      'no-restricted-globals': ['error', { name: 'process', message: 'Take inputs as parameters.' }],
      'no-restricted-syntax': [
        'error',
        { selector: "MemberExpression[object.name='Date'][property.name='now']", message: 'Take "now" as a parameter.' },
      ],
    },
  },
  {
    files: ['test/**/*.ts', 'bench/**/*.ts', 'scripts/**/*.ts', 'scripts/**/*.mjs'],
    rules: {
      '@typescript-eslint/no-explicit-any': 'off',
      '@typescript-eslint/no-unsafe-member-access': 'off',
      '@typescript-eslint/no-unsafe-assignment': 'off',
      '@typescript-eslint/no-unsafe-argument': 'off',
      '@typescript-eslint/no-unsafe-call': 'off',
      '@typescript-eslint/no-unsafe-return': 'off',
      '@typescript-eslint/no-non-null-assertion': 'off',
      'no-console': 'off',
    },
  },
  // The dashboard (typed by web/tsconfig.json): the rules of hooks, and no console in the browser.
  { files: ['web/**/*.{ts,tsx}'], ...reactHooks.configs.flat.recommended },
  { files: ['**/*.js', '**/*.mjs'], ...tseslint.configs.disableTypeChecked },
  { files: ['**/*.js', '**/*.mjs'], languageOptions: { globals: globals.node } },
);
