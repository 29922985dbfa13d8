import type { FastifyInstance, FastifyRequest } from 'fastify';
import {
  assertAdmin,
  authenticate,
  ERRORS,
  errorResponses,
  requireIdentity,
  requireService,
  type ServiceTokenVerifier,
  type TokenVerifier,
} from '@emporium/kit';
import { IdParams } from '../catalog/product-schemas.ts';
import type { ImageUploadService } from './image-upload-service.ts';
import {
  ProcessedAnswer,
  ProcessedBody,
  RejectedBody,
  UploadListQuery,
  UploadPage,
  UploadRequest,
  UploadSchema,
  UploadTicket,
} from './image-upload-schemas.ts';

/** Admin: ask for a presigned upload, see what became of uploads. Internal: the image function reports. */
export function imageUploadRoutes(
  app: FastifyInstance,
  images: ImageUploadService,
  verify: TokenVerifier,
  verifyService: ServiceTokenVerifier,
): void {
  const tags = ['products'];
  const security = [{ bearer: [] }];
  const preHandler = [authenticate(verify), async (req: FastifyRequest) => assertAdmin(requireIdentity(req))];

  app.post<{ Params: IdParams; Body: UploadRequest }>(
    '/api/products/:id/image-upload',
    {
      preHandler,
      schema: {
        tags,
        security,
        summary: 'A presigned upload of a product picture (admin)',
        params: IdParams,
        body: UploadRequest,
        response: { 201: UploadTicket, ...errorResponses(ERRORS.body, ERRORS.admin, 404) },
      },
    },
    async (req, reply) => reply.status(201).send(await images.requestUpload(req.params.id, req.body)),
  );

  app.get<{ Params: IdParams; Querystring: UploadListQuery }>(
    '/api/products/:id/image-uploads',
    {
      preHandler,
      schema: {
        tags,
        security,
        summary: "A product's picture uploads and what became of each, newest first (admin)",
        params: IdParams,
        querystring: UploadListQuery,
        response: { 200: UploadPage, ...errorResponses(400, ERRORS.admin, 404) },
      },
    },
    async (req) => images.listUploads(req.params.id, req.query.limit, req.query.cursor),
  );

  // The product-images function only; onRequest so a caller without its credential learns nothing.
  const onRequest = requireService(verifyService, ['product-images']);
  const internal = { tags: ['internal'], hide: true, params: IdParams };
  app.post<{ Params: IdParams; Body: ProcessedBody }>(
    '/internal/products/:id/images',
    { onRequest, schema: { ...internal, body: ProcessedBody, response: { 200: ProcessedAnswer } } },
    async (req) => images.recordProcessed(req.params.id, req.body),
  );
  app.post<{ Params: IdParams; Body: RejectedBody }>(
    '/internal/products/:id/image-rejections',
    { onRequest, schema: { ...internal, body: RejectedBody, response: { 200: UploadSchema } } },
    async (req) => images.recordRejected(req.params.id, req.body),
  );
}
