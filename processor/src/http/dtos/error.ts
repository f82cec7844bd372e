import { Type, type Static } from '@sinclair/typebox';

/** The commercetools error shape every failed request answers. */
export const ErrorResponse = Type.Object(
  {
    statusCode: Type.Integer(),
    message: Type.String(),
    errors: Type.Array(Type.Object({ code: Type.String(), message: Type.String() }, { additionalProperties: true })),
  },
  { $id: 'ErrorResponse', description: 'commercetools error shape' },
);

/** The error shape, described with when a route answers it (for the OpenAPI document). */
export const ErrorAnswer = (description: string) => Type.Object(ErrorResponse.properties, { description });

export type ErrorBody = Static<typeof ErrorResponse>;

/** The one builder of error bodies: the handler, the router's refusals and the socket's use it. */
export function errorBody(
  statusCode: number,
  code: string,
  message: string,
  fields: Record<string, unknown> = {},
): ErrorBody {
  return { statusCode, message, errors: [{ code, message, ...fields }] };
}
