// Double-precision product with a stored right operand (see fz_gemm.h), for the exact reference: a
// float32 weight is widened to double block by block while it is packed, never as a whole copy.
//
// The same scheme as the single-precision product (fz_gemm.c): A read in place, one broadcast element
// per row and k; B packed per k-block of KC rows into panels of NR columns (the last one 8 or 16 wide,
// zero-padded), column chunk by column chunk of NC, into a workspace that stays in L2. Accumulators
// start from C (or 0 on the first k-block), so each element is one fma chain over k.
#include "fz_gemm.h"

#include <stdint.h>
#include <string.h>
#if defined(__x86_64__)
#include <immintrin.h>
#endif

enum { MR = 12, NR = 16, KC = 256, NC = 256 };

size_t fz_dgemm_workspace_count(void) { return (size_t)KC * NC; }

#if defined(__x86_64__)

#define FZ_AVX512 __attribute__((target("avx512f,f16c")))

static size_t round_up(size_t x, size_t to) { return (x + to - 1) / to * to; }
static size_t min_size(size_t a, size_t b) { return a < b ? a : b; }

// `count` (at most NR) elements of a stored operand from element `index` on, widened to double exactly.
static FZ_AVX512 void load_stored_doubles(const fz_stored_b *s, size_t index, size_t count, double *dst) {
    if (s->type == FZ_STORED_F64) {
        memcpy(dst, (const unsigned char *)s->data + index * 8, count * sizeof(double));
        return;
    }
    float floats[NR];
    fz_stored_to_float(s, index, count, floats);
    for (size_t i = 0; i < count; i++) dst[i] = (double)floats[i];
}

// pack_block for a transposed float32 operand (a Conv or Gemm weight as stored, one output channel per
// row): each panel row gathers one k of NR stored rows at once, widened to double. With few rows of A
// (one sample of an image) packing costs about three quarters of the product, and is bound by the
// memory it writes; reading the rows one by one and scattering them down the panel took a fifth more.
static FZ_AVX512 void pack_transposed_f32(const fz_stored_b *s, size_t k0, size_t kc, size_t n0, size_t n1, double *panels) {
    size_t n = n1 - n0, npad = round_up(n, 8);
    const __m512i rows = _mm512_mullo_epi32(_mm512_setr_epi32(0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15),
                                            _mm512_set1_epi32((int)s->ldb));
    for (size_t j0 = 0; j0 < npad; j0 += NR) {
        size_t width = min_size(NR, npad - j0), valid = min_size(width, n - j0);
        __mmask16 present = valid >= 16 ? (__mmask16)0xFFFF : (__mmask16)((1u << valid) - 1u);
        // Stored rows at any byte alignment: gathers read each float where it lies.
        const float *base = (const float *)s->data + (n0 + j0) * s->ldb + k0;
        double *dst = panels + j0 * kc;
        for (size_t p = 0; p < kc; p++) {
            __m512 g = _mm512_mask_i32gather_ps(_mm512_setzero_ps(), present, rows, base + p, 4);
            _mm512_storeu_pd(dst + p * width, _mm512_cvtps_pd(_mm512_castps512_ps256(g)));
            if (width > 8)
                _mm512_storeu_pd(dst + p * width + 8,
                                 _mm512_cvtps_pd(_mm256_castpd_ps(_mm512_extractf64x4_pd(_mm512_castps_pd(g), 1))));
        }
    }
}

// Rows k0..<k0+kc and columns n0..<n1 of B as consecutive panels (panel j at j·kc), row by row.
static FZ_AVX512 void pack_block(const fz_stored_b *s, size_t k0, size_t kc, size_t n0, size_t n1, double *panels) {
    size_t n = n1 - n0, npad = round_up(n, 8);
    // The gather's offsets (row · ldb floats, in bytes) must fit 32 bits.
    if (s->transposed && s->type == FZ_STORED_F32 && s->ldb * NR * sizeof(float) <= INT32_MAX) {
        pack_transposed_f32(s, k0, kc, n0, n1, panels);
        return;
    }
    if (s->transposed) {
        // Column j of op(B) is row n0 + j of the stored matrix: read it in order, scatter it down its panel.
        double column[KC];
        for (size_t j = 0; j < npad; j++) {
            size_t j0 = j / NR * NR, width = min_size(NR, npad - j0);
            double *dst = panels + j0 * kc + (j - j0);
            if (j < n)
                for (size_t p0 = 0; p0 < kc; p0 += NR) load_stored_doubles(s, (n0 + j) * s->ldb + k0 + p0, min_size(NR, kc - p0), column + p0);
            for (size_t p = 0; p < kc; p++) dst[p * width] = j < n ? column[p] : 0;
        }
        return;
    }
    for (size_t p = 0; p < kc; p++) {
        for (size_t j0 = 0; j0 < n; j0 += NR) {
            size_t width = min_size(NR, npad - j0), cols = min_size(width, n - j0);
            double *dst = panels + j0 * kc + p * width;
            load_stored_doubles(s, (k0 + p) * s->ldb + n0 + j0, cols, dst);
            for (size_t c = cols; c < width; c++) dst[c] = 0;
        }
    }
}

#define FZ_TILE_T double
#define FZ_TILE_VEC __m512d
#define FZ_TILE_MASK __mmask8
#define FZ_TILE_LANES 8
#define FZ_TILE_SFX pd
#include "fz_tile.h"

void fz_dgemm_stored(size_t m, size_t n, size_t k, const fz_left_d *a, const fz_stored_b *b, int accumulate,
                     double *c, size_t ldc, size_t column_begin, size_t column_end, double *workspace) {
    column_end = min_size(column_end, n);
    if (m == 0 || column_begin >= column_end) return;
    if (k == 0) {
        if (!accumulate)
            for (size_t i = 0; i < m; i++) memset(c + i * ldc + column_begin, 0, (column_end - column_begin) * sizeof(double));
        return;
    }
    for (size_t n0 = column_begin; n0 < column_end; n0 += NC) {
        size_t n1 = min_size(column_end, n0 + NC), padded_end = n0 + round_up(n1 - n0, 8);
        for (size_t k0 = 0; k0 < k; k0 += KC) {
            size_t kc = min_size(KC, k - k0);
            pack_block(b, k0, kc, n0, n1, workspace);
            int load_c = accumulate || k0 > 0;
            for (size_t j0 = n0; j0 < n1; j0 += NR) {
                size_t width = min_size(NR, padded_end - j0), cols = min_size(width, n1 - j0);
                const double *panel = workspace + (j0 - n0) * kc;
                for (size_t i0 = 0; i0 < m; i0 += MR) {
                    size_t rows = min_size(MR, m - i0);
                    const double *block = a->data + i0 * a->row_stride + k0 * a->k_stride;
                    tiles[rows][width / 8](kc, block, a->row_stride, a->k_stride, panel, c + i0 * ldc + j0, ldc, cols,
                                           load_c);
                }
            }
        }
    }
}

#else

void fz_dgemm_stored(size_t m, size_t n, size_t k, const fz_left_d *a, const fz_stored_b *b, int accumulate,
                     double *c, size_t ldc, size_t column_begin, size_t column_end, double *workspace) {
    (void)m; (void)n; (void)k; (void)a; (void)b; (void)accumulate; (void)c; (void)ldc; (void)column_begin;
    (void)column_end; (void)workspace;
}

#endif
