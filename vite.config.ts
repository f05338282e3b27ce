import { defineConfig } from 'vite';

/**
 * The script-tag bundle: one ES module at dist/cdn/guildkit.js, plus lazily loaded chunks beside it
 * for code only some views need.
 */
export default defineConfig({
  define: { 'process.env.NODE_ENV': '"production"' },
  build: {
    outDir: 'dist/cdn',
    emptyOutDir: true,
    target: 'es2022',
    sourcemap: true,
    lib: {
      entry: 'src/all.ts',
      formats: ['es'],
      fileName: () => 'guildkit.js',
    },
    rolldownOptions: {
      preserveEntrySignatures: 'allow-extension',
      output: {
        minify: true,
        chunkFileNames: 'chunks/[name]-[hash].js',
      },
    },
  },
});
