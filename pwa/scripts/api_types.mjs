#!/usr/bin/env node
/**
 * Writes `src/api-schema.d.ts`, the API's types, from the backend's OpenAPI document:
 *
 *   npm run api-types                       # after changing what the API accepts or answers
 *   node scripts/api_types.mjs --out FILE   # somewhere else (tests/unit/pwa/test_api_types.py)
 *
 * The document comes from `selfservice openapi` (no server, no database), run with the Python of
 * `--python`, `$SELFSERVICE_PYTHON`, the repository's `.venv`, or `python3`, in the repository
 * this script is in (its backend is the one described). The types are openapi-typescript's
 * (tools/api-types: it needs TypeScript 5's compiler API, which the app's TypeScript 7 lacks).
 * The file is committed; the build and `npm run typecheck` read it as it is, and the test above
 * fails when it is not what the backend now generates.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';

const here = dirname(fileURLToPath(import.meta.url));
const pwa = resolve(here, '..');
const repository = resolve(pwa, '..');

const { values } = parseArgs({
  options: {
    out: { type: 'string', default: join(pwa, 'src', 'api-schema.d.ts') },
    python: { type: 'string' },
  },
});
const venvPython = join(repository, '.venv', 'bin', 'python');
const python = values.python ?? process.env.SELFSERVICE_PYTHON ?? (existsSync(venvPython) ? venvPython : 'python3');
const generator = join(pwa, 'tools', 'api-types', 'node_modules', 'openapi-typescript', 'bin', 'cli.js');
if (!existsSync(generator)) {
  console.error(`${generator} is missing: run \`npm ci\` in pwa/ first.`);
  process.exit(1);
}

const HEADER = `// The API's types, generated from its OpenAPI document by \`npm run api-types\` (scripts/api_types.mjs).
// Do not edit: change the backend and run it again. tests/unit/pwa/test_api_types.py fails when this
// file is not what the backend generates. Use them through \`Schema<'Name'>\` (api.ts).
`;

const work = mkdtempSync(join(tmpdir(), 'api-types-'));
try {
  const document = join(work, 'openapi.json');
  const types = join(work, 'api-schema.d.ts');
  execFileSync(python, ['-m', 'backend.cli', 'openapi', document], { cwd: repository, stdio: 'inherit' });
  execFileSync(process.execPath, [generator, document, '--output', types], { cwd: pwa, stdio: ['ignore', 'ignore', 'inherit'] });
  writeFileSync(values.out, HEADER + readFileSync(types, 'utf8'));
} finally {
  rmSync(work, { recursive: true, force: true });
}
