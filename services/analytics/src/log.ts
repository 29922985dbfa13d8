/** The slice of a logger this service's background work writes to (pino or Fastify's logger). */
export interface LogLike {
  warn(obj: object, msg?: string): void;
  error(obj: object, msg?: string): void;
}
