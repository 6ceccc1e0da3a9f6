// Layer normalization rows (see fz_layer_norm.h).
#include "fz_layer_norm.h"

#include <math.h>

#if defined(__x86_64__)
#include <immintrin.h>

#define FZ_AVX512 __attribute__((target("avx512f")))

static inline FZ_AVX512 __mmask8 lanes(size_t count) {
    return count >= 8 ? (__mmask8)0xFF : (__mmask8)((1u << count) - 1u);
}

// Eight floats from x (masked lanes 0) as doubles.
static inline FZ_AVX512 __m512d load_doubles(__mmask8 m, const float *x) {
    return _mm512_cvtps_pd(_mm256_castsi256_ps(_mm512_castsi512_si256(
        _mm512_maskz_loadu_epi32((__mmask16)m, x))));
}

static FZ_AVX512 void normalize_row(const float *x, float *y, size_t size, const double *scale, const double *bias,
                                    double epsilon, double *mean, double *inv_std) {
    __m512d sum = _mm512_setzero_pd();
    for (size_t i = 0; i < size; i += 8) sum = _mm512_add_pd(sum, load_doubles(lanes(size - i), x + i));
    double mu = _mm512_reduce_add_pd(sum) / (double)size;
    __m512d centre = _mm512_set1_pd(mu), squares = _mm512_setzero_pd();
    for (size_t i = 0; i < size; i += 8) {
        __mmask8 m = lanes(size - i);
        __m512d d = _mm512_maskz_sub_pd(m, load_doubles(m, x + i), centre);
        squares = _mm512_add_pd(squares, _mm512_mul_pd(d, d));
    }
    double inv = 1 / sqrt(_mm512_reduce_add_pd(squares) / (double)size + epsilon);
    __m512d factor = _mm512_set1_pd(inv);
    for (size_t i = 0; i < size; i += 8) {
        __mmask8 m = lanes(size - i);
        __m512d v = _mm512_mul_pd(_mm512_mul_pd(_mm512_sub_pd(load_doubles(m, x + i), centre), factor),
                                  _mm512_maskz_loadu_pd(m, scale + i));
        v = _mm512_add_pd(v, bias ? _mm512_maskz_loadu_pd(m, bias + i) : _mm512_setzero_pd());
        _mm512_mask_storeu_ps(y + i, (__mmask16)m, _mm512_castps256_ps512(_mm512_cvtpd_ps(v)));
    }
    *mean = mu;
    *inv_std = inv;
}

void fz_layer_norm_rows(const float *x, float *y, size_t rows, size_t size, const double *scale,
                        const double *bias, double epsilon, double *mean, double *inv_std) {
    for (size_t r = 0; r < rows; r++)
        normalize_row(x + r * size, y + r * size, size, scale, bias, epsilon, mean + r, inv_std + r);
}

#else

void fz_layer_norm_rows(const float *x, float *y, size_t rows, size_t size, const double *scale,
                        const double *bias, double epsilon, double *mean, double *inv_std) {
    (void)x; (void)y; (void)rows; (void)size; (void)scale; (void)bias; (void)epsilon; (void)mean; (void)inv_std;
}

#endif
