// Festa's front page: plain fetch calls against the HTTP contract, no framework, no build step.
// Every answer's X-Served-By header is shown, so round-robin between nodes is visible.

const $ = (id) => document.getElementById(id);
const state = { signedIn: false, wishlist: new Set(), events: [] };

async function api(method, path, body) {
  const init = { method, credentials: 'same-origin', headers: { Accept: 'application/json' } };
  if (body !== undefined) {
    init.headers['Content-Type'] = 'application/json';
    init.body = JSON.stringify(body);
  }
  const response = await fetch(path, init);
  const node = response.headers.get('X-Served-By');
  if (node) {
    $('node').textContent = node;
  }
  let data = null;
  const type = response.headers.get('Content-Type') || '';
  if (type.includes('json')) {
    data = await response.json();
  }
  return { status: response.status, ok: response.ok, data };
}

function say(text, ok = true) {
  const message = $('message');
  message.textContent = text;
  message.className = 'message ' + (ok ? 'ok' : 'bad');
}

function problemText(result) {
  const data = result.data || {};
  if (data.errors) {
    return Object.values(data.errors).flat().join(' ');
  }
  return data.detail || data.title || `HTTP ${result.status}`;
}

function credentials() {
  return { username: $('username').value.trim(), password: $('password').value };
}

const formatTime = (iso) => new Date(iso).toLocaleString(undefined, { dateStyle: 'short', timeStyle: 'medium' });

async function refreshMe() {
  const result = await api('GET', '/me');
  state.signedIn = result.status === 200;
  $('whoami').textContent = state.signedIn
    ? `Signed in as ${result.data.username} (session started ${formatTime(result.data.createdAt)}, answered by ${result.data.node}).`
    : 'Not signed in.';
  $('logout').disabled = !state.signedIn;
  $('revoke-others').disabled = !state.signedIn;
  return state.signedIn;
}

async function refreshWishlist() {
  const list = $('wishlist');
  list.replaceChildren();
  if (!state.signedIn) {
    state.wishlist = new Set();
    list.append(emptyItem('Sign in to keep a wishlist.'));
  } else {
    const result = await api('GET', '/wishlist');
    state.wishlist = new Set(result.ok ? result.data.items : []);
    if (state.wishlist.size === 0) {
      list.append(emptyItem('Nothing yet: add events below.'));
    }
    for (const id of state.wishlist) {
      const event = state.events.find((e) => e.id === id);
      const item = document.createElement('li');
      item.dataset.eventId = String(id);
      item.textContent = event ? `${event.title}, ${event.city} — ${event.date}` : `Event ${id}`;
      list.append(item);
    }
  }
  renderEvents();
}

function emptyItem(text) {
  const item = document.createElement('li');
  item.className = 'empty';
  item.textContent = text;
  return item;
}

function renderEvents() {
  const body = $('events').tBodies[0];
  body.replaceChildren();
  for (const event of state.events) {
    const row = body.insertRow();
    row.dataset.eventId = String(event.id);
    const cells = [String(event.id), event.title, event.city, event.date];
    cells.forEach((text, i) => {
      const cell = row.insertCell();
      cell.textContent = text;
      if (i === 0) cell.className = 'num';
    });
    const listed = state.wishlist.has(event.id);
    const button = document.createElement('button');
    button.type = 'button';
    button.className = listed ? 'small wish listed' : 'small wish';
    button.textContent = listed ? 'Remove' : 'Add to wishlist';
    button.disabled = !state.signedIn;
    button.addEventListener('click', () => changeWishlist(event.id, !listed));
    row.insertCell().append(button);
  }
}

async function changeWishlist(id, add) {
  const result = await api(add ? 'PUT' : 'DELETE', `/wishlist/${id}`);
  if (!result.ok) {
    say(problemText(result), false);
  }
  await refreshWishlist();
}

async function refreshSessions() {
  const body = $('sessions').tBodies[0];
  body.replaceChildren();
  const result = state.signedIn ? await api('GET', '/sessions') : null;
  if (!result || !result.ok) {
    const row = body.insertRow();
    const cell = row.insertCell();
    cell.colSpan = 5;
    cell.className = 'empty';
    cell.textContent = 'Sign in to see your sessions.';
    return;
  }
  for (const session of result.data) {
    const row = body.insertRow();
    if (session.current) row.className = 'current';
    for (const text of [session.handle.slice(0, 10) + '…', formatTime(session.createdAt), formatTime(session.lastAccessedAt), formatTime(session.expiresAt)]) {
      row.insertCell().textContent = text;
    }
    const cell = row.insertCell();
    if (!session.current) {
      const button = document.createElement('button');
      button.type = 'button';
      button.className = 'small';
      button.textContent = 'Revoke';
      button.addEventListener('click', async () => {
        const revoked = await api('DELETE', `/sessions/${encodeURIComponent(session.handle)}`);
        say(revoked.status === 204 ? 'Session revoked.' : problemText(revoked), revoked.status === 204);
        await refreshSessions();
      });
      cell.append(button);
    }
  }
}

async function refreshAll() {
  await refreshMe();
  await refreshWishlist();
  await refreshSessions();
}

async function signUp() {
  const result = await api('POST', '/signup', credentials());
  say(result.status === 201 ? `Welcome, ${result.data.username}! Now log in.` : problemText(result), result.status === 201);
}

async function logIn(event) {
  event.preventDefault();
  const result = await api('POST', '/login', credentials());
  say(result.ok ? `Logged in as ${result.data.username}.` : problemText(result), result.ok);
  $('password').value = '';
  await refreshAll();
}

async function logOut() {
  const result = await api('POST', '/logout');
  say(result.status === 204 ? 'Logged out.' : problemText(result), result.status === 204);
  await refreshAll();
}

async function count() {
  const result = await api('POST', '/counter');
  $('counter-value').textContent = result.ok ? String(result.data.value) : '—';
  if (!result.ok) say(problemText(result), false);
}

async function revokeOthers() {
  const result = await api('POST', '/sessions/revoke-others');
  say(result.ok ? `Logged out ${result.data.revoked} other session(s).` : problemText(result), result.ok);
  await refreshSessions();
}

async function start() {
  $('credentials').addEventListener('submit', logIn);
  $('signup').addEventListener('click', signUp);
  $('logout').addEventListener('click', logOut);
  $('me').addEventListener('click', async () => {
    const signedIn = await refreshMe();
    say(signedIn ? 'You are signed in.' : 'You are not signed in.', signedIn);
  });
  $('counter').addEventListener('click', count);
  $('sessions-refresh').addEventListener('click', refreshSessions);
  $('revoke-others').addEventListener('click', revokeOthers);

  const events = await api('GET', '/events');
  state.events = events.ok ? events.data : [];
  await refreshAll();
  document.body.dataset.ready = 'true';
}

start().catch((error) => say(`Could not reach Festa: ${error.message}`, false));
