import { existsSync, readFileSync, statSync } from 'node:fs';
import { mkdir, readdir, rename, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { analyticsCacheDir, mvn, newestSource, run } from './analytics.ts';

// The analytics SQL's JUnit cases (analytics/src/test) run in one plain JVM, not under Maven: Maven compiles when
// the sources changed and lists the class path once per pom; the JVM maps Flink's ~20,000 classes from a
// class-data-sharing archive made after the first run (class loading and verification were half the CPU).
const PROJECT = path.resolve(import.meta.dirname, '..', 'analytics');
const BUILD = path.join(PROJECT, 'target', 'junit');
const STAMP = path.join(BUILD, 'compiled.stamp');
const JVM = ['-XX:TieredStopAtLevel=1', '-XX:+UseSerialGC', '-Xmx768m', '-Djava.awt.headless=true'];

type Say = (line: string) => void;

export interface JUnitRun {
  code: number | null;
  output: string;
  succeeded: number;
  failed: number;
}

function java(): string {
  return process.env['JAVA_HOME'] ? path.join(process.env['JAVA_HOME'], 'bin', 'java') : 'java';
}

/** The test class path's jars (the planner itself, not its loader; GCS's older shaded Guava), listed once per pom. */
async function testJars(cache: string, say: Say): Promise<string[]> {
  const list = path.join(cache, 'junit-classpath.txt');
  if (!existsSync(list)) {
    say('listing the analytics tests’ class path (once)…');
    await mkdir(cache, { recursive: true });
    const tmp = `${list}.tmp-${process.pid}`;
    const extra = path.join(cache, 'junit-extra');
    const goals = ['-q', 'dependency:build-classpath', 'dependency:copy@gs-guava'];
    const props = ['-Dmdep.includeScope=test', `-Dmdep.outputFile=${tmp}`, `-DoutputDirectory=${extra}`];
    const { code, output } = await mvn([...goals, ...props], say);
    if (code !== 0) throw new Error(`listing the test class path failed (exit ${code}):\n${output.slice(-4000)}`);
    const jars = readFileSync(tmp, 'utf8')
      .trim()
      .split(path.delimiter)
      .filter((jar) => !jar.includes('flink-table-planner-loader'));
    for (const name of (await readdir(extra)).sort()) jars.push(path.join(extra, name));
    await writeFile(tmp, jars.join('\n'));
    await rename(tmp, list);
  }
  return readFileSync(list, 'utf8').split('\n').filter(Boolean);
}

async function compile(say: Say): Promise<void> {
  const sources = Math.max(newestSource(path.join(PROJECT, 'src')), statSync(path.join(PROJECT, 'pom.xml')).mtimeMs);
  if (existsSync(STAMP) && statSync(STAMP).mtimeMs >= sources) return;
  say('compiling the analytics job and its tests…');
  const { code, output } = await mvn(['-q', 'test-compile', `-Dbuild.dir=${BUILD}`], say);
  if (code !== 0) throw new Error(`compiling analytics/ failed (exit ${code}):\n${output.slice(-4000)}`);
  await writeFile(STAMP, new Date().toISOString());
}

/** Runs every JUnit class of analytics/src/test; env reaches the tests (storage on fake-gcs-server). */
export async function runAnalyticsJUnit(
  env: Record<string, string> = {},
  say: Say = () => undefined,
): Promise<JUnitRun> {
  const cache = analyticsCacheDir();
  const jars = await testJars(cache, say);
  await compile(say);
  // The archive holds the jars' classes only (the run may append folders to the class path it was made with).
  const archive = path.join(cache, 'junit-classes.jsa');
  const classList = path.join(cache, `junit-classes.lst.tmp-${process.pid}`);
  const sharing = existsSync(archive) ? [`-XX:SharedArchiveFile=${archive}`] : [`-XX:DumpLoadedClassList=${classList}`];
  const classPath = [...jars, path.join(BUILD, 'classes'), path.join(BUILD, 'test-classes')].join(path.delimiter);
  const launcher = ['org.junit.platform.console.ConsoleLauncher', 'execute', '--disable-banner'];
  const options = ['--disable-ansi-colors', '--details=summary', '--fail-if-no-tests'];
  const { code, output } = await run(
    java(),
    [
      ...JVM,
      ...sharing,
      '-cp',
      classPath,
      ...launcher,
      ...options,
      `--scan-classpath=${path.join(BUILD, 'test-classes')}`,
    ],
    env,
  );
  const count = (what: string) => Number(output.match(new RegExp(`(\\d+) tests ${what}`))?.[1] ?? 0);
  if (!existsSync(archive) && existsSync(classList)) await makeArchive(jars, classList, archive, say);
  return { code, output, succeeded: count('successful'), failed: count('failed') };
}

/** A class-data-sharing archive of the classes one run loaded (seconds of CPU once; later runs start faster). */
async function makeArchive(jars: string[], classList: string, archive: string, say: Say): Promise<void> {
  say('writing a class-data-sharing archive for the next runs (once)…');
  const tmp = `${archive}.tmp-${process.pid}`;
  const dump = ['-XX:+UseSerialGC', '-Xshare:dump', `-XX:SharedClassListFile=${classList}`];
  const { code } = await run(java(), [...dump, `-XX:SharedArchiveFile=${tmp}`, '-cp', jars.join(path.delimiter)]);
  if (code === 0 && existsSync(tmp)) await rename(tmp, archive);
  await rm(tmp, { force: true });
  await rm(classList, { force: true });
}
