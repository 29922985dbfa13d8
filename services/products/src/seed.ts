import type { ProductService } from './catalog/product-service.ts';
import { demoCatalog } from './demo/demo-catalog.ts';
import type { DynamoClient } from './store/dynamo-client.ts';
import type { TableNames } from './store/dynamo.ts';

/** Loads the demo catalog into an empty products table; a table with any product is left alone. */
export async function seedDemoCatalog(db: DynamoClient, tables: TableNames, products: ProductService): Promise<number> {
  const any = await db.scan({ TableName: tables.products, Limit: 1, ProjectionExpression: 'id' });
  if ((any.Items ?? []).length > 0) return 0;
  const catalog = demoCatalog();
  // A few at a time: quick, without flooding a small local store.
  for (let i = 0; i < catalog.length; i += 10)
    await Promise.all(catalog.slice(i, i + 10).map((p) => products.create(p)));
  return catalog.length;
}
