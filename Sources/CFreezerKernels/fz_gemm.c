// Packed single-precision product with AVX-512 micro-kernels (see fz_gemm.h for the contract).
//
// A is read in place, MR rows at a time, one broadcast element per row and k (as MLAS does; packing
// A measured no faster). B is packed, with k split into blocks of KC: per k-block, panels of NR
// columns (the last one 16 or 32 wide, zero-padded), each stored k-major. Within a k-block panel j
// starts at j·NR·kc; a k-block starts at k0·npad (npad: n rounded up to 16).
//
// Loop order: column chunk, k-block, column panel, row block. The B panel (kc × 32 floats) stays in
// L1 while the row blocks stream past it. Accumulators start from C (or 0 on the first k-block), so
// each element's sum is one fma chain over k whatever the blocking.
#include "fz_gemm.h"
#include "fz_half.h"

#include <stdint.h>
#include <string.h>
#if defined(__x86_64__)
#include <immintrin.h>
#endif

enum { MR = 12, NR = 32, KC = 256, NC = 512 };

static size_t round_up(size_t x, size_t to) { return (x + to - 1) / to * to; }
static size_t min_size(size_t a, size_t b) { return a < b ? a : b; }

size_t fz_packed_b_count(size_t k, size_t n) { return k * round_up(n, 16); }
size_t fz_sgemm_workspace_count(void) { return (size_t)KC * NC; }

// One k-block of op(B) (kc rows, n columns; `b` points at its first element) as consecutive panels.
static void pack_panels(size_t kc, size_t n, const float *b, size_t ldb, int transpose, float *panels) {
    size_t npad = round_up(n, 16);
    for (size_t j0 = 0; j0 < n; j0 += NR) {
        size_t width = min_size(NR, npad - j0), cols = min_size(width, n - j0);
        float *panel = panels + j0 * kc;
        for (size_t p = 0; p < kc; p++) {
            float *dst = panel + p * width;
            if (transpose)
                for (size_t c = 0; c < cols; c++) dst[c] = b[(j0 + c) * ldb + p];
            else
                memcpy(dst, b + p * ldb + j0, cols * sizeof(float));
            for (size_t c = cols; c < width; c++) dst[c] = 0;
        }
    }
}

// A row-major op(B) as the source of packed blocks.
typedef struct {
    const float *b;
    size_t ldb;
    int transpose;
} matrix_source;

// Rows k0..<k0+kc and columns n0..<n1 of op(B) as consecutive panels.
static void pack_matrix_block(const void *source, size_t k0, size_t kc, size_t n0, size_t n1, float *panels) {
    const matrix_source *s = source;
    const float *origin = s->transpose ? s->b + n0 * s->ldb + k0 : s->b + k0 * s->ldb + n0;
    pack_panels(kc, n1 - n0, origin, s->ldb, s->transpose, panels);
}

void fz_pack_b(size_t k, size_t n, const float *b, size_t ldb, int transpose, float *packed) {
    matrix_source source = {b, ldb, transpose};
    size_t npad = round_up(n, 16);
    for (size_t k0 = 0; k0 < k; k0 += KC) pack_matrix_block(&source, k0, min_size(KC, k - k0), 0, n, packed + k0 * npad);
}

// C = 0 for an empty inner dimension; returns whether there is nothing (more) to compute.
static int finish_if_empty(size_t m, size_t k, int accumulate, float *c, size_t ldc, size_t column_begin,
                           size_t column_end) {
    if (m == 0 || column_begin >= column_end) return 1;
    if (k > 0) return 0;
    if (!accumulate)
        for (size_t i = 0; i < m; i++) memset(c + i * ldc + column_begin, 0, (column_end - column_begin) * sizeof(float));
    return 1;
}

#if defined(__x86_64__)

#define FZ_AVX512 __attribute__((target("avx512f")))

#define FZ_TILE_T float
#define FZ_TILE_VEC __m512
#define FZ_TILE_MASK __mmask16
#define FZ_TILE_LANES 16
#define FZ_TILE_SFX ps
#include "fz_tile.h"

