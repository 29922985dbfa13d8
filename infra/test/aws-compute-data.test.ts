import assert from 'node:assert/strict';
import { test } from 'node:test';
import { TOPICS, deadLetterTopic } from '@emporium/events';
import { ensureTables, tableNames } from '../../services/products/src/store/dynamo.ts';
import { DynamoError, type DynamoClient } from '../../services/products/src/store/dynamo-client.ts';
import { locals, moduleCall, readModule, resource, type Hcl } from './hcl.ts';

const production = async () => moduleCall(await readModule('envs/production/aws'), 'platform');
const staging = async () => moduleCall(await readModule('envs/staging/aws'), 'platform');

test("EKS: Kubernetes 1.27 or later, the document's t3.medium node group of 2 to 4 in the private subnets", async () => {
  for (const p of [await production(), await staging()]) {
    const [major, minor] = String(p['kubernetes_version']).split('.').map(Number) as [number, number];
    assert.ok(major === 1 && minor >= 27, `version ${p['kubernetes_version']}`);
    assert.equal(p['node_instance_type'], 't3.medium');
    assert.equal(p['node_min_size'], 2);
    assert.equal(p['node_max_size'], 4);
  }
  assert.equal((await production())['node_capacity_type'], 'ON_DEMAND');
  const eks = await readModule('modules/eks');
  const group = resource(eks, 'aws_eks_node_group', 'this');
  assert.equal(group['subnet_ids'], '${var.private_subnet_ids}');
  assert.deepEqual(group['instance_types'], ['${var.node_instance_type}']);
  assert.deepEqual(group['scaling_config'][0], {
    min_size: '${var.node_min_size}',
    desired_size: '${var.node_min_size}',
    max_size: '${var.node_max_size}',
  });
  // The chart's HPAs need metrics-server; IRSA needs the OIDC provider.
  assert.match(resource(eks, 'aws_eks_addon', 'this')['for_each'], /"metrics-server"/);
  assert.equal(resource(eks, 'aws_iam_openid_connect_provider', 'this')['client_id_list'][0], 'sts.amazonaws.com');
  assert.equal(resource(eks, 'aws_launch_template', 'nodes')['metadata_options'][0]['http_put_response_hop_limit'], 1);
});

test('RDS: PostgreSQL 15, db.t3.micro, 20 GB gp3, Multi-AZ in production, encrypted, private', async () => {
  const p = await production();
  assert.equal(p['db_instance_class'], 'db.t3.micro');
  assert.equal(p['db_allocated_storage_gb'], 20);
  assert.equal(p['db_multi_az'], true);
  const rds = await readModule('modules/rds');
  const db = resource(rds, 'aws_db_instance', 'this');
  assert.equal(db['engine'], 'postgres');
  assert.equal(db['engine_version'], '${var.engine_version}');
  assert.equal(rds['variable']['engine_version'][0]['default'], '15');
  assert.equal(db['storage_type'], 'gp3');
  assert.equal(db['storage_encrypted'], true);
  assert.equal(db['publicly_accessible'], false);
  assert.equal(db['multi_az'], '${var.multi_az}');
  assert.equal(db['allocated_storage'], '${var.allocated_storage_gb}');
  // One database per service that keeps relational data.
  const dbs = moduleCall(await readModule('modules/aws-platform'), 'rds')['databases'];
  assert.deepEqual([...dbs].sort(), ['analytics', 'notifications', 'orders', 'payments', 'users']);
});

// What the products service asks DynamoDB to create, captured from its own code (ensureTables).
async function tablesTheServiceCreates(): Promise<Hcl[]> {
  const created: Hcl[] = [];
  const exists = new Set<string>();
  const fake = {
    async send(op: string, input: Hcl) {
      if (op === 'CreateTable') {
        created.push(input);
        exists.add(input['TableName']);
        return {};
      }
      if (!exists.has(input['TableName'])) throw new DynamoError('ResourceNotFoundException', 'absent', 400, false);
      return { Table: { TableStatus: 'ACTIVE' } };
    },
  } as unknown as DynamoClient;
  await ensureTables(fake, tableNames(''));
  return created;
}

