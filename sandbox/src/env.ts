export interface SandboxEnv {
  host: string;
  commercetoolsPort: number;
  stripePort: number;
  projectKey: string;
  processorUrl: string;
  verbose: boolean;
  exitWithParent: boolean;
  /** Register a webhook endpoint for the processor in the Stripe emulator at start. */
  registerWebhook: boolean;
  /** Secondary indexes on the emulated commercetools storage; off only to compare with the mock's scans. */
  ctIndexes: boolean;
  asyncSettleDelayMs?: number;
  /** Check what the Stripe emulator answers and delivers against Stripe's types (tests turn it on). */
  validateStripeShapes: boolean;
}

function port(env: NodeJS.ProcessEnv, key: string, fallback: number, errors: string[]): number {
  const raw = env[key];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < 0 || value > 65535) {
    errors.push(`${key} must be a port number (0-65535), got "${raw}"`);
    return fallback;
  }
  return value;
}

/** Reads the sandbox settings; every invalid key is named in one error. */
export function readSandboxEnv(env: NodeJS.ProcessEnv): SandboxEnv {
  const errors: string[] = [];
  const result: SandboxEnv = {
    host: env.SANDBOX_HOST || '127.0.0.1',
    commercetoolsPort: port(env, 'SANDBOX_CT_PORT', 8081, errors),
    stripePort: port(env, 'SANDBOX_STRIPE_PORT', 12111, errors),
    projectKey: env.SANDBOX_PROJECT_KEY || 'sandbox',
    processorUrl: env.SANDBOX_PROCESSOR_URL || 'http://localhost:8080',
    verbose: env.SANDBOX_VERBOSE === 'true',
    exitWithParent: env.SANDBOX_EXIT_WITH_PARENT === 'true',
    registerWebhook: env.SANDBOX_REGISTER_WEBHOOK === 'true',
    ctIndexes: env.SANDBOX_CT_INDEXES !== 'false',
    validateStripeShapes: ['1', 'true'].includes(env.SANDBOX_STRIPE_VALIDATE_SHAPES ?? ''),
  };
  if (env.SANDBOX_CT_INDEXES && !['true', 'false'].includes(env.SANDBOX_CT_INDEXES))
    errors.push('SANDBOX_CT_INDEXES must be true or false');
  if (env.SANDBOX_ASYNC_SETTLE_MS) {
    const ms = Number(env.SANDBOX_ASYNC_SETTLE_MS);
    if (!Number.isInteger(ms) || ms < 0) errors.push('SANDBOX_ASYNC_SETTLE_MS must be a number of milliseconds');
    else result.asyncSettleDelayMs = ms;
  }
  if (!/^[a-z0-9-]{2,36}$/.test(result.projectKey)) errors.push('SANDBOX_PROJECT_KEY must be 2-36 of a-z, 0-9, -');
  if (errors.length > 0) throw new Error(`invalid sandbox configuration:\n  - ${errors.join('\n  - ')}`);
  return result;
}
