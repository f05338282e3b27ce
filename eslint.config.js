import js from '@eslint/js';
import { configs as litConfigs } from 'eslint-plugin-lit';
import litA11y from 'eslint-plugin-lit-a11y';
import { configs as wcConfigs } from 'eslint-plugin-wc';
import globals from 'globals';
import tseslint from 'typescript-eslint';

/** Ways to turn a string into markup. User content must never reach one (see DESIGN.md, non-negotiable 1). */
const htmlSinks = [
  { selector: "MemberExpression[property.name=/^(innerHTML|outerHTML)$/]", message: 'No HTML sinks: render user content as text or Lit templates.' },
  { selector: "CallExpression[callee.property.name='insertAdjacentHTML']", message: 'No HTML sinks: render user content as text or Lit templates.' },
  { selector: "CallExpression[callee.object.name='document'][callee.property.name=/^(write|writeln)$/]", message: 'No document.write.' },
  { selector: "ImportSpecifier[imported.name=/^(unsafeHTML|unsafeSVG|unsafeStatic)$/]", message: 'No unsafe Lit directives.' },
];

export default tseslint.config(
  { ignores: ['dist/', '**/*.d.mts', 'node_modules/', 'storybook-static/', 'custom-elements.json', 'src/api/schema.ts', 'data/'] },
  js.configs.recommended,
  ...tseslint.configs.recommendedTypeChecked,
  {
    languageOptions: {
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
    },
    rules: {
      // Lit binds event listeners in templates to the element.
      '@typescript-eslint/unbound-method': 'off',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_' }],
    },
  },
  {
    files: ['src/**/*.ts', 'stories/**/*.ts'],
    ...litConfigs['flat/recommended'],
  },
  {
    files: ['src/**/*.ts', 'stories/**/*.ts'],
    ...wcConfigs['flat/recommended'],
  },
  {
    files: ['src/**/*.ts', 'stories/**/*.ts'],
    plugins: { 'lit-a11y': litA11y },
    rules: { ...litA11y.configs.recommended.rules },
  },
  {
    files: ['src/**/*.ts'],
    rules: {
      'no-restricted-syntax': [
        'error',
        ...htmlSinks,
        { selector: "NewExpression[callee.name='DOMParser']", message: 'No HTML parsing of strings.' },
        { selector: "CallExpression[callee.property.name=/^(createContextualFragment|setHTMLUnsafe|parseHTMLUnsafe)$/]", message: 'No HTML parsing of strings.' },
        { selector: "MemberExpression[property.name='srcdoc']", message: 'No srcdoc.' },
      ],
      'no-restricted-imports': ['error', { patterns: [{ group: ['lit/directives/unsafe-*', 'lit-html/directives/unsafe-*'], message: 'No unsafe Lit directives.' }] }],
    },
  },
  {
    files: ['test/**/*.ts', 'stories/**/*.ts'],
    rules: {
      '@typescript-eslint/no-floating-promises': 'off',
      '@typescript-eslint/no-unused-expressions': 'off',
      '@typescript-eslint/no-non-null-assertion': 'off',
    },
  },
  {
    // Build and tool scripts: plain JavaScript, linted without type information.
    files: ['**/*.js', '**/*.mjs'],
    ...tseslint.configs.disableTypeChecked,
    languageOptions: {
      ...tseslint.configs.disableTypeChecked.languageOptions,
      globals: globals.node,
    },
  },
);