test('DynamoDB: the tables, keys and GSIs exactly as services/products creates them, on demand, with PITR', async () => {
  const created = await tablesTheServiceCreates();
  assert.ok(created.some((t) => t['TableName'] === 'products'));
  const declared = locals(await readModule('modules/dynamodb'))['tables'] as Hcl;
  assert.deepEqual(Object.keys(declared).sort(), created.map((t) => t['TableName']).sort());
  for (const t of created) {
    const d = declared[t['TableName']];
    const key = (type: string) => t['KeySchema'].find((k: Hcl) => k['KeyType'] === type)?.['AttributeName'] ?? null;
    assert.equal(d['hash_key'], key('HASH'), `${t['TableName']} hash key`);
    assert.equal(d['range_key'], key('RANGE'), `${t['TableName']} range key`);
    assert.equal(t['BillingMode'], 'PAY_PER_REQUEST');
    const attrs = Object.fromEntries(
      t['AttributeDefinitions'].map((a: Hcl) => [a['AttributeName'], a['AttributeType']]),
    );
    assert.deepEqual(d['attributes'], attrs, `${t['TableName']} attributes`);
    const gsis = Object.fromEntries(
      (t['GlobalSecondaryIndexes'] ?? []).map((g: Hcl) => {
        assert.equal(g['KeySchema'].length, 1);
        assert.equal(g['Projection']['ProjectionType'], 'ALL');
        return [g['IndexName'], g['KeySchema'][0]['AttributeName']];
      }),
    );
    assert.deepEqual(d['indexes'], gsis, `${t['TableName']} GSIs`);
  }
  assert.deepEqual(declared['products']['indexes'], { 'category-index': 'category', 'sku-index': 'sku' });
  const table = resource(await readModule('modules/dynamodb'), 'aws_dynamodb_table', 'this');
  assert.equal(table['billing_mode'], 'PAY_PER_REQUEST');
  assert.equal(table['point_in_time_recovery'][0]['enabled'], true);
  assert.equal(table['dynamic']['global_secondary_index'][0]['content'][0]['projection_type'], 'ALL');
  assert.equal(
    table['name'],
    '${var.table_prefix}${each.key}',
    'the service prefixes names with DYNAMODB_TABLE_PREFIX',
  );
});

test('MSK: kafka.t3.small, 2 brokers, TLS, and the topics as the platform creates them, replicated twice', async () => {
  const p = await production();
  assert.equal(p['msk_instance_type'], 'kafka.t3.small');
  assert.equal(p['msk_broker_count'], 2);
  const msk = await readModule('modules/msk');
  const cluster = resource(msk, 'aws_msk_cluster', 'this');
  assert.equal(cluster['number_of_broker_nodes'], '${var.broker_count}');
  const transit = cluster['encryption_info'][0]['encryption_in_transit'][0];
  assert.equal(transit['in_cluster'], true);
  assert.match(msk['variable']['client_broker'][0]['default'], /^TLS/);
  const l = locals(msk);
  assert.equal(l['replication_factor'], '${var.broker_count}');
  // platform/infrastructure.ts: each topic of TOPICS, and a one-partition .dlq beside it.
  const expected: Hcl = {};
  for (const t of [TOPICS.orders, TOPICS.analyticsResults, TOPICS.notifications]) {
    expected[t.name] = { partitions: t.partitions, replication_factor: '${local.replication_factor}' };
    expected[deadLetterTopic(t.name)] = { partitions: 1, replication_factor: '${local.replication_factor}' };
  }
  assert.deepEqual(l['topics'], expected);
  // The document: orders and analytics-results with 3 partitions, replication factor 2.
  assert.equal(l['topics']['orders']['partitions'], 3);
  assert.equal(l['topics']['analytics-results']['partitions'], 3);
  const props = resource(msk, 'aws_msk_configuration', 'this')['server_properties'] as string;
  assert.match(props, /^auto\.create\.topics\.enable=false$/m);
  assert.match(props, /^default\.replication\.factor=\$\{local\.replication_factor\}$/m);
  assert.match(props, /^transaction\.state\.log\.replication\.factor=\$\{local\.replication_factor\}$/m);
  assert.match(props, /^log\.retention\.hours=168$/m, 'the document: messages persist for 7 days');
});

test('ElastiCache Redis: TLS and encryption at rest, a replica in the second AZ in production', async () => {
  assert.equal((await production())['redis_replicas'], 1);
  const group = resource(await readModule('modules/redis'), 'aws_elasticache_replication_group', 'this');
  assert.equal(group['transit_encryption_enabled'], true);
  assert.equal(group['at_rest_encryption_enabled'], true);
  assert.equal(group['multi_az_enabled'], '${var.replicas > 0}');
});
