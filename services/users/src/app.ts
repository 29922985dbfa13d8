import { buildServiceApp, createTokenVerifier, pingDatabase, type Pool, type ServiceApp } from '@emporium/kit';
import type { DestinationStream } from 'pino';
import { createAuthRepository } from './auth/auth-repository.ts';
import { authRoutes } from './auth/auth-routes.ts';
import { createAuthService, type PasswordResetNotifier } from './auth/auth-service.ts';
import { createTokenIssuer } from './auth/auth-tokens.ts';
import type { UsersConfig } from './config.ts';
import { createUserRepository } from './users/user-repository.ts';
import { userRoutes } from './users/user-routes.ts';
import { createUserService, type UserService } from './users/user-service.ts';

export interface UsersDeps {
  pool: Pool;
  notifier: PasswordResetNotifier;
  logStream?: DestinationStream;
}

export async function buildApp(config: UsersConfig, deps: UsersDeps): Promise<ServiceApp & { userService: UserService }> {
  const app = await buildServiceApp({
    service: 'users',
    logLevel: config.logLevel,
    logStream: deps.logStream,
    bodyLimitBytes: 64 * 1024,
    readinessChecks: { postgres: () => pingDatabase(deps.pool) },
  });
  const users = createUserRepository(deps.pool);
  const authRepo = createAuthRepository(deps.pool);
  const issuer = await createTokenIssuer(config.jwtPrivateKey, config.accessTokenTtlSeconds);
  // This service holds the key, so it checks tokens against its own JWKS without a network call.
  const verify = createTokenVerifier({ jwks: issuer.jwks });

  const userService = createUserService({ pool: deps.pool, users, auth: authRepo, bcryptCost: config.bcryptCost });
  const authService = createAuthService({
    pool: deps.pool,
    users,
    auth: authRepo,
    issuer,
    notifier: deps.notifier,
    bcryptCost: config.bcryptCost,
    refreshTtlSeconds: config.refreshTokenTtlSeconds,
    resetTtlSeconds: config.resetTokenTtlSeconds,
    limits: { maxFailures: config.loginMaxFailures, windowSeconds: config.loginWindowSeconds, lockSeconds: config.loginLockSeconds },
  });

  authRoutes(app, authService, issuer.jwks);
  userRoutes(app, userService, verify);
  return Object.assign(app, { userService });
}
