// Starts one node: connects to Redis (as connect-redis's README does), seeds the demo users, listens.
// Usage: node server.mjs --urls http://127.0.0.1:5090 --Redis:Url=redis://127.0.0.1:6379 --Festa:NodeName=node1
//        --Festa:UsersFile=/tmp/festa/users.jsonl [--Festa:PasswordIterations=600000] [--Session:SecretFile=FILE]
import { createClient } from 'redis';
import { createApp } from './lib/app.mjs';
import { loadConfig } from './lib/config.mjs';
import { UserDirectory, seedDemoUsers } from './lib/users.mjs';

const config = loadConfig();
if (!config.sessionSecretGiven) {
  console.warn('No session secret given (SESSION_SECRET or --Session:SecretFile): using the docs\' example secret.');
}

const redisClient = createClient({ url: config.redisUrl });
redisClient.on('error', (err) => console.error('Redis client error:', err.message));
await redisClient.connect();

const users = new UserDirectory(config.usersFile, config.passwordIterations);
await users.init();
if (config.seedDemoUsers) {
  await seedDemoUsers(users);
}

const app = createApp({ config, redisClient, users });
const server = app.listen(config.port, config.host, () => {
  const { port } = server.address();
  console.log(`Users are kept in ${users.file}.`);
  console.log(`Now listening on: http://${config.host}:${port}`);
});

const stop = () => {
  server.close();
  redisClient.quit().catch(() => {});
  server.closeAllConnections();
};
process.on('SIGTERM', stop);
process.on('SIGINT', stop);
