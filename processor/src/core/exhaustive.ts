/** The literal members of a Stripe string union, without its open `string` end. */
type Literals<T> = T extends string ? (string extends T ? never : T) : never;

/**
 * For the `default:` of a switch over a Stripe status: compiles only when every status the pinned
 * API version names was handled by a `case`, so a new status fails the build, not production.
 * At run time (a status the pinned version does not name) it only hands the value back.
 */
export function unhandledStatus<T extends string>(
  status: T,
  ..._everyStatusHandled: [Literals<T>] extends [never] ? [] : [unhandled: Literals<T>]
): string {
  return status;
}
