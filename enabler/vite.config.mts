import { defineConfig } from 'vite';

// One library, two formats: an ES module and a UMD bundle exposing `window.Connector`.
export default defineConfig({
  build: {
    lib: {
      entry: 'src/main.ts',
      name: 'Connector',
      formats: ['es', 'umd'],
      fileName: (format) => `connector-enabler.${format}.js`,
    },
    sourcemap: true,
    target: 'es2020',
    minify: true,
  },
});
