import assert from 'node:assert/strict';
import { test } from 'node:test';
import { locals, moduleCall, readModule, resource, resources, type Hcl } from './hcl.ts';

test("Dataproc: the Flink component on 1 master + 2 workers of n1-standard-2, private, the job's own identity", async () => {
  for (const env of ['production', 'staging']) {
    const p = moduleCall(await readModule(`envs/${env}/gcp`), 'platform');
    assert.equal(p['machine_type'], 'n1-standard-2');
    assert.equal(p['master_count'], 1);
    assert.equal(p['worker_count'], 2);
  }
  const gcp = await readModule('modules/gcp-analytics');
  const config = resource(gcp, 'google_dataproc_cluster', 'this')['cluster_config'][0];
  assert.deepEqual(config['software_config'][0]['optional_components'], ['FLINK']);
  assert.equal(config['master_config'][0]['num_instances'], '${var.master_count}');
  assert.equal(config['master_config'][0]['machine_type'], '${var.machine_type}');
  assert.equal(config['worker_config'][0]['num_instances'], '${var.worker_count}');
  assert.equal(config['worker_config'][0]['machine_type'], '${var.machine_type}');
  assert.equal(config['gce_cluster_config'][0]['internal_ip_only'], true);
  assert.equal(config['gce_cluster_config'][0]['service_account'], '${google_service_account.job.email}');
});

test('the service account: Dataproc worker, logs and metrics on the project; objects only in its buckets', async () => {
  const gcp = await readModule('modules/gcp-analytics');
  assert.equal(
    resource(gcp, 'google_project_iam_member', 'job')['for_each'],
    '${toset(["roles/dataproc.worker", "roles/logging.logWriter", "roles/monitoring.metricWriter"])}',
  );
  const bucketRole = resource(gcp, 'google_storage_bucket_iam_member', 'job');
  assert.equal(bucketRole['role'], 'roles/storage.objectAdmin');
  assert.equal(bucketRole['for_each'], '${toset(["jobs", "datalake", "staging"])}');
});

test('GCS: checkpoints and results (the job storage), data lake, each with lifecycle rules, private', async () => {
  const gcp = await readModule('modules/gcp-analytics');
  const l = locals(gcp);
  const lifecycle = l['lifecycle'] as Record<string, Hcl[]>;
  for (const bucket of l['buckets'] as string[]) assert.ok(lifecycle[bucket]?.length, `${bucket} has lifecycle rules`);
  const prefixes = lifecycle['jobs']!.flatMap((r) => r['prefixes']);
  assert.ok(prefixes.includes('checkpoints/') && prefixes.includes('results/'));
  // Live checkpoints are Flink's to delete (it keeps three); an age rule would break a restore.
  assert.ok(!lifecycle['jobs']!.some((r) => r['prefixes'].includes('checkpoints/') && r['state'] !== 'ARCHIVED'));
  assert.deepEqual(
    lifecycle['datalake']!.filter((r) => r['action'] === 'SetStorageClass').map((r) => r['storage_class']),
    ['NEARLINE', 'COLDLINE', 'ARCHIVE'],
  );
  const bucket = resources(gcp, 'google_storage_bucket')[0]!;
  assert.equal(bucket['public_access_prevention'], 'enforced');
  assert.equal(bucket['uniform_bucket_level_access'], true);
});

test('the cross-cloud connection: HA VPN with BGP, four tunnels to two AWS VPN connections', async () => {
  const gcp = await readModule('modules/vpn-gcp');
  assert.equal(resource(gcp, 'google_compute_external_vpn_gateway', 'aws')['redundancy_type'], 'FOUR_IPS_REDUNDANCY');
  assert.equal(resource(gcp, 'google_compute_vpn_tunnel', 'this')['ike_version'], 2);
  const aws = await readModule('modules/vpn-aws');
  assert.equal(resource(aws, 'aws_vpn_connection', 'gcp')['static_routes_only'], false);
  assert.match(resource(aws, 'aws_vpn_connection', 'gcp')['count'], /length\(var\.gcp_interface_addresses\)/);
  assert.ok(resource(aws, 'aws_vpn_gateway_route_propagation', 'private'));
});
