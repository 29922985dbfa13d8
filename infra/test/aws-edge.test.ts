import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { test } from 'node:test';
import { uploadKey } from '../../services/products/src/images/image-upload.ts';
import { locals, moduleCall, readModule, repoDir, resource, resources, type Hcl } from './hcl.ts';

test('the image function: ObjectCreated under uploads/ (where products presigns), two retries, then a queue', async () => {
  const fn = await readModule('modules/image-function');
  const notification = resource(fn, 'aws_s3_bucket_notification', 'this')['lambda_function'][0];
  assert.deepEqual(notification['events'], ['s3:ObjectCreated:*']);
  assert.equal(notification['filter_prefix'], 'uploads/');
  assert.ok(
    uploadKey(7, 'u1').startsWith(notification['filter_prefix']),
    'the keys products presigns are the ones that trigger',
  );
  const invoke = resource(fn, 'aws_lambda_function_event_invoke_config', 'this');
  assert.equal(invoke['maximum_retry_attempts'], 2);
  assert.equal(invoke['destination_config'][0]['on_failure'][0]['destination'], '${aws_sqs_queue.dead_letters.arn}');
  assert.equal(resource(fn, 'aws_lambda_permission', 's3')['source_arn'], '${var.bucket_arn}');
  // Least privilege: originals read and tagged, derived files written; nothing bucket-wide but the 404 probe.
  const statements = fn['data']['aws_iam_policy_document']['this'][0]['statement'] as Hcl[];
  const s3 = statements.filter((s) => s['actions'].some((a: string) => a.startsWith('s3:')));
  assert.deepEqual(
    s3.map((s) => [s['actions'], s['resources']]),
    [
      [['s3:GetObject', 's3:PutObjectTagging'], ['${var.bucket_arn}/uploads/*']],
      [['s3:GetObject', 's3:PutObject'], ['${var.bucket_arn}/products/*']],
      [['s3:ListBucket'], ['${var.bucket_arn}']],
    ],
  );
});

