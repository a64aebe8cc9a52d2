// C interface of Debian's zlib (zlib1g-dev): the gz* file API and crc32.
#ifndef CLAIMBENCH_CZLIB_SHIM_H
#define CLAIMBENCH_CZLIB_SHIM_H
#include <zlib.h>
#endif
