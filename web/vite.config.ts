import { defineConfig } from 'vite';

// Two single-page apps from one build, sharing chunks (React, the router, the API client): the storefront
// (index.html, served at /) and the admin console (admin/index.html, served at /admin).
export default defineConfig({
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    target: 'es2022',
    rollupOptions: {
      input: { store: 'index.html', admin: 'admin/index.html' },
      // React Query marks its modules "use client" for server-component bundlers; meaningless in this build.
      onwarn(warning, warn) {
        if (warning.code !== 'MODULE_LEVEL_DIRECTIVE') warn(warning);
      },
    },
  },
  // `npm run dev -w web`: the API comes from a running `npm start`.
  server: { host: '127.0.0.1', proxy: { '/api': 'http://127.0.0.1:5000' } },
});
