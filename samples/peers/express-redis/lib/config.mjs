// The settings, read from the same command line as Festa's (`--urls http://127.0.0.1:PORT --Festa:NodeName=node1
// --Festa:UsersFile=... --Redis:Url=redis://127.0.0.1:6379 --Session:SecretFile=...`), so that the lab starts
// every node the same way. Environment variables are the fallback: PORT, REDIS_URL, SESSION_SECRET.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));

/** Reads `--Key=value` and `--Key value` pairs; keys are case-insensitive, as in ASP.NET Core. */
export function parseArguments(argv) {
  const values = new Map();
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (!arg.startsWith('--')) {
      continue;
    }

    const equals = arg.indexOf('=');
    if (equals > 0) {
      values.set(arg.slice(2, equals).toLowerCase(), arg.slice(equals + 1));
    } else if (i + 1 < argv.length && !argv[i + 1].startsWith('--')) {
      values.set(arg.slice(2).toLowerCase(), argv[++i]);
    }
  }

  return values;
}

/** The settings of this node, with their defaults. */
export function loadConfig(argv = process.argv.slice(2), env = process.env) {
  const args = parseArguments(argv);
  const get = (key) => args.get(key.toLowerCase());
  const url = new URL((get('urls') ?? `http://127.0.0.1:${env.PORT ?? 5090}`).split(';')[0]);
  const iterations = Number.parseInt(get('Festa:PasswordIterations') ?? '600000', 10);
  if (!Number.isInteger(iterations) || iterations < 1) {
    throw new Error('Festa:PasswordIterations must be at least 1.');
  }

  const secretFile = get('Session:SecretFile');
  const secret = env.SESSION_SECRET ?? (secretFile ? readFileSync(secretFile, 'utf8').trim() : undefined);
  return {
    host: url.hostname,
    port: Number.parseInt(url.port || '80', 10),
    nodeName: get('Festa:NodeName') || undefined,
    usersFile: path.resolve(get('Festa:UsersFile') ?? path.join(here, '..', 'App_Data', 'users.jsonl')),
    passwordIterations: iterations,
    seedDemoUsers: (get('Festa:SeedDemoUsers') ?? 'true').toLowerCase() !== 'false',
    redisUrl: get('Redis:Url') ?? env.REDIS_URL ?? 'redis://127.0.0.1:6379',
    // The express-session docs' own example secret, only when none is given (a demo on one machine).
    sessionSecret: secret || 'keyboard cat',
    sessionSecretGiven: Boolean(secret),
    wwwroot: path.join(here, '..', '..', '..', 'Festa', 'wwwroot'),
  };
}
