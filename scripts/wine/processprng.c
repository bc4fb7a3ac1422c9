/*
 * bcryptprimitives.dll for Wine releases that lack ProcessPrng (Wine 8 and older).
 *
 * Rust's standard library (1.78 and later) takes its random numbers, such as the keys
 * of every HashMap, from ProcessPrng, so without it no Rust program starts under those
 * Wine releases. Windows 10 and later have it; this stand-in forwards to
 * SystemFunction036 (RtlGenRandom), the older documented call to the same system
 * generator. It is only ever loaded into the test prefix, never shipped.
 */
#include <windows.h>

typedef BOOLEAN(WINAPI *gen_random_fn)(PVOID, ULONG);

static gen_random_fn gen_random(void) {
  static gen_random_fn fn;
  if (!fn) {
    HMODULE advapi = LoadLibraryA("advapi32.dll");
    if (advapi) fn = (gen_random_fn)(void *)GetProcAddress(advapi, "SystemFunction036");
  }
  return fn;
}

/* Documented never to fail on Windows; here it fails only if RtlGenRandom does. */
BOOL WINAPI ProcessPrng(PBYTE data, SIZE_T len) {
  gen_random_fn fn = gen_random();
  if (!fn) return FALSE;
  while (len > 0) {
    ULONG chunk = len > 0x40000000 ? 0x40000000 : (ULONG)len;
    if (!fn(data, chunk)) return FALSE;
    data += chunk;
    len -= chunk;
  }
  return TRUE;
}

BOOL WINAPI DllMain(HINSTANCE instance, DWORD reason, LPVOID reserved) {
  (void)instance;
  (void)reason;
  (void)reserved;
  return TRUE;
}
