// Validates Kubernetes manifests against the API schemas of the npm package kubernetes-models,
// offline: node validate.mjs file.yaml... (multi-document YAML, e.g. `kubectl kustomize` output).
// A document whose apiVersion/kind has no model, or that fails its schema, fails the run.
// The schemas allow unknown fields, so each object's fields are also checked against the schema's
// properties (a misspelt `livenesProbe` would otherwise pass).
import { readFileSync } from "node:fs";
import { parseAllDocuments } from "yaml";

const failures = [];
let count = 0;
for (const file of process.argv.slice(2)) {
  for (const document of parseAllDocuments(readFileSync(file, "utf8"))) {
    if (document.errors.length) {
      failures.push(`${file}: ${document.errors.join("; ")}`);
      continue;
    }
    const manifest = document.toJS();
    if (manifest == null) continue;
    const where = `${file}: ${manifest.kind} ${manifest.metadata?.name}`;
    const [group, version] = manifest.apiVersion.includes("/") ? manifest.apiVersion.split("/") : ["", manifest.apiVersion];
    let Model;
    try {
      const module = await import(`kubernetes-models/${group ? `${group}/` : ""}${version}/${manifest.kind}`);
      Model = module[manifest.kind];
    } catch {
      failures.push(`${where}: no Kubernetes API model for ${manifest.apiVersion} ${manifest.kind}`);
      continue;
    }
    try {
      new Model(manifest).validate();
      count++;
    } catch (error) {
      failures.push(`${where}: ${error.message}`);
    }
  }
}
for (const failure of failures) console.error(`INVALID ${failure}`);
console.log(`${count} manifests valid, ${failures.length} invalid`);
process.exit(failures.length || count === 0 ? 1 : 0);
