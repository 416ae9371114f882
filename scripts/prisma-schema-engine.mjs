#!/usr/bin/env node
// Offline stand-in for Prisma's native schema engine.
//
// Prisma's CLI downloads a native `schema-engine` binary from Prisma's CDN, which no machine
// here (nor an air-gapped CI) can reach. The CLI runs whatever executable
// PRISMA_SCHEMA_ENGINE_BINARY names, so this script speaks the engine's protocol — JSON-RPC
// over stdio, plus `cli can-connect-to-database`, `cli create-database` and `--version` —
// backed by the official WebAssembly build of the same engine (@prisma/schema-engine-wasm)
// and @prisma/adapter-pg. scripts/prisma.mjs selects it only when the native engine is absent.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { createInterface } from 'node:readline';
import { randomUUID } from 'node:crypto';

const require = createRequire(import.meta.url);
const pg = require('pg');
const { PrismaPg } = require('@prisma/adapter-pg');
const { bindMigrationAwareSqlAdapterFactory } = require('@prisma/driver-adapter-utils');

const PG_CHAR_OID = 18; // PostgreSQL's internal "char" type, used by catalog queries
const PG_TEXT_OID = 25;

/** Parse the CLI's arguments: repeated --datamodels, --datasource JSON, and a `cli` subcommand. */
export function parseArgs(argv) {
  const out = { datamodels: [], datasource: undefined, cli: undefined, version: false };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (arg === '--datamodels') out.datamodels.push(argv[++i]);
    else if (arg === '--datasource') out.datasource = JSON.parse(argv[++i]);
    else if (arg === '--version' || arg === '-V') out.version = true;
    else if (arg === 'cli') out.cli = argv[++i];
    else if (arg.startsWith('--')) i++; // options we do not need (preview features, extensions)
  }
  return out;
}

