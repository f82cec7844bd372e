/**
 * Fastify's own compilers (ajv for request validation, fast-json-stringify for responses).
 * lazy-schemas.ts loads this module when the first validator or serializer is compiled: the build
 * makes it a file of its own (dist/schema-compilers.js), so that neither is read at start-up.
 */
export { default as AjvCompiler } from '@fastify/ajv-compiler';
export { SerializerSelector } from '@fastify/fast-json-stringify-compiler';
