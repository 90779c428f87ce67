// RFC 9457 problem answers, shaped as Festa's (title, status, detail; errors by field for invalid input).
const TYPES = {
  400: 'https://tools.ietf.org/html/rfc9110#section-15.5.1',
  401: 'https://tools.ietf.org/html/rfc9110#section-15.5.2',
  404: 'https://tools.ietf.org/html/rfc9110#section-15.5.5',
  409: 'https://tools.ietf.org/html/rfc9110#section-15.5.10',
  413: 'https://tools.ietf.org/html/rfc9110#section-15.5.14',
  415: 'https://tools.ietf.org/html/rfc9110#section-15.5.16',
  500: 'https://tools.ietf.org/html/rfc9110#section-15.6.1',
  501: 'https://tools.ietf.org/html/rfc9110#section-15.6.2',
  503: 'https://tools.ietf.org/html/rfc9110#section-15.6.4',
};

export function problem(res, status, title, detail, extra = {}) {
  res.status(status).type('application/problem+json').send(JSON.stringify({ type: TYPES[status], title, status, detail, ...extra }));
}

export const signInRequired = (res) => problem(res, 401, 'Sign-in required', 'Log in first (POST /login).');

export const notFound = (res, detail) => problem(res, 404, 'Not found', detail);

export const badRequest = (res, detail) => problem(res, 400, 'Bad request', detail);

export const invalid = (res, errors) =>
  problem(res, 400, 'One or more validation errors occurred.', 'Some fields are missing or invalid; see errors.', { errors });
