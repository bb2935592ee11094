// The dashboard's build: static files in dist/ui, served by the CSMS itself at / (no second server).
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';

export default defineConfig({
  root: fileURLToPath(new URL('.', import.meta.url)),
  base: './',
  esbuild: { jsx: 'automatic', jsxImportSource: 'preact' },
  build: {
    outDir: fileURLToPath(new URL('../../dist/ui', import.meta.url)),
    emptyOutDir: true,
    // Everything bundled: the dashboard makes no request outside its own server.
    assetsInlineLimit: 0,
  },
});
