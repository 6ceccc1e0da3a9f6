// Layer normalization of float rows with AVX-512.
#ifndef FZ_LAYER_NORM_H
#define FZ_LAYER_NORM_H

#include <stddef.h>

#ifdef __cplusplus
extern "C" {
#endif

/// For each of `rows` contiguous rows of `size` floats: mean and population variance in double (two
/// passes; each sum is 8 lane sums added in a fixed order), inv_std = 1 / sqrt(variance + epsilon),
/// and y = float(((double(x) − mean) · inv_std) · scale[i] + bias[i]) (bias NULL: + 0), the operations
/// in that order and unfused, as the Swift loops do. `mean` and `inv_std` receive one value per row.
/// Only where fz_kernels_supported() is true (AVX-512F).
void fz_layer_norm_rows(const float *x, float *y, size_t rows, size_t size, const double *scale,
                        const double *bias, double epsilon, double *mean, double *inv_std);

#ifdef __cplusplus
}
#endif

#endif
