// One tile of a product whose B is packed in panels, written once for float and for double. Included
// (inside their `#if defined(__x86_64__)` part) by fz_gemm.c and fz_dgemm.c, each after defining
//   FZ_TILE_T      the element type             float       double
//   FZ_TILE_VEC    the AVX-512 vector type      __m512      __m512d
//   FZ_TILE_MASK   the lane mask type           __mmask16   __mmask8
//   FZ_TILE_LANES  elements per vector          16          8
//   FZ_TILE_SFX    the intrinsics' suffix       ps          pd
// and MR and FZ_AVX512. Defines, static to the including file: column_mask, tile, tile_fn and
// tiles[rows][vectors], the instantiations for 1..MR rows and 1 or 2 vectors of columns.

#define FZ_TILE_PASTE(a, b) a##b
#define FZ_TILE_EXPAND(a, b) FZ_TILE_PASTE(a, b)
#define FZ_TILE_I(op) FZ_TILE_EXPAND(_mm512_##op##_, FZ_TILE_SFX)

static inline FZ_AVX512 FZ_TILE_MASK column_mask(size_t cols) {
    return cols >= FZ_TILE_LANES ? (FZ_TILE_MASK)-1 : (FZ_TILE_MASK)((1u << cols) - 1u);
}

// One tile: ROWS rows × (LANES·VECS) columns of C, of which `cols` are stored. Written once as an inline
// function with constant ROWS and VECS, so each instantiation keeps its accumulators in registers.
// A is read in place: element (r, p) of the tile's rows is a[r·rs + p·ks]. Each element of C is one fma
// chain over p, from C's value (`load_c`) or from 0.
static inline __attribute__((always_inline)) FZ_AVX512 void
tile(const int ROWS, const int VECS, size_t kc, const FZ_TILE_T *restrict a, size_t rs, size_t ks,
     const FZ_TILE_T *restrict b, FZ_TILE_T *restrict c, size_t ldc, size_t cols, int load_c) {
    FZ_TILE_VEC acc[MR][2];
    FZ_TILE_MASK mask0 = column_mask(cols), mask1 = column_mask(cols > FZ_TILE_LANES ? cols - FZ_TILE_LANES : 0);
    for (int r = 0; r < ROWS; r++) {
        acc[r][0] = load_c ? FZ_TILE_I(maskz_loadu)(mask0, c + r * ldc) : FZ_TILE_I(setzero)();
        if (VECS > 1) acc[r][1] = load_c ? FZ_TILE_I(maskz_loadu)(mask1, c + r * ldc + FZ_TILE_LANES) : FZ_TILE_I(setzero)();
    }
    for (size_t p = 0; p < kc; p++) {
        FZ_TILE_VEC b0 = FZ_TILE_I(loadu)(b + p * FZ_TILE_LANES * VECS);
        FZ_TILE_VEC b1 = VECS > 1 ? FZ_TILE_I(loadu)(b + p * FZ_TILE_LANES * VECS + FZ_TILE_LANES) : b0;
        for (int r = 0; r < ROWS; r++) {
            FZ_TILE_VEC x = FZ_TILE_I(set1)(a[r * rs + p * ks]);
            acc[r][0] = FZ_TILE_I(fmadd)(x, b0, acc[r][0]);
            if (VECS > 1) acc[r][1] = FZ_TILE_I(fmadd)(x, b1, acc[r][1]);
        }
    }
    for (int r = 0; r < ROWS; r++) {
        FZ_TILE_I(mask_storeu)(c + r * ldc, mask0, acc[r][0]);
        if (VECS > 1) FZ_TILE_I(mask_storeu)(c + r * ldc + FZ_TILE_LANES, mask1, acc[r][1]);
    }
}

typedef void (*tile_fn)(size_t, const FZ_TILE_T *, size_t, size_t, const FZ_TILE_T *, FZ_TILE_T *, size_t, size_t, int);

#define TILE(R, V)                                                                                          \
    static FZ_AVX512 void tile_##R##_##V(size_t kc, const FZ_TILE_T *a, size_t rs, size_t ks,              \
                                         const FZ_TILE_T *b, FZ_TILE_T *c, size_t ldc, size_t cols,         \
                                         int load_c) {                                                      \
        tile(R, V, kc, a, rs, ks, b, c, ldc, cols, load_c);                                                 \
    }
#define TILES(R) TILE(R, 1) TILE(R, 2)
TILES(1) TILES(2) TILES(3) TILES(4) TILES(5) TILES(6) TILES(7) TILES(8) TILES(9) TILES(10) TILES(11) TILES(12)

// By rows, then vectors of columns.
static const tile_fn tiles[MR + 1][3] = {
    {0, 0, 0},
    {0, tile_1_1, tile_1_2}, {0, tile_2_1, tile_2_2}, {0, tile_3_1, tile_3_2}, {0, tile_4_1, tile_4_2},
    {0, tile_5_1, tile_5_2}, {0, tile_6_1, tile_6_2}, {0, tile_7_1, tile_7_2}, {0, tile_8_1, tile_8_2},
    {0, tile_9_1, tile_9_2}, {0, tile_10_1, tile_10_2}, {0, tile_11_1, tile_11_2}, {0, tile_12_1, tile_12_2},
};