test('IRSA: products gets its tables, indexes and uploads/ only; each role trusts one service account', async () => {
  const roles = await readModule('modules/service-roles');
  const statements = roles['data']['aws_iam_policy_document']['products'][0]['statement'] as Hcl[];
  for (const s of statements) {
    assert.ok(!s['actions'].some((a: string) => a.endsWith(':*') || a === '*'), `no wildcard action in ${s['sid']}`);
  }
  const byId = Object.fromEntries(statements.map((s) => [s['sid'], s]));
  assert.ok(!byId['CatalogTables']['actions'].includes('dynamodb:CreateTable'), 'tables come from Terraform');
  assert.equal(
    byId['CatalogTables']['resources'],
    '${concat(local.product_table_arns, [for arn in local.product_table_arns : "${arn}/index/*"])}',
  );
  assert.deepEqual(byId['ReadinessCheck']['actions'], ['dynamodb:ListTables']);
  assert.deepEqual(byId['PresignedUploads']['resources'], ['${var.images_bucket_arn}/uploads/*']);
  const assume = roles['data']['aws_iam_policy_document']['assume'][0]['statement'][0];
  const sub = assume['condition'].find((c: Hcl) => c['variable'] === '${var.oidc_issuer}:sub');
  assert.equal(sub['test'], 'StringEquals');
  assert.deepEqual(sub['values'], ['system:serviceaccount:${each.value.subject}']);
  const { service_policies: services, accounts } = locals(roles);
  assert.deepEqual(Object.keys(services), ['products']);
  // The chart's account names (deploy/helm/emporium serviceaccount.yaml) in the namespace ArgoCD releases to.
  assert.match(accounts, /svc => \{ subject = "\$\{var\.namespace\}:emporium-\$\{svc\}"/);
  assert.match(accounts, /subject = "kube-system:aws-load-balancer-controller"/);
  const platform = await readModule('modules/aws-platform');
  assert.equal(locals(platform)['namespace'], 'emporium-${var.environment}');
  assert.equal(moduleCall(platform, 'service_roles')['namespace'], '${local.namespace}');
});

test('the image function reaches products through the internal NLB the chart binds the products pods to', async () => {
  const platform = await readModule('modules/aws-platform');
  const fn = moduleCall(platform, 'image_function');
  assert.equal(fn['products_url'], '${module.products_endpoint.url}');
  assert.equal(fn['products_security_group_id'], '${module.products_endpoint.security_group_id}');
  assert.deepEqual(moduleCall(platform, 'service_roles')['bound_target_group_arns'], [
    '${module.products_endpoint.target_group_arn}',
  ]);
  const ep = await readModule('modules/products-endpoint');
  const lb = resource(ep, 'aws_lb', 'this');
  assert.deepEqual([lb['internal'], lb['load_balancer_type']], [true, 'network']);
  assert.equal(lb['subnets'], '${var.subnet_ids}');
  const tg = resource(ep, 'aws_lb_target_group', 'this');
  // ip targets: the TargetGroupBinding registers pod addresses; the pods see the NLB's (private subnet) addresses.
  assert.deepEqual([tg['target_type'], tg['protocol'], tg['preserve_client_ip']], ['ip', 'TCP', false]);
  assert.equal(tg['health_check'][0]['path'], '/ready');
  const port = ep['variable']['port'][0]['default'];
  assert.equal(port, 5002, 'services/products listens on 5002');
  const roles = await readModule('modules/service-roles');
  const statements = roles['data']['aws_iam_policy_document']['alb_controller'][0]['statement'] as Hcl[];
  const bound = statements.find((s) => s['sid'] === 'BoundTargetGroups')!;
  assert.equal(bound['resources'], '${var.bound_target_group_arns}');
  // Only the function's group may reach the NLB, and the NLB only the nodes, on the products port.
  const fnMod = await readModule('modules/image-function');
  const into = resource(fnMod, 'aws_vpc_security_group_ingress_rule', 'products_from_function');
  assert.equal(into['security_group_id'], '${var.products_security_group_id}');
  assert.equal(into['referenced_security_group_id'], '${aws_security_group.this.id}');
  const out = resource(ep, 'aws_vpc_security_group_egress_rule', 'to_pods');
  assert.equal(out['referenced_security_group_id'], '${var.node_security_group_id}');
});

test('ECR: one repository per image in .github/images.json, scanned on push, immutable tags', async () => {
  const { images } = JSON.parse(await readFile(path.join(repoDir, '.github/images.json'), 'utf8')) as {
    images: Array<{ name: string; dockerfile: string }>;
  };
  const names = images.map((i) => i.name);
  assert.ok(names.includes('product-images') && names.includes('gateway'));
  assert.equal(new Set(names).size, names.length);
  for (const env of ['production', 'staging']) {
    const p = moduleCall(await readModule(`envs/${env}/aws`), 'platform');
    assert.match(p['images'], /\.github\/images\.json.*images\[\*\]\.name/);
  }
  const repo = resource(await readModule('modules/ecr'), 'aws_ecr_repository', 'this');
  assert.equal(repo['image_scanning_configuration'][0]['scan_on_push'], true);
  assert.equal(repo['image_tag_mutability'], 'IMMUTABLE');
});

test('S3: assets and backups private, versioned, encrypted, with lifecycle rules', async () => {
  const s3 = await readModule('modules/storage');
  assert.deepEqual(Object.keys(locals(s3)['buckets']).sort(), ['assets', 'backups', 'logs']);
  const block = resource(s3, 'aws_s3_bucket_public_access_block', 'this');
  for (const k of ['block_public_acls', 'block_public_policy', 'ignore_public_acls', 'restrict_public_buckets'])
    assert.equal(block[k], true);
  const uploads = resource(s3, 'aws_s3_bucket_lifecycle_configuration', 'assets')['rule'].find(
    (r: Hcl) => r['id'] === 'expire-uploads',
  );
  assert.equal(uploads['filter'][0]['prefix'], 'uploads/');
  const backups = resource(s3, 'aws_s3_bucket_lifecycle_configuration', 'backups')['rule'][0];
  assert.equal(backups['transition'][0]['storage_class'], 'GLACIER');
  assert.equal(resources(s3, 'aws_s3_bucket_versioning')[0]!['versioning_configuration'][0]['status'], 'Enabled');
});

test("billing alarms bracket the document's ~$478/month in production", async () => {
  const p = moduleCall(await readModule('envs/production/aws'), 'platform');
  assert.ok((p['billing_thresholds_usd'] as number[]).includes(478));
  const alarm = resource(await readModule('modules/monitoring'), 'aws_cloudwatch_metric_alarm', 'billing');
  assert.equal(alarm['namespace'], 'AWS/Billing');
  assert.equal(alarm['metric_name'], 'EstimatedCharges');
});
