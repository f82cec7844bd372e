import { defineConfig } from 'vite';

// One library, two formats: an ES module and a UMD bundle exposing `window.Connector`, built into
// `public/`, the folder a commercetools Connect assets application serves. Source maps only when
// asked (ENABLER_SOURCEMAP=true): the served bundle carries none.
export default defineConfig({
  // public/ is the output, not a folder of static files to copy into it.
  publicDir: false,
  build: {
    outDir: 'public',
    emptyOutDir: true,
    lib: {
      entry: 'src/main.ts',
      name: 'Connector',
      formats: ['es', 'umd'],
      fileName: (format) => `connector-enabler.${format}.js`,
    },
    sourcemap: process.env.ENABLER_SOURCEMAP === 'true',
    target: 'es2022',
    minify: true,
  },
});
