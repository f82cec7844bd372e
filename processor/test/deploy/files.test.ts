import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { REPO_ROOT } from 'sandbox/src/testing/spawn';
import { parse } from 'yaml';
import { describeKeys } from '../../src/config/schema';
import { REQUIRED_SCOPES, SAVED_METHOD_SCOPES } from '../../src/operations/status';

interface ConfigEntry {
  key: string;
  description: string;
  required?: boolean;
  default?: string;
}

const connect = parse(readFileSync(path.join(REPO_ROOT, 'connect.yaml'), 'utf8')) as {
  inheritAs?: { apiClient: { scopes: string[] } };
  deployAs: {
    name: string;
    applicationType: string;
    endpoint?: string;
    scripts?: Record<string, string>;
    configuration?: { standardConfiguration: ConfigEntry[]; securedConfiguration: ConfigEntry[] };
  }[];
};

const validate = (file?: string) =>
  spawnSync(process.execPath, [path.join(REPO_ROOT, 'scripts/validate-connect-yaml.mjs'), ...(file ? [file] : [])], {
    encoding: 'utf8',
  });

describe('connect.yaml', () => {
  const processor = connect.deployAs.find((d) => d.name === 'processor')!;

  it("passes commercetools' own specification (@commercetools-connect/specification), which refuses a broken file", () => {
    const valid = validate();
    expect(valid.stderr).toBe('');
    expect(valid.status).toBe(0);
    const dir = mkdtempSync(path.join(os.tmpdir(), 'connect-yaml-'));
    const broken = path.join(dir, 'connect.yaml');
    writeFileSync(
      broken,
      readFileSync(path.join(REPO_ROOT, 'connect.yaml'), 'utf8').replace('endpoint: /', 'endpoint: //'),
    );
    const refused = validate(broken);
    expect(refused.status).toBe(1);
    expect(refused.stderr).toContain('Double slashes');
  });

  it('asks Connect for an API client with exactly the scopes the processor checks, and sets none of its keys', () => {
    expect(connect.inheritAs?.apiClient.scopes).toEqual([...REQUIRED_SCOPES, ...SAVED_METHOD_SCOPES]);
    const keys = [
      ...processor.configuration!.standardConfiguration,
      ...processor.configuration!.securedConfiguration,
    ].map((e) => e.key);
    for (const generated of ['CTP_PROJECT_KEY', 'CTP_CLIENT_ID', 'CTP_CLIENT_SECRET'])
      expect(keys).not.toContain(generated);
  });

  const standard = processor.configuration!.standardConfiguration;
  const secured = processor.configuration!.securedConfiguration;
  const deployable = describeKeys().filter((k) => !k.localOnly && !k.injected);

  it('deploys the enabler as assets and the processor as a service on /', () => {
    expect(connect.deployAs.map((d) => [d.name, d.applicationType])).toEqual([
      ['enabler', 'assets'],
      ['processor', 'service'],
    ]);
    expect(processor.endpoint).toBe('/');
  });

  it('runs post-deploy and pre-undeploy through scripts the processor package has', () => {
    const scripts = (
      JSON.parse(readFileSync(path.join(REPO_ROOT, 'processor/package.json'), 'utf8')) as {
        scripts: Record<string, string>;
      }
    ).scripts;
    expect(processor.scripts!.postDeploy).toContain('npm run connector:post-deploy');
    expect(processor.scripts!.preUndeploy).toContain('npm run connector:pre-undeploy');
    for (const name of ['connector:post-deploy', 'connector:pre-undeploy', 'build'])
      expect(scripts[name]).toBeDefined();
  });

  it.each(deployable.map((k) => [k.key, k] as const))(
    'D09: %s is in connect.yaml as the schema says (section, required, default)',
    (key, info) => {
      const section = info.secret ? secured : standard;
      const other = info.secret ? standard : secured;
      const entry = section.find((e) => e.key === key);
      expect(entry).toBeDefined();
      expect(other.find((e) => e.key === key)).toBeUndefined();
      expect(entry!.required ?? false).toBe(info.required);
      expect(entry!.default).toBe(info.default);
      expect(entry!.description).toBe(info.description);
    },
  );

  it('lists no key the schema does not have, and no local-only or injected key', () => {
    const allowed = new Set(deployable.map((k) => k.key as string));
    expect([...standard, ...secured].map((e) => e.key).filter((k) => !allowed.has(k))).toEqual([]);
  });
});

interface ComposeService {
  build: { context: string; dockerfile: string };
  command: string[];
  environment: Record<string, string>;
  ports: string[];
  depends_on?: Record<string, { condition: string }>;
  healthcheck?: { test: string[] };
}

/** The stages of a Dockerfile, each with its instructions (continuation lines joined). */
function stages(file: string): string[][] {
  const lines = readFileSync(path.join(REPO_ROOT, file), 'utf8')
    .replace(/\\\n/g, ' ')
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line && !line.startsWith('#'));
  return lines.reduce<string[][]>((all, line) => {
    if (line.startsWith('FROM ')) all.push([line]);
    else all.at(-1)?.push(line);
    return all;
  }, []);
}

