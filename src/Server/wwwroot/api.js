// The onboarding API as the demo uses it: JSON in and out, bearer token from the session, ProblemDetails as errors.

/** An error answer of the API (RFC 9457 ProblemDetails), or a network failure (status 0). */
export class ApiError extends Error {
  constructor(status, problem) {
    super(problem?.detail || problem?.title || `The server answered ${status}.`);
    this.name = 'ApiError';
    this.status = status;
    this.title = problem?.title ?? '';
    this.detail = problem?.detail ?? this.message;
    // ValidationProblem: { "field": ["message", ...] }
    this.errors = problem?.errors && typeof problem.errors === 'object' ? problem.errors : {};
  }
}

/** Calls the API on this page's origin with the token that getToken() returns (if any). */
export function createApi(getToken) {
  async function request(method, path, body) {
    const headers = { Accept: 'application/json' };
    const token = getToken();
    if (token) headers.Authorization = `Bearer ${token}`;
    if (body !== undefined) headers['Content-Type'] = 'application/json';

    let response;
    try {
      response = await fetch(path, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
    } catch {
      throw new ApiError(0, { detail: 'The server could not be reached. Is it still running?' });
    }

    const text = await response.text();
    let json = null;
    if (text) {
      try { json = JSON.parse(text); } catch { json = null; }
    }

    if (!response.ok) throw new ApiError(response.status, json);
    return json;
  }

  return {
    devToken: (user) => request('POST', '/dev/token', { user }),
    init: () => request('GET', '/api/onboarding/init'),
    config: () => request('GET', '/api/onboarding/config'),
    summary: () => request('GET', '/api/onboarding/summary'),
    start: () => request('POST', '/api/onboarding/start'),
    completeStep: (step, data) => request('POST', `/api/onboarding/step/${step}/complete`, { data, validation_errors: [] }),
    skipStep: (step) => request('POST', `/api/onboarding/step/${step}/skip`),
    finish: () => request('POST', '/api/onboarding/complete'),
    reset: () => request('POST', '/api/onboarding/reset?hard=true'),
  };
}
