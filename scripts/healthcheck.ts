// Container health check (Dockerfile HEALTHCHECK): exits 0 when the process in this container answers healthy.
// The worker answers on WORKER_HEALTH_PORT (/health: polling its task queue); the api on PORT (/ready).
export {};
const url = process.env.WORKER_HEALTH_PORT
  ? `http://127.0.0.1:${process.env.WORKER_HEALTH_PORT}/health`
  : `http://127.0.0.1:${process.env.PORT ?? '3000'}/ready`;

try {
  const res = await fetch(url, { signal: AbortSignal.timeout(4000) });
  process.exit(res.ok ? 0 : 1);
} catch {
  process.exit(1);
}
