import type { FastifyInstance } from 'fastify';

export interface RunOptions {
  port: number;
  host: string;
  /** Closes pools and clients after the HTTP server has drained. */
  onShutdown?: () => Promise<void>;
  /** Time given to in-flight requests before the process exits anyway. */
  shutdownGraceMs?: number;
  /** Exit when the parent process (the local platform launcher) is gone. */
  exitWithParent?: boolean;
}

/** Listens, then on SIGTERM/SIGINT fails readiness, drains in-flight requests, closes resources and exits. */
export async function runService(app: FastifyInstance, options: RunOptions): Promise<void> {
  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    app.log.info({ signal }, 'shutting down');
    app.draining = true;
    const timer = setTimeout(() => {
      app.log.error('shutdown grace period exceeded; exiting');
      process.exit(1);
    }, options.shutdownGraceMs ?? 10_000);
    timer.unref();
    try {
      await app.close();
      await options.onShutdown?.();
      process.exit(0);
    } catch (err) {
      app.log.error({ err }, 'shutdown failed');
      process.exit(1);
    }
  };
  process.on('SIGTERM', () => void stop('SIGTERM'));
  process.on('SIGINT', () => void stop('SIGINT'));
  if (options.exitWithParent) watchParent(() => void stop('parent-exit'));
  await app.listen({ port: options.port, host: options.host });
}

// When the local platform launcher dies without a chance to signal us, do not live on as an orphan.
function watchParent(onGone: () => void): void {
  const parent = process.ppid;
  setInterval(() => {
    if (process.ppid !== parent) onGone();
  }, 1000).unref();
}
