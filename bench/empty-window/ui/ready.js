// Reports once the page has been laid out and painted, as the app's first screen does.
requestAnimationFrame(() =>
  requestAnimationFrame(() => {
    const tauri = /** @type {any} */ (window).__TAURI__;
    void tauri.core.invoke("ready");
  }),
);
