import minifyLiterals from '@lit-labs/rollup-plugin-minify-html-literals';
import { defineConfig, type Plugin } from 'vite';

/**
 * The script-tag bundle: one ES module at dist/cdn/guildkit.js, plus lazily loaded chunks beside it
 * for code only some views need.
 */
export default defineConfig({
  // Lit's own minifier for Guildkit's html`` and css`` templates, which a JavaScript minifier leaves as
  // written (only src/: Storybook builds with this config too, and its own templates are not Lit's).
  plugins: [{ ...(minifyLiterals({ failOnError: true, filter: (id) => /\/src\/.*\.ts$/.test(id) && !id.includes('node_modules') }) as unknown as Plugin), enforce: 'pre' }],
  define: { 'process.env.NODE_ENV': '"production"' },
  build: {
    outDir: 'dist/cdn',
    emptyOutDir: true,
    target: 'es2022',
    sourcemap: true,
    lib: {
      entry: 'src/cdn.ts',
      formats: ['es'],
      fileName: () => 'guildkit.js',
    },
    rolldownOptions: {
      preserveEntrySignatures: 'allow-extension',
      output: {
        minify: true,
        // Chunks named for what they hold: `kudos-button-…js`, `kudos-button.de-…js`, `shared.de-…js`.
        chunkFileNames: ({ facadeModuleId }) => {
          const translation = /elements\/([^/]+)\/messages\.([a-z-]+)\.ts$/.exec(facadeModuleId ?? '');
          if (translation) return `chunks/${translation[1]}.${translation[2]}-[hash].js`;
          const shared = /internal\/messages\/([a-z-]+)\.ts$/.exec(facadeModuleId ?? '');
          if (shared) return `chunks/shared.${shared[1]}-[hash].js`;
          return 'chunks/[name]-[hash].js';
        },
      },
    },
  },
});
