/* Wine 8 (Debian 12) lacks bcryptprimitives.dll, which Rust's standard
   library on Windows asks for its random numbers (ProcessPrng). This stand-in
   answers from BCryptGenRandom, so the Windows build's unit tests can run
   under Wine in CI. It is never part of tensorlings itself. */
#include <windows.h>
#include <bcrypt.h>

__declspec(dllexport) BOOL WINAPI ProcessPrng(PBYTE data, SIZE_T len) {
  return BCryptGenRandom(NULL, data, (ULONG)len, BCRYPT_USE_SYSTEM_PREFERRED_RNG) == 0;
}
