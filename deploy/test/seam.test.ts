// The Terraform → chart seam (decision 0022): the chart rendered with the exact shape of aws-platform's
// `helm_values` output (derived from the HCL by deploy/scripts/infra-values.ts) takes every key and carries every
// value to the objects that use it. A key the chart does not define fails the schema, so it fails here.
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync, existsSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, describe, it } from 'node:test';
import { parse, stringify } from 'yaml';
import { locals, moduleCall, readModule } from '../../infra/test/hcl.ts';
import { chartDir, environments, repoRoot } from '../scripts/config.ts';
import { deriveInfraValues } from '../scripts/infra-values.ts';
import { parseObjects, renderChart } from '../scripts/render.ts';

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

const work = mkdtempSync(path.join(os.tmpdir(), 'emporium-seam-'));
after(() => rmSync(work, { recursive: true, force: true }));

function writeValues(name: string, values: unknown): string {
  const file = path.join(work, name);
  writeFileSync(file, stringify(values, { aliasDuplicateObjects: false }));
  return file;
}

/** Every string in the values, with where it sits. */
function leaves(node: unknown, at = ''): Array<[string, string]> {
  if (Array.isArray(node)) return node.flatMap((n, i) => leaves(n, `${at}[${i}]`));
  if (node && typeof node === 'object') return Object.entries(node).flatMap(([k, v]) => leaves(v, `${at}.${k}`));
  return typeof node === 'string' ? [[at, node]] : [];
}

const rejection = (values: Json, env: string) => {
  try {
    renderChart(env, [], [writeValues(`bad-${env}.yaml`, values)]);
  } catch (err) {
    return String((err as { stderr?: string }).stderr);
  }
  return 'rendered';
};

