import {
  buildServiceApp,
  createFlags,
  createServiceVerifier,
  createTokenVerifier,
  type Flags,
  type ServiceApp,
  type TokenVerifier,
} from '@emporium/kit';
import type { Redis } from 'ioredis';
import type { DestinationStream } from 'pino';
import { withCacheDownFlag } from './cache/cache-flags.ts';
import { createMemoryCache, createNoCache, createRedisCache } from './cache/product-cache.ts';
import { createLowStockWatch, type LowStockHook } from './catalog/low-stock.ts';
import { createProductRepository } from './catalog/product-repository.ts';
import { productRoutes } from './catalog/product-routes.ts';
import { createProductService, type ProductService } from './catalog/product-service.ts';
import type { ProductsConfig } from './config.ts';
import { createImagePresigner, type ImagePresigner } from './images/image-presigner.ts';
import { imageRoutes } from './images/image-routes.ts';
import { createImageUploadRepository } from './images/image-upload-repository.ts';
import { imageUploadRoutes } from './images/image-upload-routes.ts';
import { createImageUploadService, type ImageUploadService } from './images/image-upload-service.ts';
import { createReservationRepository } from './reservations/reservation-repository.ts';
import { catalogLatencyFlag } from './reservations/reservation-flags.ts';
import { reservationRoutes } from './reservations/reservation-routes.ts';
import { createReservationService, type ReservationService } from './reservations/reservation-service.ts';
import type { DynamoClient } from './store/dynamo-client.ts';
import { tableNames } from './store/dynamo.ts';

export interface ProductsDeps {
  db: DynamoClient;
  redis?: Redis | undefined;
  verify?: TokenVerifier;
  onLowStock?: LowStockHook;
  logStream?: DestinationStream;
  now?: () => Date;
  /** Failure flags; by default read from FLAGS_FILE (never in production). */
  flags?: Flags;
  /** Signs image uploads; by default for IMAGES_BUCKET at S3_ENDPOINT or AWS. */
  presign?: ImagePresigner;
}

export type ProductsApp = ServiceApp & {
  productService: ProductService;
  reservationService: ReservationService;
  imageUploadService: ImageUploadService;
  flags: Flags;
};

export async function buildApp(config: ProductsConfig, deps: ProductsDeps): Promise<ProductsApp> {
  const app = await buildServiceApp({
    service: 'products',
    logLevel: config.logLevel,
    logStream: deps.logStream,
    bodyLimitBytes: 64 * 1024,
    healthTimeoutMs: config.healthTimeoutMs,
    readinessChecks: {
      dynamodb: async () => void (await deps.db.send('ListTables', { Limit: 1 })),
      // Redis being down degrades reads to the store; it does not make the service unready.
    },
  });
  const tables = tableNames(config.tablePrefix);
  const repo = createProductRepository(deps.db, tables);
  const flags = deps.flags ?? (await createFlags({ service: 'products', config, log: app.log, registry: app.metrics }));
  if (!deps.flags) app.addHook('onClose', () => flags.close());
  const baseCache =
    config.cacheMode === 'off'
      ? createNoCache()
      : deps.redis
        ? createRedisCache(deps.redis, config.cacheTtlSeconds, app.metrics)
        : createMemoryCache(config.cacheTtlSeconds, app.metrics);
  const cache = flags.active ? withCacheDownFlag(baseCache, flags, app.metrics) : baseCache;
  if (flags.active) catalogLatencyFlag(app, flags);
  const onLowStock: LowStockHook =
    deps.onLowStock ??
    ((p, threshold) =>
      app.log.warn({ product_id: p.id, sku: p.sku, stock_quantity: p.stock_quantity, threshold }, 'low stock'));
  const lowStock = createLowStockWatch(config.lowStockThreshold, app.metrics, onLowStock, app.log);
  const now = deps.now ?? (() => new Date());
  const productService = createProductService({ repo, cache, lowStock, now });
  const reservationService = createReservationService({
    reservations: createReservationRepository(deps.db, tables),
    products: repo,
    cache,
    lowStock,
    ttlSeconds: config.reservationTtlSeconds,
    now,
  });
  const imageUploadService = createImageUploadService({
    uploads: createImageUploadRepository(deps.db, tables),
    products: repo,
    cache,
    presign: deps.presign ?? presignerFor(config),
    assetsBaseUrl: config.assetsBaseUrl,
    maxBytes: config.imageUploadMaxBytes,
    now,
  });
  const verify = deps.verify ?? createTokenVerifier({ jwksUrl: config.jwksUrl });

  imageRoutes(app, productService);
  productRoutes(app, productService, verify);
  const verifyService = createServiceVerifier({ service: 'products', trusted: config.trustedServiceKeys });
  reservationRoutes(app, reservationService, verifyService);
  imageUploadRoutes(app, imageUploadService, verify, verifyService);
  return Object.assign(app, { productService, reservationService, imageUploadService, flags });
}

function presignerFor(config: ProductsConfig): ImagePresigner {
  const { s3AccessKeyId: accessKeyId, s3SecretAccessKey: secretAccessKey } = config;
  return createImagePresigner({
    bucket: config.imagesBucket,
    region: config.awsRegion,
    endpoint: config.s3Endpoint,
    credentials: accessKeyId && secretAccessKey ? { accessKeyId, secretAccessKey } : undefined,
    expiresSeconds: config.imageUploadExpiresSeconds,
  });
}
