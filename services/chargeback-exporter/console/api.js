// The console reads the same JSON routes as any API client, with the token the user signed in with.
const KEY = 'tokentally.token';

export const session = {
  token: () => sessionStorage.getItem(KEY),
  save: (token) => sessionStorage.setItem(KEY, token),
  clear: () => sessionStorage.removeItem(KEY),
};

export class ApiError extends Error {
  constructor(status, message) {
    super(message);
    this.status = status;
  }
}

/** GET a JSON route with the bearer token; 401 signs out. */
export async function api(path) {
  const response = await fetch(path, { headers: { authorization: `Bearer ${session.token() ?? ''}` } });
  if (response.status === 401) {
    session.clear();
    window.dispatchEvent(new Event('tokentally:signed-out'));
  }
  if (!response.ok) {
    const body = await response.json().catch(() => ({}));
    const message = Array.isArray(body.message) ? body.message.join('; ') : body.message;
    throw new ApiError(response.status, message || `${path}: HTTP ${response.status}`);
  }
  return response.json();
}
