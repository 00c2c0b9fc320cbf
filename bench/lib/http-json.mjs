/**
 * A lean JSON-over-HTTP client for the load generators: node:http with a keep-alive pool, so the generator spends
 * little CPU per request (fetch costs noticeably more, and generators share the machine with the daemon).
 */
import http from 'node:http';

export function jsonClient(baseUrl, { maxSockets = 64, timeoutMs = 30_000 } = {}) {
  const agent = new http.Agent({ keepAlive: true, maxSockets });
  const { hostname, port } = new URL(baseUrl);

  function request(method, path, body) {
    return new Promise((resolve, reject) => {
      const data = body === undefined ? undefined : JSON.stringify(body);
      const headers = data === undefined ? {} : { 'content-type': 'application/json', 'content-length': Buffer.byteLength(data) };
      const req = http.request({ agent, hostname, port, method, path, headers }, (res) => {
        const chunks = [];
        res.on('data', (c) => chunks.push(c));
        res.on('end', () => {
          let parsed;
          try {
            parsed = JSON.parse(Buffer.concat(chunks).toString('utf8'));
          } catch {
            return reject(new Error(`${method} ${path}: HTTP ${res.statusCode}, body is not JSON`));
          }
          if (res.statusCode !== 200 || parsed.success === false) reject(new Error(`${method} ${path}: HTTP ${res.statusCode} ${parsed.errorType ?? ''} ${parsed.error ?? ''}`.trim()));
          else resolve(parsed);
        });
        res.on('error', reject);
      });
      req.on('error', reject);
      req.setTimeout(timeoutMs, () => req.destroy(new Error(`${method} ${path}: no answer in ${timeoutMs} ms`)));
      req.end(data);
    });
  }

  return {
    post: (path, body) => request('POST', path, body),
    get: (path) => request('GET', path),
    close: () => agent.destroy(),
  };
}
