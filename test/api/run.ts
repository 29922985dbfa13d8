import { execFileSync, spawn } from 'node:child_process';
import { chmod, mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { readPlatformConfig, repoRoot } from '../../platform/config.ts';
import { startPlatform, type RunningPlatform } from '../../platform/platform.ts';

// `npm run test:api`: the whole platform on ports of its own with a fresh data folder, schemathesis
// against the gateway's OpenAPI document as a signed-in customer, then everything stopped again.
// Exits non-zero when the document is invalid or schemathesis finds a failure. About 4 minutes.
const env = process.env;
const ports = {
  GATEWAY_PORT: '31100',
  USERS_PORT: '31101',
  PRODUCTS_PORT: '31102',
  ORDERS_PORT: '31103',
  PAYMENTS_PORT: '31105',
  ANALYTICS_PORT: '31106',
  EMPORIUM_PG_PORT: '21532',
  EMPORIUM_REDIS_PORT: '21479',
  EMPORIUM_DYNAMODB_PORT: '21900',
  EMPORIUM_KAFKA_PORT: '21192',
  EMPORIUM_SMTP_PORT: '21025',
  EMPORIUM_MAILPIT_PORT: '21825',
  EMPORIUM_S3_PORT: '21950',
  EMPORIUM_LAMBDA_PORT: '21951',
};
const budgetSeconds = Number(env['API_TEST_SECONDS'] ?? 170);
const say = (line: string) => console.log(`[test:api] ${line}`);

function run(cmd: string, args: string[], timeoutMs: number, cwd?: string): Promise<number> {
  return new Promise((resolve) => {
    // sitecustomize.py there works around a CPython 3.11 bug that Hypothesis can trip over.
    const pythonPath = [path.join(repoRoot, 'test/api/python'), env['PYTHONPATH']].filter(Boolean).join(path.delimiter);
    const child = spawn(cmd, args, { stdio: 'inherit', cwd, env: { ...env, PYTHONPATH: pythonPath } });
    const timer = setTimeout(() => {
      say(`${path.basename(cmd)} ran past ${timeoutMs / 1000} s; stopping it`);
      child.kill('SIGTERM');
      setTimeout(() => child.kill('SIGKILL'), 5_000).unref();
    }, timeoutMs);
    child.on('exit', (code) => {
      clearTimeout(timer);
      resolve(code ?? 1);
    });
  });
}

async function signIn(gateway: string): Promise<string> {
  const post = async (p: string, body: unknown) => {
    const headers = { 'content-type': 'application/json' };
    const res = await fetch(gateway + p, { method: 'POST', headers, body: JSON.stringify(body) });
    return { status: res.status, json: (await res.json()) as Record<string, unknown> };
  };
  const account = { username: 'api_test_customer', email: 'api_test_customer@example.com', password: 'a-good-pw-1' };
  const reg = await post('/api/users/register', account);
  if (reg.status !== 201) throw new Error(`register answered ${reg.status}`);
  const login = await post('/api/users/login', { username: account.username, password: account.password });
  if (login.status !== 200) throw new Error(`login answered ${login.status}`);
  return String(login.json['access_token']);
}

say('installing schemathesis (once) into .cache/');
const install = path.join(repoRoot, 'test/api/install-schemathesis.sh');
const bin = execFileSync('bash', [install], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'] }).trim();

// Hypothesis keeps the examples that failed here, so the next run tries them first.
const workDir = path.join(repoRoot, '.cache', 'schemathesis-work');
await mkdir(workDir, { recursive: true });
const dataDir = await mkdtemp(path.join(repoRoot, '.cache', 'api-test-'));
// mkdtemp makes it 0700; the platform made it, so it may open it for the postgres user (run as root).
await chmod(dataDir, 0o755);
let platform: RunningPlatform | undefined;
let code = 1;
const stop = async () => {
  await platform?.stop();
  await rm(dataDir, { recursive: true, force: true });
};
process.on('SIGINT', () => void stop().then(() => process.exit(130)));
try {
  const config = readPlatformConfig({
    PATH: env['PATH'],
    ...ports,
    ...Object.fromEntries(
      Object.keys(ports)
        .filter((k) => env[k])
        .map((k) => [k, env[k]]),
    ),
    EMPORIUM_DATA_DIR: dataDir,
    RATE_LIMIT_PER_MINUTE: '0',
    BCRYPT_COST: '4',
    LOG_LEVEL: 'warn',
    EMPORIUM_ANALYTICS_JOB: 'off', // the API document does not involve the Flink job
  });
  platform = await startPlatform(config, say);
  const gateway = platform.urls['gateway']!;
  const docFile = path.join(dataDir, 'openapi.json');
  await writeFile(docFile, await (await fetch(`${gateway}/docs/json`)).text());
  say('validating the OpenAPI document');
  code = await run(path.join(bin, 'openapi-spec-validator'), [docFile], 60_000);
  if (code === 0) {
    const token = await signIn(gateway);
    say(`schemathesis for ${budgetSeconds} s`);
    code = await run(
      path.join(bin, 'st'),
      [
        'run',
        docFile,
        '--url',
        gateway,
        '--checks',
        'not_a_server_error,status_code_conformance,response_schema_conformance,content_type_conformance',
        '--header',
        `Authorization: Bearer ${token}`,
        '--max-examples',
        env['API_TEST_EXAMPLES'] ?? '25',
        '--max-time',
        String(budgetSeconds),
        '--workers',
        '2',
        '--request-timeout',
        '20',
        '--no-color',
        '--warnings',
        'off',
        ...(env['API_TEST_SEED'] ? ['--seed', env['API_TEST_SEED']] : []),
      ],
      (budgetSeconds + 60) * 1000,
      workDir,
    );
  }
} catch (err) {
  console.error(`[test:api] ${(err as Error).message}`);
  code = 1;
} finally {
  await stop();
}
say(code === 0 ? 'passed' : `failed (exit ${code})`);
process.exit(code);
