import { execFileSync, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { checkProjectTags } from './check-project-tags';

const ROOT = path.resolve(__dirname, '..');

/** Lints a throw-away file placed inside a project, so the rule sees it exactly as it sees real code. */
function lintProbe(relativePath: string, code: string): string[] {
  const file = path.join(ROOT, relativePath);
  writeFileSync(file, code);
  try {
    // A subprocess, as `npm run lint` runs it: the flat config is an ES module jest's VM cannot import.
    const run = spawnSync(path.join(ROOT, 'node_modules/.bin/eslint'), ['--format', 'json', file], {
      cwd: ROOT,
      encoding: 'utf8',
    });
    const [result] = JSON.parse(run.stdout) as { messages: { ruleId: string | null; message: string }[] }[];
    return (result?.messages ?? [])
      .filter((m) => m.ruleId === '@nx/enforce-module-boundaries')
      .map((m) => m.message);
  } finally {
    rmSync(file, { force: true });
  }
}

describe('module boundaries (Nx tags) really constrain', () => {
  beforeAll(() => {
    // The rule reads the cached project graph and silently skips without one.
    execFileSync(path.join(ROOT, 'node_modules/.bin/nx'), ['show', 'projects'], {
      cwd: ROOT,
      env: { ...process.env, NX_DAEMON: 'false' },
      stdio: 'ignore',
    });
  });

  it('forbids I/O and framework packages and platform libs in domain code', () => {
    const messages = lintProbe(
      // a domain lib no adapter reaches, so the probe makes no cycle (a cycle is reported instead of the tag rule)
      'libs/domain/anomaly/src/boundary-probe.ts',
      "import { Kafka } from 'kafkajs';\nimport { Pool } from 'pg';\nimport { Injectable } from '@nestjs/common';\nimport { createPool } from '@tokentally/platform-db';\nexport const probe = [Kafka, Pool, Injectable, createPool];\n",
    );
    expect(messages).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/type:domain.*not allowed to import "kafkajs"/),
        expect.stringMatching(/type:domain.*not allowed to import "pg"/),
        expect.stringMatching(/type:domain.*not allowed to import "@nestjs\/common"/),
        expect.stringMatching(
          /type:domain.*can only depend on libs tagged with "type:domain", "type:contracts"/,
        ),
      ]),
    );
  }, 60000);

  it('lets services use platform, contracts, domain and adapter libs', () => {
    const messages = lintProbe(
      'services/pricer/src/boundary-probe.ts',
      "import { TOPICS } from '@tokentally/contracts';\nimport { formatUsd } from '@tokentally/domain-money';\nimport { createPool } from '@tokentally/platform-db';\nimport { LedgerRepository } from '@tokentally/adapters-postgres-ledger';\nexport const probe = [TOPICS, formatUsd, createPool, LedgerRepository];\n",
    );
    expect(messages).toEqual([]);
  }, 60000);

  it('keeps adapters out of platform and domain code, and lets adapters see domain and platform', () => {
    const fromPlatform = lintProbe(
      'libs/platform/redis/src/boundary-probe.ts',
      "import { periodOf } from '@tokentally/domain-ledger';\nimport { LedgerRepository } from '@tokentally/adapters-postgres-ledger';\nexport const probe = [periodOf, LedgerRepository];\n",
    );
    expect(fromPlatform).toEqual([
      expect.stringMatching(
        /type:platform.*can only depend on libs tagged with "type:platform", "type:contracts"/,
      ),
      expect.stringMatching(
        /type:platform.*can only depend on libs tagged with "type:platform", "type:contracts"/,
      ),
    ]);
    const fromDomain = lintProbe(
      // a domain lib no adapter reaches, so the probe makes no cycle (a cycle is reported instead of the tag rule)
      'libs/domain/anomaly/src/boundary-probe.ts',
      "import { LedgerRepository } from '@tokentally/adapters-postgres-ledger';\nexport const probe = [LedgerRepository];\n",
    );
    expect(fromDomain).toEqual([expect.stringMatching(/type:domain.*can only depend on libs tagged with/)]);
    const fromAdapter = lintProbe(
      'libs/adapters/postgres-ledger/src/boundary-probe.ts',
      "import { TOPICS } from '@tokentally/contracts';\nimport { periodOf } from '@tokentally/domain-ledger';\nimport { createPool } from '@tokentally/platform-db';\nexport const probe = [TOPICS, periodOf, createPool];\n",
    );
    expect(fromAdapter).toEqual([]);
    const adapterToApp = lintProbe(
      'libs/adapters/postgres-ledger/src/boundary-probe.ts',
      "import { CallRecorder } from '@tokentally/sdk';\nexport const probe = [CallRecorder];\n",
    );
    expect(adapterToApp).toEqual([
      expect.stringMatching(/type:adapter.*can only depend on libs tagged with/),
    ]);
  }, 120000);

  it('every project carries exactly one known type tag', () => {
    expect(checkProjectTags()).toEqual([]);
  });

  it('flags untagged projects, unknown tags and source folders that are no project', () => {
    const root = mkdtempSync(path.join(tmpdir(), 'tags-'));
    try {
      const project = (dir: string, tags: string[] | undefined): void => {
        mkdirSync(path.join(root, dir, 'src'), { recursive: true });
        writeFileSync(
          path.join(root, dir, 'project.json'),
          JSON.stringify({ name: dir, ...(tags ? { tags } : {}) }),
        );
      };
      project('libs/untagged', undefined);
      project('libs/odd', ['type:whatever']);
      project('services/fine', ['type:app']);
      mkdirSync(path.join(root, 'libs/stray/src'), { recursive: true });
      const problems = checkProjectTags(root).join('\n');
      expect(problems).toMatch(/libs\/untagged\/project.json: needs exactly one type: tag/);
      expect(problems).toMatch(/libs\/odd\/project.json: unknown tag type:whatever/);
      expect(problems).toMatch(/libs\/stray: has src\/ but no project.json/);
      expect(problems).not.toMatch(/services\/fine/);
    } finally {
      rmSync(root, { recursive: true, force: true });
    }
  });
});
