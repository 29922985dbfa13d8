import type { FastifyInstance } from 'fastify';
import {
  assertAdmin,
  authenticate,
  DomainError,
  ERRORS,
  errorResponses,
  NoContent,
  requireIdentity,
  type TokenVerifier,
} from '@emporium/kit';
import { priceBound } from './product.ts';
import {
  CategoriesSchema,
  IdParams,
  ListQuerystring,
  NewProduct,
  PageSchema,
  ProductPatch,
  ProductSchema,
  SkuParams,
  StockChange,
} from './product-schemas.ts';
import type { ProductService } from './product-service.ts';

export function productRoutes(app: FastifyInstance, products: ProductService, verify: TokenVerifier): void {
  const tags = ['products'];
  const security = [{ bearer: [] }];
  const adminOnly = {
    preHandler: [
      authenticate(verify),
      async (req: Parameters<ReturnType<typeof authenticate>>[0]) => assertAdmin(requireIdentity(req)),
    ],
  };

  app.get<{ Querystring: ListQuerystring }>(
    '/api/products',
    {
      schema: { tags, querystring: ListQuerystring, response: { 200: PageSchema, ...errorResponses(400) } },
    },
    async (req) => {
      const q = req.query;
      if (q.min_price !== undefined && q.max_price !== undefined && q.min_price > q.max_price) {
        throw new DomainError('validation_failed', 'validation', 'min_price is above max_price.', {
          fields: [{ field: 'min_price', message: 'must not exceed max_price' }],
        });
      }
      return products.list({
        category: q.category,
        q: q.q,
        minPrice: priceBound(q.min_price, 'min'),
        maxPrice: priceBound(q.max_price, 'max'),
        inStock: q.in_stock,
        limit: q.limit,
        cursor: q.cursor,
      });
    },
  );

  app.get(
    '/api/products/categories',
    {
      schema: { tags, response: { 200: CategoriesSchema, ...errorResponses() } },
    },
    async () => products.categories(),
  );

  app.get<{ Params: SkuParams }>(
    '/api/products/sku/:sku',
    {
      schema: { tags, params: SkuParams, response: { 200: ProductSchema, ...errorResponses(400, 404) } },
    },
    async (req) => products.getBySku(req.params.sku),
  );

  // A cached product is the same object on every hit, so its JSON is written once, not per read.
  const serialized = new WeakMap<object, string>();
  const byId = { schema: { tags, params: IdParams, response: { 200: ProductSchema, ...errorResponses(400, 404) } } };
  app.get<{ Params: IdParams }>('/api/products/:id', byId, async (req, reply) => {
    const product = await products.get(req.params.id);
    let body = serialized.get(product);
    if (body === undefined) serialized.set(product, (body = reply.serialize(product) as string));
    return reply.type('application/json; charset=utf-8').send(body);
  });

  app.post<{ Body: NewProduct }>(
    '/api/products',
    {
      ...adminOnly,
      schema: {
        tags,
        security,
        body: NewProduct,
        response: { 201: ProductSchema, ...errorResponses(ERRORS.body, ERRORS.admin, 409) },
      },
    },
    async (req, reply) => reply.status(201).send(await products.create(req.body)),
  );

  app.put<{ Params: IdParams; Body: ProductPatch }>(
    '/api/products/:id',
    {
      ...adminOnly,
      schema: {
        tags,
        security,
        params: IdParams,
        body: ProductPatch,
        response: { 200: ProductSchema, ...errorResponses(ERRORS.body, ERRORS.admin, 404, 409) },
      },
    },
    async (req) => products.update(req.params.id, req.body),
  );

  app.delete<{ Params: IdParams }>(
    '/api/products/:id',
    {
      ...adminOnly,
      schema: {
        tags,
        security,
        params: IdParams,
        response: { 204: NoContent, ...errorResponses(400, ERRORS.admin, 404) },
      },
    },
    async (req, reply) => {
      await products.remove(req.params.id);
      return reply.status(204).send();
    },
  );

  app.patch<{ Params: IdParams; Body: StockChange }>(
    '/api/products/:id/stock',
    {
      ...adminOnly,
      schema: {
        tags,
        security,
        params: IdParams,
        body: StockChange,
        response: { 200: ProductSchema, ...errorResponses(ERRORS.body, ERRORS.admin, 404, 409) },
      },
    },
    async (req) => products.changeStock(req.params.id, req.body),
  );
}