// C's columns [column_begin, column_end) for k-block k0..<k0+kc: A times B's panels, the first of which
// holds column `column_begin`; `npad` is the padded width the panels were packed for.
static void multiply_block(size_t m, size_t k0, size_t kc, size_t npad, const fz_left *a, const float *panels,
                           int load_c, float *c, size_t ldc, size_t column_begin, size_t column_end) {
    for (size_t j0 = column_begin; j0 < column_end; j0 += NR) {
        size_t width = min_size(NR, npad - j0), cols = min_size(width, column_end - j0);
        const float *panel = panels + (j0 - column_begin) * kc;
        for (size_t i0 = 0; i0 < m; i0 += MR) {
            size_t rows = min_size(MR, m - i0);
            const float *block = a->data + i0 * a->row_stride + k0 * a->k_stride;
            tiles[rows][width / 16](kc, block, a->row_stride, a->k_stride, panel, c + i0 * ldc + j0, ldc,
                                             cols, load_c);
        }
    }
}

void fz_sgemm_packed(size_t m, size_t n, size_t k, const fz_left *a, const float *packed_b,
                     int accumulate, float *c, size_t ldc, size_t column_begin, size_t column_end) {
    column_end = min_size(column_end, n);
    if (finish_if_empty(m, k, accumulate, c, ldc, column_begin, column_end)) return;
    size_t npad = round_up(n, 16);
    for (size_t k0 = 0; k0 < k; k0 += KC) {
        size_t kc = min_size(KC, k - k0);
        multiply_block(m, k0, kc, npad, a, packed_b + k0 * npad + column_begin * kc,
                       accumulate || k0 > 0, c, ldc, column_begin, column_end);
    }
}

// Packs rows k0..<k0+kc and columns n0..<n1 of the right operand as consecutive panels.
typedef void (*pack_block_fn)(const void *source, size_t k0, size_t kc, size_t n0, size_t n1, float *panels);

// The product with the right operand packed block by block (kc × NC) into `workspace` just before
// use, so the packed block is still in L2 when the row blocks stream past it.
static void multiply_packing_b(size_t m, size_t n, size_t k, const fz_left *a, pack_block_fn pack,
                               const void *source, int accumulate, float *c, size_t ldc, size_t column_begin,
                               size_t column_end, float *workspace) {
    column_end = min_size(column_end, n);
    if (finish_if_empty(m, k, accumulate, c, ldc, column_begin, column_end)) return;
    for (size_t n0 = column_begin; n0 < column_end; n0 += NC) {
        size_t n1 = min_size(column_end, n0 + NC);
        for (size_t k0 = 0; k0 < k; k0 += KC) {
            size_t kc = min_size(KC, k - k0);
            pack(source, k0, kc, n0, n1, workspace);
            // Panels of the chunk are padded from n0 on: their padded end is n0 + round_up(n1 - n0, 16).
            multiply_block(m, k0, kc, n0 + round_up(n1 - n0, 16), a, workspace,
                           accumulate || k0 > 0, c, ldc, n0, n1);
        }
    }
}

void fz_sgemm(size_t m, size_t n, size_t k, const fz_left *a, const float *b, size_t ldb, int transpose_b,
              int accumulate, float *c, size_t ldc, size_t column_begin, size_t column_end, float *workspace) {
    matrix_source source = {b, ldb, transpose_b};
    multiply_packing_b(m, n, k, a, pack_matrix_block, &source, accumulate, c, ldc, column_begin, column_end,
                       workspace);
}

// Exact conversions; float16 by the same instructions NDArray's decoding uses, so a weight read in place
// has the same values.
FZ_AVX512 void fz_stored_to_float(const fz_stored_b *s, size_t index, size_t count, float *dst) {
    const unsigned char *bytes = s->data;
    switch (s->type) {
    case FZ_STORED_F16:
        fz_half_to_float((const uint16_t *)(const void *)(bytes + index * 2), dst, count);
        break;
    case FZ_STORED_BF16:
        for (size_t i = 0; i < count; i++) {
            uint16_t h;
            memcpy(&h, bytes + (index + i) * 2, 2);
            uint32_t bits = (uint32_t)h << 16;
            memcpy(dst + i, &bits, 4);
        }
        break;
    default:
        memcpy(dst, bytes + index * 4, count * sizeof(float));
    }
}

