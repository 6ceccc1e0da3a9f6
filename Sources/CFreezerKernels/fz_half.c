// float16 conversions (see fz_half.h).
#include "fz_half.h"

#include <string.h>

#if defined(__x86_64__)
#include <immintrin.h>

#define FZ_AVX512 __attribute__((target("avx512f,f16c")))

static inline FZ_AVX512 __m512 round_lanes(__m512 x) {
    __mmask16 nan = _mm512_cmp_ps_mask(x, x, _CMP_UNORD_Q);
    __m512 r = _mm512_cvtph_ps(_mm512_cvtps_ph(x, _MM_FROUND_TO_NEAREST_INT | _MM_FROUND_NO_EXC));
    return _mm512_mask_blend_ps(nan, r, _mm512_castsi512_ps(_mm512_set1_epi32(0x7FC00000)));
}

FZ_AVX512 void fz_round_to_half(float *v, size_t n) {
    size_t i = 0;
    for (; i + 16 <= n; i += 16) _mm512_storeu_ps(v + i, round_lanes(_mm512_loadu_ps(v + i)));
    if (i < n) {
        __mmask16 m = (__mmask16)((1u << (n - i)) - 1u);
        _mm512_mask_storeu_ps(v + i, m, round_lanes(_mm512_maskz_loadu_ps(m, v + i)));
    }
}

FZ_AVX512 void fz_half_to_float(const uint16_t *h, float *out, size_t n) {
    size_t i = 0;
    for (; i + 16 <= n; i += 16) _mm512_storeu_ps(out + i, _mm512_cvtph_ps(_mm256_loadu_si256((const __m256i *)(h + i))));
    if (i < n) {
        uint16_t tail[16] = {0};
        memcpy(tail, h + i, (n - i) * sizeof(uint16_t));
        __mmask16 m = (__mmask16)((1u << (n - i)) - 1u);
        _mm512_mask_storeu_ps(out + i, m, _mm512_cvtph_ps(_mm256_loadu_si256((const __m256i *)tail)));
    }
}

#else

void fz_round_to_half(float *v, size_t n) { (void)v; (void)n; }
void fz_half_to_float(const uint16_t *h, float *out, size_t n) { (void)h; (void)out; (void)n; }

#endif
