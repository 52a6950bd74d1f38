import { defineConfig } from 'vite';

// The front end is built into web/dist and served by `kith serve` itself.
export default defineConfig({
  root: 'web',
  base: '/',
  esbuild: { jsxFactory: 'h', jsxFragment: 'Fragment', jsxInject: `import { h, Fragment } from 'preact'` },
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    sourcemap: false,
    // No inline scripts or styles, so the Content-Security-Policy needs no 'unsafe-inline'.
    assetsInlineLimit: 0,
    modulePreload: { polyfill: false },
  },
  test: {
    environment: 'jsdom',
    include: ['src/**/*.test.{ts,tsx}'],
  },
});