// Rows k0..<k0+kc and columns n0..<n1 of a stored operand as consecutive panels, row by row so the
// stored bytes are read in order.
static FZ_AVX512 void pack_stored_block(const void *source, size_t k0, size_t kc, size_t n0, size_t n1, float *panels) {
    const fz_stored_b *s = source;
    size_t n = n1 - n0, npad = round_up(n, 16);
    if (s->transposed) {
        // Column j of op(B) is row n0 + j of the stored matrix: read it in order, scatter it down its panel.
        float column[KC];
        for (size_t j = 0; j < npad; j++) {
            size_t j0 = j / NR * NR, width = min_size(NR, npad - j0);
            float *dst = panels + j0 * kc + (j - j0);
            if (j < n) fz_stored_to_float(s, (n0 + j) * s->ldb + k0, kc, column);
            for (size_t p = 0; p < kc; p++) dst[p * width] = j < n ? column[p] : 0;
        }
        return;
    }
    for (size_t p = 0; p < kc; p++) {
        for (size_t j0 = 0; j0 < n; j0 += NR) {
            size_t width = min_size(NR, npad - j0), cols = min_size(width, n - j0);
            float *dst = panels + j0 * kc + p * width;
            fz_stored_to_float(s, (k0 + p) * s->ldb + n0 + j0, cols, dst);
            for (size_t c = cols; c < width; c++) dst[c] = 0;
        }
    }
}

void fz_sgemm_stored(size_t m, size_t n, size_t k, const fz_left *a, const fz_stored_b *b, int accumulate,
                     float *c, size_t ldc, size_t column_begin, size_t column_end, float *workspace) {
    multiply_packing_b(m, n, k, a, pack_stored_block, b, accumulate, c, ldc, column_begin, column_end, workspace);
}

// Lanes [lane, lane + count) of a 16-lane vector of packed columns: output row oy, columns ox on.
typedef struct {
    unsigned lane, count;
    size_t oy, ox;
} row_segment;

// Where one vector's lanes come from for one kernel position: lanes in `mask` read
// plane[offset + lane·stride_w] (offset may be negative: it is lane 0's, which need not be read).
typedef struct {
    ptrdiff_t offset;
    __mmask16 mask;
} lane_source;

// Row p = (channel·kh + ky)·kw + kx, column j = oy·out_w + ox of the implicit im2col matrix of a 2-D
// convolution is x[channel][oy·sh + ky·dh − pad_top][ox·sw + kx·dw − pad_left], 0 outside the image.
//
// The block's columns are cut into 16-lane vectors, each a few output-row segments. Per kernel
// position, the segments' lanes inside the image become (offset, mask) sources, the same for every
// channel; each row p is then one masked load (stride 1) or masked gather per source, merged by OR
// (the masks are disjoint). Lanes in the padding stay 0, and masked-off lanes are never read, so no
// load touches memory outside the image.
static FZ_AVX512 void pack_conv2d_block(const void *source, size_t k0, size_t kc, size_t n0, size_t n1,
                                        float *panels) {
    enum { VECTORS = NC / 16, SEGMENTS = 17 };
    const fz_conv2d *g = source;
    size_t npad = round_up(n1 - n0, 16), vectors = npad / 16;
    row_segment segments[VECTORS][SEGMENTS];
    unsigned segment_count[VECTORS];
    for (size_t v = 0; v < vectors; v++) {
        size_t j = n0 + v * 16;
        unsigned lanes = (unsigned)min_size(16, n1 - j), lane = 0, count = 0;
        size_t oy = j / g->out_w, ox = j % g->out_w;
        while (lane < lanes) {
            unsigned run = (unsigned)min_size(g->out_w - ox, lanes - lane);
            segments[v][count++] = (row_segment){lane, run, oy, ox};
            lane += run;
            oy++;
            ox = 0;
        }
        segment_count[v] = count;
    }
    lane_source sources[VECTORS][SEGMENTS];
    unsigned source_count[VECTORS];
    ptrdiff_t sw = (ptrdiff_t)g->stride_w;
    const __m512i lane_steps = _mm512_mullo_epi32(_mm512_setr_epi32(0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15),
                                                  _mm512_set1_epi32((int)sw));
    size_t window = g->kernel_h * g->kernel_w, plane_size = g->height * g->width;
    for (size_t q = 0; q < window; q++) {
        // Channels whose row p = channel·window + q lies in the block.
        size_t first_channel = k0 > q ? (k0 - q + window - 1) / window : 0;
        size_t end_channel = k0 + kc > q ? (k0 + kc - q + window - 1) / window : 0;
        if (first_channel >= end_channel) continue;
        size_t ky = q / g->kernel_w, kx = q % g->kernel_w;
        ptrdiff_t row_offset = (ptrdiff_t)(ky * g->dilation_h) - g->pad_top;
        ptrdiff_t column_offset = (ptrdiff_t)(kx * g->dilation_w) - g->pad_left;
        // Output columns whose input column ox·sw + column_offset lies in [0, width): ox in [first, last).
        size_t first = column_offset < 0 ? (size_t)((-column_offset + sw - 1) / sw) : 0;
        ptrdiff_t limit = (ptrdiff_t)g->width - column_offset;
        size_t last = limit <= 0 ? 0 : min_size(g->out_w, (size_t)((limit + sw - 1) / sw));
        for (size_t v = 0; v < vectors; v++) {
            unsigned count = 0;
            for (unsigned s = 0; s < segment_count[v]; s++) {
                const row_segment seg = segments[v][s];
                ptrdiff_t iy = (ptrdiff_t)(seg.oy * g->stride_h) + row_offset;
                size_t a = seg.ox > first ? seg.ox : first, b = min_size(last, seg.ox + seg.count);
                if (iy < 0 || iy >= (ptrdiff_t)g->height || a >= b) continue;
                unsigned lane_a = seg.lane + (unsigned)(a - seg.ox);
                // Lane L reads row iy, column (a + L − lane_a)·sw + column_offset.
                ptrdiff_t offset = iy * (ptrdiff_t)g->width + (ptrdiff_t)a * sw + column_offset - (ptrdiff_t)lane_a * sw;
                sources[v][count++] = (lane_source){offset, (__mmask16)(((1u << (b - a)) - 1u) << lane_a)};
            }
            source_count[v] = count;
        }
        for (size_t channel = first_channel; channel < end_channel; channel++) {
            uintptr_t plane = (uintptr_t)(g->image + channel * plane_size);
            size_t row = channel * window + q - k0;
            for (size_t v = 0; v < vectors; v++) {
                __m512i values = _mm512_setzero_si512();
                for (unsigned e = 0; e < source_count[v]; e++) {
                    const float *base = (const float *)(plane + (uintptr_t)(sources[v][e].offset * (ptrdiff_t)sizeof(float)));
                    __m512 part = sw == 1 ? _mm512_maskz_loadu_ps(sources[v][e].mask, base)
                                          : _mm512_mask_i32gather_ps(_mm512_setzero_ps(), sources[v][e].mask, lane_steps, base, 4);
                    values = _mm512_or_si512(values, _mm512_castps_si512(part));
                }
                size_t panel = v / 2, width = min_size(NR, npad - panel * NR);
                _mm512_storeu_si512(panels + panel * NR * kc + row * width + (v % 2) * 16, values);
            }
        }
    }
}

