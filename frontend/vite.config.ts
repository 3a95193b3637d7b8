/// <reference types="vitest/config" />
import { defineConfig } from 'vite'
import react from '@vitejs/plugin-react'
import tailwindcss from '@tailwindcss/vite'

// The BFF serves dist/ at / and the REST API under /api on :8080.
// In development Vite serves the app and forwards /api there, so the
// session cookie stays same-origin (127.0.0.1:5173) and SSE streams pass through.
const api = { '/api': { target: 'http://127.0.0.1:8080' } }

export default defineConfig({
  plugins: [react(), tailwindcss()],
  server: { host: '127.0.0.1', port: 5173, strictPort: true, proxy: api },
  preview: { host: '127.0.0.1', port: 4173, proxy: api },
  test: {
    environment: 'jsdom',
    setupFiles: ['./src/test/setup.ts'],
    include: ['src/**/*.test.{ts,tsx}'],
  },
})
