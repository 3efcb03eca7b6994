// Turns each OpenAPI document of <openapi dir> into TypeScript types in <api dir>, one module per service.
import { readdir, readFile, writeFile } from "node:fs/promises";
import { basename, join } from "node:path";
import openapiTS, { astToString } from "openapi-typescript";

const [openapiDir, apiDir] = process.argv.slice(2);
const documents = (await readdir(openapiDir)).filter((name) => name.endsWith(".json")).sort();
for (const name of documents) {
  const document = JSON.parse(await readFile(join(openapiDir, name), "utf8"));
  const header = `// Generated from openapi/${name} by \`make web-types\`; do not edit.\n\n`;
  const types = astToString(await openapiTS(document, { defaultNonNullable: false }));
  await writeFile(join(apiDir, `${basename(name, ".json")}.ts`), header + types);
}
