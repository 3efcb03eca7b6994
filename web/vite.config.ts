// The app is served with every API on one origin: Vite's preview server serves dist/ and proxies the
// routes of proxy.json to the services (the same table as the Compose gateway, deploy/nginx.conf).
import { readFileSync } from "node:fs";
import { defineConfig, type ProxyOptions } from "vite";

interface ProxyTable {
  services: Record<string, string>;
  routes: Record<string, string>;
  websockets: string[];
}

const table: ProxyTable = JSON.parse(readFileSync(new URL("./proxy.json", import.meta.url), "utf8"));

// WEB_PROXY_<SERVICE>=http://host:port points a service elsewhere (the tests run them on free ports).
function target(service: string): string {
  return process.env[`WEB_PROXY_${service.toUpperCase()}`] ?? table.services[service];
}

const proxy: Record<string, ProxyOptions> = {};
for (const [context, service] of Object.entries(table.routes)) {
  // xfwd: the services (FORWARDED_ALLOW_IPS=127.0.0.1) see the browser's address, as behind nginx.
  proxy[context] = { target: target(service), xfwd: true, ws: table.websockets.includes(context) };
}

export default defineConfig({
  build: { target: "es2022", sourcemap: false },
  server: { host: "127.0.0.1", port: 5173, proxy },
  preview: { host: "127.0.0.1", port: 8080, strictPort: true, proxy },
});
