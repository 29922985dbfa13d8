import { DynamoClient, isDynamoError } from './dynamo-client.ts';

export interface TableNames {
  products: string;
  sequences: string;
  skus: string;
  reservations: string;
  imageUploads: string;
}

export const tableNames = (prefix: string): TableNames => ({
  products: `${prefix}products`,
  sequences: `${prefix}product-sequences`,
  skus: `${prefix}product-skus`,
  reservations: `${prefix}product-reservations`,
  imageUploads: `${prefix}product-image-uploads`,
});

export function createDocumentClient(options: {
  endpoint?: string | undefined;
  region: string;
  timeoutMs?: number;
}): DynamoClient {
  return new DynamoClient({
    region: options.region,
    endpoint: options.endpoint,
    // A local endpoint checks no signature; requests are signed all the same, as on AWS.
    ...(options.endpoint ? { credentials: { accessKeyId: 'local', secretAccessKey: 'local' } } : {}),
    maxAttempts: 3,
    // The design's service → database timeout, for connecting and for each request.
    timeoutMs: options.timeoutMs ?? 10_000,
  });
}

type TableDefinition = { TableName: string } & Record<string, unknown>;
type Described = { Table?: { TableStatus?: string } };

/**
 * The design's `products` table (id: Number; GSIs category-index and sku-index) and three small
 * helper tables. Single-item conditional writes only: dynalite, the local store, has no transactions.
 */
function definitions(t: TableNames): TableDefinition[] {
  const onDemand = { BillingMode: 'PAY_PER_REQUEST' };
  return [
    {
      TableName: t.products,
      ...onDemand,
      AttributeDefinitions: [
        { AttributeName: 'id', AttributeType: 'N' },
        { AttributeName: 'category', AttributeType: 'S' },
        { AttributeName: 'sku', AttributeType: 'S' },
      ],
      KeySchema: [{ AttributeName: 'id', KeyType: 'HASH' }],
      GlobalSecondaryIndexes: [
        {
          IndexName: 'category-index',
          KeySchema: [{ AttributeName: 'category', KeyType: 'HASH' }],
          Projection: { ProjectionType: 'ALL' },
        },
        {
          IndexName: 'sku-index',
          KeySchema: [{ AttributeName: 'sku', KeyType: 'HASH' }],
          Projection: { ProjectionType: 'ALL' },
        },
      ],
    },
    {
      TableName: t.sequences,
      ...onDemand,
      AttributeDefinitions: [{ AttributeName: 'name', AttributeType: 'S' }],
      KeySchema: [{ AttributeName: 'name', KeyType: 'HASH' }],
    },
    {
      TableName: t.skus,
      ...onDemand,
      AttributeDefinitions: [{ AttributeName: 'sku', AttributeType: 'S' }],
      KeySchema: [{ AttributeName: 'sku', KeyType: 'HASH' }],
    },
    {
      TableName: t.reservations,
      ...onDemand,
      AttributeDefinitions: [{ AttributeName: 'order_id', AttributeType: 'N' }],
      KeySchema: [{ AttributeName: 'order_id', KeyType: 'HASH' }],
    },
    {
      // One record per presigned upload, newest last within a product (upload ids sort by time).
      TableName: t.imageUploads,
      ...onDemand,
      AttributeDefinitions: [
        { AttributeName: 'product_id', AttributeType: 'N' },
        { AttributeName: 'upload_id', AttributeType: 'S' },
      ],
      KeySchema: [
        { AttributeName: 'product_id', KeyType: 'HASH' },
        { AttributeName: 'upload_id', KeyType: 'RANGE' },
      ],
    },
  ];
}

/**
 * Creates any missing table and waits until all are ACTIVE; safe at every start. Tables that exist
 * are only described, so on AWS (tables made by Terraform) the service needs no CreateTable right.
 */
export async function ensureTables(db: DynamoClient, names: TableNames): Promise<string[]> {
  const created: string[] = [];
  for (const def of definitions(names)) {
    try {
      await db.send('DescribeTable', { TableName: def.TableName });
      continue;
    } catch (err) {
      if (!isDynamoError(err, 'ResourceNotFoundException')) throw err;
    }
    try {
      await db.send('CreateTable', def);
      created.push(def.TableName);
    } catch (err) {
      if (!isDynamoError(err, 'ResourceInUseException')) throw err;
    }
  }
  for (const def of definitions(names)) {
    for (let i = 0; ; i++) {
      const { Table } = (await db.send('DescribeTable', { TableName: def.TableName })) as Described;
      if (Table?.TableStatus === 'ACTIVE') break;
      if (i > 300) throw new Error(`table ${def.TableName} did not become ACTIVE`);
      await new Promise((r) => setTimeout(r, 100));
    }
  }
  return created;
}
