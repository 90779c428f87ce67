// The rules of samples/Festa/Accounts/Credentials.cs: user names 3-32 of a-z 0-9 _ -, passwords 8-128.
const USERNAME = /^[a-z0-9_-]{3,32}$/;

/** Every rule the body breaks, by field; empty when valid. */
export function validateCredentials(body) {
  const errors = {};
  const { username, password } = body;
  if (username === undefined || username === null || username === '') {
    errors.username = ['username is required.'];
  } else if (typeof username !== 'string' || !USERNAME.test(username)) {
    errors.username = ["username must be 3 to 32 characters from a-z, 0-9, '_' and '-'."];
  }

  if (password === undefined || password === null || password === '') {
    errors.password = ['password is required.'];
  } else if (typeof password !== 'string' || password.length < 8 || password.length > 128) {
    errors.password = ['password must be 8 to 128 characters.'];
  }

  return errors;
}
