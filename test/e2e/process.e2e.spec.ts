// The built app as a real process: how it refuses to start, and how it shuts down on SIGTERM.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { rmSync } from 'node:fs';
import { connect, createServer } from 'node:net';
import { join } from 'node:path';
import { PrismaService } from '../../src/modules/database';
import { PageClient } from '../helpers/page-client';
import { createTestApp } from '../helpers/test-app';

const ROOT = join(__dirname, '..', '..');
const BUILD = join(ROOT, '.tmp', `process-e2e-${process.pid}`);

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const { port } = server.address() as { port: number };
  await new Promise<void>((r) => server.close(() => r()));
  return port;
}

function startApp(env: NodeJS.ProcessEnv): {
  child: ChildProcess;
  output: () => { stdout: string; stderr: string };
} {
  const child = spawn(process.execPath, [join(BUILD, 'main.js')], {
    cwd: ROOT,
    env: { ...process.env, ...env },
  });
  let stdout = '';
  let stderr = '';
  child.stdout?.on('data', (d: Buffer) => (stdout += d.toString()));
  child.stderr?.on('data', (d: Buffer) => (stderr += d.toString()));
  return { child, output: () => ({ stdout, stderr }) };
}

function exitOf(child: ChildProcess, timeoutMs = 20_000): Promise<number | null> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('process did not exit in time')), timeoutMs);
    child.once('exit', (code) => {
      clearTimeout(timer);
      resolve(code);
    });
  });
}

/** Runs the built CLI without blocking this process (which hosts the run's S3 and SMTP servers). */
function runCli(args: string[]): Promise<{ status: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [join(BUILD, 'cli.js'), ...args], { cwd: ROOT });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('exit', (status) => resolve({ status, stdout, stderr }));
  });
}

/** stderr without Node's own warnings (the AWS SDK warns about Node 20's end of life). */
function ownLines(stderr: string): string[] {
  return stderr.split('\n').filter((l) => l.startsWith('wma:'));
}

async function waitForStatus(url: string, status: number, timeoutMs = 20_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const res = await fetch(url).catch(() => undefined);
    if (res?.status === status) return;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`${url} did not answer ${status}`);
}

