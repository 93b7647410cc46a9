// The worker's health endpoint for container health checks: GET /health answers 200 while the worker runs
// (polls its task queue), 503 otherwise. Listens only when WORKER_HEALTH_PORT is set.
import { createServer, type Server } from 'node:http';
import type { Worker } from '@temporalio/worker';

export function serveWorkerHealth(worker: Worker, port: number, host = '0.0.0.0'): Promise<Server> {
  const server = createServer((req, res) => {
    const state = worker.getState();
    const status = req.url === '/health' ? (state === 'RUNNING' ? 200 : 503) : 404;
    res.writeHead(status, { 'content-type': 'application/json', connection: 'close' });
    res.end(JSON.stringify(status === 404 ? { status: 'not found' } : { status: state.toLowerCase() }));
  });
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => resolve(server));
  });
}
