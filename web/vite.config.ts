import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';

const root = fileURLToPath(new URL('..', import.meta.url));

// The front end is built into web/dist and served by `kith serve` itself.
export default defineConfig({
  root: 'web',
  base: '/',
  // Caches live with the other npm files at the top of the tree (git-ignored).
  cacheDir: '../node_modules/.vite',
  esbuild: { jsx: 'automatic', jsxImportSource: 'preact' },
  css: {
    preprocessorOptions: {
      scss: { loadPaths: [`${root}node_modules`], quietDeps: true },
    },
  },
  resolve: {
    alias: { react: 'preact/compat', 'react-dom': 'preact/compat' },
  },
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    sourcemap: false,
    // No inline scripts or styles, so the Content-Security-Policy needs no 'unsafe-inline'.
    assetsInlineLimit: 0,
    modulePreload: { polyfill: false },
    chunkSizeWarningLimit: 400,
  },
  test: {
    environment: 'jsdom',
    root: 'web',
    include: ['src/**/*.test.{ts,tsx}'],
    setupFiles: ['src/test/setup.ts'],
  },
});