/** Discrete connection settings: the adapter lets `connectionString` override `database`. */
export function connectionConfig(url, database) {
  const u = new URL(url);
  return {
    host: decodeURIComponent(u.hostname) || '127.0.0.1',
    port: u.port ? Number(u.port) : 5432,
    user: decodeURIComponent(u.username) || process.env.PGUSER || 'postgres',
    password: decodeURIComponent(u.password) || undefined,
    database: database ?? (decodeURIComponent(u.pathname.replace(/^\//, '')) || 'postgres'),
    ssl: /sslmode=(require|verify-ca|verify-full)/.test(u.search) ? { rejectUnauthorized: false } : undefined,
  };
}

function patchCharColumns(result) {
  for (const list of Array.isArray(result) ? result : [result]) {
    for (const field of list?.fields ?? []) {
      if (field.dataTypeID === PG_CHAR_OID) field.dataTypeID = PG_TEXT_OID;
    }
  }
  return result;
}

function makePool(config) {
  const pool = new pg.Pool({ ...config, max: 4 });
  // adapter-pg refuses the "char" OID that catalog queries return: present it as text.
  pool.on('connect', (client) => {
    const query = client.query.bind(client);
    client.query = (...args) => {
      const cb = typeof args[args.length - 1] === 'function' ? args.pop() : undefined;
      const p = Promise.resolve(query(...args)).then(patchCharColumns);
      if (!cb) return p;
      p.then(
        (r) => cb(null, r),
        (e) => cb(e),
      );
      return undefined;
    };
  });
  return pool;
}

function adapterFactory(url, shadowUrl) {
  const base = connectionConfig(url);
  const factory = {
    provider: 'postgres',
    adapterName: '@prisma/adapter-pg',
    async connect() {
      return new PrismaPg(makePool(base), { disposeExternalPool: true }).connect();
    },
    async connectToShadowDb() {
      if (shadowUrl) {
        return new PrismaPg(makePool(connectionConfig(shadowUrl)), { disposeExternalPool: true }).connect();
      }
      const name = `prisma_migrate_shadow_db_${randomUUID()}`;
      await adminQuery(base, `CREATE DATABASE "${name}"`);
      const pool = makePool({ ...base, database: name });
      const adapter = await new PrismaPg(pool).connect();
      // Close the pool first, then drop: the adapter would drop while its own pool holds a connection.
      adapter.dispose = async () => {
        await pool.end();
        await adminQuery(base, `DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
      };
      return adapter;
    },
  };
  return bindMigrationAwareSqlAdapterFactory(factory);
}

async function adminQuery(config, sql, database = 'postgres') {
  const client = new pg.Client({ ...config, database });
  await client.connect();
  try {
    return await client.query(sql);
  } finally {
    await client.end();
  }
}

async function loadWasmEngine() {
  const bg = await import('@prisma/schema-engine-wasm/schema_engine_bg');
  const wasmPath = require.resolve('@prisma/schema-engine-wasm/schema_engine_bg').replace(/\.js$/, '.wasm');
  const { instance } = await WebAssembly.instantiate(readFileSync(wasmPath), { './schema_engine_bg.js': bg });
  bg.__wbg_set_wasm(instance.exports);
  instance.exports.__wbindgen_start();
  return bg;
}

function logLine(level, message, extra = {}) {
  process.stderr.write(
    JSON.stringify({
      timestamp: new Date().toISOString(),
      level,
      fields: { message, ...extra },
      target: 'schema_engine::logger',
    }) + '\n',
  );
}

function errorCodeOf(err) {
  const text = String(err?.message ?? err);
  if (/ECONNREFUSED|ENOTFOUND|DatabaseNotReachable/.test(text)) return 'P1001';
  if (/does not exist/.test(text) && /database/i.test(text)) return 'P1003';
  if (/password authentication failed/.test(text)) return 'P1000';
  return undefined;
}

async function runCliCommand(args) {
  const url = args.datasource?.url;
  const config = connectionConfig(url);
  // The CLI drops the first stderr line of `schema-engine cli …`; later lines carry the error.
  logLine('INFO', 'offline schema engine (wasm)');
  try {
    if (args.cli === 'can-connect-to-database') {
      await adminQuery(config, 'SELECT 1', config.database);
    } else if (args.cli === 'create-database') {
      const exists = await adminQuery(
        config,
        `SELECT 1 FROM pg_database WHERE datname = '${config.database.replace(/'/g, "''")}'`,
      );
      if (exists.rowCount === 0)
        await adminQuery(config, `CREATE DATABASE "${config.database.replace(/"/g, '""')}"`);
    } else {
      throw new Error(`unsupported cli command: ${args.cli}`);
    }
    process.exit(0);
  } catch (err) {
    logLine('ERROR', String(err?.message ?? err), { error_code: errorCodeOf(err) });
    process.exit(1);
  }
}

function rpcError(err) {
  const message = typeof err === 'string' ? err : (err?.message ?? JSON.stringify(err));
  const errorCode = err?.error_code ?? err?.errorCode ?? errorCodeOf(err);
  const isPanic = /panicked|RuntimeError|unreachable/.test(message);
  return {
    code: 4466,
    message: 'An error happened.',
    data: { message, error_code: errorCode, is_panic: isPanic, meta: err?.meta },
  };
}

async function serve(args) {
  const bg = await loadWasmEngine();
  const datamodels = args.datamodels.map((p) => [p, readFileSync(p, 'utf8')]);
  const url = args.datasource?.url;
  const adapter = url ? adapterFactory(url, args.datasource?.shadowDatabaseUrl) : undefined;
  const engine = await bg.SchemaEngine.new(
    { datamodels: datamodels.length ? datamodels : undefined },
    (log) => process.stderr.write(String(log) + '\n'),
    adapter,
  );
  let printId = 1_000_000;
  const methods = {
    getDatabaseVersion: (p) => engine.version(p ?? null),
    // The wasm engine returns the diff's text; the native one asks the CLI to print it.
    diff: async (p) => {
      const result = await engine.diff(p);
      if (result?.stdout) {
        const print = { jsonrpc: '2.0', id: printId++, method: 'print', params: { content: result.stdout } };
        process.stdout.write(JSON.stringify(print) + '\n');
      }
      return { ...result, stdout: null };
    },
    createDatabase: async (p) => {
      const target = p?.datasource?.tag === 'ConnectionString' ? p.datasource.url : url;
      const config = connectionConfig(target);
      await adminQuery(config, `CREATE DATABASE "${config.database.replace(/"/g, '""')}"`);
      return { databaseName: config.database };
    },
  };
  const rl = createInterface({ input: process.stdin, crlfDelay: Infinity });
  const pending = new Set();
  rl.on('line', (line) => {
    if (!line.trim()) return;
    const req = JSON.parse(line);
    if (req.method === undefined) return; // an answer to a "print" request
    const call = async () => {
      const fn =
        methods[req.method] ??
        (typeof engine[req.method] === 'function' ? (p) => engine[req.method](p) : undefined);
      if (!fn) throw new Error(`method not supported by the offline schema engine: ${req.method}`);
      return fn(req.params);
    };
    const p = call().then(
      (result) =>
        process.stdout.write(JSON.stringify({ jsonrpc: '2.0', id: req.id, result: result ?? null }) + '\n'),
      (err) =>
        process.stdout.write(JSON.stringify({ jsonrpc: '2.0', id: req.id, error: rpcError(err) }) + '\n'),
    );
    pending.add(p);
    void p.finally(() => pending.delete(p));
  });
  rl.on('close', () => {
    void Promise.allSettled([...pending]).then(() => process.exit(0));
  });
}

async function main() {
  const args = parseArgs(process.argv.slice(2));
  if (args.version) {
    const bg = await loadWasmEngine();
    process.stdout.write(`schema-engine-wasm ${bg.version()}\n`);
    return;
  }
  if (args.cli) return runCliCommand(args);
  return serve(args);
}

main().catch((err) => {
  logLine('ERROR', String(err?.stack ?? err));
  process.exit(1);
});
