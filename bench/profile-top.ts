import { readFile } from 'node:fs/promises';

// `node bench/profile-top.ts file.cpuprofile [n]`: where a V8 CPU profile (BENCH_PROFILE) spent its
// time, by function (self time) and by package (self time summed over each node_modules package).
interface Node {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  children?: number[];
}
const [file, n = '25'] = process.argv.slice(2);
const profile = JSON.parse(await readFile(file!, 'utf8')) as { nodes: Node[]; samples: number[]; timeDeltas: number[] };
const self = new Map<number, number>();
profile.samples.forEach((id, i) => self.set(id, (self.get(id) ?? 0) + (profile.timeDeltas[i] ?? 0)));
const idle = profile.nodes.filter((node) => node.callFrame.functionName === '(idle)').map((node) => node.id);
for (const id of idle) self.delete(id);
// Shares are of busy time: idle samples are left out.
const total = [...self.values()].reduce((a, b) => a + b, 0);
console.log(`busy ${(total / 1e6).toFixed(1)} s`);
const byFunction = new Map<string, number>();
const byPackage = new Map<string, number>();
for (const node of profile.nodes) {
  const us = self.get(node.id) ?? 0;
  const { functionName, url, lineNumber } = node.callFrame;
  const where = url.replace(/^.*node_modules\//, '').replace(/^file:\/\/.*?\/(services|packages)\//, '$1/');
  const fn = `${functionName || '(anonymous)'} ${where}:${lineNumber + 1}`;
  byFunction.set(fn, (byFunction.get(fn) ?? 0) + us);
  const where2 = url.startsWith('node:') ? 'node internals' : url ? 'our code' : functionName;
  const pkg = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(url)?.[1] ?? where2;
  byPackage.set(pkg, (byPackage.get(pkg) ?? 0) + us);
}
const print = (title: string, m: Map<string, number>) => {
  console.log(`\n${title}`);
  for (const [k, us] of [...m].sort((a, b) => b[1] - a[1]).slice(0, Number(n))) {
    console.log(`${((us / total) * 100).toFixed(1).padStart(5)} %  ${k}`);
  }
};
print('self time by package', byPackage);
print('self time by function', byFunction);
