// The real check: a kube-apiserver (built from the Go module proxy, deploy/scripts/build-kube-apiserver.sh) on
// Debian's etcd, on loopback, with ArgoCD's and the Prometheus operator's CRDs installed, takes every rendered
// object and every ArgoCD and observability manifest in a server-side dry run, and refuses planted mistakes.
// Run by `WITH_APISERVER=1 npm run check:deploy`.
import assert from 'node:assert/strict';
import { execFileSync, spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { generateKeyPairSync, randomBytes } from 'node:crypto';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { stringify } from 'yaml';
import { environments, repoRoot, toolsDir } from '../scripts/config.ts';
import { deriveInfraValues } from '../scripts/infra-values.ts';
import { parseObjects, renderChart } from '../scripts/render.ts';

const bin = (name: string) => path.join(toolsDir(), name);
const work = mkdtempSync(path.join(os.tmpdir(), 'emporium-apiserver-'));
const kubeconfig = path.join(work, 'kubeconfig');
const children: ChildProcess[] = [];

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address() as net.AddressInfo;
      srv.close(() => resolve(port));
    });
  });
}

function start(cmd: string, args: string[], name: string): ChildProcess {
  const log: string[] = [];
  const child = spawn(cmd, args, { stdio: ['ignore', 'pipe', 'pipe'] });
  const keep = (b: Buffer) => log.push(b.toString()) > 200 && log.shift();
  child.stdout!.on('data', keep);
  child.stderr!.on('data', keep);
  child.once('exit', (code) => code && console.error(`${name} exited ${code}:\n${log.join('').slice(-4000)}`));
  children.push(child);
  return child;
}

/** kubectl against the test server; returns exit status and output, never throws. */
function kubectl(args: string[], input?: string): { status: number; out: string } {
  const r = spawnSync(bin('kubectl'), ['--kubeconfig', kubeconfig, ...args], { input, encoding: 'utf8' });
  return { status: r.status ?? 1, out: `${r.stdout}${r.stderr}` };
}

async function until(what: string, ok: () => boolean, ms = 120_000): Promise<void> {
  const end = Date.now() + ms;
  while (!ok()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 500));
  }
}

const dryRun = (yaml: string, namespace?: string) =>
  kubectl(['apply', '--server-side', '--dry-run=server', ...(namespace ? ['-n', namespace] : []), '-f', '-'], yaml);

before(async () => {
  const [etcdPort, peerPort, apiPort] = [await freePort(), await freePort(), await freePort()];
  const etcdUrl = `http://127.0.0.1:${etcdPort}`;
  start(
    '/usr/bin/etcd',
    [
      '--data-dir', path.join(work, 'etcd'),
      '--listen-client-urls', etcdUrl, '--advertise-client-urls', etcdUrl,
      '--listen-peer-urls', `http://127.0.0.1:${peerPort}`, '--initial-advertise-peer-urls', `http://127.0.0.1:${peerPort}`,
      '--initial-cluster', `default=http://127.0.0.1:${peerPort}`, '--log-level', 'warn',
    ], // prettier-ignore
    'etcd',
  );
  const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  writeFileSync(path.join(work, 'sa.key'), privateKey.export({ type: 'pkcs8', format: 'pem' }));
  writeFileSync(path.join(work, 'sa.pub'), publicKey.export({ type: 'spki', format: 'pem' }));
  const token = randomBytes(24).toString('hex');
  writeFileSync(path.join(work, 'tokens.csv'), `${token},admin,admin,system:masters\n`);
  start(
    bin('kube-apiserver'),
    [
      `--etcd-servers=${etcdUrl}`, '--bind-address=127.0.0.1', '--advertise-address=127.0.0.1',
      `--secure-port=${apiPort}`, `--cert-dir=${path.join(work, 'certs')}`,
      '--service-cluster-ip-range=10.96.0.0/16', `--token-auth-file=${path.join(work, 'tokens.csv')}`,
      `--service-account-key-file=${path.join(work, 'sa.pub')}`,
      `--service-account-signing-key-file=${path.join(work, 'sa.key')}`,
      '--service-account-issuer=https://kubernetes.default.svc', '--authorization-mode=RBAC',
      '--enable-priority-and-fairness=false', '--profiling=false',
      // Loopback is refused as the advertised address of the `kubernetes` endpoint unless nothing reconciles it.
      '--endpoint-reconciler-type=none',
    ], // prettier-ignore
    'kube-apiserver',
  );
  writeFileSync(
    kubeconfig,
    stringify({
      apiVersion: 'v1',
      kind: 'Config',
      clusters: [{ name: 't', cluster: { server: `https://127.0.0.1:${apiPort}`, 'insecure-skip-tls-verify': true } }],
      users: [{ name: 't', user: { token } }],
      contexts: [{ name: 't', context: { cluster: 't', user: 't' } }],
      'current-context': 't',
    }),
  );
  await until('the API server', () => kubectl(['get', '--raw', '/readyz']).status === 0);
  // The CRDs for real, from the same module versions as kubeconform's schemas (deploy/scripts/schemas.sh).
  const schemas = execFileSync('bash', [path.join(repoRoot, 'deploy/scripts/schemas.sh')], { encoding: 'utf8' }).trim();
  for (const file of readFileSync(path.join(schemas, 'crd-files.txt'), 'utf8').split('\n').filter(Boolean)) {
    const r = kubectl(['apply', '--server-side', '-f', file]);
    assert.equal(r.status, 0, r.out);
  }
  const wait = kubectl(['wait', '--for', 'condition=established', '--timeout=120s', 'crd', '--all']);
  assert.equal(wait.status, 0, wait.out);
  for (const ns of ['argocd', 'logging', 'ingress-nginx', ...environments.map((e) => `emporium-${e}`)]) {
    const r = kubectl(['create', 'namespace', ns]);
    assert.equal(r.status, 0, r.out);
  }
});

