// Softmax of float rows with AVX-512.
#ifndef FZ_SOFTMAX_H
#define FZ_SOFTMAX_H

#include <stddef.h>

#ifdef __cplusplus
extern "C" {
#endif

/// y[r][i] = exp(x[r][i] − max_r) / Σ_i exp(x[r][i] − max_r) for `rows` contiguous rows of `length`
/// floats (x and y may be the same buffer). Only where fz_kernels_supported() is true (AVX-512F).
///
/// exp is a vectorized Cephes-style expf (range reduction by ln 2, degree-6 polynomial, within 2 ulp
/// of the exact value); each row's sum is 16 partial sums in lanes, added in a fixed order, so the
/// result does not depend on anything but the row. A row with a NaN is all NaN; exp(−∞) is 0.
void fz_softmax_rows(const float *x, float *y, size_t rows, size_t length);

#ifdef __cplusplus
}
#endif

#endif
