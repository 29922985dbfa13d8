import type { FastifyInstance } from 'fastify';
import { assertAdmin, authenticate, requireIdentity, type TokenVerifier } from '@emporium/kit';
import { PreviewQuery, PreviewResponses, TemplatesResponses, TypeParams } from '../deliveries/delivery-schemas.ts';
import { sampleData } from './template-samples.ts';
import { CHANNELS, type Renderer } from './template-renderer.ts';

export function templateRoutes(
  app: FastifyInstance,
  renderer: Renderer,
  verify: TokenVerifier,
  context: { storefrontUrl: string; currency: string },
): void {
  const tags = ['notifications'];
  const security = [{ bearer: [] }];
  const admin = {
    preHandler: [
      authenticate(verify),
      async (req: Parameters<typeof requireIdentity>[0]) => assertAdmin(requireIdentity(req)),
    ],
  };

  app.get(
    '/api/notifications/templates',
    { ...admin, schema: { tags, security, response: TemplatesResponses } },
    async () => ({ items: renderer.list() }),
  );

  app.get<{ Params: TypeParams; Querystring: PreviewQuery }>(
    '/api/notifications/templates/:type/preview',
    { ...admin, schema: { tags, security, params: TypeParams, querystring: PreviewQuery, response: PreviewResponses } },
    async (req) => {
      const data = sampleData(req.params.type, context.storefrontUrl, context.currency);
      const channels = req.query.channel ? [req.query.channel] : CHANNELS;
      return {
        type: req.params.type,
        data,
        channels: Object.fromEntries(channels.map((c) => [c, renderer.render(req.params.type, c, data)])),
      };
    },
  );
}
