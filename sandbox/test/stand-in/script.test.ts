import path from 'node:path';
import ts from 'typescript';
import { createStripeEmulator, type StripeEmulator } from '../../src/stripe/server';

describe('serving the Stripe.js stand-in', () => {
  let emulator: StripeEmulator;
  beforeAll(async () => (emulator = await createStripeEmulator({ publishableKey: 'pk_test_other' })));
  afterAll(() => emulator.close());

  it.each(['/v3/', '/v3'])('GET %s answers the script, with the emulator’s key and origin filled in', async (url) => {
    const res = await emulator.app.inject({
      method: 'GET',
      url,
      headers: { host: '127.0.0.1:4242', origin: 'http://localhost:3000' },
    });
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toBe('text/javascript; charset=utf-8');
    expect(res.headers['access-control-allow-origin']).toBe('http://localhost:3000');
    expect(res.headers['cross-origin-resource-policy']).toBe('cross-origin');
    expect(res.body).toContain(`({"publishableKey":"pk_test_other","origin":"http://127.0.0.1:4242"})`);
    expect(res.body).not.toContain('/*@stand-in-config*/');
    expect(res.body).toContain("Object.defineProperty(window, 'Stripe'");
    // It must parse as a classic script (no import/export), since browsers run it as one.
    expect(() => new Function(res.body)).not.toThrow();
  });
});

describe('the browser script', () => {
  it('type-checks (checkJs) against @stripe/stripe-js’s types', () => {
    const configPath = path.resolve(__dirname, '../../src/stripe/stand-in/browser/tsconfig.json');
    const config = ts.getParsedCommandLineOfConfigFile(
      configPath,
      {},
      {
        ...ts.sys,
        onUnRecoverableConfigFileDiagnostic: (d) => {
          throw new Error(ts.flattenDiagnosticMessageText(d.messageText, '\n'));
        },
      },
    );
    expect(config?.fileNames.map((f) => path.basename(f)).sort()).toEqual([
      'dom.js',
      'express-checkout.js',
      'form.js',
      'payment-element.js',
      'stripe.js',
      'wallet-sheet.js',
      'wire.js',
    ]);
    const program = ts.createProgram(config!.fileNames, config!.options);
    const diagnostics = ts.getPreEmitDiagnostics(program).map((d) => {
      const where = d.file
        ? `${path.basename(d.file.fileName)}:${d.file.getLineAndCharacterOfPosition(d.start ?? 0).line + 1}`
        : '';
      return `${where} ${ts.flattenDiagnosticMessageText(d.messageText, '\n')}`;
    });
    expect(diagnostics).toEqual([]);
  });
});
