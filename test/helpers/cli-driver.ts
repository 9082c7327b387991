/**
 * Runs several `cryoread` command lines in one process (src/cli.ts main) with stdout/stderr captured,
 * so a table-driven test pays the start-up cost once. Usage:
 *   tsx test/helpers/cli-driver.ts CASES.json RESULTS.json
 * CASES.json: string[][] (argv of each run); RESULTS.json: { code, stdout, stderr }[] in the same order.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { main } from '../../src/cli.js';

const [casesPath, resultsPath] = process.argv.slice(2);
const cases = JSON.parse(readFileSync(casesPath, 'utf8')) as string[][];
const results: { code: number; stdout: string; stderr: string }[] = [];
const ow = process.stdout.write.bind(process.stdout), ew = process.stderr.write.bind(process.stderr);
for (const argv of cases) {
  let stdout = '', stderr = '';
  process.stdout.write = ((s: string | Uint8Array) => { stdout += String(s); return true; }) as typeof process.stdout.write;
  process.stderr.write = ((s: string | Uint8Array) => { stderr += String(s); return true; }) as typeof process.stderr.write;
  let code: number;
  try {
    code = await main(argv);
  } catch (e) {
    code = -1;
    stderr += `driver: uncaught ${(e as Error)?.stack ?? e}\n`;
  } finally {
    process.stdout.write = ow;
    process.stderr.write = ew;
  }
  results.push({ code, stdout, stderr });
}
writeFileSync(resultsPath, JSON.stringify(results));
