// Runs Python source (read from stdin) in real Pyodide under Node with our virttutor-core wheel
// loaded, and prints what the last expression evaluates to (a string) on stdout.
// Usage: node pyodide_run.mjs <pyodide dir> < script.py
import { readFileSync } from "node:fs";
import path from "node:path";
import { pathToFileURL } from "node:url";

const dir = path.resolve(process.argv[2]);
const { loadPyodide } = await import(pathToFileURL(path.join(dir, "pyodide.mjs")).href);
const pyodide = await loadPyodide({
  indexURL: dir + path.sep,
  lockFileURL: path.join(dir, "virttutor-lock.json"),
  stdout: (s) => process.stderr.write(s + "\n"),
  stderr: (s) => process.stderr.write(s + "\n"),
});
await pyodide.loadPackage("virttutor-core", { messageCallback: () => {} });
const source = readFileSync(0, "utf8");
const result = await pyodide.runPythonAsync(source);
process.stdout.write(String(result) + "\n");
