import {
  ErrorAuthErrorResponse,
  ErrorGeneral,
  type CommercetoolsAuthorizationService,
  type CommercetoolsSessionService,
  type Session,
} from '@commercetools/connect-payments-sdk';
import type { Money } from '@commercetools/platform-sdk';

type CommercetoolsToken = Awaited<ReturnType<CommercetoolsAuthorizationService['getAccessToken']>>;

/** The part of `fetch` the Session API is asked with. */
type SessionFetch = (
  url: string,
  init: { method: string; headers: Record<string, string> },
) => Promise<{ status: number; ok: boolean; statusText: string; json(): Promise<unknown> }>;

/**
 * The payments SDK's session service (`DefaultSessionService`, which calls Node's global `fetch`
 * itself), over a given `fetch`: the same verification, errors and session fields. The session id
 * is encoded into the URL (the SDK puts the header's value in the path as it is).
 */
export class SessionService implements CommercetoolsSessionService {
  private token?: CommercetoolsToken;

  constructor(
    private readonly options: {
      authorizationService: CommercetoolsAuthorizationService;
      sessionUrl: string;
      projectKey: string;
      fetch: SessionFetch;
    },
  ) {}

  async verifySession(sessionId: string): Promise<Session> {
    this.token ??= await this.options.authorizationService.getAccessToken();
    let res = await this.getSession(sessionId, this.token);
    // The commercetools token expired: a new one, and once more.
    if (res.status === 401 || res.status === 403) {
      this.token = await this.options.authorizationService.getAccessToken();
      res = await this.getSession(sessionId, this.token);
    }
    if (res.status === 404) {
      throw new ErrorAuthErrorResponse('commercetools session not found', {
        privateFields: { status: res.status, statusText: res.statusText },
      });
    }
    if (!res.ok) {
      throw new ErrorGeneral('Could not get commercetools session', {
        privateFields: { status: res.status, statusText: res.statusText },
      });
    }
    const session = (await res.json()) as Session;
    if (session.state !== 'ACTIVE') {
      throw new ErrorAuthErrorResponse(`commercetools session is not ACTIVE, current status: ${session.state}`, {
        privateFields: { session: JSON.stringify(session) },
      });
    }
    return session;
  }

  getCartFromSession(session: Session): string {
    const id = session.activeCart?.cartRef?.id;
    if (!id) {
      throw new ErrorAuthErrorResponse('Cart not found in commercetools session', {
        privateFields: { session: JSON.stringify(session) },
      });
    }
    return id;
  }

  getAllowedPaymentMethodsFromSession = (session: Session): string[] =>
    (session.metadata?.allowedPaymentMethods as string[] | undefined) || [];
  getProcessorUrlFromSession = (session: Session): string => session.metadata?.processorUrl as string;
  getPaymentInterfaceFromSession = (session: Session): string | undefined =>
    session.metadata?.paymentInterface as string | undefined;
  getCheckoutTransactionItemIdFromSession = (session: Session): string | undefined =>
    session.metadata?.checkoutTransactionItemId as string | undefined;
  getMerchantReturnUrlFromSession = (session: Session): string | undefined =>
    session.metadata?.merchantReturnUrl as string | undefined;
  getFutureOrderNumberFromSession = (session: Session): string | undefined =>
    session.metadata?.futureOrderNumber as string | undefined;
  getGiftCardPlannedAmountFromSession = (session: Session): Money | undefined =>
    session.metadata?.giftCardPlannedAmount as Money | undefined;
  getCorrelationIdFromSession = (session: Session): string | undefined =>
    session.metadata?.correlationId as string | undefined;

  private getSession(sessionId: string, token: CommercetoolsToken) {
    const { sessionUrl, projectKey, fetch } = this.options;
    return fetch(`${sessionUrl}/${projectKey}/sessions/${encodeURIComponent(sessionId)}`, {
      method: 'GET',
      headers: { 'Content-Type': 'application/json', Authorization: `Bearer ${token.access_token}` },
    });
  }
}