void fz_sgemm_conv2d(size_t m, const fz_left *a, const fz_conv2d *convolution, int accumulate, float *c,
                     size_t ldc, size_t column_begin, size_t column_end, float *workspace) {
    size_t k = convolution->channels * convolution->kernel_h * convolution->kernel_w;
    size_t n = convolution->out_h * convolution->out_w;
    multiply_packing_b(m, n, k, a, pack_conv2d_block, convolution, accumulate, c, ldc, column_begin,
                       column_end, workspace);
}

#else

void fz_sgemm_packed(size_t m, size_t n, size_t k, const fz_left *a, const float *packed_b,
                     int accumulate, float *c, size_t ldc, size_t column_begin, size_t column_end) {
    (void)m; (void)n; (void)k; (void)a; (void)packed_b; (void)accumulate; (void)c; (void)ldc;
    (void)column_begin; (void)column_end;
}

void fz_sgemm(size_t m, size_t n, size_t k, const fz_left *a, const float *b, size_t ldb, int transpose_b,
              int accumulate, float *c, size_t ldc, size_t column_begin, size_t column_end, float *workspace) {
    (void)m; (void)n; (void)k; (void)a; (void)b; (void)ldb; (void)transpose_b; (void)accumulate; (void)c;
    (void)ldc; (void)column_begin; (void)column_end; (void)workspace;
}

void fz_sgemm_conv2d(size_t m, const fz_left *a, const fz_conv2d *convolution, int accumulate, float *c,
                     size_t ldc, size_t column_begin, size_t column_end, float *workspace) {
    (void)m; (void)a; (void)convolution; (void)accumulate; (void)c; (void)ldc; (void)column_begin;
    (void)column_end; (void)workspace;
}

void fz_sgemm_stored(size_t m, size_t n, size_t k, const fz_left *a, const fz_stored_b *b, int accumulate,
                     float *c, size_t ldc, size_t column_begin, size_t column_end, float *workspace) {
    (void)m; (void)n; (void)k; (void)a; (void)b; (void)accumulate; (void)c; (void)ldc; (void)column_begin;
    (void)column_end; (void)workspace;
}

void fz_stored_to_float(const fz_stored_b *s, size_t index, size_t count, float *dst) {
    (void)s; (void)index; (void)count; (void)dst;
}

#endif
