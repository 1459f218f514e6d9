import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { ESLint, type Linter } from 'eslint';
import { describe, expect, it } from 'vitest';

// Proves the module-boundary rules of eslint.config.mjs bite: each case lints a small
// probe text as if it were a file of the named project, and expects the rule's error.
const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');

// The probe files do not exist, so no tsconfig holds them: lint them without type information
// (the type-aware promise rules are not what these cases test).
const withoutTypes: Linter.Config = {
  files: ['**/*.ts'],
  languageOptions: { parserOptions: { projectService: false } },
  rules: { '@typescript-eslint/no-floating-promises': 'off', '@typescript-eslint/no-misused-promises': 'off' },
};

async function boundaryErrors(file: string, code: string): Promise<string[]> {
  const eslint = new ESLint({ cwd: root, overrideConfig: withoutTypes });
  const [result] = await eslint.lintText(code, { filePath: path.join(root, file) });
  return (
    (result?.messages ?? [])
      // A probe that does not parse must fail the case loudly, not pass as "no boundary error".
      .filter((m) => m.fatal === true || m.ruleId === '@nx/enforce-module-boundaries' || m.ruleId === 'no-restricted-imports')
      .map((m) => m.message)
  );
}

describe('module boundaries (eslint.config.mjs)', () => {
  it('the contract lib ban bites as `nx lint` runs it too: from the project folder, with its own config', async () => {
    const eslint = new ESLint({ cwd: path.join(root, 'libs/protocol'), overrideConfig: withoutTypes });
    const [result] = await eslint.lintText("import { readFileSync } from 'node:fs';\nexport const f = readFileSync;\n", {
      filePath: path.join(root, 'libs/protocol/src/probe.ts'),
    });
    expect((result?.messages ?? []).map((m) => m.ruleId)).toEqual(['no-restricted-imports']);
  });

  it('a type:contract lib may not import ioredis', async () => {
    const errors = await boundaryErrors('libs/protocol/src/probe.ts', "import { Redis } from 'ioredis';\nexport const r = Redis;\n");
    expect(errors).toEqual([expect.stringContaining('type:contract" is not allowed to import "ioredis"')]);
  });

  it('a type:contract lib may not import the AWS SDK or node:fs', async () => {
    const sdk = await boundaryErrors(
      'libs/protocol/src/probe.ts',
      "import { ConverseStreamCommand } from '@aws-sdk/client-bedrock-runtime';\nexport const c = ConverseStreamCommand;\n",
    );
    expect(sdk).toHaveLength(1);
    const fs = await boundaryErrors(
      'libs/protocol/src/probe.ts',
      "import { readFileSync } from 'node:fs';\nexport const f = readFileSync;\n",
    );
    expect(fs).toHaveLength(1);
  });

  it('the dispatcher may not import the Bedrock runtime SDK or piscina', async () => {
    const errors = await boundaryErrors(
      'apps/dispatcher/src/probe.ts',
      "import { Piscina } from 'piscina';\nimport { BedrockRuntimeClient } from '@aws-sdk/client-bedrock-runtime';\nexport const x = [Piscina, BedrockRuntimeClient];\n",
    );
    expect(errors).toHaveLength(2);
  });

  it('the dispatcher and the worker may not import each other; the CLI may import both', async () => {
    expect(
      await boundaryErrors('apps/dispatcher/src/probe.ts', "import * as w from '@turnpool/worker';\nexport const x = w;\n"),
    ).toHaveLength(1);
    expect(
      await boundaryErrors('apps/worker/src/probe.ts', "import * as d from '@turnpool/dispatcher';\nexport const x = d;\n"),
    ).toHaveLength(1);
    expect(
      await boundaryErrors(
        'apps/cli/src/probe.ts',
        "import * as d from '@turnpool/dispatcher';\nimport * as w from '@turnpool/worker';\nexport const x = [d, w];\n",
      ),
    ).toEqual([]);
  });

  it('libs/turn-store (the dispatcher loads its client) may not load the Bedrock runtime SDK, directly or through a lib', async () => {
    for (const probe of [
      "import { ConverseStreamCommand } from '@aws-sdk/client-bedrock-runtime';\nexport const c = ConverseStreamCommand;\n",
      "import { mapConverseStream } from '@turnpool/bedrock';\nexport const m = mapConverseStream;\n",
      "import { createBedrockClients } from '@turnpool/credentials/clients';\nexport const c = createBedrockClients;\n",
    ]) {
      expect(await boundaryErrors('libs/turn-store/src/runner/probe.ts', probe)).toEqual([expect.stringContaining('Bedrock runtime')]);
    }
  });

  it('a lib may not import a tool in its own code', async () => {
    const errors = await boundaryErrors(
      'libs/discovery/src/probe.ts',
      "import * as emu from '@turnpool/bedrock-emulator';\nexport const e = emu;\n",
    );
    expect(errors).toEqual([expect.stringContaining('type:data-access')]);
  });

  it('allowed imports pass', async () => {
    expect(
      await boundaryErrors(
        'apps/dispatcher/src/probe.ts',
        "import { createTurnClient } from '@turnpool/turn-store/client';\nimport { encodeSse } from '@turnpool/turn-store';\nexport const x = [createTurnClient, encodeSse];\n",
      ),
    ).toEqual([]);
    expect(
      await boundaryErrors(
        'apps/worker/src/probe.ts',
        "import { runAttempt } from '@turnpool/turn-store/runner';\nexport const r = runAttempt;\n",
      ),
    ).toEqual([]);
  });
});
