// Whether freezer's C kernels run here.
#ifndef FZ_SUPPORT_H
#define FZ_SUPPORT_H

#ifdef __cplusplus
extern "C" {
#endif

/// Whether this processor (and OS) runs the C kernels: they need AVX-512F. When not, the evaluator
/// uses BLAS and its Swift loops instead.
int fz_kernels_supported(void);

#ifdef __cplusplus
}
#endif

#endif
