export { buildServiceApp, type ServiceApp, type ServiceAppOptions } from './app.ts';
export {
  authenticate,
  assertAdmin,
  assertSelfOrAdmin,
  bearerToken,
  createTokenVerifier,
  isAdmin,
  notFoundError,
  requireIdentity,
  SERVICE_TOKEN_TYPE,
  TOKEN_AUDIENCE,
  TOKEN_ISSUER,
  type Identity,
  type Role,
  type TokenVerifier,
} from './auth.ts';
export { WindowCountBreaker } from './breaker.ts';
export {
  bool,
  ConfigError,
  databaseSettings,
  databaseTimeoutSettings,
  int,
  loadConfig,
  oneOf,
  parsed,
  readConfigOrExit,
  serverSettings,
  str,
  url,
  type ConfigOf,
} from './config.ts';
export { currentRequestId, requestContext } from './context.ts';
export {
  createPool,
  DEFAULT_DATABASE_TIMEOUTS,
  checkOut,
  isUniqueViolation,
  pingDatabase,
  warmPool,
  withTransaction,
  type DatabaseTimeouts,
  type Pool,
  type PoolClient,
  type Queryable,
} from './db.ts';
export { DomainError, isDomainError, type ErrorKind, type FieldProblem } from './errors.ts';
export { createServiceClient, type CallOptions, type ServiceClient, type ServiceResponse } from './http-client.ts';
export { censorSecrets, createLogger, type Logger } from './logger.ts';
export { Counter, Gauge, Histogram, sharedMetric, type Registry } from './metrics.ts';
export { migrateCli, runMigrations } from './migrate.ts';
export { problemOf, statusOf, toDomainError, TRANSIENT_RETRY_AFTER_SECONDS, type Problem } from './problem.ts';
export { isTransientFailure } from './transient.ts';
export { runService, type RunOptions } from './run.ts';
export {
  createServiceCredential,
  createServiceVerifier,
  parseServicePrivateKey,
  parseTrustedServiceKeys,
  publicJwkOf,
  requireService,
  type ServiceCredential,
  type ServiceIdentity,
  type ServiceTokenVerifier,
  type TrustedServiceKeys,
} from './service-auth.ts';
export { FlagFileProvider, parseFlagFile, type FlagDefinition, type FlagSet } from './flag-file-provider.ts';
export { createFlags, FAILURE_FLAGS, flagFileTemplate, flagSettings, isProduction, offFlags } from './flags.ts';
export type { FlagConfig, FlagName, Flags } from './flags.ts';
export { watchRedis } from './redis-watch.ts';
export { ERRORS, errorResponses, NoContent, ProblemSchema, type ErrorStatus } from './openapi.ts';
export { beforeIdOf, containsPattern, idPage, instantOf } from './pagination.ts';
