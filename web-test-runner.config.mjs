// Browser tests in Debian's Chromium (never a downloaded browser), one file per element.
import { esbuildPlugin } from '@web/dev-server-esbuild';
import { chromeLauncher } from '@web/test-runner-chrome';
import { chromiumArgs, chromiumPath } from './test/support/chromium.mjs';
import { contractCheckMiddleware } from './test/support/contract-check.mjs';

const chromiumFlags = [...chromiumArgs, '--lang=en-US'];

/** @type {import('@web/test-runner').TestRunnerConfig} */
export default {
  files: ['test/browser/**/*.test.ts'],
  // Lit's production build: its dev-mode banner would print on every run.
  nodeResolve: { exportConditions: ['production'] },
  // One page at a time: a page in the background gets no animation frames, and fixtures wait for one.
  concurrency: 1,
  testFramework: { config: { timeout: 10000 } },
  // Every answer a widget sees in a test is checked against api.yaml (see test/browser/mock-api.ts).
  middleware: [contractCheckMiddleware()],
  plugins: [esbuildPlugin({ ts: true, target: 'es2022', tsconfig: 'tsconfig.json' })],
  browsers: [
    chromeLauncher({
      launchOptions: {
        executablePath: chromiumPath,
        headless: true,
        args: chromiumFlags,
        env: { ...process.env, TZ: 'UTC' },
      },
    }),
  ],
  // nanostores reads process.env.NODE_ENV; a browser page has no `process`.
  testRunnerHtml: (testFramework) => `<!doctype html>
    <html lang="en">
      <head><script>window.process = { env: { NODE_ENV: 'development' } };</script></head>
      <body><script type="module" src="${testFramework}"></script></body>
    </html>`,
};