describe('Dockerfiles (no Docker engine runs here: their properties are checked)', () => {
  const processor = stages('processor/Dockerfile');
  const runtime = processor.at(-1)!;

  it('the processor image is multi-stage on Node.js 24 and built from processor/ alone', () => {
    expect(processor.length).toBeGreaterThanOrEqual(2);
    for (const stage of processor) expect(stage[0]).toMatch(/^FROM node:24\./);
    const copies = processor.flat().filter((line) => line.startsWith('COPY ') && !line.includes('--from='));
    for (const copy of copies) expect(copy).not.toMatch(/\.\.\//);
  });

  it('its final stage holds production dependencies and built JavaScript only, runs as a non-root user, with a HEALTHCHECK', () => {
    const build = processor.slice(0, -1).flat().join('\n');
    expect(build).toMatch(/npm prune --omit=dev|npm ci --omit=dev/);
    const copied = runtime.filter((line) => line.startsWith('COPY '));
    expect(copied.every((line) => line.includes('--from='))).toBe(true);
    expect(copied.map((line) => line.split(' ').at(-2))).toEqual(
      expect.arrayContaining(['/app/dist', '/app/node_modules', '/app/package.json']),
    );
    expect(copied.join('\n')).not.toMatch(/\/src|\/test/);
    const user = runtime.find((line) => line.startsWith('USER '));
    expect(user).toBeDefined();
    expect(user).not.toMatch(/USER (root|0)\b/);
    expect(runtime.some((line) => line.startsWith('HEALTHCHECK ') && line.includes('/health'))).toBe(true);
    expect(runtime.find((line) => line.startsWith('CMD '))).toContain('dist/main.js');
  });

  it('the sandbox image is a separate file, never the processor image', () => {
    expect(existsSync(path.join(REPO_ROOT, 'Dockerfile.sandbox'))).toBe(true);
    expect(existsSync(path.join(REPO_ROOT, 'Dockerfile'))).toBe(false);
    expect(stages('Dockerfile.sandbox')[0]![0]).toMatch(/^FROM node:24\./);
  });
});

describe('docker-compose.yml (no Docker engine runs here: checked against the project)', () => {
  const compose = parse(readFileSync(path.join(REPO_ROOT, 'docker-compose.yml'), 'utf8')) as {
    services: Record<string, ComposeService>;
  };
  const keys = new Set(describeKeys().map((k) => k.key as string));

  it('builds the processor from its production image and the rest from the sandbox image', () => {
    expect(Object.keys(compose.services).sort()).toEqual(['demo', 'jwt-mock', 'processor', 'sandbox']);
    expect(compose.services.processor!.build).toEqual({ context: 'processor', dockerfile: 'Dockerfile' });
    for (const name of ['demo', 'jwt-mock', 'sandbox'])
      expect(compose.services[name]!.build).toEqual({ context: '.', dockerfile: 'Dockerfile.sandbox' });
  });

  it('runs entry points that exist', () => {
    for (const [name, service] of Object.entries(compose.services)) {
      const command = service.command.join(' ');
      for (const file of command.match(/[\w-]+\/src\/[\w/.-]+\.ts/g) ?? [])
        expect(existsSync(path.join(REPO_ROOT, file))).toBe(true);
      for (const file of command.match(/dist\/[\w/.-]+\.js/g) ?? []) {
        const source = file.replace(/^dist\//, 'src/').replace(/\.js$/, '.ts');
        expect([name, existsSync(path.join(REPO_ROOT, name, source))]).toEqual([name, true]);
      }
    }
  });

  it('starts the processor after healthy upstreams, and the demo after a healthy processor', () => {
    expect(compose.services.processor!.depends_on).toEqual({
      sandbox: { condition: 'service_healthy' },
      'jwt-mock': { condition: 'service_healthy' },
    });
    expect(compose.services.demo!.depends_on?.processor).toEqual({ condition: 'service_healthy' });
    for (const name of ['sandbox', 'jwt-mock']) expect(compose.services[name]!.healthcheck?.test).toBeDefined();
  });

  it('lets CONNECT_SERVICE_URL be set (a run against real Stripe needs its public URL)', () => {
    expect(compose.services.processor!.environment.CONNECT_SERVICE_URL).toMatch(/^\$\{CONNECT_SERVICE_URL:-.+\}$/);
  });

  it('publishes the sandbox contract ports', () => {
    expect(compose.services['jwt-mock']!.ports).toEqual(['9000:9000']);
    expect(compose.services.sandbox!.ports).toEqual(['8081:8081', '12111:12111']);
    expect(compose.services.processor!.ports).toEqual(['8080:8080']);
    expect(compose.services.demo!.ports).toEqual(['3000:3000']);
  });

  it('gives the processor every required config key, and only keys the schema knows', () => {
    const env = compose.services.processor!.environment;
    for (const key of describeKeys()
      .filter((k) => k.required)
      .map((k) => k.key))
      expect(env[key]).toBeDefined();
    expect(Object.keys(env).filter((k) => !keys.has(k))).toEqual([]);
  });

  it('uses only environment names the sandbox and jwt-mock read', () => {
    const sources = ['sandbox/src/env.ts', 'jwt-mock/src/main.ts', 'sandbox/src/demo/main.ts']
      .map((f) => readFileSync(path.join(REPO_ROOT, f), 'utf8'))
      .join('\n');
    for (const name of ['jwt-mock', 'sandbox', 'demo']) {
      for (const key of Object.keys(compose.services[name]!.environment)) {
        if (key === 'CTP_PROJECT_KEY') continue;
        expect([key, sources.includes(key)]).toEqual([key, true]);
      }
    }
  });
});
