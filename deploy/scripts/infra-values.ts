// The values file Terraform's `helm_values` output becomes (infra/scripts/helm-values.ts), derived from the HCL
// without a plan: the object expression's keys as written, each Terraform expression replaced by a plausible
// value. deploy/test/seam.test.ts renders the chart with it; check.sh runs kubeconform on that rendering.
// Usage: node infra-values.ts <staging|production> <out.yaml>
import { writeFileSync } from 'node:fs';
import { stringify } from 'yaml';
import { moduleCall, readModule, type Hcl } from '../../infra/test/hcl.ts';

const ACCOUNT = '123456789012';

/** A stand-in per expression of the output: a new expression fails here until it gets one. */
function placeholders(env: string, composition: Hcl, modules: Record<string, Hcl>): Record<string, unknown> {
  return {
    'split("/", module.ecr.repository_urls["gateway"])[0]': `${ACCOUNT}.dkr.ecr.us-east-1.amazonaws.com`,
    'module.dns.certificate_arn': `arn:aws:acm:us-east-1:${ACCOUNT}:certificate/${env}-0f1e2d3c`,
    'module.dns.ingress_group': modules['dns']!['variable']['ingress_group'][0]['default'],
    'module.eks.alb_security_group_id': env === 'staging' ? 'sg-0a1b2c3d4e5f60001' : 'sg-0a1b2c3d4e5f60002',
    'module.msk.bootstrap_brokers': `b-1.emporium-${env}.kafka.example:9092,b-2.emporium-${env}.kafka.example:9092`,
    'module.msk.replication_factor': composition['msk_broker_count'],
    'module.rds.address': `emporium-${env}.rds.example`,
    'module.redis.primary_endpoint': `master.emporium-${env}.cache.example`,
    'module.service_roles.service_role_arns["products"]': `arn:aws:iam::${ACCOUNT}:role/emporium-${env}-products`,
    'data.aws_region.this.region': 'us-east-1',
    'module.storage.assets_bucket': `emporium-${env}-${ACCOUNT}-assets`,
    'module.dynamodb.table_prefix': composition['dynamodb_table_prefix'],
    'module.products_endpoint.target_group_arn': `arn:aws:elasticloadbalancing:us-east-1:${ACCOUNT}:targetgroup/emporium-${env}-products/0123456789abcdef`,
  };
}

export interface InfraValues {
  values: Record<string, unknown>;
  /** The environment composition's arguments to modules/aws-platform (subnets, domain, ...). */
  composition: Hcl;
}

export async function deriveInfraValues(env: string): Promise<InfraValues> {
  const platform = await readModule('modules/aws-platform');
  const composition = moduleCall(await readModule(`envs/${env}/aws`), 'platform');
  const known = placeholders(env, composition, { dns: await readModule('modules/dns') });
  const resolve = (expr: string, at: string): unknown => {
    const variable = /^var\.(\w+)$/.exec(expr);
    if (variable) {
      const value = composition[variable[1]!];
      if (value === undefined || (typeof value === 'string' && value.includes('${')))
        throw new Error(`${at}: var.${variable[1]} is not a literal in envs/${env}/aws`);
      return value;
    }
    if (!(expr in known))
      throw new Error(`${at}: no stand-in for \`${expr}\` (add one in deploy/scripts/infra-values.ts)`);
    return known[expr];
  };
  const walk = (node: unknown, at: string): unknown => {
    if (Array.isArray(node)) return node.map((n, i) => walk(n, `${at}[${i}]`));
    if (node && typeof node === 'object')
      return Object.fromEntries(Object.entries(node).map(([k, v]) => [k, walk(v, `${at}.${k}`)]));
    if (typeof node !== 'string' || !node.includes('${')) return node;
    const inner = node.slice(2, -1);
    if (node.startsWith('${') && node.endsWith('}') && !inner.includes('${')) {
      if (/^\s*[[{]/.test(inner)) throw new Error(`${at}: a for expression; expand it in infra-values.ts`);
      return resolve(inner.trim(), at);
    }
    // A template such as "rediss://${module.redis.primary_endpoint}:6379".
    return node.replace(/\$\{([^}]*)\}/g, (_, e: string) => String(resolve(e.trim(), at)));
  };
  const output = platform['output']['helm_values'][0]['value'] as Hcl;
  return { values: walk(output, 'helm_values') as Record<string, unknown>, composition };
}

if (import.meta.main) {
  const [env, out] = process.argv.slice(2);
  if ((env !== 'staging' && env !== 'production') || !out)
    throw new Error('usage: node infra-values.ts <env> <out.yaml>');
  writeFileSync(out, stringify((await deriveInfraValues(env)).values, { aliasDuplicateObjects: false }));
}
