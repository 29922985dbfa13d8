/** The slice of a logger the messaging code writes to: a service's pino or Fastify logger both fit. */
export interface LogLike {
  warn(obj: object, msg?: string): void;
  error(obj: object, msg?: string): void;
}
