// The README examples marked `<!-- example: ...; expects "TEXT" -->` are run by the tests, so they stay true.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import ts from 'typescript';

export interface ReadmeExample {
  readme: string;
  lang: 'ts' | 'sh';
  code: string;
  expects: string;
}

const MARKER = /<!-- example:[^>]*expects "([^"]+)" -->\n```(ts|sh)\n([\s\S]*?)```/g;

export function readmeExamples(repo: string, workspaces: string[]): ReadmeExample[] {
  return workspaces.flatMap((w) => {
    const readme = join(w, 'README.md');
    const text = readFileSync(join(repo, readme), 'utf8');
    return [...text.matchAll(MARKER)].map((m) => ({ readme, expects: m[1]!, lang: m[2] as 'ts' | 'sh', code: m[3]! }));
  });
}

/** TypeScript -> an ES module node runs (types erased, nothing else changed). */
export function toModule(code: string): string {
  return ts.transpileModule(code, { compilerOptions: { module: ts.ModuleKind.ESNext, target: ts.ScriptTarget.ES2022 } }).outputText;
}

/** The commands of a shell example, comments dropped; `npx convzoo a b` becomes ['a', 'b']. */
export function cliLines(code: string): string[][] {
  return code
    .split('\n')
    .map((l) => l.replace(/\s+#.*$/, '').trim())
    .filter((l) => l.length > 0)
    .map((l) => {
      const words = l.split(/\s+/);
      if (words[0] !== 'npx' || words[1] !== 'convzoo') throw new Error(`README example line is not \`npx convzoo ...\`: ${l}`);
      return words.slice(2);
    });
}
