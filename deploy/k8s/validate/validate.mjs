// Validates Kubernetes manifests against the API schemas of the npm package kubernetes-models,
// offline: node validate.mjs file.yaml... (multi-document YAML, e.g. `kubectl kustomize` output).
// A document whose apiVersion/kind has no model, or that fails its schema, fails the run.
// The schemas allow unknown fields, so the validation also runs on a proxy that records which
// fields the schema looked at: a field it never looked at is not in the schema (a misspelt
// `livenesProbe` would otherwise pass). Objects the schema enumerates (maps: labels, data) are free.
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
      const model = new Model(manifest);
      const fields = tracking(model);
      Model.prototype.validate.call(fields.proxy);
      const unknown = fields.unknown();
      if (unknown.length) {
        failures.push(`${where}: fields not in the ${manifest.apiVersion} ${manifest.kind} schema: ${unknown.join(", ")}`);
      } else {
        count++;
      }
    } catch (error) {
      failures.push(`${where}: ${error.message}`);
    }
  }
}
/** A proxy of `root` that records the fields read; unknown() lists the fields never read, by path. */
function tracking(root) {
  const read = new WeakMap(); // object -> Set of field names read, or true once its keys were enumerated
  const mark = (target, key) => {
    let keys = read.get(target);
    if (keys === true) return;
    if (!keys) read.set(target, (keys = new Set()));
    keys.add(key);
  };
  const wrap = (value) => value === null || typeof value !== "object" ? value : new Proxy(value, {
    get(target, key, receiver) {
      if (typeof key === "string") mark(target, key);
      return wrap(Reflect.get(target, key, receiver));
    },
    has(target, key) {
      if (typeof key === "string") mark(target, key);
      return Reflect.has(target, key);
    },
    ownKeys(target) {
      read.set(target, true);
      return Reflect.ownKeys(target);
    },
  });
  const unknown = (value, path, found) => {
    if (value === null || typeof value !== "object") return found;
    if (Array.isArray(value)) {
      value.forEach((item, i) => unknown(item, `${path}[${i}]`, found));
      return found;
    }
    const keys = read.get(value);
    for (const [key, item] of Object.entries(value)) {
      if (keys !== true && !keys?.has(key)) found.push(`${path}.${key}`);
      else unknown(item, `${path}.${key}`, found);
    }
    return found;
  };
  return { proxy: wrap(root), unknown: () => unknown(root, "", []) };
}

for (const failure of failures) console.error(`INVALID ${failure}`);
console.log(`${count} manifests valid, ${failures.length} invalid`);
process.exit(failures.length || count === 0 ? 1 : 0);
