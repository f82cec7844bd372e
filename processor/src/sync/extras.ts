import { CardDetailsTypeKey, PaymentInterfaceInteractionTypeKey } from '../commercetools/custom-types';
import type { PaymentsDeps } from '../core/deps';
import { cardDetails, type ApplyExtras } from './apply';
import type { PaymentIntentSnapshot } from '../stripe/snapshot';

export interface SyncHints {
  /** The trigger was about refunds: list them even if the charge shows none any more. */
  refunds?: boolean;
  disputes?: boolean;
  /**
   * The Stripe events that triggered the sync (recorded as interface interactions: ids only). The
   * event's object is only compared with what this process read last (`snapshotShows`), never
   * recorded or logged.
   */
  events?: readonly { id: string; type: string; created: number; object?: unknown }[];
}

export const mergeHints = (a: SyncHints, b: SyncHints): SyncHints => ({
  ...(a.refunds || b.refunds ? { refunds: true } : {}),
  ...(a.disputes || b.disputes ? { disputes: true } : {}),
  events: [...(a.events ?? []), ...(b.events ?? [])],
});

/** Card details and the triggering event, as far as the custom types post-deploy created allow. */
export async function syncExtras(
  deps: PaymentsDeps,
  snapshot: PaymentIntentSnapshot,
  events: SyncHints['events'] = [],
): Promise<ApplyExtras> {
  const types = await deps.customTypes();
  const card = types.cardDetails ? cardDetails(snapshot) : undefined;
  const record = deps.config.webhooks.record;
  return {
    ...(card ? { card: { typeKey: CardDetailsTypeKey, fields: card } } : {}),
    ...(events.length > 0 && types.interactions && record !== 'none'
      ? {
          recordInteractions: record,
          interactions: events.map((event) => ({
            typeKey: PaymentInterfaceInteractionTypeKey,
            fields: {
              interactionId: event.id,
              type: event.type,
              createdAt: new Date(event.created * 1000).toISOString(),
            },
          })),
        }
      : {}),
  };
}
