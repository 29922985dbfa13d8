import assert from 'node:assert/strict';
import { test } from 'node:test';
import { moduleCall, overlaps, readModule, resource, resources, within } from './hcl.ts';

// The design document's "VPC Design" and "Security Groups" sections, as the compositions and modules state them.
for (const env of ['production', 'staging']) {
  test(`${env}: the document's VPC, two AZs and four subnets`, async () => {
    const p = moduleCall(await readModule(`envs/${env}/aws`), 'platform');
    assert.equal(p['vpc_cidr'], '10.0.0.0/16');
    assert.deepEqual(p['azs'], ['us-east-1a', 'us-east-1b']);
    assert.deepEqual(p['public_subnets'], ['10.0.0.0/24', '10.0.1.0/24']);
    assert.deepEqual(p['private_subnets'], ['10.0.10.0/24', '10.0.11.0/24']);
    const subnets = [...p['public_subnets'], ...p['private_subnets']] as string[];
    for (const s of subnets) assert.ok(within(s, p['vpc_cidr']), `${s} inside the VPC`);
    for (const [i, a] of subnets.entries())
      for (const b of subnets.slice(i + 1)) assert.ok(!overlaps(a, b), `${a} and ${b} overlap`);
    // The GCP range MSK admits must not collide with the VPC (the VPN routes it).
    assert.ok(!overlaps(p['gcp_subnet_cidr'], p['vpc_cidr']));
  });
}

test('subnets: one per AZ in order, NAT for private egress, flow logs of all traffic', async () => {
  const net = await readModule('modules/network');
  assert.match(resource(net, 'aws_subnet', 'public')['for_each'], /var\.azs.*var\.public_subnets\[i\]/);
  assert.match(resource(net, 'aws_subnet', 'private')['for_each'], /var\.azs.*var\.private_subnets\[i\]/);
  assert.equal(resource(net, 'aws_subnet', 'public')['map_public_ip_on_launch'], false);
  assert.match(resource(net, 'aws_route_table', 'private')['route'][0]['nat_gateway_id'], /aws_nat_gateway/);
  assert.equal(resource(net, 'aws_flow_log', 'this')['traffic_type'], 'ALL');
  assert.deepEqual(
    Object.keys(resource(net, 'aws_default_security_group', 'this')),
    ['vpc_id'],
    'default group has no rules',
  );
});

test('security groups: RDS 5432 and Redis 6379 from the EKS nodes only', async () => {
  for (const [dir, port] of [
    ['modules/rds', 5432],
    ['modules/redis', 6379],
  ] as const) {
    const mod = await readModule(dir);
    const [rule, ...others] = resources(mod, 'aws_vpc_security_group_ingress_rule');
    assert.equal(others.length, 0, `${dir}: one ingress rule`);
    assert.equal(rule?.['from_port'], port);
    assert.equal(rule?.['to_port'], port);
    assert.equal(rule?.['referenced_security_group_id'], '${var.node_security_group_id}');
    assert.equal(rule?.['cidr_ipv4'], undefined, 'no address range, so no internet access');
  }
});

test('security groups: MSK 9092 from the nodes, TLS 9094 from the nodes and the GCP range', async () => {
  const msk = await readModule('modules/msk');
  const plain = resource(msk, 'aws_vpc_security_group_ingress_rule', 'plaintext_from_nodes');
  assert.deepEqual([plain['from_port'], plain['to_port']], [9092, 9092]);
  assert.equal(plain['referenced_security_group_id'], '${var.node_security_group_id}');
  const gcp = resource(msk, 'aws_vpc_security_group_ingress_rule', 'tls_from_gcp');
  assert.deepEqual([gcp['from_port'], gcp['to_port'], gcp['cidr_ipv4']], [9094, 9094, '${each.value}']);
  assert.equal(gcp['for_each'], '${toset(var.gcp_cidrs)}');
  const platform = await readModule('modules/aws-platform');
  assert.equal(moduleCall(platform, 'msk')['gcp_cidrs'][0], '${var.gcp_subnet_cidr}');
  // The range the AWS side admits is the Dataproc subnet the GCP side creates.
  for (const env of ['production', 'staging']) {
    const aws = moduleCall(await readModule(`envs/${env}/aws`), 'platform');
    const gcp = moduleCall(await readModule(`envs/${env}/gcp`), 'platform');
    assert.equal(aws['gcp_subnet_cidr'], gcp['subnet_cidr']);
    assert.equal(aws['gcp_asn'], gcp['gcp_asn']);
  }
});

test('security groups: the nodes take 443 from the ALB, egress everywhere', async () => {
  const eks = await readModule('modules/eks');
  const fromAlb = resource(eks, 'aws_vpc_security_group_ingress_rule', 'nodes_from_alb');
  assert.deepEqual([fromAlb['from_port'], fromAlb['to_port']], [443, 443]);
  assert.equal(fromAlb['referenced_security_group_id'], '${aws_security_group.alb.id}');
  const egress = resource(eks, 'aws_vpc_security_group_egress_rule', 'nodes_all');
  assert.deepEqual([egress['cidr_ipv4'], egress['ip_protocol']], ['0.0.0.0/0', '-1']);
});
