import {
  buildServiceApp,
  createServiceVerifier,
  createTokenVerifier,
  pingDatabase,
  type Pool,
  type ServiceApp,
} from '@emporium/kit';
import type { DestinationStream } from 'pino';
import { createAuthRepository } from './auth/auth-repository.ts';
import { authRoutes } from './auth/auth-routes.ts';
import { createAuthService } from './auth/auth-service.ts';
import { createTokenIssuer } from './auth/auth-tokens.ts';
import { createLoginGuard } from './auth/login-guard.ts';
import { createPasswordHasher } from './auth/password-hasher.ts';
import type { UsersConfig } from './config.ts';
import { databaseUnavailable, isDatabaseUnavailable } from './database-errors.ts';
import { createUserRepository } from './users/user-repository.ts';
import { createPreferenceRepository } from './preferences/preference-repository.ts';
import { preferenceRoutes } from './preferences/preference-routes.ts';
import { createPreferenceService } from './preferences/preference-service.ts';
import { userRoutes } from './users/user-routes.ts';
import { createUserService, type UserService } from './users/user-service.ts';

export interface UsersDeps {
  pool: Pool;
  logStream?: DestinationStream;
}

export async function buildApp(
  config: UsersConfig,
  deps: UsersDeps,
): Promise<ServiceApp & { userService: UserService }> {
  const app = await buildServiceApp({
    service: 'users',
    logLevel: config.logLevel,
    logStream: deps.logStream,
    bodyLimitBytes: 64 * 1024,
    healthTimeoutMs: config.healthTimeoutMs,
    readinessChecks: { postgres: () => pingDatabase(deps.pool) },
  });
  const users = createUserRepository(deps.pool);
  const authRepo = createAuthRepository(deps.pool);
  const issuer = await createTokenIssuer(config.jwtPrivateKey, config.accessTokenTtlSeconds);
  // This service holds the key, so it checks tokens against its own JWKS without a network call.
  const verify = createTokenVerifier({ jwks: issuer.jwks });

  const hasher = createPasswordHasher({ cost: config.bcryptCost, concurrency: config.bcryptConcurrency });
  const limits = {
    maxFailures: config.loginMaxFailures,
    windowSeconds: config.loginWindowSeconds,
    lockSeconds: config.loginLockSeconds,
  };
  const guard = createLoginGuard({ auth: authRepo, hasher, limits });
  const userService = createUserService({ pool: deps.pool, users, auth: authRepo, hasher, guard });
  const authService = createAuthService({
    pool: deps.pool,
    users,
    auth: authRepo,
    issuer,
    guard,
    hasher,
    refreshTtlSeconds: config.refreshTokenTtlSeconds,
    resetTtlSeconds: config.resetTokenTtlSeconds,
  });

  await app.register(async (scope) => {
    // Rethrown errors go on to the kit's problem+json handler; only an unreachable database is reclassified.
    scope.setErrorHandler((err) => {
      throw isDatabaseUnavailable(err) ? databaseUnavailable(err) : err;
    });
    authRoutes(scope, authService, issuer.jwks);
    userRoutes(scope, userService, verify);
    const verifyService = createServiceVerifier({ service: 'users', trusted: config.trustedServiceKeys });
    const prefs = createPreferenceService({ repo: createPreferenceRepository(deps.pool) });
    preferenceRoutes(scope, prefs, verify, verifyService);
  });
  return Object.assign(app, { userService });
}
