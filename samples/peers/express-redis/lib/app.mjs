// Festa's HTTP contract on express-session with connect-redis, written as their docs write it: the login and the
// logout are the express-session README's own (regenerate, set the user, save), the counter and the wishlist are
// read-modify-write of req.session, and the session is saved whole when the response ends.
import express from 'express';
import session from 'express-session';
import { RedisStore } from 'connect-redis';
import { EVENTS, findEvent } from './catalogue.mjs';
import { validateCredentials } from './credentials.mjs';
import { badRequest, invalid, notFound, problem, signInRequired } from './problems.mjs';

const BODY_LIMIT = '16kb';
const HEALTH_TIMEOUT_MS = 1000;

/** The express application of one node. */
export function createApp({ config, redisClient, users }) {
  const app = express();
  app.disable('x-powered-by');

  app.use((req, res, next) => {
    res.set('X-Served-By', config.nodeName ?? `festa-${config.port}`);
    next();
  });

  app.use(express.static(config.wwwroot));
  app.use(express.json({ limit: BODY_LIMIT }));

  app.use(session({
    store: new RedisStore({ client: redisClient, prefix: 'festa:' }),
    resave: false,
    saveUninitialized: false,
    secret: config.sessionSecret,
  }));

  const credentials = (req, res) => {
    if (!req.is('application/json')) {
      problem(res, 415, 'Unsupported media type', 'Send the body as JSON with Content-Type: application/json.');
      return undefined;
    }

    if (req.body === null || typeof req.body !== 'object' || Array.isArray(req.body)) {
      badRequest(res, 'The request body must be a JSON object.');
      return undefined;
    }

    const errors = validateCredentials(req.body);
    if (Object.keys(errors).length > 0) {
      invalid(res, errors);
      return undefined;
    }

    return { username: req.body.username, password: req.body.password };
  };

  app.post('/signup', async (req, res) => {
    const body = credentials(req, res);
    if (!body) {
      return;
    }

    const taken = () => problem(res, 409, 'User name taken', `The user name '${body.username}' is taken; choose another.`);
    if (await users.find(body.username)) {
      taken();
      return;
    }

    if (await users.tryAdd(await users.create(body.username, body.password))) {
      res.status(201).location('/me').json({ username: body.username });
    } else {
      taken();
    }
  });

  app.post('/login', async (req, res, next) => {
    const body = credentials(req, res);
    if (!body) {
      return;
    }

    const user = await users.find(body.username);
    if (!(await users.verify(user, body.password))) {
      problem(res, 401, 'Login failed', 'Unknown user name or wrong password.');
      return;
    }

    // The express-session README's login: regenerate the session (a new id; the old one is destroyed with
    // whatever it held), store the user, save before answering.
    req.session.regenerate((err) => {
      if (err) {
        next(err);
        return;
      }

      req.session.user = user.username;
      req.session.createdAt = new Date().toISOString();
      req.session.save((saveError) => {
        if (saveError) {
          next(saveError);
          return;
        }

        res.json({ username: user.username });
      });
    });
  });

  app.post('/logout', (req, res, next) => {
    if (!req.session.user) {
      signInRequired(res);
      return;
    }

    // The README's logout: clear the user, save, then regenerate (which destroys the old session).
    req.session.user = null;
    req.session.save((err) => {
      if (err) {
        next(err);
        return;
      }

      req.session.regenerate((regenerateError) => {
        if (regenerateError) {
          next(regenerateError);
          return;
        }

        res.status(204).end();
      });
    });
  });

  app.get('/me', (req, res) => {
    if (!req.session.user) {
      signInRequired(res);
      return;
    }

    // express-session keeps no last-access time: the request that reads the session is its last access.
    const now = new Date().toISOString();
    res.json({ username: req.session.user, createdAt: req.session.createdAt ?? now, lastAccessedAt: now, node: res.get('X-Served-By') });
  });

  app.get('/events', (req, res) => {
    res.json(EVENTS);
  });

  app.get('/wishlist', (req, res) => {
    if (!req.session.user) {
      signInRequired(res);
      return;
    }

    res.json({ items: req.session.wishlist ?? [] });
  });

  const changeWishlist = (add) => (req, res) => {
    if (!req.session.user) {
      signInRequired(res);
      return;
    }

    const festaEvent = findEvent(req.params.eventId);
    if (!festaEvent) {
      notFound(res, `There is no event '${req.params.eventId}' in the catalogue (ids 1 to ${EVENTS.length}).`);
      return;
    }

    const items = (req.session.wishlist ?? []).filter((id) => id !== festaEvent.id);
    if (add) {
      items.push(festaEvent.id);
    }

    items.sort((a, b) => a - b);
    req.session.wishlist = items;
    res.json({ items });
  };

  app.put('/wishlist/:eventId', changeWishlist(true));
  app.delete('/wishlist/:eventId', changeWishlist(false));

  app.post('/counter', (req, res) => {
    req.session.counter = (req.session.counter ?? 0) + 1;
    res.json({ value: req.session.counter });
  });

  // express-session keeps no index of a user's sessions.
  const notKept = (req, res) => {
    if (!req.session.user) {
      signInRequired(res);
      return;
    }

    problem(res, 501, 'Not kept', "express-session keeps no list of a user's sessions.");
  };

  app.get('/sessions', notKept);
  app.delete('/sessions/:handle', notKept);
  app.post('/sessions/revoke-others', notKept);

  app.get('/healthz', async (req, res) => {
    try {
      await Promise.race([
        redisClient.ping(),
        new Promise((_, reject) => setTimeout(() => reject(new Error('ping timed out')), HEALTH_TIMEOUT_MS).unref()),
      ]);
      res.json({ status: 'ok', store: 'connect-redis', node: res.get('X-Served-By') });
    } catch {
      res.status(503).json({ status: 'unavailable', store: 'connect-redis', node: res.get('X-Served-By') });
    }
  });

  app.use((req, res) => {
    notFound(res, `Nothing at ${req.method} ${req.path}.`);
  });

  // Body parser errors (413, malformed JSON) and anything thrown: a problem answer, never a stack trace.
  // eslint-disable-next-line no-unused-vars
  app.use((err, req, res, next) => {
    if (err.type === 'entity.too.large') {
      problem(res, 413, 'Request body too large', 'The body may be at most 16384 bytes.');
    } else if (err.type === 'entity.parse.failed') {
      badRequest(res, 'The request body is not valid JSON for this request.');
    } else if (err.status >= 400 && err.status < 500) {
      problem(res, err.status, 'Bad request', err.message);
    } else {
      console.error(err);
      problem(res, 500, 'Server error', 'The request failed on the server.');
    }
  });

  return app;
}
