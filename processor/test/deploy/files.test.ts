import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { REPO_ROOT } from 'sandbox/src/testing/spawn';
import { parse } from 'yaml';
import { describeKeys } from '../../src/config/schema';
import { REQUIRED_SCOPES } from '../../src/operations/status';

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
    expect(connect.inheritAs?.apiClient.scopes).toEqual([...REQUIRED_SCOPES]);
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

describe('docker-compose.yml (Docker cannot run here: checked against the project)', () => {
  const compose = parse(readFileSync(path.join(REPO_ROOT, 'docker-compose.yml'), 'utf8')) as {
    services: Record<
      string,
      { build: string; command: string[]; environment: Record<string, string>; ports: string[]; depends_on?: string[] }
    >;
  };
  const keys = new Set(describeKeys().map((k) => k.key as string));

  it('builds every service from the repository Dockerfile', () => {
    expect(Object.keys(compose.services).sort()).toEqual(['demo', 'jwt-mock', 'processor', 'sandbox']);
    for (const service of Object.values(compose.services)) {
      expect(service.build).toBe('.');
    }
    expect(existsSync(path.join(REPO_ROOT, 'Dockerfile'))).toBe(true);
  });

  it('runs entry points that exist, with the npm scripts they name', () => {
    const root = JSON.parse(readFileSync(path.join(REPO_ROOT, 'package.json'), 'utf8')) as {
      scripts: Record<string, string>;
    };
    for (const service of Object.values(compose.services)) {
      const command = service.command.join(' ');
      for (const file of command.match(/[\w-]+\/src\/[\w/.-]+\.ts/g) ?? [])
        expect(existsSync(path.join(REPO_ROOT, file))).toBe(true);
      for (const script of command.match(/npm run ([\w:-]+)/g) ?? [])
        expect(root.scripts[script.replace('npm run ', '')]).toBeDefined();
    }
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