for (const env of environments) {
  describe(`the chart with ${env}'s helm_values`, async () => {
    const { values, composition } = await deriveInfraValues(env);
    const v = values as Json;
    const file = writeValues(`values-${env}.infra.yaml`, values);
    const text = renderChart(env, [], [file]);
    const objects = parseObjects(text) as Json[];
    const find = (kind: string, name: string): Json => {
      const o = objects.find((x) => x.kind === kind && x.metadata.name === name);
      assert.ok(o, `${kind} ${name} is rendered`);
      return o;
    };

    it('carries every value Terraform writes into the rendered objects', () => {
      for (const [at, value] of leaves(values)) assert.ok(text.includes(value), `${at} = ${value} is used`);
    });

    it('annotates the IRSA role on the service account of each service service-roles makes one for', async () => {
      // The services service-roles makes a role for: each must reach its account through helm_values.
      const roles = Object.keys(locals(await readModule('modules/service-roles'))['service_policies']);
      assert.ok(roles.includes('products'));
      for (const s of roles) {
        const want = v.services[s]?.serviceAccountAnnotations?.['eks.amazonaws.com/role-arn'];
        assert.ok(want, `helm_values.services.${s}.serviceAccountAnnotations carries ${s}'s role`);
        assert.match(want, new RegExp(`^arn:aws:iam::\\d{12}:role/emporium-${env}-${s}$`));
        const sa = find('ServiceAccount', `emporium-${s}`);
        assert.equal(sa.metadata.annotations['eks.amazonaws.com/role-arn'], want);
      }
      const others = objects.filter((o) => o.kind === 'ServiceAccount' && o.metadata.annotations);
      assert.deepEqual(
        others.map((o) => o.metadata.name),
        roles.map((s) => `emporium-${s}`),
      );
    });

    it('puts the ALB Ingress with the certificate, security group and group name in front of ingress-nginx', () => {
      const ing = find('Ingress', `emporium-${env}-alb`);
      assert.equal(ing.metadata.namespace, 'ingress-nginx');
      const a = ing.metadata.annotations;
      assert.equal(a['alb.ingress.kubernetes.io/certificate-arn'], v.ingress.alb.certificateArn);
      assert.equal(a['alb.ingress.kubernetes.io/security-groups'], v.ingress.alb.securityGroupId);
      assert.equal(a['alb.ingress.kubernetes.io/group.name'], 'emporium');
      assert.equal(a['alb.ingress.kubernetes.io/target-type'], 'ip');
      assert.equal(ing.spec.ingressClassName, 'alb');
      const rule = ing.spec.rules[0];
      assert.equal(rule.host, composition['domain_name']);
      assert.deepEqual(rule.http.paths[0].backend.service, {
        name: 'ingress-nginx-controller',
        port: { name: 'https' },
      });
      // The gateway's own Ingress (NGINX) answers the same host.
      assert.equal(find('Ingress', 'emporium-gateway').spec.rules[0].host, composition['domain_name']);
    });

    it('gives products its AWS region, images bucket and table prefix, and everyone the TLS Redis', () => {
      const data = find('ConfigMap', 'emporium-products').data;
      assert.equal(data.AWS_REGION, 'us-east-1');
      assert.equal(data.IMAGES_BUCKET, v.services.products.env.IMAGES_BUCKET);
      assert.equal(data.DYNAMODB_TABLE_PREFIX, composition['dynamodb_table_prefix']);
      assert.match(data.REDIS_URL, /^rediss:\/\//);
      assert.equal(find('ConfigMap', 'emporium-orders').data.KAFKA_BROKERS, v.external.kafka.brokers);
    });

    it('creates the databases RDS is made for, as the master user, before the migrations', async () => {
      const job = find('Job', 'emporium-database-setup');
      const a = job.metadata.annotations;
      assert.equal(a['argocd.argoproj.io/hook'], 'PreSync');
      const waves = objects
        .filter((o) => o.kind === 'Job')
        .map((o) => Number(o.metadata.annotations['argocd.argoproj.io/sync-wave']));
      assert.equal(Number(a['argocd.argoproj.io/sync-wave']), Math.min(...waves));
      const c = job.spec.template.spec.containers[0];
      const env_ = Object.fromEntries(c.env.map((e: Json) => [e.name, e.value ?? e.valueFrom.secretKeyRef]));
      assert.equal(env_.PGHOST, v.external.postgres.host);
      assert.deepEqual(env_.PGUSER, { name: 'emporium-postgres-master', key: 'username' });
      assert.deepEqual(env_.PGPASSWORD, { name: 'emporium-postgres-master', key: 'password' });
      const dbs = /for db in ([a-z ]+);/.exec(c.command[2])![1]!.trim().split(' ');
      const rds = moduleCall(await readModule('modules/aws-platform'), 'rds')['databases'] as string[];
      assert.deepEqual(dbs.sort(), [...rds].sort());
      // The Job's egress reaches the database (the setup-jobs policy selects it).
      assert.equal(job.spec.template.metadata.labels['emporium.io/setup-job'], 'true');
      const np = find('NetworkPolicy', 'emporium-setup-jobs').spec;
      assert.deepEqual(
        np.egress[0].to.map((t: Json) => t.ipBlock.cidr),
        composition['private_subnets'],
      );
    });

    it("binds the products Service to the internal NLB's target group and admits the NLB's subnets", async () => {
      // The NLB's listener and target port (Terraform) are the products Service's port (the chart).
      const endpoint = await readModule('modules/products-endpoint');
      const port = endpoint['variable']['port'][0]['default'] as number;
      assert.equal(find('Service', 'emporium-products').spec.ports[0].port, port);
      const tgb = find('TargetGroupBinding', 'emporium-products');
      assert.equal(tgb.spec.targetGroupARN, v.services.products.targetGroupBinding.targetGroupArn);
      assert.deepEqual(tgb.spec.serviceRef, { name: 'emporium-products', port: 'http' });
      assert.equal(tgb.spec.targetType, 'ip');
      const np = find('NetworkPolicy', 'emporium-products').spec;
      const fromVpc = np.ingress.find((r: Json) => r.from.some((f: Json) => f.ipBlock));
      assert.deepEqual(
        fromVpc.from.map((f: Json) => f.ipBlock.cidr),
        composition['private_subnets'],
      );
      assert.deepEqual(fromVpc.ports, [{ protocol: 'TCP', port }]);
      const ep = objects.filter((o) => o.kind === 'TargetGroupBinding');
      assert.equal(ep.length, 1, 'only products is reached from outside the cluster');
    });

    it('fails on a key the chart does not take, wherever Terraform adds it', () => {
      const plant = (edit: (x: Json) => void) => {
        const x = structuredClone(values) as Json;
        edit(x);
        return rejection(x, env);
      };
      // The keys this seam used to carry, which nothing in the chart read.
      assert.match(
        plant((x) => (x.logGroups = { gateway: '/emporium/gateway' })),
        /additional properties 'logGroups'/,
      );
      assert.match(
        plant((x) => (x.alb = x.ingress.alb)),
        /additional properties 'alb'/,
      );
      assert.match(
        plant((x) => (x.external.postgres.databases = ['users'])),
        /additional properties 'databases'/,
      );
      assert.match(
        plant((x) => (x.serviceAccounts = { products: { annotations: {} } })),
        /additional properties 'serviceAccounts'/,
      );
      assert.match(
        plant((x) => (x.services.products.logGroup = 'x')),
        /additional properties 'logGroup'/,
      );
      assert.match(
        plant((x) => (x.ingress.alb.wafAclArn = 'x')),
        /additional properties 'wafAclArn'/,
      );
    });
  });
}

describe('ArgoCD', () => {
  const set = parse(readFileSync(path.join(repoRoot, 'deploy/argocd/applicationset.yaml'), 'utf8')) as Json;
  const helm = set.spec.template.spec.source.helm;

  it("lists Terraform's values file last and syncs without it", () => {
    assert.deepEqual(helm.valueFiles, [
      'values.yaml',
      'values-{{ .environment }}.yaml',
      'values-{{ .environment }}.infra.yaml',
    ]);
    assert.equal(helm.ignoreMissingValueFiles, true);
    const script = readFileSync(path.join(repoRoot, 'infra/scripts/helm-values.ts'), 'utf8');
    assert.match(script, /`values-\$\{env\}\.infra\.yaml`/, 'helm-values.ts writes the file ArgoCD reads');
  });

  it('renders each environment from the files ArgoCD would pass, with or without the Terraform file', async () => {
    const project = parse(readFileSync(path.join(repoRoot, 'deploy/argocd/project.yaml'), 'utf8')) as Json;
    const kinds = new Set(project.spec.namespaceResourceWhitelist.map((k: Json) => k.kind));
    const namespaces = project.spec.destinations.map((d: Json) => d.namespace);
    for (const env of environments) {
      const files = helm.valueFiles.map((f: string) => f.replace('{{ .environment }}', env));
      // The hand-set files are in git; the Terraform one once the runbook's step 6 has committed it.
      const present = files.filter((f: string) => existsSync(path.join(chartDir, f)));
      assert.deepEqual(present.slice(0, 2), ['values.yaml', `values-${env}.yaml`]);
      const { values } = await deriveInfraValues(env);
      const infra = writeValues(`argocd-${env}.infra.yaml`, values);
      for (const extra of [[], [infra]]) {
        const objects = parseObjects(renderChart(env, [], extra)) as Json[];
        for (const o of objects) {
          assert.ok(kinds.has(o.kind), `${o.kind} is allowed by the AppProject`);
          assert.ok(namespaces.includes(o.metadata.namespace ?? `emporium-${env}`), `${o.metadata.name}'s namespace`);
        }
      }
    }
  });
});
