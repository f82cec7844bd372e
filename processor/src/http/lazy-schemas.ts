import type { FastifySchemaValidationError, FastifyServerOptions } from 'fastify';
import type * as SchemaCompilers from './schema-compilers';

type Validate = ((data: unknown, context?: unknown) => unknown) & {
  errors?: FastifySchemaValidationError[] | null;
  schemaEnv?: unknown;
};
type Serialize = (data: unknown) => string;
type RouteSchema = { schema?: unknown; httpPart?: string; [key: string]: unknown };
type ValidatorPool = ReturnType<typeof SchemaCompilers.AjvCompiler>;
type SerializerSelector = ReturnType<typeof SchemaCompilers.SerializerSelector>;
type ValidatorFactory = NonNullable<NonNullable<FastifyServerOptions['schemaController']>['compilersFactory']>;

/**
 * Header names are case-insensitive: the lower-cased copy of a headers schema that fastify makes
 * for its own compiler, which it leaves to any other compiler (this one).
 */
function lowerCaseHeaders(headers: Record<string, unknown>): Record<string, unknown> {
  const copy: Record<string, unknown> = { ...headers };
  if (Array.isArray(headers.required)) copy.required = headers.required.map((h: string) => h.toLowerCase());
  if (headers.properties && typeof headers.properties === 'object') {
    copy.properties = Object.fromEntries(
      Object.entries(headers.properties).map(([name, schema]) => [name.toLowerCase(), schema]),
    );
  }
  return copy;
}

export interface LazySchemaCompilers {
  /** For fastify's `schemaController` option. */
  compilersFactory: Required<ValidatorFactory>;
  /** Compiles every validator and serializer not compiled yet; throws what compiling one throws. */
  compileAll(): void;
}

/**
 * Fastify's own compilers (ajv for request validation, fast-json-stringify for responses), each
 * route's validator and serializer compiled when a request first needs it instead of all of them
 * while the app starts (a third of the start-up time and a fifth of the idle memory); the
 * compilers themselves are loaded then too. The first request of a route pays for its own
 * validators and serializers (2-10 ms); the first request of all also for loading the compilers and
 * ajv's own set-up (about 30 ms measured). Serializers of the same schema object are compiled once (most routes
 * share the error response). Behaviour is fastify's: the same ajv options, errors and
 * fast-json-stringify output.
 */
export function lazySchemaCompilers(): LazySchemaCompilers {
  const pending = new Set<() => unknown>();
  let loaded: { validatorPool: ValidatorPool; serializerSelector: SerializerSelector } | undefined;
  const compilers = () => {
    if (!loaded) {
      // On first use: the build makes this module a file of its own (build.mjs).
      // eslint-disable-next-line @typescript-eslint/no-require-imports
      const { AjvCompiler, SerializerSelector } = require('./schema-compilers') as typeof SchemaCompilers;
      loaded = { validatorPool: AjvCompiler(), serializerSelector: SerializerSelector() };
    }
    return loaded;
  };

  const buildValidator = ((externalSchemas: Parameters<ValidatorPool>[0], options: unknown) => {
    let compiler: ReturnType<ValidatorPool> | undefined;
    return (route: RouteSchema): Validate => {
      const definition =
        route.httpPart === 'headers' && route.schema
          ? { ...route, schema: lowerCaseHeaders(route.schema as Record<string, unknown>) }
          : route;
      let compiled: Validate | undefined;
      const compile = () => {
        if (!compiled) {
          compiler ??= compilers().validatorPool(externalSchemas, options as Parameters<ValidatorPool>[1]);
          // The pool's compilers take fastify's route definition ({ schema, method, url, httpPart }).
          compiled = compiler(definition as never) as unknown as Validate;
          pending.delete(compile);
        }
        return compiled;
      };
      pending.add(compile);
      const validate: Validate = (data, context) => {
        const fn = compile();
        const result = fn(data, context);
        validate.errors = fn.errors ?? null;
        return result;
      };
      // fastify gives ajv's functions the parent object (so that ajv may replace a root value).
      Object.defineProperty(validate, 'schemaEnv', { get: () => compile().schemaEnv });
      return validate;
    };
  }) as unknown as Required<ValidatorFactory>['buildValidator'];

  const buildSerializer = ((externalSchemas: unknown, options: unknown) => {
    let compiler: ReturnType<SerializerSelector> | undefined;
    const bySchema = new WeakMap<object, Serialize>();
    return (route: RouteSchema): Serialize => {
      let compiled: Serialize | undefined;
      const compile = () => {
        if (!compiled) {
          const schema = route.schema as object;
          compiled = bySchema.get(schema);
          if (!compiled) {
            compiler ??= compilers().serializerSelector(externalSchemas, options as Parameters<SerializerSelector>[1]);
            compiled = compiler(route as Parameters<typeof compiler>[0]);
            bySchema.set(schema, compiled);
          }
          pending.delete(compile);
        }
        return compiled;
      };
      pending.add(compile);
      return (data) => compile()(data);
    };
  }) as unknown as Required<ValidatorFactory>['buildSerializer'];

  return {
    compilersFactory: { buildValidator, buildSerializer },
    compileAll: () => {
      for (const compile of [...pending]) compile();
    },
  };
}
