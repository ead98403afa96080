// Vite builds web/dist (index.html at the root, hashed assets under dist/assets/) for `weft serve`
// to embed. The served CSP is script-src 'self' / style-src 'self': nothing here may emit an
// inline script or style, and no dependency may need eval at run time.
import react from "@vitejs/plugin-react";
import { defineConfig } from "vitest/config";

export default defineConfig({
  plugins: [react()],
  base: "/",
  build: {
    outDir: "dist",
    assetsDir: "assets",
    emptyOutDir: true,
    // The preload polyfill would be inlined into index.html's module graph; every browser we
    // support has modulepreload.
    modulePreload: { polyfill: false },
    // Inlined assets would become data: URLs; keep every asset a file under the CSP.
    assetsInlineLimit: 0,
    sourcemap: false,
  },
  server: {
    proxy: { "/api": "http://127.0.0.1:8080" },
  },
  test: {
    include: ["src/**/*.test.ts", "src/**/*.test.tsx"],
    environment: "node",
  },
});
