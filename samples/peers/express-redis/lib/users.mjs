// Festa's user directory (samples/Festa/Accounts/UserDirectory.cs) in the same file format: one JSON object per
// line, {"username","algorithm":"PBKDF2-HMAC-SHA256","iterations","salt","hash","createdAt"}, salt and hash in
// base64. The first line of a name wins; a line without its newline is an append in progress and is skipped.
//
// Node has no flock(): appends are serialised among Node nodes by a lock file (<file>.lock, created with O_EXCL).
// Festa's .NET nodes lock with flock() instead, so Node and .NET nodes must not append to one file at once (the lab
// never mixes them). A single write(2) of one line with O_APPEND is never torn, whichever process reads.
import { randomBytes, pbkdf2, timingSafeEqual } from 'node:crypto';
import { promises as fs, constants } from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';

const derive = promisify(pbkdf2);
export const ALGORITHM = 'PBKDF2-HMAC-SHA256';
const SALT_BYTES = 16;
const HASH_BYTES = 32;
const LOCK_TIMEOUT_MS = 5000;
const STALE_LOCK_MS = 10000;

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

export class UserDirectory {
  #file;
  #iterations;
  #snapshot = { size: -1, mtimeMs: -1, users: new Map() };
  #decoy;

  constructor(file, iterations) {
    this.#file = file;
    this.#iterations = iterations;
  }

  get file() {
    return this.#file;
  }

  async init() {
    await fs.mkdir(path.dirname(this.#file), { recursive: true });
    this.#decoy = await this.hash('decoy password for unknown users');
  }

  async find(username) {
    return (await this.#current()).get(username);
  }

  /** Appends `user` unless the name is taken (here or by any other node); false when taken. */
  async tryAdd(user) {
    const release = await this.#lock();
    try {
      const { users, text } = await this.#read();
      if (users.has(user.username)) {
        return false;
      }

      // A line without its newline is the remains of a crashed append: end it so ours stays whole.
      const prefix = text.length > 0 && !text.endsWith('\n') ? '\n' : '';
      const handle = await fs.open(this.#file, constants.O_WRONLY | constants.O_APPEND | constants.O_CREAT, 0o600);
      try {
        await handle.write(`${prefix}${JSON.stringify(user)}\n`);
        await handle.sync();
      } finally {
        await handle.close();
      }

      return true;
    } finally {
      await release();
    }
  }

  /** A new user record with a fresh salt. */
  async create(username, password, createdAt = new Date()) {
    const { iterations, salt, hash } = await this.hash(password);
    return { username, algorithm: ALGORITHM, iterations, salt, hash, createdAt: createdAt.toISOString() };
  }

  async hash(password) {
    const salt = randomBytes(SALT_BYTES);
    const hash = await derive(password, salt, this.#iterations, HASH_BYTES, 'sha256');
    return { iterations: this.#iterations, salt: salt.toString('base64'), hash: hash.toString('base64') };
  }

  /** True when `user` exists and `password` is theirs; an unknown user costs one hash too. */
  async verify(user, password) {
    const stored = user && user.algorithm === ALGORITHM ? user : this.#decoy;
    const expected = Buffer.from(stored.hash, 'base64');
    const actual = await derive(password, Buffer.from(stored.salt, 'base64'), stored.iterations, expected.length, 'sha256');
    return stored === user && timingSafeEqual(actual, expected);
  }

  async #current() {
    let stat;
    try {
      stat = await fs.stat(this.#file);
    } catch (error) {
      if (error.code === 'ENOENT') {
        return new Map();
      }

      throw error;
    }

    if (stat.size === this.#snapshot.size && stat.mtimeMs === this.#snapshot.mtimeMs) {
      return this.#snapshot.users;
    }

    const { users } = await this.#read();
    this.#snapshot = { size: stat.size, mtimeMs: stat.mtimeMs, users };
    return users;
  }

  async #read() {
    let text;
    try {
      text = await fs.readFile(this.#file, 'utf8');
    } catch (error) {
      if (error.code === 'ENOENT') {
        return { users: new Map(), text: '' };
      }

      throw error;
    }

    const users = new Map();
    const complete = text.slice(0, text.lastIndexOf('\n') + 1);
    for (const line of complete.split('\n')) {
      if (line.trim() === '') {
        continue;
      }

      try {
        const user = JSON.parse(line);
        if (typeof user?.username === 'string' && user.username.length > 0 && user.salt && user.hash
            && Number.isInteger(user.iterations) && user.iterations > 0 && typeof user.algorithm === 'string'
            && !users.has(user.username)) {
          users.set(user.username, user);
        }
      } catch {
        // Not a user record: skipped, as Festa does.
      }
    }

    return { users, text };
  }

  async #lock() {
    const lockFile = `${this.#file}.lock`;
    const started = Date.now();
    for (;;) {
      try {
        const handle = await fs.open(lockFile, constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL, 0o600);
        await handle.close();
        return () => fs.rm(lockFile, { force: true });
      } catch (error) {
        if (error.code !== 'EEXIST') {
          throw error;
        }

        // A lock left by a node killed mid-append: nobody holds one for longer than an append.
        const stat = await fs.stat(lockFile).catch(() => undefined);
        if (stat && Date.now() - stat.mtimeMs > STALE_LOCK_MS) {
          await fs.rm(lockFile, { force: true });
          continue;
        }

        if (Date.now() - started > LOCK_TIMEOUT_MS) {
          throw new Error(`the users file lock ${lockFile} stayed taken for ${LOCK_TIMEOUT_MS} ms`);
        }

        await sleep(2 + Math.floor(Math.random() * 18));
      }
    }
  }
}

export const DEMO_USERS = [
  ['alice', 'alice-festa-2026'],
  ['bob', 'bob-festa-2026'],
  ['carol', 'carol-festa-2026'],
];

/** Creates the demo users when missing (several nodes may do this at once: the locked append adds each once). */
export async function seedDemoUsers(users) {
  for (const [username, password] of DEMO_USERS) {
    if (!(await users.find(username))) {
      await users.tryAdd(await users.create(username, password));
    }
  }
}
