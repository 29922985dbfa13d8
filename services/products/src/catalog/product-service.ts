import { DomainError } from '@emporium/kit';
import type { ProductCache } from '../cache/product-cache.ts';
import type { LowStockWatch } from './low-stock.ts';
import { listProducts, type ListQuery, type Page } from './product-listing.ts';
import { isConditionFailure, type ProductRepository } from './product-repository.ts';
import { assertProductRules, roundPrice, searchTextOf, toProduct, type Product, type ProductItem } from './product.ts';
import type { NewProduct, ProductPatch, StockChange } from './product-schemas.ts';

interface Deps {
  repo: ProductRepository;
  cache: ProductCache;
  lowStock: LowStockWatch;
  now?: () => Date;
}

const STALE_CLAIM_MS = 60_000;
const notFound = () => new DomainError('product_not_found', 'not_found', 'No such product.');
const skuTaken = () =>
  new DomainError('sku_taken', 'conflict', 'Another product already has that sku.', {
    fields: [{ field: 'sku', message: 'is already used' }],
  });

export function createProductService({ repo, cache, lowStock, now = () => new Date() }: Deps) {
  /**
   * Claims a sku for a product (DynamoDB cannot make a GSI unique). A claim left behind by a crash,
   * whose product does not carry that sku, is taken over once it is older than any create in flight.
   */
  async function claimSku(sku: string, productId: number): Promise<void> {
    if (await repo.claimSku(sku, productId)) return;
    const claim = await repo.skuClaim(sku);
    if (!claim) {
      if (await repo.claimSku(sku, productId)) return;
      throw skuTaken();
    }
    const holder = await repo.get(claim.productId, true);
    const inFlight = Date.now() - claim.claimedAt < STALE_CLAIM_MS;
    if (holder?.sku === sku || inFlight || !(await repo.claimSku(sku, productId, claim.productId))) throw skuTaken();
  }

  async function afterStockChange(before: number, after: ProductItem): Promise<Product> {
    await cache.invalidate([after.id]);
    lowStock.check(before, after);
    return toProduct(after);
  }

  return {
    get: (id: number) =>
      cache
        .product(id, async () => {
          const item = await repo.get(id);
          return item ? toProduct(item) : undefined;
        })
        .then((p) => p ?? Promise.reject(notFound())),

    getBySku: (sku: string) =>
      cache
        .listing(`sku:${sku}`, async () => {
          const item = await repo.findBySku(sku);
          return item ? toProduct(item) : null;
        })
        .then((p) => p ?? Promise.reject(notFound())),

    list: (query: ListQuery): Promise<Page<Product>> =>
      cache.listing(`list:${JSON.stringify(query)}`, () => listProducts(repo, query)),

    categories: () =>
      cache.listing('categories', async () => {
        const counts = await repo.categoryCounts();
        const items = [...counts]
          .map(([name, product_count]) => ({ name, product_count }))
          .sort((a, b) => a.name.localeCompare(b.name));
        return { items };
      }),

    async create(input: NewProduct): Promise<Product> {
      assertProductRules(input);
      const id = await repo.nextId();
      await claimSku(input.sku, id);
      const at = now().toISOString();
      const item: ProductItem = {
        id,
        name: input.name,
        description: input.description ?? '',
        price: roundPrice(input.price),
        category: input.category,
        stock_quantity: input.stock_quantity ?? 0,
        image_url: input.image_url ?? null,
        thumbnail_url: null,
        sku: input.sku,
        created_at: at,
        updated_at: at,
        search_text: searchTextOf(input.name, input.description ?? ''),
        ...(input.low_stock_threshold !== undefined ? { low_stock_threshold: input.low_stock_threshold } : {}),
      };
      try {
        await repo.insert(item);
      } catch (err) {
        await repo.releaseSku(input.sku, id);
        throw err;
      }
      await cache.invalidate([id]);
      return toProduct(item);
    },

    async update(id: number, patch: ProductPatch): Promise<Product> {
      assertProductRules(patch);
      const current = await repo.get(id, true);
      if (!current) throw notFound();
      const skuChanges = patch.sku !== undefined && patch.sku !== current.sku;
      if (skuChanges) await claimSku(patch.sku!, id);
      const name = patch.name ?? current.name;
      const description = patch.description ?? current.description;
      const updated = await repo.update(
        id,
        {
          ...patch,
          ...(patch.price !== undefined ? { price: roundPrice(patch.price) } : {}),
          // A picture set by hand has no thumbnail of ours; the old one would show another picture.
          ...(patch.image_url !== undefined ? { thumbnail_url: null } : {}),
          search_text: searchTextOf(name, description),
        },
        now().toISOString(),
      );
      if (!updated) {
        if (skuChanges) await repo.releaseSku(patch.sku!, id);
        throw notFound();
      }
      if (skuChanges) await repo.releaseSku(current.sku, id);
      await cache.invalidate([id]);
      return toProduct(updated);
    },

    async remove(id: number): Promise<void> {
      const old = await repo.remove(id);
      if (!old) throw notFound();
      await repo.releaseSku(old.sku, id);
      await cache.invalidate([id]);
    },

    async changeStock(id: number, change: StockChange): Promise<Product> {
      const at = now().toISOString();
      try {
        if ('delta' in change) {
          const after = await repo.addStock(id, change.delta, at);
          return await afterStockChange(after.stock_quantity - change.delta, after);
        }
        const { before, after } = await repo.setStock(id, change.stock_quantity, at);
        return await afterStockChange(before, after);
      } catch (err) {
        if (!isConditionFailure(err)) throw err;
        const item = await repo.get(id, true);
        if (!item) throw notFound();
        throw new DomainError(
          'insufficient_stock',
          'conflict',
          `Only ${item.stock_quantity} in stock; stock cannot go below zero.`,
          { extra: { product_id: id, stock_quantity: item.stock_quantity } },
        );
      }
    },
  };
}

export type ProductService = ReturnType<typeof createProductService>;
