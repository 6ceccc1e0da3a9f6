// float16 conversions with AVX-512 (the hardware's vcvtps2ph / vcvtph2ps).
#ifndef FZ_HALF_H
#define FZ_HALF_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/// Rounds each of the `n` floats of `v` to float16 precision in place (round to nearest even; overflow
/// gives infinity; subnormal halves kept), as freezer's HalfPrecision does bit for bit: every NaN becomes
/// the positive quiet NaN 0x7FC00000. Only where fz_kernels_supported() is true.
void fz_round_to_half(float *v, size_t n);

/// Widens `n` float16 values (IEEE binary16 bits) to float, exactly. NaN becomes the quiet NaN with the
/// same payload bits, as HalfPrecision.float(fromHalf:) does. Only where fz_kernels_supported() is true.
void fz_half_to_float(const uint16_t *h, float *out, size_t n);

#ifdef __cplusplus
}
#endif

#endif
