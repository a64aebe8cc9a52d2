// C interface of Debian's OpenBLAS (cblas + thread control) and LAPACKE.
#ifndef CLAIMBENCH_COPENBLAS_SHIM_H
#define CLAIMBENCH_COPENBLAS_SHIM_H
#include <cblas.h>
#include <lapacke.h>
// Declared by OpenBLAS's cblas.h; repeated so the contract is visible here.
void openblas_set_num_threads(int num_threads);
int openblas_get_num_threads(void);
char *openblas_get_config(void);
char *openblas_get_corename(void);
#endif