after(async () => {
  // SIGKILL: a throwaway server on a temporary folder. On SIGTERM kube-apiserver drains and waits for its etcd,
  // which is stopping too, and held the run for minutes.
  await Promise.all(
    children.map((c) =>
      c.exitCode !== null || c.signalCode !== null
        ? undefined
        : new Promise<void>((resolve) => {
            c.once('exit', () => resolve());
            c.kill('SIGKILL');
          }),
    ),
  );
  rmSync(work, { recursive: true, force: true });
});

describe('a real kube-apiserver', () => {
  for (const env of environments) {
    it(`accepts every object the chart renders for ${env}`, () => {
      const r = dryRun(renderChart(env), `emporium-${env}`);
      assert.equal(r.status, 0, r.out);
      const accepted = r.out.split('\n').filter((l) => / serverside-applied \(server dry run\)$/.test(l));
      assert.ok(accepted.length >= 60, r.out);
    });
  }

  for (const env of environments) {
    it(`accepts every object the chart renders for ${env} with Terraform's helm_values (deploy/test/seam.test.ts)`, async () => {
      const file = path.join(work, `values-${env}.infra.yaml`);
      writeFileSync(file, stringify((await deriveInfraValues(env)).values, { aliasDuplicateObjects: false }));
      // The ALB Ingress lives in ingress-nginx's namespace: one dry run per namespace.
      const byNamespace = new Map<string, object[]>();
      for (const o of parseObjects(renderChart(env, [], [file]))) {
        const ns = o.metadata.namespace ?? `emporium-${env}`;
        byNamespace.set(ns, [...(byNamespace.get(ns) ?? []), o]);
      }
      assert.deepEqual([...byNamespace.keys()].sort(), [`emporium-${env}`, 'ingress-nginx']);
      for (const [ns, objs] of byNamespace) {
        const r = dryRun(objs.map((o) => stringify(o)).join('---\n'), ns);
        assert.equal(r.status, 0, r.out);
        assert.match(
          r.out,
          ns === 'ingress-nginx'
            ? /ingress\.networking\.k8s\.io\/emporium-\w+-alb serverside-applied/
            : /targetgroupbinding\.elbv2\.k8s\.aws\/emporium-products serverside-applied/,
        );
      }
    });
  }

  it('accepts the ArgoCD project and ApplicationSet and the observability manifests', () => {
    for (const dir of ['deploy/argocd', 'deploy/observability']) {
      for (const f of readdirSync(path.join(repoRoot, dir)).filter((n) => n.endsWith('.yaml') && !n.includes('test'))) {
        const r = kubectl(['apply', '--server-side', '--dry-run=server', '-f', path.join(repoRoot, dir, f)]);
        assert.equal(r.status, 0, `${f}: ${r.out}`);
      }
    }
  });

  // Mistakes planted in the real rendered objects: the same step must refuse each.
  const objects = parseObjects(renderChart('staging'));
  const pick = (kind: string, name: string) =>
    structuredClone(objects.find((o) => o.kind === kind && o.metadata.name === name)!) as Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

  it('refuses an unknown field', () => {
    const d = pick('Deployment', 'emporium-orders');
    d.spec.replicaz = 3;
    const r = dryRun(stringify(d), 'emporium-staging');
    assert.notEqual(r.status, 0);
    // Server-side apply builds a typed patch first, so the refusal names the field as the schema does.
    assert.match(r.out, /\.spec\.replicaz: field not declared in schema/);
  });

  it('refuses a value outside an enum', () => {
    const d = pick('Deployment', 'emporium-gateway');
    d.spec.template.spec.containers[0].imagePullPolicy = 'Sometimes';
    const r = dryRun(stringify(d), 'emporium-staging');
    assert.notEqual(r.status, 0);
    assert.match(r.out, /imagePullPolicy: Unsupported value: "Sometimes"/);
  });

  it('refuses an HPA whose maximum is below its minimum', () => {
    const h = pick('HorizontalPodAutoscaler', 'emporium-orders');
    h.spec.maxReplicas = 1;
    const r = dryRun(stringify(h), 'emporium-staging');
    assert.notEqual(r.status, 0);
    assert.match(r.out, /maxReplicas: Invalid value: 1: must be greater than or equal to `minReplicas`/);
  });

  it('refuses an unknown field in a custom resource (a ServiceMonitor)', () => {
    const m = pick('ServiceMonitor', 'emporium-orders');
    m.spec.endpoints[0].scrapeEvery = '30s';
    const r = dryRun(stringify(m), 'emporium-staging');
    assert.notEqual(r.status, 0);
    assert.match(r.out, /\.spec\.endpoints\[0\]\.scrapeEvery: field not declared in schema/);
  });
});
