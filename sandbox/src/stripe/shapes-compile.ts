import Ajv2020 from 'ajv/dist/2020';
import standaloneCode from 'ajv/dist/standalone';

/**
 * Compiles the generated Stripe schemas into the source of one CommonJS module exporting a
 * validator per root (`roots.json#/$defs/<name>`). Loaded only when that source is not cached
 * yet: ajv itself takes longer to load than the whole cached module.
 */
export function compileShapeValidators(documents: readonly object[], roots: readonly string[]): string {
  const ajv = new Ajv2020({
    strict: true,
    // `T | null` is written as `type: [kind, 'null']`; unions of objects by their `type`/`object` tag.
    allowUnionTypes: true,
    discriminator: true,
    // Each definition is its own function: the resources reference each other a lot.
    inlineRefs: false,
    code: { source: true, optimize: false },
  });
  for (const document of documents) ajv.addSchema(document);
  return standaloneCode(ajv, Object.fromEntries(roots.map((root) => [root, `roots.json#/$defs/${root}`])));
}
