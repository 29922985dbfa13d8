import { isConditionFailure } from '../catalog/product-repository.ts';
import type { ProductItem } from '../catalog/product.ts';
import type { DynamoClient } from '../store/dynamo-client.ts';
import type { TableNames } from '../store/dynamo.ts';
import type { ImageUpload } from './image-upload.ts';

export type ImageSetResult = { outcome: 'updated' | 'unchanged'; item: ProductItem } | { outcome: 'missing' };

/** The image uploads table, and the one write to the products table that images make. */
export function createImageUploadRepository(db: DynamoClient, tables: TableNames) {
  const T = tables.imageUploads;
  return {
    async create(upload: ImageUpload): Promise<void> {
      await db.put({ TableName: T, Item: upload, ConditionExpression: 'attribute_not_exists(upload_id)' });
    },

    async get(productId: number, uploadId: string): Promise<ImageUpload | undefined> {
      const res = await db.get({
        TableName: T,
        Key: { product_id: productId, upload_id: uploadId },
        ConsistentRead: true,
      });
      return res.Item as ImageUpload | undefined;
    },

    /** Newest first. */
    async list(productId: number, limit: number, after?: string): Promise<{ items: ImageUpload[]; last?: string }> {
      const res = await db.query({
        TableName: T,
        KeyConditionExpression: 'product_id = :p',
        ExpressionAttributeValues: { ':p': productId },
        ScanIndexForward: false,
        Limit: limit,
        ExclusiveStartKey: after ? { product_id: productId, upload_id: after } : undefined,
      });
      const last = res.LastEvaluatedKey?.['upload_id'] as string | undefined;
      return { items: (res.Items ?? []) as ImageUpload[], ...(last ? { last } : {}) };
    },

    /** Records what the function decided; repeating it with the same values is harmless. */
    async recordOutcome(productId: number, uploadId: string, fields: Partial<ImageUpload>): Promise<void> {
      const entries = Object.entries(fields).filter(([, v]) => v !== undefined);
      await db.update({
        TableName: T,
        Key: { product_id: productId, upload_id: uploadId },
        UpdateExpression: `SET ${entries.map((_e, i) => `#f${i} = :v${i}`).join(', ')}`,
        ConditionExpression: 'attribute_exists(upload_id)',
        ExpressionAttributeNames: Object.fromEntries(entries.map(([k], i) => [`#f${i}`, k])),
        ExpressionAttributeValues: Object.fromEntries(entries.map(([, v], i) => [`:v${i}`, v])),
      });
    },

    /**
     * Sets a product's pictures only for a later image version than the one it shows: one conditional
     * write, so a repeated event, or an older upload finishing late, changes nothing.
     */
    async setImage(
      productId: number,
      image: { image_url: string; thumbnail_url: string; image_version: string },
      now: string,
    ): Promise<ImageSetResult> {
      try {
        const res = await db.update({
          TableName: tables.products,
          Key: { id: productId },
          UpdateExpression: 'SET image_url = :i, thumbnail_url = :t, image_version = :v, updated_at = :now',
          ConditionExpression: 'attribute_exists(id) AND (attribute_not_exists(image_version) OR image_version < :v)',
          ExpressionAttributeValues: {
            ':i': image.image_url,
            ':t': image.thumbnail_url,
            ':v': image.image_version,
            ':now': now,
          },
          ReturnValues: 'ALL_NEW',
        });
        return { outcome: 'updated', item: res.Attributes as ProductItem };
      } catch (err) {
        if (!isConditionFailure(err)) throw err;
        const res = await db.get({ TableName: tables.products, Key: { id: productId }, ConsistentRead: true });
        return res.Item ? { outcome: 'unchanged', item: res.Item as ProductItem } : { outcome: 'missing' };
      }
    },
  };
}

export type ImageUploadRepository = ReturnType<typeof createImageUploadRepository>;