describe('the built app as a process (e2e)', () => {
  beforeAll(() => {
    const build = spawnSync(
      process.execPath,
      [
        join(ROOT, 'node_modules', 'typescript', 'bin', 'tsc'),
        '-p',
        'tsconfig.build.json',
        '--outDir',
        BUILD,
      ],
      {
        cwd: ROOT,
        encoding: 'utf8',
      },
    );
    if (build.status !== 0) throw new Error(`build failed:\n${build.stdout}${build.stderr}`);
  }, 120_000);
  afterAll(() => rmSync(BUILD, { recursive: true, force: true }));

  it('refuses a malformed production environment with one message listing every problem', async () => {
    const { child, output } = startApp({
      NODE_ENV: 'production',
      DATABASE_URL: 'not-a-url',
      PORT: 'x',
      REDIS_URL: '',
      SMTP_HOST: '',
    });
    expect(await exitOf(child)).toBe(1);
    const { stderr } = output();
    const lines = ownLines(stderr);
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/^wma: Invalid environment \(\d+ problems\):$/);
    expect(stderr).toContain('- DATABASE_URL must be a postgresql:// connection URL');
    expect(stderr).toContain('- PORT must be a port number');
    expect(stderr).toContain('- NEXTAUTH_SECRET must be at least 32 characters');
    expect(stderr).not.toMatch(/\n\s+at \S+/);
  });

  it('exits with one line when PostgreSQL cannot be reached', async () => {
    const port = await freePort();
    const { child, output } = startApp({
      DATABASE_URL: `postgresql://postgres@127.0.0.1:${port}/wma`,
      PORT: String(await freePort()),
    });
    expect(await exitOf(child)).toBe(1);
    const { stderr } = output();
    expect(ownLines(stderr)).toEqual([
      expect.stringMatching(
        new RegExp(
          `^wma: Cannot reach PostgreSQL at 127\\.0\\.0\\.1:${port}/wma \\(Can't reach database server at 127\\.0\\.0\\.1:${port}\\)$`,
        ),
      ),
    ]);
    expect(stderr).not.toMatch(/\n\s+at \S+/);
  });

  it('exits with one line when Redis cannot be reached', async () => {
    const port = await freePort();
    const { child, output } = startApp({
      REDIS_HOST: '127.0.0.1',
      REDIS_PORT: String(port),
      PORT: String(await freePort()),
    });
    expect(await exitOf(child)).toBe(1);
    const { stderr } = output();
    expect(ownLines(stderr)).toEqual([
      expect.stringMatching(new RegExp(`^wma: Cannot reach Redis at 127\\.0\\.0\\.1:${port}`)),
    ]);
    expect(stderr).not.toMatch(/\n\s+at \S+/);
  });

  it('creates the first manager from the command line and prints a working one-time link', async () => {
    const email = `cli-admin-${Date.now()}@example.test`;
    const run = await runCli(['create-admin', '--email', email, '--name', 'Cli Admin']);
    expect(run.status).toBe(0);
    const link = /http:\/\/wma\.test(\/invite\/[\w-]+)/.exec(run.stdout)?.[1];
    expect(link).toBeDefined();
    const app = await createTestApp();
    try {
      const guest = new PageClient(app);
      expect((await guest.get(link as string)).status).toBe(200);
      const accepted = await guest.post(link as string);
      expect(accepted.location).toBe('/change-password');
      const user = await app.get(PrismaService).user.findUniqueOrThrow({ where: { email } });
      expect(user).toMatchObject({ role: 'MANAGEMENT', status: 'PENDING', name: 'Cli Admin' });
    } finally {
      await app.close();
    }
    const again = await runCli(['create-admin', '--email', email, '--name', 'Cli Admin']);
    expect(again.status).toBe(2);
    expect(ownLines(again.stderr)).toEqual([`wma: A user with the email ${email} already exists.`]);
  }, 30_000);

  it('on SIGTERM turns readiness to 503, finishes the request in flight, and exits 0', async () => {
    const port = await freePort();
    const base = `http://127.0.0.1:${port}`;
    const { child, output } = startApp({ PORT: String(port), SHUTDOWN_DELAY_MS: '1500', LOG_LEVEL: 'info' });
    await waitForStatus(`${base}/health/ready`, 200);

    // Structured JSON logs carry the request id that the response returned.
    const page = await fetch(`${base}/`, { headers: { 'x-request-id': 'log-check-0001' } });
    expect(page.headers.get('x-request-id')).toBe('log-check-0001');

    // A request in flight: its body is still arriving when SIGTERM comes.
    const socket = connect(port, '127.0.0.1');
    let answer = '';
    socket.on('data', (d: Buffer) => (answer += d.toString()));
    const body = JSON.stringify({ note: 'in flight while shutting down' });
    await new Promise<void>((r) => socket.once('connect', () => r()));
    socket.write(
      `POST /api/v1/in-flight HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: ${body.length}\r\n\r\n${body.slice(0, 10)}`,
    );
    await new Promise((r) => setTimeout(r, 200));

    const exited = exitOf(child);
    child.kill('SIGTERM');
    await waitForStatus(`${base}/health/ready`, 503, 1_400);
    socket.end(body.slice(10));
    expect(await exited).toBe(0);
    expect(answer).toMatch(/^HTTP\/1\.1 404 /); // answered in full (the route does not exist), not cut off
    expect(answer).toContain('application/problem+json');
    const logs = output()
      .stdout.split('\n')
      .filter((l) => l.startsWith('{'))
      .map(
        (l) =>
          JSON.parse(l) as {
            msg?: string;
            req?: { id?: string; url?: string };
            res?: { statusCode?: number };
          },
      );
    expect(logs.find((l) => l.req?.id === 'log-check-0001')).toMatchObject({
      msg: 'request completed',
      req: { url: '/' },
      res: { statusCode: 200 },
    });
    expect(logs.some((l) => l.msg?.includes('readiness is now 503'))).toBe(true);
  }, 30_000);
});
