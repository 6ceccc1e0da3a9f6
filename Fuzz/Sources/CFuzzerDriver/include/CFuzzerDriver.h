#ifndef C_FUZZER_DRIVER_H
#define C_FUZZER_DRIVER_H
#include <stddef.h>
#include <stdint.h>

/// libFuzzer's entry point for programs that bring their own `main` (LLVM 11 and later).
/// SwiftPM renames a Swift executable's entry point and aliases `main` to it when linking, so
/// libFuzzer's own `main` is never linked; the harness's `@main` calls this instead.
int LLVMFuzzerRunDriver(int *argc, char ***argv, int (*callback)(const uint8_t *data, size_t size));

#endif
