// Starts the web app. The Content-Security-Policy forbids inline scripts, so instead of trunk's inline
// loader this static module reads the (hashed) file names from its own data attributes (Trunk.toml's
// pattern_script) and initialises the wasm module. The wasm is compiled while the glue code loads, and
// compiled as it streams in when the server sends it as application/wasm. The `sp:*` marks time the
// start (docs/performance.md, "First load").
performance.mark('sp:boot');
const me = document.querySelector('script[data-app-js]');
const wasmUrl = me.dataset.appWasm;
const compiled = fetch(wasmUrl)
  .then((response) => {
    if (!response.ok) throw new Error(`${wasmUrl}: HTTP ${response.status}`);
    const type = (response.headers.get('Content-Type') ?? '').split(';')[0].trim();
    if (type === 'application/wasm') return WebAssembly.compileStreaming(response);
    console.warn(`${wasmUrl} is served as "${type}", not application/wasm: compiling it only once it is all downloaded.`);
    return response.arrayBuffer().then((bytes) => WebAssembly.compile(bytes));
  })
  .then((module) => {
    performance.mark('sp:compiled');
    return module;
  });
try {
  const { default: init } = await import(me.dataset.appJs);
  await init({ module_or_path: compiled });
} catch (e) {
  const status = document.querySelector('[data-testid="boot-status"]');
  if (status) status.textContent = `Schema Playground could not start: ${e}`;
  throw e;
}
