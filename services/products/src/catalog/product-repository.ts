import { isDynamoError, type DynamoClient } from '../store/dynamo-client.ts';
import type { TableNames } from '../store/dynamo.ts';
import type { ProductItem } from './product.ts';

export interface ListFilter {
  category?: string | undefined;
  q?: string | undefined;
  minPrice?: number | undefined;
  maxPrice?: number | undefined;
  inStock?: boolean | undefined;
}

export type Key = Record<string, unknown>;

export const isConditionFailure = (err: unknown): boolean => isDynamoError(err, 'ConditionalCheckFailedException');

type Fields = Partial<
  Pick<
    ProductItem,
    | 'name'
    | 'description'
    | 'price'
    | 'category'
    | 'image_url'
    | 'thumbnail_url'
    | 'sku'
    | 'search_text'
    | 'low_stock_threshold'
  >
>;

/** Every DynamoDB expression of the catalog lives here. */
export function createProductRepository(db: DynamoClient, tables: TableNames) {
  const T = tables.products;

  function filterExpression(f: ListFilter): {
    expr?: string;
    names: Record<string, string>;
    values: Record<string, unknown>;
  } {
    const parts: string[] = [];
    const names: Record<string, string> = {};
    const values: Record<string, unknown> = {};
    if (f.q) {
      parts.push('contains(search_text, :q)');
      values[':q'] = f.q.toLowerCase();
    }
    if (f.minPrice !== undefined) {
      parts.push('price >= :minp');
      values[':minp'] = f.minPrice;
    }
    if (f.maxPrice !== undefined) {
      parts.push('price <= :maxp');
      values[':maxp'] = f.maxPrice;
    }
    if (f.inStock) {
      parts.push('stock_quantity > :zero');
      values[':zero'] = 0;
    }
    return { ...(parts.length ? { expr: parts.join(' AND ') } : {}), names, values };
  }

  return {
    async nextId(): Promise<number> {
      const res = await db.update({
        TableName: tables.sequences,
        Key: { name: 'products' },
        UpdateExpression: 'ADD #v :one',
        ExpressionAttributeNames: { '#v': 'value' },
        ExpressionAttributeValues: { ':one': 1 },
        ReturnValues: 'UPDATED_NEW',
      });
      return Number(res.Attributes!['value']);
    },

    async get(id: number, consistent = false): Promise<ProductItem | undefined> {
      const res = await db.get({ TableName: T, Key: { id }, ConsistentRead: consistent });
      return res.Item as ProductItem | undefined;
    },

    async findBySku(sku: string): Promise<ProductItem | undefined> {
      const res = await db.query({
        TableName: T,
        IndexName: 'sku-index',
        KeyConditionExpression: 'sku = :s',
        ExpressionAttributeValues: { ':s': sku },
      });
      return res.Items?.[0] as ProductItem | undefined;
    },

    /** One page of evaluated items (before filtering, as DynamoDB pages), from the category GSI or a scan. */
    async page(
      filter: ListFilter,
      startKey: Key | undefined,
      evaluate: number,
    ): Promise<{ items: ProductItem[]; lastKey?: Key }> {
      const f = filterExpression(filter);
      const common = {
        TableName: T,
        Limit: evaluate,
        ExclusiveStartKey: startKey,
        ...(f.expr ? { FilterExpression: f.expr } : {}),
        ...(Object.keys(f.names).length ? { ExpressionAttributeNames: f.names } : {}),
      };
      const scanValues = Object.keys(f.values).length ? { ExpressionAttributeValues: f.values } : {};
      const res = filter.category
        ? await db.query({
            ...common,
            IndexName: 'category-index',
            KeyConditionExpression: 'category = :c',
            ExpressionAttributeValues: { ...f.values, ':c': filter.category },
          })
        : await db.scan({ ...common, ...scanValues });
      return {
        items: (res.Items ?? []) as ProductItem[],
        ...(res.LastEvaluatedKey ? { lastKey: res.LastEvaluatedKey } : {}),
      };
    },

    async categoryCounts(): Promise<Map<string, number>> {
      const counts = new Map<string, number>();
      let start: Key | undefined;
      do {
        const res = await db.scan({ TableName: T, ProjectionExpression: 'category', ExclusiveStartKey: start });
        for (const item of res.Items ?? []) counts.set(item['category'], (counts.get(item['category']) ?? 0) + 1);
        start = res.LastEvaluatedKey;
      } while (start);
      return counts;
    },

    async insert(item: ProductItem): Promise<void> {
      await db.put({ TableName: T, Item: item, ConditionExpression: 'attribute_not_exists(id)' });
    },

    async update(id: number, fields: Fields, now: string): Promise<ProductItem | undefined> {
      const entries = Object.entries(fields).filter(([, v]) => v !== undefined);
      const sets = entries.map((_entry, i) => `#f${i} = :v${i}`);
      const names = Object.fromEntries(entries.map(([k], i) => [`#f${i}`, k]));
      const values = Object.fromEntries(entries.map(([, v], i) => [`:v${i}`, v]));
      try {
        const res = await db.update({
          TableName: T,
          Key: { id },
          UpdateExpression: `SET ${[...sets, 'updated_at = :now'].join(', ')}`,
          ConditionExpression: 'attribute_exists(id)',
          ExpressionAttributeNames: Object.keys(names).length ? names : undefined,
          ExpressionAttributeValues: { ...values, ':now': now },
          ReturnValues: 'ALL_NEW',
        });
        return res.Attributes as ProductItem;
      } catch (err) {
        if (isConditionFailure(err)) return undefined;
        throw err;
      }
    },

    async remove(id: number): Promise<ProductItem | undefined> {
      const res = await db.delete({ TableName: T, Key: { id }, ReturnValues: 'ALL_OLD' });
      return res.Attributes as ProductItem | undefined;
    },

    /** Adds a signed delta in one conditional write: never below zero, never a lost update. */
    async addStock(id: number, delta: number, now: string): Promise<ProductItem> {
      const res = await db.update({
        TableName: T,
        Key: { id },
        UpdateExpression: 'SET stock_quantity = stock_quantity + :d, updated_at = :now',
        ConditionExpression: delta < 0 ? 'attribute_exists(id) AND stock_quantity >= :need' : 'attribute_exists(id)',
        ExpressionAttributeValues: { ':d': delta, ':now': now, ...(delta < 0 ? { ':need': -delta } : {}) },
        ReturnValues: 'ALL_NEW',
      });
      return res.Attributes as ProductItem;
    },

    async setStock(id: number, value: number, now: string): Promise<{ before: number; after: ProductItem }> {
      const res = await db.update({
        TableName: T,
        Key: { id },
        UpdateExpression: 'SET stock_quantity = :v, updated_at = :now',
        ConditionExpression: 'attribute_exists(id)',
        ExpressionAttributeValues: { ':v': value, ':now': now },
        ReturnValues: 'ALL_OLD',
      });
      const old = res.Attributes as ProductItem;
      return { before: old.stock_quantity, after: { ...old, stock_quantity: value, updated_at: now } };
    },

    /** Takes stock for an order once: the order id in `holds` makes a repeat fail its condition. */
    async hold(id: number, orderId: number, quantity: number, now: string): Promise<ProductItem> {
      const res = await db.update({
        TableName: T,
        Key: { id },
        UpdateExpression: 'SET stock_quantity = stock_quantity - :q, updated_at = :now ADD holds :o',
        ConditionExpression: 'attribute_exists(id) AND stock_quantity >= :q AND NOT contains(holds, :os)',
        ExpressionAttributeValues: {
          ':q': quantity,
          ':now': now,
          ':o': new Set([String(orderId)]),
          ':os': String(orderId),
        },
        ReturnValues: 'ALL_NEW',
      });
      return res.Attributes as ProductItem;
    },

    /** Gives an order's stock back once; false when there was no hold to give back. */
    async unhold(
      id: number,
      orderId: number,
      quantity: number,
      restock: boolean,
      now: string,
    ): Promise<ProductItem | undefined> {
      try {
        const res = await db.update({
          TableName: T,
          Key: { id },
          UpdateExpression: restock
            ? 'SET stock_quantity = stock_quantity + :q, updated_at = :now DELETE holds :o'
            : 'DELETE holds :o',
          ConditionExpression: 'contains(holds, :os)',
          ExpressionAttributeValues: {
            ':o': new Set([String(orderId)]),
            ':os': String(orderId),
            ...(restock ? { ':q': quantity, ':now': now } : {}),
          },
          ReturnValues: 'ALL_NEW',
        });
        return res.Attributes as ProductItem;
      } catch (err) {
        if (isConditionFailure(err)) return undefined;
        throw err;
      }
    },

    async claimSku(sku: string, productId: number, takeOverFrom?: number): Promise<boolean> {
      try {
        await db.put({
          TableName: tables.skus,
          Item: { sku, product_id: productId, claimed_at: Date.now() },
          ConditionExpression:
            takeOverFrom === undefined ? 'attribute_not_exists(sku) OR product_id = :me' : 'product_id = :old',
          ExpressionAttributeValues: takeOverFrom === undefined ? { ':me': productId } : { ':old': takeOverFrom },
        });
        return true;
      } catch (err) {
        if (isConditionFailure(err)) return false;
        throw err;
      }
    },

    async skuClaim(sku: string): Promise<{ productId: number; claimedAt: number } | undefined> {
      const res = await db.get({ TableName: tables.skus, Key: { sku }, ConsistentRead: true });
      return res.Item
        ? { productId: res.Item['product_id'] as number, claimedAt: res.Item['claimed_at'] as number }
        : undefined;
    },

    async releaseSku(sku: string, productId: number): Promise<void> {
      try {
        await db.delete({
          TableName: tables.skus,
          Key: { sku },
          ConditionExpression: 'product_id = :me',
          ExpressionAttributeValues: { ':me': productId },
        });
      } catch (err) {
        if (!isConditionFailure(err)) throw err;
      }
    },
  };
}

export type ProductRepository = ReturnType<typeof createProductRepository>;
