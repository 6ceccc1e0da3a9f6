// freezer's C kernels (AVX-512, chosen at run time): the module's umbrella header.
#include "fz_support.h"
#include "fz_gemm.h"
#include "fz_softmax.h"
#include "fz_layer_norm.h"
#include "fz_half.h"
