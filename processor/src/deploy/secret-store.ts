import type { setupPaymentSDK } from '@commercetools/connect-payments-sdk';
import { createCipheriv, createDecipheriv, hkdfSync, randomBytes } from 'node:crypto';
import { statusOf } from '../commercetools/port';

type CommercetoolsAPI = ReturnType<typeof setupPaymentSDK>['ctAPI'];

/** Where post-deploy keeps the webhook signing secret (a commercetools custom object). */
export const SECRET_CONTAINER = 'commercetools-stripe-connector';
export const SECRET_KEY = 'webhook-signing-secret';

export interface StoredSecret {
  endpointId: string;
  secret: string;
}

interface SealedValue {
  v: 1;
  endpointId: string;
  iv: string;
  tag: string;
  data: string;
}

/** AES-256-GCM key derived from the Stripe secret key: only holders of that key can read it. */
function keyFrom(stripeSecretKey: string): Buffer {
  return Buffer.from(
    hkdfSync('sha256', stripeSecretKey, 'commercetools-stripe-connector', 'webhook-signing-secret', 32),
  );
}

export function seal(secret: string, endpointId: string, stripeSecretKey: string): SealedValue {
  const iv = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', keyFrom(stripeSecretKey), iv);
  cipher.setAAD(Buffer.from(endpointId));
  const data = Buffer.concat([cipher.update(secret, 'utf8'), cipher.final()]);
  return {
    v: 1,
    endpointId,
    iv: iv.toString('base64'),
    tag: cipher.getAuthTag().toString('base64'),
    data: data.toString('base64'),
  };
}

export function unseal(value: SealedValue, stripeSecretKey: string): StoredSecret {
  const decipher = createDecipheriv('aes-256-gcm', keyFrom(stripeSecretKey), Buffer.from(value.iv, 'base64'));
  decipher.setAAD(Buffer.from(value.endpointId));
  decipher.setAuthTag(Buffer.from(value.tag, 'base64'));
  const secret = Buffer.concat([decipher.update(Buffer.from(value.data, 'base64')), decipher.final()]).toString('utf8');
  return { endpointId: value.endpointId, secret };
}

export class SecretStore {
  constructor(
    private readonly api: CommercetoolsAPI,
    private readonly stripeSecretKey: string,
  ) {}

  async read(): Promise<StoredSecret | undefined> {
    try {
      const res = await this.api.client
        .customObjects()
        .withContainerAndKey({ container: SECRET_CONTAINER, key: SECRET_KEY })
        .get()
        .execute();
      try {
        return unseal(res.body.value as SealedValue, this.stripeSecretKey);
      } catch {
        // Sealed with another Stripe key (rotated): unusable, post-deploy makes a new one.
        return undefined;
      }
    } catch (error) {
      if (statusOf(error) === 404) return undefined;
      throw error;
    }
  }

  async write(endpointId: string, secret: string): Promise<void> {
    await this.api.client
      .customObjects()
      .post({
        body: { container: SECRET_CONTAINER, key: SECRET_KEY, value: seal(secret, endpointId, this.stripeSecretKey) },
      })
      .execute();
  }

  async remove(): Promise<boolean> {
    try {
      const current = await this.api.client
        .customObjects()
        .withContainerAndKey({ container: SECRET_CONTAINER, key: SECRET_KEY })
        .get()
        .execute();
      await this.api.client
        .customObjects()
        .withContainerAndKey({ container: SECRET_CONTAINER, key: SECRET_KEY })
        .delete({ queryArgs: { version: current.body.version } })
        .execute();
      return true;
    } catch (error) {
      if (statusOf(error) === 404) return false;
      throw error;
    }
  }
}
