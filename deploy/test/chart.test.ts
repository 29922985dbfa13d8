// The design document's numbers, read back from the rendered chart of each environment: a values change that
// drifts from them fails here. Run by `npm run check:deploy` (needs helm from deploy/scripts/tools.sh).
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { environments } from '../scripts/config.ts';
import { parseObjects, renderChart, type K8sObject } from '../scripts/render.ts';

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

const SERVICES = ['gateway', 'users', 'products', 'orders', 'payments', 'notifications', 'analytics'];
const SMALL = { requests: { memory: '128Mi', cpu: '100m' }, limits: { memory: '256Mi', cpu: '200m' } };
const LARGE = { requests: { memory: '256Mi', cpu: '250m' }, limits: { memory: '512Mi', cpu: '500m' } };
const RESOURCES: Record<string, Json> = {
  gateway: SMALL,
  users: SMALL,
  orders: SMALL,
  payments: SMALL,
  products: LARGE,
  notifications: LARGE,
};

for (const env of environments) {
  describe(`the chart rendered for ${env}`, () => {
    const objects = parseObjects(renderChart(env));
    const find = (kind: string, name: string): Json => {
      const o = objects.find((x) => x.kind === kind && x.metadata.name === name);
      assert.ok(o, `${kind} ${name} is rendered`);
      return o as Json;
    };
    const container = (name: string): Json => find('Deployment', `emporium-${name}`).spec.template.spec.containers[0];

    it('has every object the issue lists for every service', () => {
      for (const s of SERVICES) {
        for (const kind of ['Deployment', 'Service', 'ConfigMap', 'ServiceAccount', 'NetworkPolicy', 'ServiceMonitor'])
          find(kind, `emporium-${s}`);
      }
      find('Ingress', 'emporium-gateway');
      find('PrometheusRule', 'emporium');
      find('ConfigMap', 'emporium-dashboards');
      find('NetworkPolicy', 'emporium-default-deny');
      find('Job', 'emporium-kafka-topics');
      for (const s of ['users', 'orders', 'payments', 'notifications', 'analytics'])
        find('Job', `emporium-${s}-migrate`);
      assert.equal(objects.filter((o) => o.kind === 'Secret').length, 0, 'no Secret values in the chart');
    });

    it('scales the gateway 2-10 at 70 % CPU and orders 2-8 at 70 % CPU and 80 % memory', () => {
      const gw = find('HorizontalPodAutoscaler', 'emporium-gateway').spec;
      assert.deepEqual([gw.minReplicas, gw.maxReplicas], [2, 10]);
      assert.deepEqual(targets(gw), { cpu: 70 });
      const orders = find('HorizontalPodAutoscaler', 'emporium-orders').spec;
      assert.deepEqual([orders.minReplicas, orders.maxReplicas], [2, 8]);
      assert.deepEqual(targets(orders), { cpu: 70, memory: 80 });
      assert.equal(orders.behavior.scaleUp.selectPolicy, 'Max');
      assert.deepEqual(orders.behavior.scaleUp.policies, [
        { type: 'Percent', value: 100, periodSeconds: 15 },
        { type: 'Pods', value: 2, periodSeconds: 15 },
      ]);
      assert.deepEqual(orders.behavior.scaleDown.policies, [{ type: 'Percent', value: 50, periodSeconds: 60 }]);
      const hpas = objects.filter((o) => o.kind === 'HorizontalPodAutoscaler').map((o) => o.metadata.name);
      assert.deepEqual(hpas.sort(), ['emporium-gateway', 'emporium-orders']);
    });

    it('runs users, products and payments at 2 static replicas and notifications at 1', () => {
      for (const s of ['users', 'products', 'payments'])
        assert.equal(find('Deployment', `emporium-${s}`).spec.replicas, 2);
      assert.equal(find('Deployment', 'emporium-notifications').spec.replicas, 1);
      // An autoscaled Deployment leaves its replica count to the HPA.
      assert.equal(find('Deployment', 'emporium-orders').spec.replicas, undefined);
    });

    it("gives each service the document's requests and limits", () => {
      for (const [s, r] of Object.entries(RESOURCES)) assert.deepEqual(container(s).resources, r, s);
    });

    it('probes /health and /ready with the 3 s health-check timeout', () => {
      for (const s of SERVICES) {
        const c = container(s);
        assert.equal(c.livenessProbe.httpGet.path, '/health', s);
        assert.equal(c.readinessProbe.httpGet.path, '/ready', s);
        for (const p of [c.livenessProbe, c.readinessProbe, c.startupProbe]) assert.equal(p.timeoutSeconds, 3, s);
      }
    });

    it('runs every pod as a non-root user with a read-only root and no privilege escalation', () => {
      const pods = objects.filter((o) => o.kind === 'Deployment' || o.kind === 'Job');
      assert.ok(pods.length >= 13);
      for (const o of pods as Json[]) {
        const pod = o.spec.template.spec;
        assert.equal(pod.securityContext.runAsNonRoot, true, o.metadata.name);
        assert.ok(pod.securityContext.runAsUser > 0, o.metadata.name);
        for (const c of pod.containers) {
          assert.equal(c.securityContext.readOnlyRootFilesystem, true, o.metadata.name);
          assert.equal(c.securityContext.allowPrivilegeEscalation, false, o.metadata.name);
        }
      }
    });

    it('spreads every service across zones and keeps replicated ones under a disruption budget', () => {
      for (const s of SERVICES) {
        const spread = find('Deployment', `emporium-${s}`).spec.template.spec.topologySpreadConstraints;
        assert.ok(
          spread.some((c: Json) => c.topologyKey === 'topology.kubernetes.io/zone' && c.maxSkew === 1),
          s,
        );
      }
      for (const s of ['gateway', 'users', 'products', 'orders', 'payments'])
        find('PodDisruptionBudget', `emporium-${s}`);
    });

    it('pools connections through pgbouncer in session mode, 20 per service, 30 s timeout', () => {
      const ini = find('ConfigMap', 'emporium-pgbouncer').data['pgbouncer.ini'] as string;
      const replicas = find('Deployment', 'emporium-pgbouncer').spec.replicas as number;
      assert.match(ini, /^pool_mode = session$/m);
      assert.match(ini, /^server_connect_timeout = 30$/m);
      const perDb = [...ini.matchAll(/^(\w+) = .*max_db_connections=(\d+)$/gm)];
      assert.deepEqual(perDb.map((m) => m[1]).sort(), ['analytics', 'notifications', 'orders', 'payments', 'users']);
      for (const m of perDb) assert.equal(Number(m[2]) * replicas, 20, m[1]);
      assert.match(
        container('orders').env.find((e: Json) => e.name === 'DATABASE_URL').value,
        /@emporium-pgbouncer:6432\//,
      );
    });

    it('lets orders be called by the gateway only and call products, payments and users only', () => {
      const np = find('NetworkPolicy', 'emporium-orders').spec;
      const from = np.ingress.flatMap((r: Json) =>
        r.from.map((f: Json) => f.podSelector?.matchLabels?.['app.kubernetes.io/name']),
      );
      assert.deepEqual(from.filter(Boolean), ['emporium-gateway']);
      const to = np.egress.flatMap((r: Json) =>
        r.to.map((t: Json) => t.podSelector?.matchLabels?.['app.kubernetes.io/name']),
      );
      assert.deepEqual(to.filter(Boolean), [
        'emporium-products',
        'emporium-payments',
        'emporium-users',
        'emporium-pgbouncer',
      ]);
      const deny = find('NetworkPolicy', 'emporium-default-deny').spec;
      assert.deepEqual([deny.podSelector, deny.policyTypes], [{}, ['Ingress', 'Egress']]);
    });

    it('runs topics and migrations before the services, as Helm hooks and ArgoCD PreSync', () => {
      for (const o of objects.filter((x) => x.kind === 'Job')) {
        const a = o.metadata.annotations ?? {};
        assert.equal(a['argocd.argoproj.io/hook'], 'PreSync', o.metadata.name);
        assert.equal(a['helm.sh/hook'], 'pre-install,pre-upgrade', o.metadata.name);
        assert.ok(Number(a['argocd.argoproj.io/sync-wave']) < 0, o.metadata.name);
      }
      const topics = find('Job', 'emporium-kafka-topics').spec.template.spec.containers[0].command[2] as string;
      assert.match(topics, /--topic orders --partitions 3 --replication-factor 2/);
    });

    it('serves the gateway through NGINX with TLS', () => {
      const ing = find('Ingress', 'emporium-gateway').spec;
      assert.equal(ing.ingressClassName, 'nginx');
      assert.ok(ing.tls[0].secretName);
    });
  });
}

describe('values.schema.json', () => {
  it('refuses an unknown service setting and an unknown environment', () => {
    assert.throws(
      () => renderChart('staging', ['environment=dev', 'services.orders.replicaz=2']),
      (err: Error & { stderr?: string }) =>
        /additional properties 'replicaz' not allowed/.test(String(err.stderr)) &&
        /value must be one of 'staging', 'production'/.test(String(err.stderr)),
    );
  });
});

function targets(hpa: Json): Record<string, number> {
  return Object.fromEntries(
    hpa.metrics.map((m: Json) => [m.resource.name, m.resource.target.averageUtilization] as [string, number]),
  );
}

export type { K8sObject };
