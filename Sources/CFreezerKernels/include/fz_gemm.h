// freezer's single-precision matrix product on packed operands.
//
// C = A · B (or C += A · B): A is read in place, B is packed into panels. A constant B (a matrix
// product's weights) is packed once and reused on every run; otherwise B is packed block by block as
// the product goes, straight from a convolution's image when B is its im2col matrix.
//
// Every element of C is one fused multiply-add chain in increasing k order, starting from 0 (or from
// C's value when accumulating):  c = fma(a[i,0], b[0,j], c); c = fma(a[i,1], b[1,j], c); …
// The result therefore depends neither on the blocking nor on how columns are split among threads,
// and equals a plain scalar loop of fmaf calls bit for bit.
#ifndef FZ_GEMM_H
#define FZ_GEMM_H

#include <stddef.h>

#ifdef __cplusplus
extern "C" {
#endif

// Callable only where fz_kernels_supported() (fz_support.h) is true.

/// The left operand of a product, read in place: op(A)[i][p] = data[i·row_stride + p·k_stride]
/// (row-major A: lda and 1; A read transposed: 1 and lda).
typedef struct {
    const float *data;
    size_t row_stride, k_stride;
} fz_left;

/// Floats that the packed form of a k×n right operand occupies.
size_t fz_packed_b_count(size_t k, size_t n);
/// Packs op(B) (k×n; B is n×k read transposed when `transpose` is non-zero), row-major with leading
/// dimension `ldb`, into `packed` (fz_packed_b_count floats).
void fz_pack_b(size_t k, size_t n, const float *b, size_t ldb, int transpose, float *packed);

/// The columns [column_begin, column_end) of C (m×n, leading dimension ldc) = A · packed B, or
/// C += A · packed B when `accumulate` is non-zero. `column_begin` must be a multiple of
/// FZ_SGEMM_COLUMN_ALIGNMENT so that disjoint column ranges can run on different threads.
void fz_sgemm_packed(size_t m, size_t n, size_t k, const fz_left *a, const float *packed_b,
                     int accumulate, float *c, size_t ldc, size_t column_begin, size_t column_end);

/// Like fz_sgemm_packed, with B unpacked: op(B) is k×n (B is n×k read transposed when `transpose_b` is
/// non-zero), row-major with leading dimension `ldb`. B is packed block by block into `workspace`
/// (fz_sgemm_workspace_count floats, one per concurrent call) just before use, so it stays in cache.
void fz_sgemm(size_t m, size_t n, size_t k, const fz_left *a, const float *b, size_t ldb, int transpose_b,
              int accumulate, float *c, size_t ldc, size_t column_begin, size_t column_end, float *workspace);
/// Floats of the workspace fz_sgemm needs.
size_t fz_sgemm_workspace_count(void);

/// A 2-D convolution's input as the right operand of a product: the implicit im2col matrix, whose row
/// (c·kernel_h + ky)·kernel_w + kx and column oy·out_w + ox hold
/// image[c][oy·stride_h + ky·dilation_h − pad_top][ox·stride_w + kx·dilation_w − pad_left] (0 outside).
typedef struct {
    const float *image;  // channels planes of height × width floats
    size_t channels, height, width;
    size_t kernel_h, kernel_w, stride_h, stride_w, dilation_h, dilation_w;
    ptrdiff_t pad_top, pad_left;
    size_t out_h, out_w;
} fz_conv2d;

/// Like fz_sgemm with the convolution's implicit im2col matrix (k = channels·kernel_h·kernel_w,
/// n = out_h·out_w) as B, packed straight from the image: no im2col buffer is written.
void fz_sgemm_conv2d(size_t m, const fz_left *a, const fz_conv2d *convolution, int accumulate, float *c,
                     size_t ldc, size_t column_begin, size_t column_end, float *workspace);

/// How a stored right operand's elements are encoded (little-endian, as ONNX raw_data holds them).
typedef enum { FZ_STORED_F32 = 0, FZ_STORED_F16 = 1, FZ_STORED_BF16 = 2, FZ_STORED_F64 = 3 } fz_stored_type;

/// A right operand as a model file stores it: row-major k×n elements of `type` with leading dimension
/// `ldb` (elements), or, when `transposed` is non-zero, row-major n×k (op(B) = Bᵀ, a Gemm's transB), at
/// any byte alignment. Products read it in place and convert each block while packing it, so no decoded
/// (or widened) copy of a weight is ever made.
typedef struct {
    const void *data;
    fz_stored_type type;
    size_t ldb;
    int transposed;
} fz_stored_b;

/// `count` elements of a stored operand (float32, float16 or bfloat16; `transposed` ignored) from element
/// `index` on, converted to float exactly.
void fz_stored_to_float(const fz_stored_b *s, size_t index, size_t count, float *dst);

/// Like fz_sgemm, with B stored as float32, float16 or bfloat16 (converted to float exactly).
void fz_sgemm_stored(size_t m, size_t n, size_t k, const fz_left *a, const fz_stored_b *b, int accumulate,
                     float *c, size_t ldc, size_t column_begin, size_t column_end, float *workspace);

/// The left operand of a double product, read in place (see fz_left).
typedef struct {
    const double *data;
    size_t row_stride, k_stride;
} fz_left_d;

/// The double-precision product C (m×n) = A · B (or C += A · B): B stored as float64, float32, float16
/// or bfloat16 and widened to double exactly while it is packed (fz_sgemm_stored's contract otherwise).
/// Every element of C is one fused multiply-add chain in increasing k order, a scalar loop of fma
/// calls bit for bit. `workspace` holds fz_dgemm_workspace_count doubles; `column_begin` is a multiple
/// of FZ_DGEMM_COLUMN_ALIGNMENT.
void fz_dgemm_stored(size_t m, size_t n, size_t k, const fz_left_d *a, const fz_stored_b *b, int accumulate,
                     double *c, size_t ldc, size_t column_begin, size_t column_end, double *workspace);
/// Doubles of the workspace fz_dgemm_stored needs.
size_t fz_dgemm_workspace_count(void);

/// Column ranges given to fz_dgemm_stored start at multiples of this.
#define FZ_DGEMM_COLUMN_ALIGNMENT 16

/// Column ranges given to fz_sgemm_packed start at multiples of this.
#define FZ_SGEMM_COLUMN_ALIGNMENT 32

#ifdef __cplusplus
}
#endif

#endif
