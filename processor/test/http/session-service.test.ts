import { ErrorAuthErrorResponse, ErrorGeneral, type Session } from '@commercetools/connect-payments-sdk';
import { SessionService } from '../../src/commercetools/session-service';

/** A Session API answering from a script, recording what it was asked (a typed fake of `fetch`). */
function sessionApi(answers: { status: number; body?: unknown }[]) {
  const asked: { url: string; authorization: string }[] = [];
  const fetch = async (url: string, init: { method: string; headers: Record<string, string> }) => {
    asked.push({ url, authorization: init.headers.Authorization! });
    const answer = answers.shift() ?? { status: 500 };
    return {
      status: answer.status,
      ok: answer.status >= 200 && answer.status < 300,
      statusText: String(answer.status),
      json: async () => answer.body,
    };
  };
  let tokens = 0;
  const service = new SessionService({
    authorizationService: {
      getAccessToken: async () => ({ access_token: `t${++tokens}`, token_type: 'Bearer', scope: '', expires_in: 60 }),
    },
    sessionUrl: 'https://session.example',
    projectKey: 'sandbox',
    fetch,
  });
  return { service, asked, tokens: () => tokens };
}

const active = (metadata: Record<string, unknown> = {}): Session => ({
  id: 's1',
  version: 1,
  createdAt: '',
  lastModifiedAt: '',
  state: 'ACTIVE',
  activeCart: { cartRef: { id: 'cart-1' } },
  metadata,
});

describe('the session check over the processor’s HTTP client (the payments SDK’s semantics)', () => {
  it('answers an active session with its cart and metadata, and keeps its token for the next check', async () => {
    const api = sessionApi([
      {
        status: 200,
        body: active({ merchantReturnUrl: 'https://shop.example/done', allowedPaymentMethods: ['card'] }),
      },
      { status: 200, body: active() },
    ]);
    const session = await api.service.verifySession('s1');
    expect(api.service.getCartFromSession(session)).toBe('cart-1');
    expect(api.service.getMerchantReturnUrlFromSession(session)).toBe('https://shop.example/done');
    expect(api.service.getAllowedPaymentMethodsFromSession(session)).toEqual(['card']);
    await api.service.verifySession('s1');
    expect(api.asked).toEqual([
      { url: 'https://session.example/sandbox/sessions/s1', authorization: 'Bearer t1' },
      { url: 'https://session.example/sandbox/sessions/s1', authorization: 'Bearer t1' },
    ]);
  });

  it('puts the session id into the URL encoded: a header cannot reach another path', async () => {
    const api = sessionApi([{ status: 404 }]);
    await expect(api.service.verifySession('../carts/x?y=1')).rejects.toBeInstanceOf(ErrorAuthErrorResponse);
    expect(api.asked[0]!.url).toBe('https://session.example/sandbox/sessions/..%2Fcarts%2Fx%3Fy%3D1');
  });

  it('asks with a new token once when the token is refused', async () => {
    const api = sessionApi([{ status: 401 }, { status: 200, body: active() }]);
    await expect(api.service.verifySession('s1')).resolves.toMatchObject({ id: 's1' });
    expect(api.asked.map((a) => a.authorization)).toEqual(['Bearer t1', 'Bearer t2']);
  });

  it.each([
    ['an unknown session', { status: 404 }, ErrorAuthErrorResponse],
    ['an expired session', { status: 200, body: { ...active(), state: 'EXPIRED' } }, ErrorAuthErrorResponse],
    ['a failing Session API', { status: 503 }, ErrorGeneral],
  ])('refuses %s', async (_name, answer, error) => {
    await expect(sessionApi([answer]).service.verifySession('s1')).rejects.toBeInstanceOf(error);
  });

  it('refuses a session without a cart', () => {
    const { activeCart: _none, ...cartless } = active();
    expect(() => sessionApi([]).service.getCartFromSession(cartless)).toThrow(ErrorAuthErrorResponse);
  });
});
