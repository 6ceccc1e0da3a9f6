// Softmax rows with a vectorized exp (see fz_softmax.h).
#include "fz_softmax.h"

#include <math.h>

#if defined(__x86_64__)
#include <immintrin.h>

#define FZ_AVX512 __attribute__((target("avx512f")))

// exp(x) = 2^n · p(r), n = round(x / ln 2), r = x − n·ln 2 in two parts (Cody–Waite), p the Cephes
// expf polynomial. Arguments below −104 give 0 (exp(−104) is below the smallest float); NaN stays NaN.
static inline FZ_AVX512 __m512 exp_ps(__m512 x) {
    __mmask16 nan = _mm512_cmp_ps_mask(x, x, _CMP_UNORD_Q);
    __m512 clamped = _mm512_min_ps(_mm512_max_ps(x, _mm512_set1_ps(-104.0f)), _mm512_set1_ps(88.72283935546875f));
    __m512 n = _mm512_roundscale_ps(_mm512_mul_ps(clamped, _mm512_set1_ps(1.44269504088896341f)),
                                    _MM_FROUND_TO_NEAREST_INT | _MM_FROUND_NO_EXC);
    __m512 r = _mm512_fnmadd_ps(n, _mm512_set1_ps(0.693359375f), clamped);
    r = _mm512_fnmadd_ps(n, _mm512_set1_ps(-2.12194440e-4f), r);
    __m512 p = _mm512_set1_ps(1.9875691500e-4f);
    p = _mm512_fmadd_ps(p, r, _mm512_set1_ps(1.3981999507e-3f));
    p = _mm512_fmadd_ps(p, r, _mm512_set1_ps(8.3334519073e-3f));
    p = _mm512_fmadd_ps(p, r, _mm512_set1_ps(4.1665795894e-2f));
    p = _mm512_fmadd_ps(p, r, _mm512_set1_ps(1.6666665459e-1f));
    p = _mm512_fmadd_ps(p, r, _mm512_set1_ps(5.0000001201e-1f));
    p = _mm512_fmadd_ps(p, _mm512_mul_ps(r, r), _mm512_add_ps(r, _mm512_set1_ps(1.0f)));
    return _mm512_mask_blend_ps(nan, _mm512_scalef_ps(p, n), x);
}

static inline FZ_AVX512 __mmask16 tail_mask(size_t count) {
    return count >= 16 ? (__mmask16)0xFFFF : (__mmask16)((1u << count) - 1u);
}

static FZ_AVX512 void softmax_row(const float *x, float *y, size_t length) {
    // The maximum; a NaN anywhere makes it NaN (max_ps would drop it), and then every output.
    __m512 high = _mm512_set1_ps(-INFINITY);
    __mmask16 any_nan = 0;
    for (size_t i = 0; i < length; i += 16) {
        __mmask16 m = tail_mask(length - i);
        __m512 v = _mm512_mask_loadu_ps(_mm512_set1_ps(-INFINITY), m, x + i);
        any_nan |= _mm512_cmp_ps_mask(v, v, _CMP_UNORD_Q);
        high = _mm512_max_ps(high, v);
    }
    float top = any_nan ? NAN : _mm512_reduce_max_ps(high);
    __m512 shift = _mm512_set1_ps(top);
    __m512 sums = _mm512_setzero_ps();
    for (size_t i = 0; i < length; i += 16) {
        __mmask16 m = tail_mask(length - i);
        __m512 e = exp_ps(_mm512_sub_ps(_mm512_maskz_loadu_ps(m, x + i), shift));
        e = _mm512_maskz_mov_ps(m, e);
        _mm512_mask_storeu_ps(y + i, m, e);
        sums = _mm512_add_ps(sums, e);
    }
    // Lanes added in a fixed order: 8 pairs, 4, 2, 1.
    __m256 s8 = _mm256_add_ps(_mm512_castps512_ps256(sums), _mm256_castpd_ps(_mm512_extractf64x4_pd(_mm512_castps_pd(sums), 1)));
    __m128 s4 = _mm_add_ps(_mm256_castps256_ps128(s8), _mm256_extractf128_ps(s8, 1));
    __m128 s2 = _mm_add_ps(s4, _mm_movehl_ps(s4, s4));
    __m128 s1 = _mm_add_ss(s2, _mm_shuffle_ps(s2, s2, 1));
    __m512 total = _mm512_set1_ps(_mm_cvtss_f32(s1));
    for (size_t i = 0; i < length; i += 16) {
        __mmask16 m = tail_mask(length - i);
        _mm512_mask_storeu_ps(y + i, m, _mm512_div_ps(_mm512_maskz_loadu_ps(m, y + i), total));
    }
}

void fz_softmax_rows(const float *x, float *y, size_t rows, size_t length) {
    if (length == 0) return;
    for (size_t r = 0; r < rows; r++) softmax_row(x + r * length, y + r * length, length);
}

#else

void fz_softmax_rows(const float *x, float *y, size_t rows, size_t length) {
    (void)x; (void)y; (void)rows; (void)length;
}

#endif
