// Starts the web app. The Content-Security-Policy forbids inline scripts, so instead of trunk's inline
// loader this static module reads the (hashed) file names from its own data attributes (Trunk.toml's
// pattern_script) and initialises the wasm module.
const me = document.querySelector('script[data-app-js]');
const { default: init } = await import(me.dataset.appJs);
await init({ module_or_path: me.dataset.appWasm });
