// The container's HEALTHCHECK (and scripts/check-container-steps.sh): exits 0 when Kunde answers
// GET /api/health with 2xx on this machine's PORT, 1 otherwise. A probe run by Docker, not part
// of the server, so it reads PORT itself (config.ts is TypeScript, absent from the image).
const port = process.env.PORT || '3000';
try {
  const response = await fetch(`http://127.0.0.1:${port}/api/health`, {
    signal: AbortSignal.timeout(4000),
  });
  process.exit(response.ok ? 0 : 1);
} catch {
  process.exit(1);
}
