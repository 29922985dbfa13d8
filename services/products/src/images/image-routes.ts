import type { FastifyInstance } from 'fastify';
import { Type, type Static } from 'typebox';
import { DomainError, errorResponses } from '@emporium/kit';
import type { ProductService } from '../catalog/product-service.ts';
import { renderProductSvg } from '../demo/demo-images.ts';

const ImageParams = Type.Object({ file: Type.String({ pattern: '^[A-Z0-9][A-Z0-9-]{2,31}\\.svg$' }) });
type ImageParams = Static<typeof ImageParams>;

/** Self-hosted product pictures: an SVG drawn from the product's sku, name and category. */
export function imageRoutes(app: FastifyInstance, products: ProductService): void {
  app.get<{ Params: ImageParams }>(
    '/api/products/images/:file',
    {
      schema: {
        tags: ['products'],
        params: ImageParams,
        response: {
          200: { description: 'The picture', content: { 'image/svg+xml': { schema: { type: 'string' } } } },
          ...errorResponses(400, 404),
        },
      },
    },
    async (req, reply) => {
      const sku = req.params.file.slice(0, -4);
      const product = await products.getBySku(sku).catch((err: unknown) => {
        throw err instanceof DomainError ? new DomainError('image_not_found', 'not_found', 'No such image.') : err;
      });
      return reply
        .type('image/svg+xml; charset=utf-8')
        .header('cache-control', 'public, max-age=3600')
        .header('content-security-policy', "default-src 'none'; style-src 'unsafe-inline'")
        .send(renderProductSvg({ sku: product.sku, name: product.name, category: product.category }));
    },
  );
}
